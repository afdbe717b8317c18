# Tests as derivations (`cargo test`): the units of a `test` check (see src/nix/data.ts, NixCheck).
# - `compile`: a unit of mode `test`, compiled by compile.nix's derivation with rustc `--test`
#   (builder: test-compile.sh): $out/bin/<target name>. Its package's binaries (integration tests
#   depend on them) are not externs but CARGO_BIN_EXE_<name>, as Cargo sets them.
# - `doctest`: a unit of mode `doctest`: `rustdoc --test` of the lib, run while building (doctest.sh).
# - `run`: a compiled harness run in its own derivation (test-run.sh), so a failing test fails it.
# - `check`: a test check: every run, doctest and example of the package; $out/test.log gathers their logs.
# A check's runs and doctests are laid out as under Cargo: the workspace root (the check's `dir` says where
# the package root lies in it) with target/<profile>/ holding the package's binaries, and each harness
# running as target/<profile>/deps/<crate>-<metadata> (many suites find the binaries from
# `current_exe()`); the check's `testArgs` are given to every harness and doctest (`cargo test -- ARGS`).
{ system, tools, d, units, sources }:
let
  isBin = k: builtins.elem "bin" d.units.${k}.kind;
  pkgEnv = pkg: builtins.listToAttrs (map (k: { name = "CARGO_PKG_${k}"; value = pkg.env.${k}; }) (builtins.attrNames pkg.env));

  compile = key: unit: c:
    let bins = builtins.filter isBin (map (dep: dep.unit) unit.deps); in
    derivation (c.drvAttrs // {
      name = "rust-${d.packages.${unit.package}.name}-${d.packages.${unit.package}.version}-test-${unit.targetName}";
      args = [ "-e" ./test-compile.sh ];
      compileSh = ./compile.sh;
      unitKind = "bin";
      binName = unit.targetName;
      harness = if unit.harness or true then "1" else "0";
      # Cargo's directory for integration tests' scratch files; relative, so it is the package root's
      # target/tmp where test-run.sh runs the harness.
      CARGO_TARGET_TMPDIR = "target/tmp";
      # Its run (test-run.sh) finds the build-script runs of the harness and its dependencies from these.
      recordDeps = "1";
    } // builtins.listToAttrs (map (k: {
      name = "CARGO_BIN_EXE_${d.units.${k}.targetName}";
      value = "${units.${k}}/bin/${d.units.${k}.targetName}";
    }) bins));

  doctest = key: unit: c:
    derivation (c.drvAttrs // {
      name = "rust-${d.packages.${unit.package}.name}-${d.packages.${unit.package}.version}-doctest";
      args = [ "-e" ./doctest.sh ];
      compileSh = ./compile.sh;
      rustdocArgsSh = ./rustdoc-args.sh;
      testFailuresSh = ./test-failures.sh;
      recordDeps = "";
      # A check's run sets these (doctestRun below).
      workspaceDir = "";
      testArgs = "";
    });

  # Cargo's directory of a profile's outputs under target/.
  profileDir = name: if name == "dev" || name == "test" then "debug"
    else if name == "bench" then "release" else name;
  lines = builtins.concatStringsSep "\n";

  # A harness run, in the layout of check `c` among the binaries `bins` (unit keys).
  run = checkName: c: bins: key:
    let
      unit = d.units.${key};
      pkg = d.packages.${unit.package};
    in
    derivation (pkgEnv pkg // {
      name = "rust-${pkg.name}-${pkg.version}-test-${unit.targetName}-run";
      inherit system;
      builder = "${tools.bash}/bin/bash";
      args = [ "-e" ./test-run.sh ];
      PATH = "${tools.coreutils}/bin:${tools.bash}/bin";
      testFailuresSh = ./test-failures.sh;
      src = sources.${unit.package};
      exe = "${units.${key}}/bin/${unit.targetName}";
      # Cargo's file name in target/<profile>/deps/.
      exeName = "${unit.crateName}-${unit.metadata}";
      profileDir = profileDir unit.profile.name;
      workspaceDir = c.dir or "";
      # NAME=PATH lines: target/<profile>/NAME and CARGO_BIN_EXE_NAME.
      bins = lines (map (k: "${d.units.${k}.targetName}=${units.${k}}/bin/${d.units.${k}.targetName}") bins);
      testName = "${unit.targetName} (${builtins.concatStringsSep "," unit.kind} of ${pkg.name})";
      # Named in the line a failure prints last (test-failures.sh).
      inherit checkName;
      testArgs = lines (c.testArgs or [ ]);
      # The build-script runs of the harness and its dependencies (walked from the harness's records,
      # deps.sh): their rustc-link-search paths are where native libraries are found at run time (Cargo
      # sets the dynamic library path likewise).
      harness = units.${key};
      depsSh = ./deps.sh;
    });

  # A doctest unit run from the check's workspace root, with its arguments, naming the check in the line
  # a failure prints last.
  doctestRun = checkName: c: key:
    derivation (units.${key}.drvAttrs // {
      inherit checkName;
      workspaceDir = c.dir or "";
      testArgs = lines (c.testArgs or [ ]);
    });

  check = name: c:
    let
      tests = builtins.filter (k: d.units.${k}.mode == "test") c.roots;
      # The package's binaries the harnesses depend on: Cargo builds them into target/<profile>/.
      bins = builtins.attrNames (builtins.listToAttrs (map (k: { name = k; value = null; })
        (builtins.concatMap (k: builtins.filter isBin (map (dep: dep.unit) d.units.${k}.deps)) tests)));
      # What a root stands for: a harness's run, a doctest's run, or a built example.
      rootDrv = key: let mode = d.units.${key}.mode; in
        if mode == "test" then run name c bins key
        else if mode == "doctest" then doctestRun name c key
        else units.${key};
      drvs = map rootDrv c.roots;
    in
    derivation {
      name = "crateflake-check-${name}";
      inherit system;
      builder = "${tools.bash}/bin/bash";
      PATH = "${tools.coreutils}/bin";
      results = builtins.concatStringsSep " " (map toString drvs);
      args = [ "-euc" ''
        mkdir -p "$out"
        for r in $results; do
          if [ -e "$r/test.log" ]; then printf '== %s\n' "$r" >>"$out/test.log"; cat "$r/test.log" >>"$out/test.log"; fi
        done
        touch "$out/test.log"
        true # not an exec'd coreutil last (see clippy.nix)
      '' ];
    };
in
{ inherit compile doctest check; }
