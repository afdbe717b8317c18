/**
 * Compares two unit graphs in Cargo's `--unit-graph` schema: units are matched by package name and
 * version, target (kind, name), mode, platform and features; a difference in the unit set, in a unit's
 * dependency edges or in extern crate names is reported as one readable line each. Of the profile, the
 * name, the debuginfo settings (which decide when Cargo builds a crate twice) and what reaches rustc
 * (opt-level, codegen-units, assertions, overflow checks, strip) are compared.
 */
import type { Unit, UnitGraph } from "../../src/resolve/unit-graph.ts";

/** `name@version` from a package id in either of Cargo's spellings (`...#name@1.0`, `.../name#1.0`). */
export function pkgName(id: string): string {
  const hash = id.lastIndexOf("#");
  const frag = id.slice(hash + 1);
  if (frag.includes("@")) return frag;
  const path = id.slice(0, hash).replace(/\/+$/, "");
  return `${path.slice(path.lastIndexOf("/") + 1)}@${frag}`;
}

function unitKey(u: Unit): string {
  const t = u.target;
  return `${pkgName(u.pkg_id)} ${t.kind.join(",")}:${t.name} ${u.mode} ${u.platform ?? "host"} [${u.features.join(",")}]`;
}

/** Keys of every unit; where a key repeats (Cargo can differ only by profile), the profile tells them apart,
 * and where it still repeats (without `--target`, a host unit and a target one that depend on different
 * units), the keys of their dependencies do. */
function keys(g: UnitGraph): string[] {
  const repeated = (ks: string[]) => {
    const count = new Map<string, number>();
    for (const k of ks) count.set(k, (count.get(k) ?? 0) + 1);
    return (k: string) => (count.get(k) ?? 0) > 1;
  };
  const base = g.units.map(unitKey);
  const byKey = repeated(base);
  const withProfile = g.units.map((u, i) => {
    const k = base[i] as string;
    if (!byKey(k)) return k;
    const p = u.profile;
    return `${k} (opt-level ${p.opt_level}, debuginfo ${p.debuginfo}, split ${String(p.split_debuginfo ?? null)})`;
  });
  const byProfile = repeated(withProfile);
  const done = new Map<number, string>();
  const key = (i: number): string => {
    let k = done.get(i);
    if (k === undefined) {
      k = withProfile[i] as string;
      if (byProfile(k)) {
        const deps = (g.units[i] as Unit).dependencies.map((d) => key(d.index)).sort();
        k = `${k} {deps: ${deps.join("; ")}}`;
      }
      done.set(i, k);
    }
    return k;
  };
  return g.units.map((_, i) => key(i));
}

function edges(g: UnitGraph, ks: string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  g.units.forEach((u, i) => {
    out.set(ks[i] as string, new Set(u.dependencies.map((d) => `${ks[d.index]} as ${d.extern_crate_name}`)));
  });
  return out;
}

/** Lines describing every difference; empty when the graphs are the same. */
export function diffUnitGraphs(ours: UnitGraph, cargo: UnitGraph): string[] {
  const ok = keys(ours);
  const ck = keys(cargo);
  const oe = edges(ours, ok);
  const ce = edges(cargo, ck);
  const lines: string[] = [];
  for (const k of [...ce.keys()].sort()) if (!oe.has(k)) lines.push(`missing unit: ${k}`);
  for (const k of [...oe.keys()].sort()) if (!ce.has(k)) lines.push(`extra unit:   ${k}`);
  for (const [k, cd] of [...ce].sort()) {
    const od = oe.get(k);
    if (!od) continue;
    for (const d of [...cd].sort()) if (!od.has(d)) lines.push(`${k}\n    missing dep: ${d}`);
    for (const d of [...od].sort()) if (!cd.has(d)) lines.push(`${k}\n    extra dep:   ${d}`);
  }
  const oroots = new Set(ours.roots.map((i) => ok[i]));
  const croots = new Set(cargo.roots.map((i) => ck[i]));
  for (const r of [...croots].sort()) if (!oroots.has(r)) lines.push(`missing root: ${r}`);
  for (const r of [...oroots].sort()) if (!croots.has(r)) lines.push(`extra root:   ${r}`);
  for (const u of ours.units) if (!u.profile?.name) lines.push(`unit without profile name: ${unitKey(u)}`);
  const cargoByKey = new Map(ck.map((k, i) => [k, cargo.units[i] as Unit]));
  ours.units.forEach((u, i) => {
    const c = cargoByKey.get(ok[i] as string);
    if (!c) return;
    const fields = ["name", "debuginfo", "split_debuginfo", "opt_level", "codegen_units", "debug_assertions"];
    for (const field of [...fields, "overflow_checks", "strip"]) {
      const [a, b] = [JSON.stringify(u.profile[field] ?? null), JSON.stringify(c.profile[field] ?? null)];
      if (a !== b) lines.push(`${ok[i]}: profile ${field} ${a}, cargo ${b}`);
    }
  });
  return lines;
}
