/** Every command of the CLI; each file registers one. */
import type { Command } from "commander";
import { register as check } from "./check.ts";
import { register as generate } from "./generate.ts";
import { register as graph } from "./graph.ts";
import { register as init } from "./init.ts";
import { register as metadata } from "./metadata.ts";
import { register as plan } from "./plan.ts";
import { register as rebuilds } from "./rebuilds.ts";
import { register as why } from "./why.ts";

export type Register = (program: Command) => void;

export const commands: Register[] = [init, generate, check, metadata, plan, why, graph, rebuilds];
