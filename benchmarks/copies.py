"""What the release copies remove (issue 13): gold names left in them, removals of text that is
no one's name, and removals the check report does not show.

    python benchmarks/copies.py [--sample 500] [--jobs 2] [--corpus PATH]

Every copy is made exactly as `redactor redact` makes it (release.make_release, default policy),
and its removals are the spans the copy replaced, in the original.

1. Gold documents (gold/names/, in the parts of namescore.gold_part) that the policy lets be
   released redacted: a gold name mention *survives* unless every letter of it is removed.
   A removal *touches nothing* when it overlaps no gold mention and no not_persons/uncertain
   string, is no withheld portion, and is no e-mail address, number or other non-name entity.
2. The first N cables in sha1(file name) order that may be released redacted: removals whose
   text has no capital letter (an ordinary word in lower case, for a name removal), and
   removals glued by a hyphen to a longer word (`CAFTA` of `CAFTA-DR`), both counted for
   name (PERSON) removals only.
3. On both: removals in the copy that the redact and withhold findings of `check`'s report
   of the same document do not cover: what a reviewer who signs off on the check report has
   not seen, by the pass of `redact` that made them (its re-check of the copy, another
   spelling of a removal, or check's own pass).

Only counts and document ids are printed, never the corpus text, except with --show, which
lists the sample's lower-case and glued removals (to a terminal, never into the project).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from namescore import GOLD_PARTS, covered, form_mentions, gold_part, overlaps, string_spans

from redactor.engine import Engine
from redactor.errors import RedactorError
from redactor.model import Action, Plan, Verdict
from redactor.policy import load_policy
from redactor.release import make_release
from redactor.run import with_recheck

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
NAME_ENTITIES = frozenset({"PERSON"})
_ENGINE: Engine | None = None  # one per worker process


@dataclass(frozen=True)
class Removal:
    start: int
    end: int
    person: bool  # a PERSON removal (not a portion, marking, address or number)
    withheld: bool
    in_check: bool  # the check report has a redact/withhold finding with this span
    how: str  # same-text, recheck (a round's re-check of the copy) or pass (check's own)


@dataclass(frozen=True)
class Outcome:
    doc: str
    group: str  # a gold part, or "sample"
    blocked: bool = False
    error: str = ""
    text: str = ""
    removals: tuple[Removal, ...] = ()


@dataclass
class Counts:
    documents: int = 0
    blocked: int = 0
    errors: list[str] = field(default_factory=list)
    mentions: int = 0
    survived: int = 0
    survivors: Counter[str] = field(default_factory=Counter)  # document id -> mentions left
    removals: int = 0
    touching_nothing: int = 0
    lower_case: int = 0
    glued: int = 0
    not_in_check: int = 0
    not_in_check_by: Counter[str] = field(default_factory=Counter)
    shown: list[str] = field(default_factory=list)


def _start_worker() -> None:
    global _ENGINE
    _ENGINE = Engine(load_policy())


def release_removals(job: tuple[str, str, Path]) -> Outcome:
    doc, group, path = job
    assert _ENGINE is not None
    engine = _ENGINE
    try:
        plan = engine.check(engine.read(path))
        if plan.verdict is Verdict.BLOCK:
            return Outcome(doc, group, blocked=True)
        release = make_release(engine, plan, path.name, "2026-12-03")
    except RedactorError as error:
        return Outcome(doc, group, error=f"{doc}: {error.code}")
    reported = with_recheck(engine, plan)  # what `redactor check` reports
    return Outcome(doc, group, text=plan.document.text,
                   removals=tuple(_removals(reported, release.redaction.rendered.removals)))


def _removals(checked: Plan, removals: tuple) -> list[Removal]:  # type: ignore[type-arg]
    reported = bytearray(len(checked.document.text))
    for d in checked.decisions:
        if d.action in (Action.REDACT, Action.WITHHOLD) and d.allowed_by is None:
            reported[d.target.start:d.target.end] = b"\x01" * len(d.target)
    out = []
    for removal in removals:
        decision = removal.decision
        span = removal.span
        out.append(Removal(span.start, span.end,
                           person=decision.finding.entity_type in NAME_ENTITIES,
                           withheld=decision.action is Action.WITHHOLD,
                           in_check=all(reported[span.start:span.end]),
                           how=("same-text" if decision.finding.found_by == "same-text"
                                else "recheck" if decision.finding.rechecked else "pass")))
    return out


# A removal glued by a hyphen to a word it is not the whole of: `CAFTA` of `CAFTA-DR`.
def _glued(text: str, r: Removal) -> bool:
    before = text[max(0, r.start - 2):r.start]
    after = text[r.end:r.end + 2]
    return bool(re.fullmatch(r"\w-", before) or re.fullmatch(r"-\w", after))


def tally(counts: Counts, outcome: Outcome, gold: dict | None, show: bool) -> None:  # type: ignore[type-arg]
    counts.documents += 1
    if outcome.error:
        counts.errors.append(outcome.error)
        return
    if outcome.blocked:
        counts.blocked += 1
        return
    text, removals = outcome.text, outcome.removals
    counts.removals += len(removals)
    counts.not_in_check += sum(not r.in_check for r in removals)
    counts.not_in_check_by.update(r.how for r in removals if not r.in_check)
    removed = [(r.start, r.end) for r in removals]
    if gold is not None:
        forms = [form for person in gold["persons"] for form in person["forms"]]
        mentions = form_mentions(text, forms)
        neutral = string_spans(text, [*gold.get("not_persons", []), *gold.get("uncertain", [])])
        left = [m for m in mentions if not covered(text, m, removed)]
        counts.mentions += len(mentions)
        counts.survived += len(left)
        if left:
            counts.survivors[outcome.doc] += len(left)
        for r in removals:
            span = (r.start, r.end)
            if (not r.withheld and r.person and not any(overlaps(span, m) for m in mentions)
                    and not any(overlaps(span, n) for n in neutral)):
                counts.touching_nothing += 1
    for r in removals:
        if not r.person or r.withheld:
            continue
        surface = text[r.start:r.end]
        lower = any(c.isalpha() for c in surface) and not any(c.isupper() for c in surface)
        glued = _glued(text, r)
        counts.lower_case += lower
        counts.glued += glued
        if show and (lower or glued):
            context = text[max(0, r.start - 30):r.end + 30].replace("\n", " ")
            counts.shown.append(f"{outcome.doc}: {'lower' if lower else 'glued'} "
                                f"{surface!r} in …{context}…")


def gold_jobs(corpus: Path) -> tuple[list[tuple[str, str, Path]], dict[str, dict]]:  # type: ignore[type-arg]
    jobs, golds = [], {}
    for path in sorted((corpus / "gold" / "names").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        relative = gold.get("text") or f"cables/{gold['id']}.txt"
        jobs.append((gold["id"], gold_part(gold["id"], gold.get("text")), corpus / relative))
        golds[gold["id"]] = gold
    return jobs, golds


def sample_jobs(corpus: Path, size: int, skip: set[str]) -> list[tuple[str, str, Path]]:
    files = sorted((corpus / "cables").glob("*.txt"),
                   key=lambda p: hashlib.sha1(p.name.encode()).hexdigest())
    return [(p.stem, "sample", p) for p in files if p.stem not in skip][:size]


def print_counts(groups: dict[str, Counts]) -> None:
    print(f"{'set':<18} {'docs':>5} {'blocked':>7} {'mentions':>8} {'survived':>8} {'share':>6} "
          f"{'removals':>8} {'touch-none':>10} {'lower':>6} {'glued':>6} {'not-in-check':>12}")
    for name, c in groups.items():
        share = f"{c.survived / c.mentions:.1%}" if c.mentions else "-"
        gold = name != "sample"
        print(f"{name:<18} {c.documents:>5} {c.blocked:>7} {c.mentions if gold else '-':>8} "
              f"{c.survived if gold else '-':>8} {share:>6} {c.removals:>8} "
              f"{c.touching_nothing if gold else '-':>10} {c.lower_case:>6} {c.glued:>6} "
              f"{c.not_in_check:>12}")
    for name, c in groups.items():
        if c.not_in_check:
            print(f"{name}: not in check, by the pass that made them: " + ", ".join(
                f"{how} {n}" for how, n in sorted(c.not_in_check_by.items())))
    for name, c in groups.items():
        if c.survivors and name.startswith("tuning"):  # never list the validation part's
            print(f"{name}: names left in " + ", ".join(
                f"{doc} ({n})" for doc, n in c.survivors.most_common()))
        for error in c.errors:
            print(f"{name}: ERROR {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=500, help="cables in the sample (0: none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", action="store_true",
                        help="list the sample's lower-case and glued name removals")
    args = parser.parse_args()
    if not (args.corpus / "gold" / "names").is_dir():
        print(f"corpus not found at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    jobs, golds = gold_jobs(args.corpus)
    gold_cables = {doc for doc, _, path in jobs if path.parent.name == "cables"}
    jobs += sample_jobs(args.corpus, args.sample, gold_cables) if args.sample else []
    groups = {name: Counts() for name in (*GOLD_PARTS, "sample")}
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs, initializer=_start_worker) as pool:
        for outcome in pool.map(release_removals, jobs, chunksize=4):
            tally(groups[outcome.group], outcome, golds.get(outcome.doc)
                  if outcome.group != "sample" else None, args.show)
    elapsed = time.perf_counter() - started
    print(f"{len(jobs)} documents, {args.jobs} worker(s), {elapsed:.0f} s; default policy")
    print("survived: gold mentions not wholly removed from a copy; touch-none: name removals "
          "touching no gold mention or neutral string;\nlower: name removals with no capital "
          "letter; glued: name removals joined by a hyphen to a longer word;\nnot-in-check: "
          "removals of the copy that the check report's redact/withhold findings do not cover\n")
    print_counts(groups)
    for line in groups["sample"].shown:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
