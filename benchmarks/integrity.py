"""Redact and verify real documents: every copy `redact` would write must pass `verify`.

For each document: check it; if the policy blocks it, count it blocked; otherwise make the
release exactly as `redactor redact --log` does (copy and JSON log, written to a temporary
folder), read both back, and run `redactor verify`'s four checks (residue, recheck, layout,
log). Prints the counts of documents redacted, blocked, verified and failed, with the time.

    python benchmarks/integrity.py [--cables 1000] [--emails all] [--jobs 2] [--style label]

Cables are the first N in sha1(file name) order (fixed, unrelated to content); e-mails are all
of other/hrc_emails (or the first N in the same order). Failures name the document and the
check that failed, never the text.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from redactor.atomic import write_all
from redactor.engine import Engine
from redactor.errors import RedactorError
from redactor.model import Verdict
from redactor.policy import load_policy
from redactor.release import make_release
from redactor.release.verify import load_log, verify

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
_ENGINE: Engine | None = None  # one per worker process, built by _start_worker


def by_name_hash(files: list[Path], size: int | None) -> list[Path]:
    ordered = sorted(files, key=lambda p: hashlib.sha1(p.name.encode()).hexdigest())
    return ordered if size is None else ordered[:size]


def _start_worker(style: str | None) -> None:
    global _ENGINE
    policy = load_policy()
    if style:
        policy = replace(policy, output=replace(policy.output, style=style))
    _ENGINE = Engine(policy)


def release_and_verify(path: Path) -> tuple[str, str, str]:
    """(collection, outcome, detail): outcome is blocked, verified, failed or error."""
    assert _ENGINE is not None
    engine = _ENGINE
    collection = path.parent.name
    try:
        plan = engine.check(engine.read(path))
        if plan.verdict is Verdict.BLOCK:
            return collection, "blocked", ""
        with tempfile.TemporaryDirectory() as tmp:
            copy_path, log_path = Path(tmp) / path.name, Path(tmp) / "log.json"
            release = make_release(engine, plan, str(copy_path), "2026-11-27")
            write_all({copy_path: release.copy, log_path: release.log.encode("utf-8")})
            copy = engine.read(copy_path)
            result = verify(engine, plan.document, copy, copy_path.read_bytes(),
                            load_log(log_path, "log"))
    except RedactorError as error:
        return collection, "error", f"{path.name}: {error.code}: {error.message}"
    if result.ok:
        return collection, "verified", ""
    failed = [f"{c.name} ({'; '.join(c.problems) or c.detail})" for c in result.checks
              if not c.ok]
    return collection, "failed", f"{path.name}: {', '.join(failed)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cables", type=int, default=1000, help="how many cables (0: none)")
    parser.add_argument("--emails", default="all", help="how many e-mails: a number or 'all'")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--style", choices=["label", "blocks", "pseudonym"],
                        help="override the policy's output.style")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    cables_dir, emails_dir = args.corpus / "cables", args.corpus / "other" / "hrc_emails"
    if not cables_dir.is_dir() or not emails_dir.is_dir():
        print(f"corpus not found at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    emails = None if args.emails == "all" else int(args.emails)
    files = by_name_hash(list(cables_dir.glob("*.txt")), args.cables) if args.cables else []
    files += by_name_hash(list(emails_dir.rglob("*.txt")), emails)
    started = time.perf_counter()
    counts: Counter[tuple[str, str]] = Counter()
    problems: list[str] = []
    with ProcessPoolExecutor(args.jobs, initializer=_start_worker,
                             initargs=(args.style,)) as pool:
        for collection, outcome, detail in pool.map(release_and_verify, files, chunksize=8):
            collection = "cables" if collection == "cables" else "hrc_emails"
            counts[collection, outcome] += 1
            if detail:
                problems.append(f"{outcome.upper()} {detail}")
    elapsed = time.perf_counter() - started
    print(f"{len(files)} documents, {args.jobs} worker(s), {elapsed:.0f} s "
          f"({len(files) / elapsed:.2f} docs/s), style {args.style or 'from the policy'}")
    print(f"{'collection':<12} {'documents':>9} {'blocked':>8} {'redacted':>9} {'verified':>9} "
          f"{'failed':>7} {'errors':>7}")
    for collection in ("cables", "hrc_emails"):
        row = {o: counts[collection, o] for o in ("blocked", "verified", "failed", "error")}
        total = sum(row.values())
        if total:
            redacted = row["verified"] + row["failed"]
            print(f"{collection:<12} {total:>9} {row['blocked']:>8} {redacted:>9} "
                  f"{row['verified']:>9} {row['failed']:>7} {row['error']:>7}")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
