/**
 * Cargo's rules for package and feature names (cargo's `restricted_names.rs` and `validate_feature_name`),
 * with its messages. Names reach rustc flags, environment variable names and Nix store paths, so a name
 * Cargo refuses must be refused here too, not passed on.
 */

const xidStart = /^[\p{XID_Start}_]$/u;
const xidContinue = /^[\p{XID_Continue}]$/u;

/** Why `name` is not a valid package name, or null. */
export function packageNameProblem(name: string): string | null {
  if (name === "") return "package name cannot be empty";
  const chars = [...name];
  const first = chars[0];
  if (/^[0-9]$/.test(first))
    return `invalid character \`${first}\` in package name: \`${shown(name)}\`, the name cannot start with a digit`;
  if (!xidStart.test(first))
    return `invalid character \`${shown(first)}\` in package name: \`${shown(name)}\`, the first character must be a Unicode XID start character (most letters or \`_\`)`;
  for (const ch of chars.slice(1)) {
    if (!(xidContinue.test(ch) || ch === "-"))
      return `invalid character \`${shown(ch)}\` in package name: \`${shown(name)}\`, characters must be Unicode XID characters (numbers, \`-\`, \`_\`, or most letters)`;
  }
  return null;
}

/** Why `name` is not a valid feature name, or null. */
export function featureNameProblem(name: string): string | null {
  if (name === "") return "feature name cannot be empty";
  if (name.startsWith("dep:"))
    return `feature named \`${shown(name)}\` is not allowed to start with \`dep:\``;
  if (name.includes("/")) return `feature named \`${shown(name)}\` is not allowed to contain slashes`;
  const chars = [...name];
  const first = chars[0];
  if (!(xidStart.test(first) || /^[0-9]$/.test(first)))
    return `invalid character \`${shown(first)}\` in feature \`${shown(name)}\`, the first character must be a Unicode XID start character or digit (most letters or \`_\` or \`0\` to \`9\`)`;
  for (const ch of chars.slice(1)) {
    if (!(xidContinue.test(ch) || ch === "-" || ch === "+" || ch === "."))
      return `invalid character \`${shown(ch)}\` in feature name: \`${shown(name)}\`, characters must be Unicode XID characters, '-', \`+\`, or \`.\` (numbers, \`+\`, \`-\`, \`_\`, \`.\`, or most letters)`;
  }
  return null;
}

/** Text for an error line: control characters as Cargo shows them (Unicode control pictures), so the
 * error stays one line, and a very long name cut short. */
function shown(text: string): string {
  const pictured = [...text].map((ch) => {
    const c = ch.codePointAt(0)!;
    if (c < 0x20) return String.fromCodePoint(0x2400 + c);
    if (c === 0x7f) return "\u2421";
    return ch;
  });
  return pictured.length > 80 ? `${pictured.slice(0, 77).join("")}...` : pictured.join("");
}
