"""Snapshot every output redactor writes for a corpus, so that two versions can be compared
byte for byte (`diff -r OLD NEW`): a refactor that must not change behaviour is proved by an
empty diff.

    python benchmarks/snapshot.py OUT [--corpus PATH] [--cables N] [--emails N] [--jobs 2]
                                      [--parts reports,copies]

Only the command line is used (`python -m redactor …`), the contract that stays the same
across versions, so the same script snapshots an old checkout and a new one:

- reports: `check cables/` and `check other/` as JSON, uncached (every document checked by the
  pipeline), then the same runs answered from a cache filled by the first, as JSON, text with
  `--explain --show-text`, SARIF, JSON lines, JUnit, GitHub annotations and Markdown;
- copies: `redact` on the documents `benchmarks/integrity.py` releases (the first N cables in
  sha1(file name) order and the e-mails of other/hrc_emails), copied into OUT/input first,
  with logs and the CSV index, in `--jobs` parallel runs over parts of the folder.

Each command's exit code and standard error go to OUT/commands.txt. The snapshot holds corpus
text (reports with --show-text, copies): write it outside the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REPORT_FORMATS = ("json", "sarif", "jsonl", "junit", "github", "markdown")


def by_name_hash(files: list[Path], size: int | None) -> list[Path]:
    """The order integrity.py uses: sha1 of the file name."""
    ordered = sorted(files, key=lambda p: hashlib.sha1(p.name.encode()).hexdigest())
    return ordered if size is None else ordered[:size]


def run(out: Path, name: str, args: list[str], cwd: Path) -> None:
    """Run `python -m redactor ARGS` in `cwd`; record its exit code and stderr."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "redactor", *args], cwd=cwd,
                          capture_output=True, env={**os.environ, "CI": "true"})
    elapsed = time.perf_counter() - started
    (out / "stdout").mkdir(exist_ok=True)
    (out / "stdout" / f"{name}.txt").write_bytes(done.stdout)
    with (out / "commands.txt").open("a", encoding="utf-8") as record:
        record.write(f"## {name}: exit {done.returncode}\n")
        record.write(done.stderr.decode("utf-8", "backslashreplace"))
    print(f"{name}: exit {done.returncode}, {elapsed:.0f} s", flush=True)


def reports(out: Path, corpus: Path, jobs: int) -> None:
    """JSON reports uncached, then every format from the cache the first runs filled."""
    folder = out / "reports"
    folder.mkdir(parents=True)
    for part in ("cables", "other"):
        cache = out / "cache" / part
        run(out, f"{part}-json-fresh", ["check", str(corpus / part), "--format", "json",
                                        "-o", str(folder / f"{part}.fresh.json"),
                                        "--jobs", str(jobs), "--cache-dir", str(cache)], out)
        for fmt in REPORT_FORMATS:
            run(out, f"{part}-{fmt}-cached",
                ["check", str(corpus / part), "--format", fmt,
                 "-o", str(folder / f"{part}.cached.{fmt}"), "--cache-dir", str(cache)], out)
        run(out, f"{part}-text-explain",
            ["check", str(corpus / part), "--explain", "--show-text",
             "-o", str(folder / f"{part}.cached.explain.txt"), "--cache-dir", str(cache)], out)
    shutil.rmtree(out / "cache")  # its entries depend on the tool's own source


def copies(out: Path, corpus: Path, cables: int, emails: int | None, jobs: int) -> None:
    """`redact` on the integrity benchmark's documents, in `jobs` parallel parts."""
    files = by_name_hash(list((corpus / "cables").glob("*.txt")), cables) if cables else []
    files += by_name_hash(list((corpus / "other" / "hrc_emails").rglob("*.txt")), emails)
    parts = [out / "input" / f"part{i}" for i in range(jobs)]
    for i, source in enumerate(files):
        target = parts[i % jobs] / source.parent.name / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (out / "copies").mkdir()

    def redact(part: Path) -> None:
        relative = part.relative_to(out)
        run(out, f"redact-{part.name}",
            ["redact", str(relative), "-o", f"copies/{part.name}", "--log", f"logs/{part.name}",
             "--log-csv", f"copies/{part.name}.csv", "--release-date", "2026-11-27"], out)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(redact, parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a new folder, outside the repository")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--cables", type=int, default=1000, help="cables to redact")
    parser.add_argument("--emails", default="all", help="e-mails to redact: a number or 'all'")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--parts", default="reports,copies")
    args = parser.parse_args()
    if not (args.corpus / "cables").is_dir():
        print(f"corpus not found at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    if args.out.exists():
        print(f"{args.out} exists; give a new folder", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True)
    parts = set(args.parts.split(","))
    if "reports" in parts:
        reports(args.out, args.corpus.resolve(), args.jobs)
    if "copies" in parts:
        emails = None if args.emails == "all" else int(args.emails)
        copies(args.out, args.corpus.resolve(), args.cables, emails, args.jobs)
    print(f"snapshot in {args.out}; compare two with: diff -r OLD NEW")
    return 0


if __name__ == "__main__":
    sys.exit(main())
