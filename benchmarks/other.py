"""Other released documents against other/MANIFEST.csv: State FOIA e-mails (hrc_emails), JFK
records (jfk_records_2025) and CIA CREST records (cia_crest). For every document:

(a) its level against the classification words of the manifest's `markings` column (the
    highest of TOP SECRET, SECRET, CONFIDENTIAL, SBU/FOUO, UNCLASSIFIED; `none` without any);
(b) the FOIA release stamps of the manifest (RELEASE IN PART, RELEASE IN FULL, B1, B6) against
    the stamps redactor recognised, and that none of them is acted on (never a leak).

    python benchmarks/other.py [--corpus PATH] [--limit N] [--disagreements FILE]

No spaCy model is needed: entity detection is disabled, only the marking stages run. Corpus
text is never copied: the disagreement list names documents, levels and reasons only.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from redactor.engine import Engine
from redactor.model import Action, FindingKind, Plan
from redactor.policy import load_policy

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
DEFAULT_DISAGREEMENTS = Path("/tmp/redactor-other-disagreements.csv")
# Manifest marking → level; the expected level is the highest one present.
MANIFEST_LEVELS = {"UNCLASSIFIED": "unclassified", "SBU": "sbu", "FOUO": "sbu",
                   "CONFIDENTIAL": "confidential", "SECRET": "secret", "TOP SECRET": "top-secret"}
STAMPS = ("RELEASE IN PART", "RELEASE IN FULL", "B1", "B6")
FOIA_FLAG = "foia-review"
NONE = "none"
LEVELS = ("unclassified", "sbu", "confidential", "secret", "top-secret")


@dataclass
class Outcome:
    collection: str
    doc_id: str
    expected: str
    level: str  # the document level (banner, else the highest marking)
    reported: str  # the highest level found: markings, portion marks, a `Class:` field
    stamps_expected: set[str] = field(default_factory=set)
    stamps_found: set[str] = field(default_factory=set)
    stamps_acted_on: int = 0  # stamp findings with an action above allow: must stay 0
    reason: str = ""

    @property
    def agrees(self) -> bool:
        return self.expected == self.reported


def main() -> int:
    args = arguments()
    return run_other(args.corpus, args.limit, args.disagreements)


def run_other(corpus: Path, limit: int | None, disagreements: Path) -> int:
    """The comparison over corpus/other; also run by levels.py after the cables."""
    root = corpus / "other"
    manifest = root / "MANIFEST.csv"
    if not manifest.is_file():
        print(f"corpus not found: no {manifest}; pass --corpus PATH (the folder that holds "
              "other/MANIFEST.csv)", file=sys.stderr)
        return 2
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    policy = load_policy()
    engine = Engine.markings_only(policy)
    outcomes: list[Outcome] = []
    seconds: Counter[str] = Counter()
    for row in rows:
        started = time.perf_counter()
        plan = engine.check(engine.read(root / row["path"]))
        seconds[row["collection"]] += time.perf_counter() - started
        outcomes.append(compare(plan, row, policy.highest))
    report(outcomes, seconds)
    write_disagreements(disagreements, outcomes)
    print(f"\ndisagreements written to {disagreements}")
    return 0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the corpus folder holding other/ (default: ../shared/corpus)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--disagreements", type=Path, default=DEFAULT_DISAGREEMENTS,
                        help=f"CSV of the disagreements (default {DEFAULT_DISAGREEMENTS})")
    return parser.parse_args()


def expected_level(markings: list[str]) -> str:
    found = [MANIFEST_LEVELS[m] for m in markings if m in MANIFEST_LEVELS]
    return max(found, key=LEVELS.index) if found else NONE


def compare(plan: Plan, row: dict[str, str], highest: object) -> Outcome:
    markings = [m for m in row["markings"].split(";") if m]
    authority = plan.parsed.authority
    class_level = (MANIFEST_LEVELS.get(authority.classification)
                   if authority and authority.classification else None)
    levels = [lv for lv in (plan.highest_level, class_level) if lv]
    reported = max(levels, key=LEVELS.index) if levels else NONE
    text = plan.document.text
    stamps = [f for f in plan.findings if FOIA_FLAG in f.flags]
    found = {s for s in STAMPS for f in stamps if _has(text[f.span.start:f.span.end], s)}
    acted = sum(1 for d in plan.decisions
                if FOIA_FLAG in d.finding.flags and d.action.rank > Action.ALLOW.rank)
    outcome = Outcome(row["collection"], row["doc_id"], expected_level(markings),
                      plan.level or NONE, reported, {m for m in markings if m in STAMPS},
                      found, acted)
    if not outcome.agrees:
        outcome.reason = explain(plan, outcome)
    return outcome


def _has(piece: str, stamp: str) -> bool:
    if stamp.startswith("B"):
        return stamp in {part.strip() for part in piece.replace(",", " ").split()}
    return stamp in " ".join(piece.split())


def explain(plan: Plan, outcome: Outcome) -> str:
    """A short reason, from what was found, never the text."""
    marks = [f for f in plan.findings if f.kind in (FindingKind.MARKING, FindingKind.PORTION)
             and f.level is not None]
    if outcome.reported == NONE:
        return "no level marking found (banner not recognised or stamp only in the body)"
    if LEVELS.index(outcome.reported) < LEVELS.index(outcome.expected) \
            if outcome.expected != NONE else False:
        where = sorted({f"{f.label}@{f.where}" for f in marks})
        return f"lower than the manifest; found {', '.join(where) or 'nothing'}"
    where = sorted({f"{f.label}@{f.where}" for f in marks if f.level == outcome.reported})
    return f"higher than the manifest; set by {', '.join(where) or 'a Class: field'}"


# ------------------------------------------------------------------------- output

def report(outcomes: list[Outcome], seconds: Counter[str]) -> None:
    total = len(outcomes)
    print(f"documents compared: {total}")
    print("\n(a) level against the manifest's classification words "
          "(reported: the highest marking, portion mark or Class: field)")
    print(f"{'collection':<18}{'docs':>6}{'agree':>8}{'rate':>9}{'doc level agrees':>18}"
          f"{'docs/s':>9}")
    for collection in sorted({o.collection for o in outcomes}):
        group = [o for o in outcomes if o.collection == collection]
        agreed = sum(o.agrees for o in group)
        plain = sum(o.level == o.expected for o in group)
        rate = len(group) / seconds[collection] if seconds[collection] else 0.0
        print(f"{collection:<18}{len(group):>6}{agreed:>8}{percent(agreed, len(group)):>9}"
              f"{percent(plain, len(group)):>18}{rate:>9.1f}")
    agreed = sum(o.agrees for o in outcomes)
    elapsed = sum(seconds.values())
    print(f"{'all':<18}{total:>6}{agreed:>8}{percent(agreed, total):>9}"
          f"{percent(sum(o.level == o.expected for o in outcomes), total):>18}"
          f"{total / elapsed if elapsed else 0:>9.1f}")
    for collection in sorted({o.collection for o in outcomes}):
        print(f"\nconfusion, {collection} (rows: manifest, columns: reported)")
        print_confusion([o for o in outcomes if o.collection == collection])
    print("\n(b) FOIA release stamps: documents whose manifest lists the stamp, and how many of "
          "them redactor recognised")
    for stamp in STAMPS:
        having = [o for o in outcomes if stamp in o.stamps_expected]
        found = sum(stamp in o.stamps_found for o in having)
        extra = sum(1 for o in outcomes if stamp in o.stamps_found
                    and stamp not in o.stamps_expected)
        print(f"  {stamp:<16} {found}/{len(having)} = {percent(found, len(having))}"
              f"  (recognised where the manifest has none: {extra})")
    acted = sum(o.stamps_acted_on for o in outcomes)
    print(f"  stamp findings acted on (flag or stronger): {acted}")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "n/a"


def print_confusion(outcomes: list[Outcome]) -> None:
    counts = Counter((o.expected, o.reported) for o in outcomes)
    order = (*LEVELS, NONE)
    rows = [lv for lv in order if any(o.expected == lv for o in outcomes)]
    columns = [lv for lv in order if any(o.reported == lv for o in outcomes) or lv in rows]
    width = max(len(c) for c in [*columns, "manifest"]) + 2
    print("manifest".ljust(width) + "".join(c.rjust(width) for c in columns))
    for row in rows:
        print(row.ljust(width) + "".join(str(counts[(row, c)]).rjust(width) for c in columns))


def write_disagreements(path: Path, outcomes: list[Outcome]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["collection", "doc_id", "manifest", "reported", "document_level",
                         "reason", "stamps_missed"])
        for o in outcomes:
            missed = sorted(o.stamps_expected - o.stamps_found)
            if not o.agrees or missed:
                writer.writerow([o.collection, o.doc_id, o.expected, o.reported, o.level,
                                 o.reason, ";".join(missed)])


if __name__ == "__main__":
    sys.exit(main())
