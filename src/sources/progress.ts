/** A download progress bar on stderr, only when stderr is a terminal and the user did not ask for quiet. */
import { createRequire } from "node:module";

export interface Progress {
  /** One more item to do. */
  add(): void;
  /** One item done. */
  done(): void;
  stop(): void;
}

export function progressBar(label: string, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return { add() {}, done() {}, stop() {} };
  // Required here, not imported: it costs ~25 ms to load, and most runs show no bar.
  const { SingleBar } = createRequire(import.meta.url)("cli-progress") as typeof import("cli-progress");
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {value}/{total}`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let total = 0;
  let finished = 0;
  let started = false;
  return {
    add() {
      total++;
      if (!started) {
        bar.start(total, finished);
        started = true;
      } else bar.setTotal(total);
    },
    done() {
      finished++;
      bar.update(finished);
      if (finished === total) {
        bar.stop();
        started = false;
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
