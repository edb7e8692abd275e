"""Marking validation on real cables: how many cables each validation fires on, by the level it
reports, and the rule and action the policy gives it.

    python benchmarks/validation.py [--corpus PATH] [--policy NAME|FILE] [--examples N]

No spaCy model is needed: entity detection is disabled, only the marking stages run. Corpus
text is never printed: examples are cable names only.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from redactor.detect.validation import VALIDATIONS
from redactor.engine import Engine
from redactor.model import FindingKind
from redactor.policy import load_policy

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--policy", default=None)
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    cables = sorted((args.corpus / "cables").glob("*.txt"))
    if not cables:
        print(f"corpus not found at {args.corpus / 'cables'}; pass --corpus", file=sys.stderr)
        return 2
    policy = load_policy(args.policy)
    engine = Engine.markings_only(policy)
    labels: Counter[str] = Counter()
    levels: Counter[tuple[str, str | None]] = Counter()
    rules: Counter[tuple[str, str]] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    started = time.perf_counter()
    for path in cables:
        plan = engine.check(engine.read(path))
        found = [f for f in plan.findings if f.kind is FindingKind.VALIDATION]
        for label in sorted({f.label for f in found}):
            labels[label] += 1
            if len(examples[label]) < args.examples:
                examples[label].append(path.stem)
        levels.update({(f.label, f.level) for f in found})
        rules.update({(d.rule, d.action.value) for d in plan.decisions
                      if d.finding.kind is FindingKind.VALIDATION})
    seconds = time.perf_counter() - started
    print(f"{len(cables)} cables, policy {policy.name}, {seconds:.1f} s")
    for label in VALIDATIONS:
        by_level = ", ".join(f"{level} {n}" for (lbl, level), n in
                             sorted(levels.items(), key=lambda kv: -kv[1]) if lbl == label)
        print(f"  {label:<28} {labels[label]:>5} cables  ({by_level or '-'})  "
              f"e.g. {' '.join(examples[label]) or '-'}")
    print("rules:")
    for (rule, action), n in rules.most_common():
        print(f"  {rule:<28} {action:<6} {n:>5} cables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
