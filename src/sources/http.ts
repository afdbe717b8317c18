/**
 * Getting bytes from a URL, with retries on transient failures (connection reset or refused mid-way,
 * timeouts, HTTP 5xx and 429), and `file://` read from disk. A 4xx other than 429 is final.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.ts";

export interface GetOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** Milliseconds before the first retry; doubles each time (default 200). */
  backoffMs?: number;
  /** Abort an attempt that takes longer (default 300 s). */
  timeoutMs?: number;
  /** Called with the bytes received so far, for progress. */
  onProgress?: (received: number, total: number | null) => void;
}

/** An HTTP status that retrying will not fix. */
export class HttpError extends UserError {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url} failed: HTTP ${status}${status === 404 ? " (not found)" : ""}`);
  }
}

export async function getBytes(url: string, opts: GetOptions = {}): Promise<Buffer> {
  if (url.startsWith("file://")) {
    const path = fileURLToPath(url);
    try {
      return await readFile(path);
    } catch (e) {
      throw new UserError(`cannot read ${url}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const attempts = opts.attempts ?? 4;
  let delay = opts.backoffMs ?? 200;
  let lastError = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await getOnce(url, opts);
    } catch (e) {
      if (e instanceof HttpError && !(e.status >= 500 || e.status === 429)) throw e;
      lastError = e instanceof HttpError ? `HTTP ${e.status}` : describe(e);
    }
    if (attempt < attempts) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
  throw new UserError(`GET ${url} failed after ${attempts} attempts: ${lastError}`);
}

async function getOnce(url: string, opts: GetOptions): Promise<Buffer> {
  const res = await fetch(url, {
    signal: AbortSignal.timeout(opts.timeoutMs ?? 300_000),
    redirect: "follow",
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpError(url, res.status);
  }
  const lengthHeader = res.headers.get("content-length");
  const total = lengthHeader ? Number(lengthHeader) : null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (res.body) {
    for await (const chunk of res.body) {
      chunks.push(chunk);
      received += chunk.length;
      opts.onProgress?.(received, total);
    }
  }
  // fetch does not always notice a connection closed early; a short body is a transient failure.
  if (total !== null && received !== total)
    throw new Error(`connection closed after ${received} of ${total} bytes`);
  return Buffer.concat(chunks);
}

function describe(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : err.message;
}
