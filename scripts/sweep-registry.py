#!/usr/bin/env python3
"""The sweep's local registry from ~1,500 crate source dirs: ../shared/rust/make-local-registry.py's
pack() and index_entry(), run on three processes, with each packed crate remembered in CACHE_DIR (its
index entry, by source dir name), so a rerun after a crash packs only what is new; a crate
that cannot be packed (a manifest today's cargo refuses, a dangling symlink in Debian's sources) is
skipped and named on stderr (SKIP) instead of ending the run.

usage: sweep-registry.py MAKE_LOCAL_REGISTRY OUT_DIR CACHE_DIR SRC_ROOT
"""
import importlib.util, json, os, sys
from multiprocessing import Pool

tool, out, cache, root = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("mlr", tool)
mlr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mlr)


def pack(name):
    memo = os.path.join(cache, name + ".json")
    if os.path.exists(memo):
        with open(memo) as f:
            done = json.load(f)
        if os.path.exists(os.path.join(out, f"{done['name']}-{done['vers']}.crate")):
            return done
    try:
        pkg, cksum = mlr.pack(os.path.join(root, name), out)
    except Exception as e:  # noqa: BLE001 - one bad crate must not end the sweep
        print(f"SKIP {name}: {str(e).strip().splitlines()[-1][:300] if str(e).strip() else type(e).__name__}",
              file=sys.stderr, flush=True)
        return None
    done = mlr.index_entry(pkg, cksum)
    with open(memo + ".tmp", "w") as f:
        json.dump(done, f)
    os.replace(memo + ".tmp", memo)
    return done


if __name__ == "__main__":
    os.makedirs(os.path.join(out, "index"), exist_ok=True)
    os.makedirs(cache, exist_ok=True)
    with Pool(3) as pool:
        packed = [d for d in pool.map(pack, sorted(os.listdir(root)), chunksize=4) if d]
    entries = {}
    for d in packed:
        entries.setdefault(d["name"], []).append(d)
    for name, es in entries.items():
        p = os.path.join(out, "index", mlr.index_path(name))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            for e in sorted(es, key=lambda e: e["vers"]):
                f.write(json.dumps(e, separators=(",", ":")) + "\n")
    print(f"local-registry {out}: {len(packed)} crates", file=sys.stderr)
