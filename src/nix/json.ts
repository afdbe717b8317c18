/**
 * Canonical JSON: object keys sorted at every level, so the same value always gives the same bytes,
 * whatever order it was built in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/**
 * A data file's text: canonical, one line per entry of each top-level table (`units`, `packages`, ...),
 * so a change shows in `git diff` as the entries it touched, at half the size of indented JSON.
 * `rows` remembers each entry's JSON by the entry object, for data files that share entries (entries are
 * never changed once emitted).
 */
export function dataJson(data: object, rows?: WeakMap<object, string>): string {
  const row = (value: unknown): string => {
    if (!rows || value === null || typeof value !== "object") return canonicalJson(value);
    let text = rows.get(value);
    if (text === undefined) {
      text = canonicalJson(value);
      rows.set(value, text);
    }
    return text;
  };
  const lines = Object.keys(data)
    .sort()
    .flatMap((key) => {
      const value = (data as Record<string, unknown>)[key];
      if (value === undefined) return [];
      const name = JSON.stringify(key);
      if (!isTable(value)) return [`${name}:${canonicalJson(value)}`];
      const rows = Object.keys(value)
        .sort()
        .filter((k) => value[k] !== undefined)
        .map((k) => `${JSON.stringify(k)}:${row(value[k])}`);
      return [rows.length === 0 ? `${name}:{}` : `${name}:{\n${rows.join(",\n")}\n}`];
    });
  return `{\n${lines.join(",\n")}\n}\n`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
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
