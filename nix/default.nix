# crateflake's Nix library: one derivation per unit of the generated data (src/nix/data.ts), compiled by
# rustc alone, with no stdenv (raw `derivation`s with bash builders; works on Nix 2.8 and current Nix).
#
# Arguments:
#   toolchains      { default = <derivation with bin/rustc>; "wasm32-unknown-unknown" = ...; }, keyed as
#                   the data's outputs' `toolchain`. All units of an output, proc-macros included, are
#                   compiled by that output's toolchain, so proc-macros are loaded by their own compiler.
#   pkgs            { bash, coreutils, cc (C compiler/linker with bin/cc), gnutar, gzip } and whatever the
#                   crate overrides name (pkg-config, openssl, ...): nixpkgs, or stand-ins in tests.
#   data            the data file (a path) or its parsed value.
#   root            the flake root (a path): path sources and the staleness check hang off it.
#   system          the Nix system to build on.
#   crateOverrides  { <package name> = { nativeBuildInputs ? [ ]; env ? { }; } or ({ unit, pkg }: ...); },
#                   merged over overrides.nix (darwin's framework crates: darwin.nix); a package in neither whose build script asks pkg-config
#                   gets pkg-config and its `links` library (native-libs.nix).
#   clippy          a derivation with bin/clippy-driver of the default toolchain's release (pkgs.clippy).
#   clippyArgs      lint flags for the clippy checks, e.g. [ "-D" "warnings" ].
#
# Returns { units; sources; outputs; all; shell; checks; doc? }: `units.<key>` one derivation per unit,
# `outputs.<name>` a join of an output's roots ($out/bin/<bin>, $out/lib/<name>.wasm), `all` the join of
# every output, `shell` the dev shell (shell.nix: cargo, one toolchain for every output's target, the
# overrides' native inputs), `checks.<name>` the data's checks (tests, clippy, docs: test.nix,
# clippy.nix, doc.nix) and `doc` the `doc` check's documentation, when planned.
{ toolchains, pkgs, data, root, system ? builtins.currentSystem, crateOverrides ? { }
, clippy ? pkgs.clippy or (throw "crateflake: no clippy (pass `clippy`, or pkgs with a `clippy` package) for the clippy checks")
, clippyArgs ? [ ]
}:
let
  d = if builtins.isAttrs data then data else builtins.fromJSON (builtins.readFile data);
  version = if d.version == 4 || d.version == 5 then true
    else throw "crateflake: the Nix data has version ${toString d.version}; this library reads versions 4 and 5 (run crateflake generate)";
  # Version 5: some libraries are pipelined (src/nix/pipelining.ts): `metas.<key>` stops at the rmeta,
  # which libraries compile against; `units.<key>` makes the rlib, for everything that links.
  pipelining = d.version == 5;
  isPipelined = k: d.units.${k}.pipelined or false;
  # Cargo's requires_upstream_objects: a unit that links (or is a test) needs full libraries.
  linksUpstream = unit: unit.mode != "build" || builtins.any (t: t != "lib" && t != "rlib") unit.crateTypes;
  # The full derivations of the pipelined libraries a linking unit's closure holds, not looking past
  # another linking unit (a proc-macro or binary dependency linked its own).
  fullLibsOf = unit: map (x: units.${x.key}) (builtins.filter (x: isPipelined x.key) (builtins.genericClosure {
    startSet = map (dep: { key = dep.unit; }) unit.deps;
    operator = x: let u = d.units.${x.key}; in
      if linksUpstream u then [ ] else map (dep: { key = dep.unit; }) u.deps;
  }));
  fresh = import ./check-inputs.nix { inherit root; inputs = d.inputs; };
  tools = pkgs // { cc = pkgs.cc or pkgs.stdenv.cc; };

  overrides = import ./overrides.nix pkgs // crateOverrides;
  # macOS's SDK and libiconv for every unit of a darwin system (darwin.nix); { } elsewhere.
  darwin = import ./darwin.nix pkgs;
  noOverride = { nativeBuildInputs = [ ]; env = { }; };
  nativeLibs = import ./native-libs.nix;
  # A package named in the overrides gets that override; else a build-script run that asks pkg-config
  # gets pkg-config and its library (native-libs.nix).
  overrideFor = unit: pkg:
    if !(overrides ? ${pkg.name}) then
      (if unit.mode != "run-custom-build" then noOverride else
        let inputs = if unit.buildScript == null then [ ] else nativeLibs.inputsFor pkgs d unit; in
        if inputs == [ ] then noOverride else noOverride // { nativeBuildInputs = inputs; })
    else
    let
      o = overrides.${pkg.name};
      v = if builtins.isFunction o then o { inherit unit pkg; } else o;
    in { nativeBuildInputs = v.nativeBuildInputs or [ ]; env = v.env or { }; };

  toolchainFor = name:
    toolchains.${name} or (throw "crateflake: no toolchain `${name}` given (toolchains has: ${builtins.concatStringsSep ", " (builtins.attrNames toolchains)})");
  pkgConfigPath = nativeBuildInputs: builtins.concatStringsSep ":"
    (map (p: "${p.dev or p}/lib/pkgconfig:${p}/lib/pkgconfig") nativeBuildInputs);
  # The builders' PATH, PKG_CONFIG_PATH and rustc: the C linker, bash, coreutils, the toolchain and the
  # override's native inputs; `env`: on darwin, the SDK's variables (SDKROOT, ...). Made once per
  # toolchain for the (many) units without native inputs. A native input's dev output's bin/ too:
  # nixpkgs puts a library's `*-config` program there (curl.dev/bin/curl-config, which curl-sys's
  # build script runs), as stdenv's PATH does.
  # A build-script run's PATH also has stdenv's other tools (stdenv-tools.nix); a compile's stays as it was.
  stdenvTools = builtins.concatMap (a: if tools ? ${a} then [ tools.${a} ] else [ ]) (import ./stdenv-tools.nix);
  toolEnvOf = toolchain: nativeBuildInputs: runsScript: {
    inherit (darwin) env;
    PATH = builtins.concatStringsSep ":"
      (map (p: "${p}/bin") ([ tools.coreutils tools.bash tools.cc tools.gnutar tools.gzip toolchain ]
        ++ (if runsScript then stdenvTools else [ ])
        ++ builtins.concatMap (p: [ p ] ++ (if p ? dev then [ p.dev ] else [ ])) nativeBuildInputs));
    PKG_CONFIG_PATH = pkgConfigPath nativeBuildInputs;
    rustc = "${toolchain}/bin/rustc";
  };
  plainToolEnvs = builtins.mapAttrs (_: toolchain: {
    compile = toolEnvOf toolchain [ ] false;
    script = toolEnvOf toolchain [ ] true;
  }) toolchains;
  toolEnvFor = unit: override:
    let runsScript = unit.mode == "run-custom-build"; in
    if override.nativeBuildInputs == [ ] && plainToolEnvs ? ${unit.toolchain}
    then plainToolEnvs.${unit.toolchain}.${if runsScript then "script" else "compile"}
    else toolEnvOf (toolchainFor unit.toolchain) override.nativeBuildInputs runsScript;

  # Each file once: an `import` of a path outside the store costs more than the call (Nix 2.8 throws and
  # catches an exception deciding it is not a store path), and there are thousands of units.
  sourceOf = import ./source.nix;
  crateArchive = import ./crate-archive.nix;
  compile = import ./compile.nix;
  runBuildScript = import ./run-build-script.nix;
  compilerInfo = import ./compiler-info.nix;

  archives = builtins.mapAttrs (_: pkg: if pkg.source.kind == "crate" then crateArchive pkg else null) d.packages;
  sources = builtins.mapAttrs (k: pkg: sourceOf { inherit system tools root pkg; archive = archives.${k}; }) d.packages;
  # CARGO_PKG_* once per package, not once per unit.
  pkgEnvs = builtins.mapAttrs (_: pkg:
    builtins.listToAttrs (map (k: { name = "CARGO_PKG_${k}"; value = pkg.env.${k}; }) (builtins.attrNames pkg.env)))
    d.packages;

  # One compiler-info derivation per toolchain, target and rustflags that build scripts run for.
  compilerInfoKey = unit: "${unit.toolchain} ${toString unit.target} ${builtins.concatStringsSep "\n" unit.rustflags}";
  compilerInfos = builtins.listToAttrs (map (unit: {
    name = compilerInfoKey unit;
    value = compilerInfo {
      inherit system tools;
      toolEnv = toolEnvFor unit noOverride;
      target = if unit.target == null then "" else unit.target;
      inherit (unit) rustflags;
    };
  }) (builtins.filter (unit: unit.mode == "run-custom-build") (builtins.attrValues d.units)));

  mkUnit = key: unit:
    let
      args = unitArgs key unit;
    in
    if unit.mode == "run-custom-build" then
      runBuildScript (args // {
        # null when .cargo/config.toml overrides the script: unit.buildScriptOutput is its output.
        buildScript = if unit.buildScript == null then null else units.${unit.buildScript};
        compilerInfo = compilerInfos.${compilerInfoKey unit};
        linksDeps = map (k: { links = d.packages.${d.units.${k}.package}.links; run = units.${k}; }) unit.linksDeps;
      })
    else
      let
        # An integration test's binaries (CARGO_BIN_EXE_*, see test.nix) are not externs; only units of
        # mode `test` have such dependencies.
        libDeps = if unit.mode != "test" then unit.deps
          else builtins.filter (dep: !(builtins.elem "bin" d.units.${dep.unit}.kind)) unit.deps;
        compiled = compileOf args unit libDeps (if isPipelined key then "full" else "") false;
      in
      if unit.mode == "test" then tests.compile key unit compiled
      else if unit.mode == "doctest" then tests.doctest key unit compiled
      else compiled;

  units = builtins.mapAttrs mkUnit d.units;

  # A compile (args: mkUnit's) of `unit` whose externs are `libDeps`; `part`: see compile.nix's `pipeline`.
  # A unit that does not link compiles against its pipelined dependencies' metadata, unless `full` (the
  # clippy and doc checks' view of it: they source compile.sh itself, which looks for rlibs).
  compileOf = args: unit: libDeps: part: full:
    let
      metaExterns = pipelining && !full && !(linksUpstream unit) && builtins.any (dep: isPipelined dep.unit) libDeps;
      depDrv = dep: if metaExterns && isPipelined dep.unit then metas.${dep.unit} else units.${dep.unit};
      fullLibs = if pipelining && linksUpstream unit then fullLibsOf unit else [ ];
    in
    compile (args // {
      # Only the direct dependencies: the transitive ones are found at build time (deps.sh).
      externs = map (dep: "${dep.extern}=${depDrv dep}") libDeps;
      buildScriptRun = if unit.buildScriptRun == null then null else units.${unit.buildScriptRun};
      pipeline = if part == "" && fullLibs == [ ] && !metaExterns then null else { inherit part fullLibs; };
    });
  unitArgs = key: unit:
    let
      pkg = d.packages.${unit.package};
      override = overrideFor unit pkg;
    in {
      inherit system tools unit pkg override;
      pkgEnv = pkgEnvs.${unit.package};
      toolEnv = toolEnvFor unit override;
      # A compile of a registry crate unpacks the archive itself (compile.sh); a build-script run keeps
      # the unpacked tree, as its instructions may name files in it that later builds read.
      src = if unit.mode != "run-custom-build" && archives.${unit.package} != null
        then archives.${unit.package} else sources.${unit.package};
    };
  # The metadata derivations of the pipelined libraries.
  metas = builtins.mapAttrs (key: unit:
    if unit.pipelined or false then compileOf (unitArgs key unit) unit unit.deps "metadata" false else null) d.units;
  # What the clippy and doc checks read (compile.nix's attributes): externs that hold an rlib.
  checkUnits = if !pipelining then units else builtins.mapAttrs (key: unit:
    if unit.mode == "build" && !(linksUpstream unit) && builtins.any (dep: isPipelined dep.unit) unit.deps
    then compileOf (unitArgs key unit) unit unit.deps (if isPipelined key then "full" else "") true
    else units.${key}) d.units;

  join = name: paths: import ./join.nix { inherit system tools name paths; };

  tests = import ./test.nix { inherit system tools d units sources; };
  lints = import ./clippy.nix { inherit system tools d clippy clippyArgs; units = checkUnits; };
  docs = import ./doc.nix { inherit system tools d; units = checkUnits; };
  checkOf = name: c:
    if c.kind == "test" then tests.check name c
    else if c.kind == "clippy" then lints.check name c
    else if c.kind == "doc" then docs.check name c
    else throw "crateflake: check ${name} has unknown kind ${c.kind}";
  checks = builtins.mapAttrs checkOf (d.checks or { });
  outputs = builtins.mapAttrs (name: o: join name (map (k: units.${k}) o.roots)) d.outputs;
in
assert version && fresh;
{
  inherit units sources outputs checks;
  # Pipelined libraries' metadata derivations (null for the other units).
  inherit metas;
  all = join "all" (builtins.attrValues outputs);
  shell = import ./shell.nix {
    inherit system tools toolchains toolchainFor pkgConfigPath;
    inherit (d) outputs;
    darwinEnv = darwin.env;
    # The crate overrides of every unit in the graph (tests' included): what cargo builds in the shell.
    overrides = map (unit: overrideFor unit d.packages.${unit.package}) (builtins.attrValues d.units);
  };
} // (if checks ? doc then { inherit (checks) doc; } else { })
