/**
 * For `rebuilds`: what turned on the features a rebuilt unit gained, from the working tree's plan of its
 * output (the direct causes, as the graph page shows them: `crateflake why NAME --feature F` follows the
 * chain).
 */
import { explainFeature } from "./features.ts";
import type { OutputGraph } from "./outputs.ts";
import type { OutputRebuilds } from "./rebuilds.ts";
import { causeLine } from "./render-why.ts";
import { indexGraph } from "./units.ts";

/** Fills `by` of every `features` cause of `outputs`, from the outputs' graphs of the same system. */
export function addFeatureCauses(outputs: OutputRebuilds[], graphs: OutputGraph[]): void {
  for (const o of outputs) {
    const g = graphs.find((x) => x.name === o.output);
    if (!g) continue;
    const ix = indexGraph(g.graph, g.hostTriple);
    const label = (i: number) => {
      const p = ix.packages[i];
      return `${p.name} ${p.version}`;
    };
    for (const u of o.rebuilt) {
      for (const c of u.causes) {
        if (c.kind !== "features" || c.added.length === 0) continue;
        const index = g.graph.units.findIndex((x, i) => {
          const p = ix.packages[i];
          return (
            p.name === u.name &&
            p.version === u.version &&
            x.target.name === u.targetName &&
            x.mode === u.mode &&
            (x.platform ?? null) === (u.target ?? null) &&
            [...x.features].sort().join() === u.features.join()
          );
        });
        if (index < 0) continue;
        c.by = c.added.flatMap((f) =>
          explainFeature(ix, g.project, index, f, 1).because.map(
            (cause) => `${f}: ${causeLine(cause, label)}`,
          ),
        );
      }
    }
  }
}
