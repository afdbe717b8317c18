/** The colours of `crateflake graph`: fill by source kind, outline by side; shared by DOT, Mermaid and HTML. */
import type { SourceKind } from "./package-id.ts";

export const SOURCE_FILL: Record<SourceKind, string> = {
  registry: "#dbe9fb",
  path: "#d7f2d2",
  git: "#fde3c4",
  other: "#eeeeee",
};

export const SIDE_STROKE = {
  target: "#1f3a5f",
  host: "#8a3ab9",
  both: "#b0417a",
} as const;

/** A unit that rebuilds (`graph --changes`): filled and outlined in orange over its usual colours. */
export const REBUILD = { fill: "#ffe2d6", stroke: "#e16f24" } as const;
