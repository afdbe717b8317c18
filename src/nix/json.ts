/**
 * JSON with object keys sorted at every level and a final newline: the same value always gives the same
 * bytes, whatever order the emitter built it in.
 */
export function stableJson(value: unknown, indent = 1): string {
  return `${JSON.stringify(sortKeys(value), null, indent)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
