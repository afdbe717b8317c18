/** The cold-build replay (bench/replay.ts): Nix's order on N slots, and what an rmeta split changes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Node, pipelined, replay } from "../../bench/replay.ts";

/** A chain of three libraries (c needs b needs a, 4 s each) beside an independent 6 s library. */
function graph(): Map<string, Node> {
  const lib = (id: string, seconds: number, deps: string[]): Node => ({
    id,
    name: `rust-${id}`,
    deps,
    seconds,
    rlib: true,
    pkg: id,
    crate: `${id}-1.0.0`,
  });
  return new Map(
    [lib("a", 4, []), lib("b", 4, ["a"]), lib("c", 4, ["b"]), lib("z", 6, [])].map((n) => [n.id, n]),
  );
}

test("without a split, a chain waits for whole builds", () => {
  assert.equal(replay(graph(), 1), 18);
  assert.equal(replay(graph(), 2), 12);
});

test("an rmeta derivation lets dependent libraries start early when a slot is free", () => {
  const frontEnd = new Map([
    ["a-1.0.0", 0.25],
    ["b-1.0.0", 0.25],
  ]);
  const split = pipelined(graph(), frontEnd, (n) => n.id === "a" || n.id === "b");
  assert.deepEqual(split.get("b")!.deps, ["a#rmeta"]);
  assert.deepEqual(split.get("c")!.deps, ["b#rmeta"]);
  // a's and b's rmeta (1 s + 0.15 s each) unblock c early: 4 slots finish when the longest build does.
  assert.ok(Math.abs(replay(split, 4) - 6.3) < 1e-9);
  // On one slot the front ends only add work.
  assert.ok(replay(split, 1) > replay(graph(), 1));
});

test("a measured graph (metadata derivations as nodes of their own) replays on more slots", async () => {
  const { measured } = await import("../../bench/replay.ts");
  const nodes = graph();
  // b compiles against a's metadata derivation (1 s), as a pipelined build's graph says.
  nodes.set("a-meta", { ...nodes.get("a")!, id: "a-meta", name: "rust-a-metadata", seconds: 1 });
  nodes.get("b")!.deps = ["a-meta"];
  const [one, four] = measured(nodes, [1, 4]);
  assert.equal(one.seconds, 19);
  assert.equal(four.seconds, 9);
});
