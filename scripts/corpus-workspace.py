#!/usr/bin/env python3
"""Assemble a corpus application that upstream is a Cargo workspace (cargo: cargo, cargo-platform,
cargo-util, crates-io) from the separate crates Debian packages.

A published crate's Cargo.toml is normalized: path dependencies became registry ones, and the
[workspace] table is gone. This unpacks each member's newest .crate from the local registry into
MEMBERS_DIR/<name> beside the root package (already unpacked in APP_DIR), turns every dependency on a
member (in the root's and the members' manifests, any section: normal, build, dev, target-specific) back
into a path dependency next to its version requirement, and adds `[workspace] members = [...]` to the
root's manifest. So Cargo, and crateflake, see a multi-member workspace, as in cargo's own repository.

usage: corpus-workspace.py APP_DIR REGISTRY MEMBER...
"""

import re
import sys
import tarfile
from pathlib import Path

MEMBERS_DIR = "crates"
# `[dependencies.x]`, `[dev-dependencies.x]`, `[target."cfg(unix)".build-dependencies.x]`, ...
DEP_HEADER = re.compile(r'^\[(?:target\.(?:"[^"]*"|[^.\]]+)\.)?(?:dev-|build-)?dependencies\.("?)([^"\]]+)\1\]\s*$')
PACKAGE_KEY = re.compile(r'^package\s*=\s*"([^"]+)"\s*$')


def newest_crate(registry: Path, name: str) -> Path:
    def version(p: Path):
        v = p.name[len(name) + 1 : -len(".crate")]
        return [int(x) if x.isdigit() else x for x in re.split(r"[.+-]", v)]

    found = [p for p in registry.glob(f"{name}-*.crate") if re.fullmatch(rf"{re.escape(name)}-\d.*\.crate", p.name)]
    if not found:
        sys.exit(f"error: no {name}-*.crate in {registry}: add its librust-{name}-dev to scripts/corpus.sh")
    return max(found, key=version)


def unpack(crate: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    with tarfile.open(crate) as tar:
        for m in tar.getmembers():
            # strip the `<name>-<version>/` prefix
            m.name = m.name.split("/", 1)[1] if "/" in m.name else ""
            if m.name:
                tar.extract(m, dest)


def link_members(manifest: Path, members: dict, here: Path) -> None:
    """Add `path = ...` to each dependency table on a member (its own `package` key, if any, names it)."""
    lines = manifest.read_text().splitlines(keepends=True)
    out = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        m = DEP_HEADER.match(lines[i])
        i += 1
        if not m:
            continue
        body = []
        while i < len(lines) and not lines[i].startswith("["):
            body.append(lines[i])
            i += 1
        name = m.group(2)
        for b in body:
            pm = PACKAGE_KEY.match(b.strip())
            if pm:
                name = pm.group(1)
        if name in members:
            rel = Path(*[".."] * len(here.parts), members[name]) if here.parts else members[name]
            out.append(f'path = "{rel.as_posix()}"\n')
        out.extend(body)
    manifest.write_text("".join(out))


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    app, registry, names = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    members = {n: Path(MEMBERS_DIR, n) for n in names}
    for n, rel in members.items():
        unpack(newest_crate(registry, n), app / rel)
    link_members(app / "Cargo.toml", members, Path())
    for rel in members.values():
        link_members(app / rel / "Cargo.toml", members, rel)
    root = app / "Cargo.toml"
    listed = ", ".join(f'"{rel.as_posix()}"' for rel in members.values())
    root.write_text(root.read_text() + f"\n[workspace]\nmembers = [{listed}]\n")


if __name__ == "__main__":
    main()
