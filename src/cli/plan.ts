/** `crateflake plan`: the unit graph Cargo would build, as `cargo build --unit-graph` prints it. */
import { resolve } from "node:path";
import type { Command } from "commander";
import { loadProject } from "../cargo/load.ts";
import { planUnitGraph } from "../resolve/plan.ts";
import { hostPlanOptions } from "../resolve/platforms.ts";

const collect = (v: string, prev: string[]) => [...prev, v];

interface PlanFlags {
  manifestPath: string;
  package: string[];
  workspace?: boolean;
  target: string[];
  features: string[];
  allFeatures?: boolean;
  noDefaultFeatures?: boolean;
  tests?: boolean;
  release?: boolean;
  profile?: string;
  host?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command("plan")
    .description("Print the unit graph Cargo would build (the schema of `cargo build --unit-graph`)")
    .option("--manifest-path <PATH>", "path to Cargo.toml", "Cargo.toml")
    .option("-p, --package <SPEC>", "package to build (repeatable)", collect, [])
    .option("--workspace", "build every workspace member")
    .option("--target <TRIPLE>", "build for the target triple (repeatable)", collect, [])
    .option("-F, --features <FEATURES>", "features to activate (space or comma separated)", collect, [])
    .option("--all-features", "activate all features of the selected packages")
    .option("--no-default-features", "do not activate the `default` feature")
    .option("--tests", "the units of `cargo test --no-run` (tests, examples, doctests)")
    .option("-r, --release", "the release profile")
    .option("--profile <NAME>", "the profile to build with")
    .option("--host <TRIPLE>", "the build machine's triple (default: this machine)")
    .option("-q, --quiet", "no progress output")
    .action(async (flags: PlanFlags & { defaultFeatures?: boolean }) => {
      const manifestPath = resolve(flags.manifestPath);
      // One Cargo run: the environment's RUSTFLAGS count, as they would for cargo.
      const project = await loadProject(manifestPath, { quiet: flags.quiet ?? true, rustflagsFromEnv: true });
      const graph = planUnitGraph(project, {
        packages: flags.package,
        workspace: flags.workspace,
        // As cargo: without --target, `[build] target` of .cargo/config.toml.
        targets: flags.target.length > 0 ? flags.target : project.configTargets,
        features: flags.features,
        allFeatures: flags.allFeatures,
        // commander turns `--no-default-features` into `defaultFeatures: false`.
        noDefaultFeatures: flags.noDefaultFeatures ?? flags.defaultFeatures === false,
        tests: flags.tests,
        profile: flags.profile ?? (flags.release ? "release" : undefined),
        manifestPath,
        ...hostPlanOptions(flags.host),
      });
      process.stdout.write(`${JSON.stringify(graph)}\n`);
    });
}
