"""Names on the gold cables in each format they are published in, beside the same cables as
text (issue 15): how many gold name mentions `check` removes, and how many survive in the
release copy, read back by a reader independent of the format's own.

    python benchmarks/formats.py [--corpus PATH]

For each gold cable with a copy in formats/html/cables (more formats join as they are built):
- found: gold mentions (namescore.form_mentions in the document's text) every letter of
  which lies in a redact or withhold decision of check's plan (with redact's re-check rounds,
  as `redactor check` reports); blocked documents count too (their names are found or not).
- left in copies: for documents the policy lets be released redacted, the gold forms'
  word-bounded occurrences in everything a reader can extract from the copy (for HTML: the
  raw markup with entities decoded, which holds every text node, attribute and comment),
  over the gold mentions of the original.
Only counts are printed, never the corpus text.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from namescore import covered, form_mentions, gold_part

from redactor.engine import Engine
from redactor.errors import RedactorError
from redactor.model import Action, Verdict
from redactor.policy import load_policy
from redactor.release import make_release
from redactor.run import with_recheck

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@dataclass
class Tally:
    docs: int = 0
    mentions: int = 0
    found: int = 0
    released: int = 0
    released_mentions: int = 0
    left: int = 0
    errors: int = 0
    seconds: float = 0.0


def extracted(medium: str, copy: bytes) -> str:
    """All the text a reader can get out of a copy, by other means than the format's."""
    text = copy.decode("utf-8", "replace")
    return html.unescape(text) if medium == "html" else text


def measure(engine: Engine, path: Path, medium: str, forms: list[str], tally: Tally) -> None:
    started = time.perf_counter()
    try:
        plan = with_recheck(engine, engine.check(engine.read(path)))
        text = plan.document.text
        removed = [(d.target.start, d.target.end) for d in plan.decisions
                   if d.action in (Action.REDACT, Action.WITHHOLD) and d.allowed_by is None]
        mentions = form_mentions(text, forms)
        tally.docs += 1
        tally.mentions += len(mentions)
        tally.found += sum(covered(text, m, removed) for m in mentions)
        if plan.verdict is not Verdict.BLOCK:
            copy = extracted(medium, make_release(engine, plan, path.name, "2026-12-03").copy)
            tally.released += 1
            tally.released_mentions += len(mentions)
            tally.left += len(form_mentions(copy, forms))
    except RedactorError:
        tally.errors += 1
    tally.seconds += time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    pages = args.corpus / "formats" / "html" / "cables"
    if not pages.is_dir():
        print(f"no corpus formats at {pages}", file=sys.stderr)
        return 2
    engine = Engine(load_policy())
    results: dict[tuple[str, str], Tally] = {}
    for gold_path in sorted((args.corpus / "gold" / "names").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        page = pages / f"{gold['id']}.html"
        if not page.is_file():
            continue
        part = gold_part(gold["id"], gold.get("text"))
        forms = [f for person in gold["persons"] for f in person["forms"]]
        text = args.corpus / (gold.get("text") or f"cables/{gold['id']}.txt")
        for medium, path in (("txt", text), ("html", page)):
            measure(engine, path, medium, forms, results.setdefault((part, medium), Tally()))
    print(f"{'part':20} {'medium':6} {'docs':>4} {'mentions':>8} {'found':>6} {'recall':>6} "
          f"{'released':>8} {'left':>4} {'left %':>6} {'errors':>6} {'s/doc':>6}")
    for (part, medium), t in sorted(results.items()):
        recall = t.found / t.mentions if t.mentions else 0.0
        left = 100 * t.left / t.released_mentions if t.released_mentions else 0.0
        per_doc = t.seconds / max(t.docs, 1)
        print(f"{part:20} {medium:6} {t.docs:4} {t.mentions:8} {t.found:6} {recall:6.3f} "
              f"{t.released:8} {t.left:4} {left:6.1f} {t.errors:6} {per_doc:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
