/** Every command of the CLI; each file registers one. */
import type { Command } from "commander";

export type Register = (program: Command) => void;

export const commands: Register[] = [];
