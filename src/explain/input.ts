/**
 * Where `why` and `graph` get their unit graph: a saved `--unit-graph FILE` (Cargo's or `crateflake
 * plan`'s JSON), checked just enough that a wrong file is a one-line error rather than a crash.
 */
import { readFileSync } from "node:fs";
import { UserError } from "../errors.ts";
import type { UnitGraph } from "../resolve/unit-graph.ts";

export function readUnitGraph(file: string): UnitGraph {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UserError(`cannot read the unit graph: ${(err as NodeJS.ErrnoException).code ?? err}`, file);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`not JSON: ${(err as Error).message}`, file);
  }
  return checkUnitGraph(data, file);
}

/** Validates the shape of a unit graph (version 1, units with dependencies in range, roots in range). */
export function checkUnitGraph(data: unknown, file?: string): UnitGraph {
  const bad = (what: string): never => {
    throw new UserError(`not a unit graph (cargo --unit-graph, version 1): ${what}`, file);
  };
  if (typeof data !== "object" || data === null) return bad("not an object");
  const g = data as Partial<UnitGraph>;
  if (g.version !== 1) bad(`version is ${JSON.stringify(g.version)}, expected 1`);
  if (!Array.isArray(g.units)) return bad("no `units` array");
  if (!Array.isArray(g.roots)) return bad("no `roots` array");
  const n = g.units.length;
  g.units.forEach((u, i) => {
    if (
      typeof u?.pkg_id !== "string" ||
      typeof u.target?.name !== "string" ||
      !Array.isArray(u.target.kind)
    ) {
      bad(`unit ${i} has no pkg_id or target`);
    }
    if (!Array.isArray(u.dependencies) || !Array.isArray(u.features))
      bad(`unit ${i} has no dependencies or features`);
    for (const d of u.dependencies) {
      if (!Number.isInteger(d?.index) || d.index < 0 || d.index >= n)
        bad(`unit ${i} depends on a unit out of range`);
    }
  });
  for (const r of g.roots) if (!Number.isInteger(r) || r < 0 || r >= n) bad(`root ${r} is out of range`);
  return g as UnitGraph;
}

/** With `--unit-graph`, `--target` must name the triple the graph was made for. */
export function checkTarget(graph: UnitGraph, target: string | undefined, file: string): void {
  if (target === undefined) return;
  if (!graph.units.some((u) => u.platform === target)) {
    throw new UserError(`this unit graph was not made for --target ${target}`, file);
  }
}
