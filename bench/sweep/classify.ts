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
  | "lock failed"
  | "timed out";

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

/**
 * The crates whose build failed, as a log names them: Cargo's "could not compile `NAME`" and "failed to
 * run custom build command for `NAME vX`", Nix's "builder for '…-rust-N-NAME-X.Y.Z….drv' failed" (a
 * unit) or "…-crate-NAME-X.Y.Z.drv" (its unpacked source). Empty when the log names none.
 */
export function failedCrates(log: string): string[] {
  const names = [
    ...log.matchAll(/could not compile `([^`]+)`/g),
    ...log.matchAll(/failed to run custom build command for `(\S+) v/g),
    ...log.matchAll(
      /builder for '\/nix\/store\/[a-z0-9]{32}-(?:rust-\d+|crate)-(.+?)-\d+\.\d+\.\d+[^']*\.drv' failed/g,
    ),
  ].map((m) => m[1]);
  return [...new Set(names)].sort();
}

/**
 * Both sides failing counts as "both fail" only for the same class of cause and, where both logs name
 * the crates that failed, a crate in common: otherwise they failed for different reasons.
 */
export function outcomeOf(
  cargoOk: boolean,
  nixOk: boolean,
  cargoCause: string,
  nixCause: string,
  cargoFailed: string[] = [],
  nixFailed: string[] = [],
): Outcome {
  // A side cut short says nothing about its outcome.
  if (cargoCause === "timeout" || nixCause === "timeout") return "timed out";
  if (cargoOk && nixOk) return "both build";
  if (cargoOk) return "crateflake-only failure";
  if (nixOk) return "cargo-only failure";
  const sameCrate =
    cargoFailed.length === 0 || nixFailed.length === 0 || cargoFailed.some((c) => nixFailed.includes(c));
  return cargoCause === nixCause && sameCrate ? "both fail" : "both fail, causes differ";
}
