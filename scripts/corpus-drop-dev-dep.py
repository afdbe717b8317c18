#!/usr/bin/env python3
"""Remove a dev-dependency from a normalized (crates.io) Cargo.toml, for scripts/corpus.sh.

usage: corpus-drop-dev-dep.py CARGO_TOML NAME
Drops the `[dev-dependencies.NAME]` and `[target.X.dev-dependencies.NAME]` tables (the form `cargo
package` writes). Exit 1 when NAME is no dev-dependency there: a missing normal dependency is an error.
"""
import re, sys

path, name = sys.argv[1], sys.argv[2]
header = re.compile(r'^\[(target\.[^\]]*\.)?dev-dependencies\.("?)' + re.escape(name) + r'\2\]\s*$')
out, skipping, dropped = [], False, False
for line in open(path).read().split("\n"):
    if line.startswith("["):
        skipping = bool(header.match(line))
        dropped |= skipping
    if not skipping:
        out.append(line)
if not dropped:
    sys.exit(1)
open(path, "w").write("\n".join(out))
