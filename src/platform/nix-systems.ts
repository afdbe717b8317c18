/** The Nix systems a generated flake supports, and the rustc target triple each one builds natively. */
export const NIX_SYSTEMS: Record<string, string> = {
  "aarch64-darwin": "aarch64-apple-darwin",
  "aarch64-linux": "aarch64-unknown-linux-gnu",
  "x86_64-darwin": "x86_64-apple-darwin",
  "x86_64-linux": "x86_64-unknown-linux-gnu",
};
