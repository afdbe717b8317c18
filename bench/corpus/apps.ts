/**
 * The corpus's applications (issue 17): Debian 12's Rust programs shipped as crate sources, set up by
 * scripts/corpus.sh. Each program is run with the same arguments and inputs once as built by crateflake
 * and once as built by `cargo build --release`: `--version`, `--help` and at least one real task.
 */

import { capture } from "./pcap.ts";

export interface CorpusApp {
  /** The crate's name (Debian's package is librust-<name>-dev). */
  name: string;
  /** What the application brings that fixtures do not. */
  shape: string;
  /** Input files for the runs, written into their working directory. */
  files: Record<string, string | Buffer>;
  /** Per binary: the argument lists it is run with. */
  runs: Record<string, string[][]>;
  /** One of `files`, given as every run's stdin (pulldown-cmark reads markdown there). */
  stdin?: string;
}

/** 512 bytes of every value, then some text: what a hex viewer shows in all its colours. */
const bytes = Buffer.concat([
  Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256)),
  Buffer.from("crateflake corpus\n"),
]);

const rustSource = `/// A point.
#[repr(C)]
pub struct Point { pub x: i32, pub y: i32 }

#[no_mangle]
pub extern "C" fn norm(p: Point) -> i32 { p.x.abs() + p.y.abs() }

fn main() { println!("{}", norm(Point { x: 3, y: -4 })); }
`;

export const corpusApps: CorpusApp[] = [
  {
    name: "hexyl",
    shape: "small program, clap 2, build scripts",
    files: { "data.bin": bytes },
    runs: {
      hexyl: [
        ["--version"],
        ["--help"],
        ["data.bin"],
        ["--length", "64", "--skip", "32", "--border", "ascii", "data.bin"],
      ],
    },
  },
  {
    name: "cbindgen",
    shape: "proc-macro heavy (serde derive, syn full)",
    files: { "lib.rs": rustSource },
    runs: { cbindgen: [["--version"], ["--help"], ["--lang", "c", "lib.rs"], ["--lang", "c++", "lib.rs"]] },
  },
  {
    name: "bat",
    shape: "C code through -sys crates (oniguruma, libgit2, zlib)",
    files: { "main.rs": rustSource },
    runs: {
      bat: [
        ["--version"],
        ["--help"],
        ["--language", "rust", "--theme", "Monokai Extended", "--color=always", "--paging=never", "main.rs"],
        ["--list-languages"],
      ],
    },
  },
  {
    name: "cargo",
    shape: "the largest graph: curl, libgit2, openssl",
    files: {
      "fixture/Cargo.toml": '[package]\nname = "fixture"\nversion = "0.1.0"\nedition = "2021"\n',
      "fixture/src/lib.rs": "",
    },
    runs: {
      cargo: [
        ["--version"],
        ["--help"],
        ["metadata", "--offline", "--format-version", "1", "--manifest-path", "fixture/Cargo.toml"],
      ],
    },
  },
  {
    name: "pulldown-cmark",
    shape: "small program, getopts, a build script",
    files: {
      "doc.md":
        '# crateflake\n\nA *Cargo* project, "one derivation" per crate[^1].\n\n| crate | units |\n| --- | ---: |\n| hexyl | 4 |\n\n- [x] built\n- [ ] ~~tested~~\n\n```rust\nfn main() {}\n```\n\n[^1]: Built by rustc alone.\n',
    },
    stdin: "doc.md",
    runs: {
      "pulldown-cmark": [
        ["--help"],
        [],
        ["--enable-tables", "--enable-footnotes", "--enable-strikethrough", "--enable-tasklists", "-P"],
        ["--events", "-T"],
      ],
    },
  },
  {
    name: "xml-rs",
    shape: "no dependencies: one crate, a [[bin]] with its own path",
    files: {
      "doc.xml":
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- a corpus -->\n<corpus xmlns="urn:crateflake" xmlns:c="urn:cargo">\n  <app name="hexyl" c:crates="32"><![CDATA[<hex>]]></app>\n  <app name="bat">&amp; -sys crates</app>\n</corpus>\n',
      "bad.xml": "<corpus><app></corpus>\n",
    },
    runs: { "xml-analyze": [["doc.xml"], ["bad.xml"], ["missing.xml"]] },
  },
  {
    name: "sniffglue",
    shape: "libpcap and libseccomp through -sys crates, structopt derive",
    // Its seccomp filter (2022) kills it with SIGSYS on this system's glibc, under Cargo's build too: the
    // captures are read without it.
    files: { "capture.pcap": capture() },
    runs: {
      sniffglue: [
        ["--version"],
        ["--help"],
        ["--gen-completions", "bash"],
        ["--insecure-disable-seccomp", "-r", "capture.pcap"],
        ["--insecure-disable-seccomp", "-r", "-vvv", "--json", "capture.pcap"],
      ],
    },
  },
  {
    name: "filespooler",
    shape: "proc-macro heavy (clap 3 derive, serde derive, tracing)",
    files: { seq: "42\n", "queue/nextseq": "7\n", "queue/jobs/.keep": "" },
    runs: {
      fspl: [
        ["--version"],
        ["--help"],
        ["prepare", "--help"],
        ["prepare-get-next", "-s", "seq"],
        ["queue-get-next", "-q", "queue"],
        ["queue-ls", "-q", "queue"],
        ["queue-ls", "-q", "missing"],
      ],
    },
  },
];
