/**
 * The Nix entry points. The user's, written once by `init` and never again by `generate`: `flake.nix`
 * (inputs nixpkgs and rust-overlay, the user's `toolchainsFor` and `crateOverridesFor`) and `default.nix`
 * (the same without flakes). Each only calls its generated counterpart in `.crateflake/`, which
 * `generate` rewrites: `flake-outputs.nix` (packages, apps, checks and a dev shell for four systems) and
 * `packages.nix`. Those call the library copied into `.crateflake/lib/` (see `library.ts`), reading
 * `.crateflake/data/<system>.json`; the flake needs no crateflake input.
 */
import { NIX_SYSTEMS } from "../platform/nix-systems.ts";
import type { NixData } from "./data.ts";
import { nixAttrName, nixString } from "./escape.ts";

export const LIB_DIR = ".crateflake/lib";
/** One data file per Nix system (`<system>.json`): `cfg()` differs between them, and evaluating one
 *  system reads only its own graph. */
export const DATA_DIR = ".crateflake/data";
export const dataFile = (system: string): string => `${DATA_DIR}/${system}.json`;
export const SYSTEMS = Object.keys(NIX_SYSTEMS).sort();
/** The systems whose packages and checks are `hydraJobs` (Hydra builds on Linux). */
export const HYDRA_SYSTEMS = SYSTEMS.filter((s) => s.endsWith("-linux"));
/** The generated halves of flake.nix and default.nix. */
export const FLAKE_OUTPUTS = ".crateflake/flake-outputs.nix";
export const PACKAGES = ".crateflake/packages.nix";

export interface FlakeOutput {
  /** Output name (`app`, `wasm`): `packages.<system>.<name>`. */
  name: string;
  /** `default` (nixpkgs' rustc) or a target triple (rust-overlay's stable with that target's std). */
  toolchain: string;
  /** Binaries it installs in `$out/bin`: each gets `apps.<system>.<binary>`. */
  binaries: string[];
}

export interface FlakeSpec {
  description: string;
  outputs: FlakeOutput[];
  /** Lint flags of the clippy checks (`[checks] clippy-args` of crateflake.toml); default none. */
  clippyArgs?: string[];
}

/** The outputs of a data file, with the binaries of their root units. */
export function flakeOutputs(data: NixData): FlakeOutput[] {
  return Object.keys(data.outputs)
    .sort()
    .map((name) => {
      const o = data.outputs[name];
      const binaries = o.roots
        .map((k) => data.units[k])
        .filter((u) => u.kind.includes("bin"))
        .map((u) => u.targetName);
      return { name, toolchain: o.toolchain, binaries: [...new Set(binaries)].sort() };
    });
}

// Every string that comes from a manifest or the config reaches Nix through escape.ts only.
const str = nixString;
const attr = nixAttrName;
const strList = (xs: string[]): string => (xs.length > 0 ? `[ ${xs.map(str).join(" ")} ]` : "[ ]");

/** `{ default = ...; "wasm32-unknown-unknown" = ...; }` for the toolchains the outputs use. */
export function toolchainsExpr(outputs: FlakeOutput[], indent: string): string {
  const names = [...new Set(["default", ...outputs.map((o) => o.toolchain)])].sort();
  const lines = names.map((t) =>
    t === "default"
      ? `${indent}  default = pkgs.rustc;`
      : `${indent}  ${attr(t)} = pkgs.rust-bin.stable.latest.default.override { targets = [ ${str(t)} ]; };`,
  );
  return `{\n${lines.join("\n")}\n${indent}}`;
}

export function appsExpr(outputs: FlakeOutput[], indent: string): string {
  const apps: string[] = [];
  const seen = new Set<string>();
  for (const o of outputs) {
    for (const bin of o.binaries) {
      if (seen.has(bin)) continue;
      seen.add(bin);
      apps.push(
        `${indent}${attr(bin)} = { type = "app"; program = "\${crates.outputs.${attr(o.name)}}${str(`/bin/${bin}`).slice(1)}; };`,
      );
    }
  }
  const first = outputs.find((o) => o.binaries.length > 0);
  if (first) apps.push(`${indent}default = self.apps.\${system}.${attr(first.binaries[0])};`);
  return apps.join("\n");
}

/** The first line of the user's flake.nix and default.nix (it names crateflake: see write.ts). */
const USER_HEADER =
  "# Written by `crateflake init`, then yours: `crateflake generate` rewrites .crateflake/ only.";

/** The bodies of the user's `toolchainsFor` and `crateOverridesFor` (Nix text after `pkgs: `). */
export interface UserSettings {
  toolchainsFor: string;
  crateOverridesFor: string;
}
export const NO_SETTINGS: UserSettings = { toolchainsFor: "{ }", crateOverridesFor: "{ }" };

/** The user's flake.nix, as `init` writes it (with `settings` carried over from an older flake.nix). */
export function flakeNix(spec: FlakeSpec, settings: UserSettings = NO_SETTINGS): string {
  return `${USER_HEADER}
# Add inputs, and set your toolchains and per-crate overrides below; the packages, apps, checks and dev
# shell come from ${FLAKE_OUTPUTS}, made from crateflake.toml, Cargo.toml and Cargo.lock.
{
  description = ${str(spec.description)};

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    rust-overlay = {
      url = "github:oxalica/rust-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = { self, nixpkgs, rust-overlay }:
    import ./${FLAKE_OUTPUTS} {
      inherit self;
      pkgsFor = system: import nixpkgs { inherit system; overlays = [ rust-overlay.overlays.default ]; };

      # The compiler of each output, by the name the data uses, over the defaults (nixpkgs' rustc for
      # \`default\`, rust-overlay's stable with the target's standard library for a triple); every crate of
      # an output, proc-macros included, uses it: { default = pkgs.rust-bin.stable."1.75.0".default; }
      toolchainsFor = pkgs: ${settings.toolchainsFor};

      # Extra native inputs and environment per crate, merged over ${LIB_DIR}/overrides.nix (a -sys
      # crate that asks pkg-config already gets its \`links\` library: ${LIB_DIR}/native-libs.nix):
      # { my-sys = { nativeBuildInputs = [ pkgs.pkg-config pkgs.libfoo ]; env.FOO_DIR = "..."; }; }
      crateOverridesFor = pkgs: ${settings.crateOverridesFor};
    };
}
`;
}

/** The user's default.nix, as `init` writes it: arguments (pkgs, system, toolchains, crateOverrides,
 * clippyArgs) pass through to the generated packages.nix. */
export function defaultNix(): string {
  return `${USER_HEADER}
# The flake's packages without flakes, e.g. \`nix-build -A all\`; \`pkgs\` defaults to <nixpkgs> (with
# rust-overlay when an output needs another target's standard library).
args@{ ... }:
import ./${PACKAGES} ({
  # Your toolchains and per-crate overrides, as in flake.nix (arguments \`toolchains\` and
  # \`crateOverrides\` go over them).
  toolchainsFor = pkgs: { };
  crateOverridesFor = pkgs: { };
} // args)
`;
}

const GENERATED =
  "# Generated by crateflake from crateflake.toml and the data; `crateflake generate` rewrites it.";

/** `.crateflake/flake-outputs.nix`: the flake's outputs, called by the user's flake.nix. */
export function flakeOutputsNix(spec: FlakeSpec): string {
  return `${GENERATED}
# flake.nix calls it with nixpkgs (pkgsFor) and the user's toolchainsFor and crateOverridesFor.
{ self, pkgsFor, toolchainsFor ? pkgs: { }, crateOverridesFor ? pkgs: { } }:
let
  systems = [ ${SYSTEMS.map(str).join(" ")} ];
  forAllSystems = f: builtins.listToAttrs (map (system: { name = system; value = f system; }) systems);

  # The compiler of each output the data names, unless toolchainsFor gives one.
  defaultToolchainsFor = pkgs: ${toolchainsExpr(spec.outputs, "  ")};

  cratesFor = system:
    let pkgs = pkgsFor system; in
    import ./lib {
      inherit pkgs system;
      toolchains = defaultToolchainsFor pkgs // toolchainsFor pkgs;
      crateOverrides = crateOverridesFor pkgs;
      # Lint flags of the clippy checks (\`[checks] clippy-args\` of crateflake.toml).
      clippyArgs = ${strList(spec.clippyArgs ?? [])};
      data = ./data + "/\${system}.json";
      root = ./..;
    };
in
{
  packages = forAllSystems (system:
    let crates = cratesFor system; in
    (if crates ? doc then { doc = crates.doc; } else { })
    // crates.outputs // { all = crates.all; default = crates.all; });

  # \`nix flake check\`: test-<package> (cargo test), clippy-<package> (cargo clippy), doc (cargo doc).
  checks = forAllSystems (system: (cratesFor system).checks);

  apps = forAllSystems (system:
    let crates = cratesFor system; in {
${appsExpr(spec.outputs, "      ")}
    });

  devShells = forAllSystems (system: {
    default = (cratesFor system).shell;
  });

  # Hydra's jobs, job name first and then system: every package and check of the Linux systems, so Hydra
  # (and other CI that reads hydraJobs) builds each as its own job. \`default\` is \`all\`. A check with a
  # package's name is that job when it is the same derivation (\`doc\`), else the job \`check-<name>\`.
  hydraJobs =
    let
      jobsOf = system:
        let
          packages = builtins.removeAttrs self.packages.\${system} [ "default" ];
          checks = self.checks.\${system};
          checkName = name:
            if packages ? \${name} && packages.\${name}.drvPath != checks.\${name}.drvPath then "check-\${name}" else name;
        in
        builtins.listToAttrs (map (name: { name = checkName name; value = checks.\${name}; }) (builtins.attrNames checks))
        // packages;
    in
    builtins.zipAttrsWith (_: builtins.foldl' (a: b: a // b) { })
      (map (system: builtins.mapAttrs (_: drv: { \${system} = drv; }) (jobsOf system))
        [ ${HYDRA_SYSTEMS.map(str).join(" ")} ]);
}
`;
}

/** `.crateflake/packages.nix`: the same outputs without flakes, called by the user's default.nix. */
export function packagesNix(spec: FlakeSpec): string {
  const needsOverlay = spec.outputs.some((o) => o.toolchain !== "default");
  const overlay = needsOverlay
    ? ` overlays = [ (import (builtins.fetchTarball "https://github.com/oxalica/rust-overlay/archive/master.tar.gz")) ];`
    : "";
  return `${GENERATED}
# default.nix calls it; \`toolchains\` and \`crateOverrides\` go over toolchainsFor's and crateOverridesFor's.
{ pkgs ? import <nixpkgs> {${overlay} }
, system ? builtins.currentSystem
, toolchainsFor ? pkgs: { }
, crateOverridesFor ? pkgs: { }
, toolchains ? { }
, crateOverrides ? { }
, clippyArgs ? ${strList(spec.clippyArgs ?? [])}
}:
let
  crates = import ./lib {
    inherit pkgs system clippyArgs;
    toolchains = ${toolchainsExpr(spec.outputs, "    ")} // toolchainsFor pkgs // toolchains;
    crateOverrides = crateOverridesFor pkgs // crateOverrides;
    data = ./data + "/\${system}.json";
    root = ./..;
  };
in
(if crates ? doc then { inherit (crates) doc; } else { })
// crates.outputs // { inherit (crates) all units shell checks; default = crates.all; }
`;
}
