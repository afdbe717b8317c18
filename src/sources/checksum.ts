/** sha256 of bytes, and the comparison against Cargo.lock that every registry-like source performs. */
import { createHash } from "node:crypto";
import { UserError } from "../errors.ts";

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Throw a UserError unless `actual` equals the lockfile's checksum. `where` says what was hashed (a URL or
 * a path) so the user can look at it.
 */
export function verifyChecksum(
  pkg: { name: string; version: string },
  expected: string,
  actual: string,
  where: string,
): void {
  if (expected.toLowerCase() === actual.toLowerCase()) return;
  throw new UserError(
    `checksum mismatch for ${pkg.name} ${pkg.version}: Cargo.lock has ${expected}, but ${where} has ${actual}`,
  );
}
