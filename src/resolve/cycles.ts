/**
 * Cargo's `check_cycles`: a package may not depend on itself through normal or build dependencies
 * (dev-dependency cycles are allowed; they are broken by building the test apart from the library).
 */
import type { PackageId } from "../cargo/model.ts";
import { UserError } from "../errors.ts";
import type { ResolveGraph } from "./resolve-graph.ts";

export function checkCycles(graph: ResolveGraph): void {
  const state = new Map<PackageId, "open" | "done">();
  const ids = [...graph.project.packages.keys()].sort();
  for (const start of ids) {
    if (state.has(start)) continue;
    // Iterative depth-first search; `path` is the chain of open packages.
    const path: PackageId[] = [start];
    const iters: Iterator<PackageId>[] = [transitiveDeps(graph, start)];
    state.set(start, "open");
    while (path.length > 0) {
      const next = (iters[iters.length - 1] as Iterator<PackageId>).next();
      if (next.done) {
        state.set(path.pop() as PackageId, "done");
        iters.pop();
        continue;
      }
      const id = next.value;
      const s = state.get(id);
      if (s === "done") continue;
      if (s === "open") {
        const cycle = [...path.slice(path.indexOf(id)), id].map((p) => graph.describe(p));
        throw new UserError(
          `cyclic package dependency: package \`${graph.describe(id)}\` depends on itself. Cycle: ${cycle.join(" -> ")}`,
          graph.package(id).manifestPath,
        );
      }
      state.set(id, "open");
      path.push(id);
      iters.push(transitiveDeps(graph, id));
    }
  }
}

function* transitiveDeps(graph: ResolveGraph, id: PackageId): Generator<PackageId> {
  for (const edge of graph.deps(id)) if (edge.deps.some((d) => d.kind !== "dev")) yield edge.pkg;
}
