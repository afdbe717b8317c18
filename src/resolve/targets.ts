/** Questions Cargo asks of a `Target` (`core/manifest.rs`), over the model's `kind` strings. */
import type { Package, Target } from "../cargo/model.ts";

const LIB_KINDS = new Set(["lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro"]);
const LINKABLE_KINDS = new Set(["lib", "rlib", "dylib", "proc-macro"]);

export const isLib = (t: Target): boolean => t.kind.some((k) => LIB_KINDS.has(k));
/** A library other crates can `--extern` (an rlib, dylib or proc-macro). */
export const isLinkable = (t: Target): boolean => t.kind.some((k) => LINKABLE_KINDS.has(k));
export const isProcMacro = (t: Target): boolean => t.kind.includes("proc-macro");
export const isCustomBuild = (t: Target): boolean => t.kind.includes("custom-build");
export const isBin = (t: Target): boolean => t.kind.includes("bin");
export const isExample = (t: Target): boolean => t.kind.includes("example");
export const isTest = (t: Target): boolean => t.kind.includes("test");
export const isBench = (t: Target): boolean => t.kind.includes("bench");
/** Built for the host whatever the target: build scripts and proc-macros. */
export const forHost = (t: Target): boolean => isProcMacro(t) || isCustomBuild(t);
/** `rustdoc --test` can run on it: a lib whose crate types include an rlib or proc-macro. */
export const isDoctestable = (t: Target): boolean =>
  isLib(t) && t.crateTypes.some((c) => c === "lib" || c === "rlib" || c === "proc-macro");

/** The name rustc knows the crate by (`-` → `_`). */
export const crateName = (t: Target): string => t.name.replaceAll("-", "_");

export const libTarget = (p: Package): Target | undefined => p.targets.find(isLib);
export const linkableTarget = (p: Package): Target | undefined => p.targets.find(isLinkable);
export const buildScript = (p: Package): Target | undefined => p.targets.find(isCustomBuild);
export const packageIsProcMacro = (p: Package): boolean => p.targets.some(isProcMacro);
