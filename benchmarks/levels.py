"""Document levels against the WikiLeaks manifest: for every cable, the level `redactor check`
reports (the highest marking found) is compared with MANIFEST.csv's `classification` column.

    python benchmarks/levels.py [--corpus PATH] [--limit N] [--disagreements FILE] [--cables-only]

Then, unless --cables-only, the same comparison over the other released documents
(benchmarks/other.py: FOIA e-mails, JFK records) against other/MANIFEST.csv.

No spaCy model is needed: entity detection is disabled, only the marking stages run. Corpus
text is never copied: the disagreement list names cables, levels and markings only.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from redactor.engine import Engine
from redactor.model import BlockKind, Finding, FindingKind, Plan
from redactor.policy import load_policy
from redactor.policy.model import Policy

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MANIFEST_LEVELS = {
    "UNCLASSIFIED": "unclassified",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": "sbu",
    "CONFIDENTIAL": "confidential",
    "CONFIDENTIAL//NOFORN": "confidential",
    "SECRET": "secret",
    "SECRET//NOFORN": "secret",
}
EXCLUDED = "UNKNOWN"
NONE = "none"
NO_LINE = "no classification line found"
MANIFEST_FAULT = "manifest disagrees with the body's classification line"
_LEVEL_KINDS = (FindingKind.MARKING, FindingKind.PORTION)


@dataclass(frozen=True)
class Outcome:
    cable: str
    manifest: str
    reported: str
    reason: str = ""
    detail: str = ""

    @property
    def agrees(self) -> bool:
        return self.manifest == self.reported


def main() -> int:
    args = arguments()
    cables = args.corpus / "cables"
    manifest_path = cables / "MANIFEST.csv"
    if not manifest_path.is_file():
        print(f"corpus not found: no {manifest_path}; pass --corpus PATH (the folder that holds "
              "cables/MANIFEST.csv)", file=sys.stderr)
        return 2
    manifest, excluded = read_manifest(manifest_path, args.limit)
    policy = load_policy()
    engine = Engine.markings_only(policy)
    started = time.perf_counter()
    outcomes = [compare(engine, cables / f"{cable}.txt", cable, level)
                for cable, level in manifest.items()]
    seconds = time.perf_counter() - started
    report(outcomes, excluded, seconds, policy.levels)
    if args.disagreements:
        write_disagreements(args.disagreements, outcomes)
    if not args.cables_only:
        from other import DEFAULT_DISAGREEMENTS, run_other  # benchmarks/ is on sys.path

        print("\n---- the other released documents (benchmarks/other.py) ----\n")
        return run_other(args.corpus, args.limit, DEFAULT_DISAGREEMENTS)
    return 0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the corpus folder holding cables/ (default: ../shared/corpus)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N cables")
    parser.add_argument("--disagreements", type=Path, default=None,
                        help="also write the disagreements to this CSV file")
    parser.add_argument("--cables-only", action="store_true",
                        help="skip the other released documents (../shared/corpus/other)")
    return parser.parse_args()


def read_manifest(path: Path, limit: int | None) -> tuple[dict[str, str], list[str]]:
    """Cable id → expected level, and the ids excluded (classification UNKNOWN)."""
    expected: dict[str, str] = {}
    excluded: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if limit is not None and len(expected) + len(excluded) >= limit:
                break
            if row["classification"] == EXCLUDED:
                excluded.append(row["id"])
            else:
                expected[row["id"]] = MANIFEST_LEVELS[row["classification"]]
    return expected, excluded


def compare(engine: Engine, path: Path, cable: str, manifest: str) -> Outcome:
    plan = engine.check(engine.read(path))
    reported = plan.level or NONE
    if reported == manifest:
        return Outcome(cable, manifest, reported)
    reason, detail = explain(plan, manifest, engine.policy)
    return Outcome(cable, manifest, reported, reason, detail)


# ------------------------------------------------------------------------- reasons

def explain(plan: Plan, manifest: str, policy: Policy) -> tuple[str, str]:
    """A short reason for a disagreement, derived from the findings, and its detail."""
    line = classification_line_level(plan, policy)
    found = level_findings(plan)
    header = policy.highest(f.level for f in found if f.where == "header")
    setters = [f for f in found if f.level == plan.level]
    notes = f"; header security line says {header}" if header and header != line else ""
    if plan.level is None:
        has_line = any(b.kind is BlockKind.BANNER for b in plan.parsed.blocks)
        reason = "classification line has no level" if has_line else NO_LINE
        return reason, f"layout {plan.parsed.layout}{notes}"
    if line is None:
        return NO_LINE, f"level set by {describe(setters)}{notes}"
    if line == plan.level:
        return MANIFEST_FAULT, f"classification line and captions say {line}{notes}"
    return "level differs from the classification line", f"line {line}; set by {describe(setters)}"


def level_findings(plan: Plan) -> list[Finding]:
    return [f for f in plan.findings if f.kind in _LEVEL_KINDS and f.level is not None]


def classification_line_level(plan: Plan, policy: Policy) -> str | None:
    """The level of the first classification line: banner and caption markings on it and on
    the caption lines under it (the SENSITIVE caption makes an UNCLAS cable SBU)."""
    banners = [b for b in plan.parsed.blocks if b.kind is BlockKind.BANNER]
    if not banners:
        return None
    first = banners[0].span.start
    head_ids = {b.id for b in plan.parsed.blocks
                if b.kind in (BlockKind.BANNER, BlockKind.CAPTION) and b.span.start >= first
                and (b.kind is BlockKind.CAPTION or b.span.start == first)}
    return policy.highest(f.level for f in level_findings(plan) if f.block_id in head_ids)


def describe(findings: Iterable[Finding]) -> str:
    seen = Counter(f"{f.label} ({f.where}{', ' + f.block_id if f.block_id else ''})"
                   for f in findings)
    parts = sorted(seen)
    more = f" and {len(parts) - 3} more" if len(parts) > 3 else ""
    return ", ".join(parts[:3]) + more


# ------------------------------------------------------------------------- output

def report(outcomes: list[Outcome], excluded: list[str], seconds: float,
           levels: tuple[str, ...]) -> None:
    total = len(outcomes)
    agreed = sum(o.agrees for o in outcomes)
    print(f"cables compared: {total}")
    if excluded:
        print(f"excluded (manifest classification {EXCLUDED}): {len(excluded)}: "
              f"{', '.join(excluded)}")
    print(f"agreement: {agreed}/{total} = {percent(agreed, total)}")
    reasons = Counter(o.reason for o in outcomes if not o.agrees)
    for reason, count in reasons.most_common():
        print(f"  disagreements where {reason}: {count}")
    print("plain Presidio: reads no markings, so it has no document level to compare")
    print(f"time: {seconds:.1f} s, {total / seconds if seconds else 0:.1f} cables/s")
    print()
    print_confusion(outcomes, levels)
    print()
    print_disagreements([o for o in outcomes if not o.agrees])


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "n/a"


def print_confusion(outcomes: list[Outcome], levels: tuple[str, ...]) -> None:
    counts = Counter((o.manifest, o.reported) for o in outcomes)
    rows = [lv for lv in levels if any(o.manifest == lv for o in outcomes)]
    columns = [lv for lv in levels if any(o.reported == lv for o in outcomes) or lv in rows]
    columns.append(NONE)
    width = max(len(c) for c in [*columns, "manifest \\ reported"]) + 2
    print("manifest \\ reported".ljust(width) + "".join(c.rjust(width) for c in columns))
    for row in rows:
        cells = "".join(str(counts[(row, c)]).rjust(width) for c in columns)
        print(row.ljust(width) + cells)


def print_disagreements(disagreements: list[Outcome]) -> None:
    print(f"disagreements: {len(disagreements)}")
    by_reason: dict[str, list[Outcome]] = {}
    for outcome in disagreements:
        by_reason.setdefault(outcome.reason, []).append(outcome)
    for reason, group in sorted(by_reason.items(), key=lambda item: -len(item[1])):
        print(f"\n  {reason} ({len(group)})")
        for o in group:
            print(f"    {o.cable}: manifest {o.manifest}, reported {o.reported}: {o.detail}")


def write_disagreements(path: Path, outcomes: list[Outcome]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "manifest", "reported", "reason", "detail"])
        for o in outcomes:
            if not o.agrees:
                writer.writerow([o.cable, o.manifest, o.reported, o.reason, o.detail])


if __name__ == "__main__":
    sys.exit(main())
