/**
 * The sweep's causes: a failed build's log (Cargo's or Nix's) reduced to one class, so that "both fail"
 * can say whether they failed for the same reason. The first matching rule wins; the rules look at what
 * rustc, the linker, pkg-config and Cargo print, which both sides show in their logs.
 */

export type Outcome =
  | "both build"
  | "both fail"
  | "both fail, causes differ"
  | "crateflake-only failure"
  | "cargo-only failure"
  | "lock failed";

const rules: [RegExp, string][] = [
  [/timed out after/, "timeout"],
  [/may not be used on the stable release channel|E0554/, "needs nightly"],
  [/requires rustc \S+ or newer|is not supported by the following package/, "needs newer rustc"],
  [
    /Package .* was not found in the pkg-config search path|pkg-config.*(not found|exited with status)|Could not run `.*pkg-config|could not find system library|The system library `.*` required by crate/,
    "missing C library (pkg-config)",
  ],
  [/fatal error: [^:\n]+\.h: No such file or directory/, "missing C header"],
  [/cannot find -l\S+|unable to find library -l/, "missing C library (linker)"],
  [/undefined reference to|linking with `cc` failed|error: linking with/, "link error"],
  [
    /failed to run custom build command|build script failed|run-build-script.*failed|exit status: 101/,
    "build script failed",
  ],
  [/error\[E\d+\]|error: could not compile|^error: /m, "compile error"],
];

/** The class of a failure from its log; "other: <first error line>" when no rule matches. */
export function classify(log: string): string {
  for (const [re, cause] of rules) if (re.test(log)) return cause;
  const line = log.split("\n").find((l) => /error/i.test(l)) ?? log.split("\n").find((l) => l.trim()) ?? "";
  return `other: ${line.trim().slice(0, 100)}`;
}

/** The class of a failed `cargo generate-lockfile`. */
export function classifyLock(log: string): string {
  if (/no matching package named/.test(log)) return "a dependency Debian does not ship";
  if (/failed to select a version/.test(log)) return "no version Debian ships matches a requirement";
  if (/cyclic package dependency/.test(log)) return "cyclic dependency";
  if (/feature .* (includes|which is neither)|does not have (that|the) feature/.test(log))
    return "a feature Debian's package lacks";
  const line = log.split("\n").find((l) => l.startsWith("error")) ?? "";
  return `other: ${line.slice(0, 100)}`;
}

export function outcomeOf(cargoOk: boolean, nixOk: boolean, cargoCause: string, nixCause: string): Outcome {
  if (cargoOk && nixOk) return "both build";
  if (cargoOk) return "crateflake-only failure";
  if (nixOk) return "cargo-only failure";
  return cargoCause === nixCause ? "both fail" : "both fail, causes differ";
}
