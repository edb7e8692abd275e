"""Round trip on real cables: for every cable in a fixed sample whose verdict is not `block`,
redact it, write the copy, read it back and check it with the same policy. The copy must come
out releasable (nothing at or above `redact`): that is `check(redact(x))` exiting 0. And
what `check` reports it will remove (its plan, re-check included, rendered) must be what the
copy removes, letter for letter (issue 13).

    python benchmarks/roundtrip.py [--sample 200] [--corpus ../shared/corpus]

The sample is the first N cables in sha1(file name) order: fixed, and unrelated to content.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from redactor.atomic import write_all
from redactor.engine import Engine
from redactor.errors import RedactorError
from redactor.model import Action, Plan, Result, Span, Verdict
from redactor.policy import load_policy
from redactor.release.copy import Pseudonyms, render_copy
from redactor.release.rounds import redact
from redactor.report.common import exit_code
from redactor.run import with_recheck

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def cables_in(corpus: Path) -> Path | None:
    """The corpus's cables folder, or None (having said so) when it is not there."""
    cables = corpus / "cables"
    if not cables.is_dir():
        print(f"corpus not found at {cables}; pass --corpus", file=sys.stderr)
        return None
    return cables


def sample(cables: Path, size: int) -> list[Path]:
    files = sorted(cables.glob("*.txt"), key=lambda p: hashlib.sha1(p.name.encode()).hexdigest())
    return files[:size]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    cables = cables_in(args.corpus)
    if cables is None:
        return 2
    files = sample(cables, args.sample)
    presidio_seconds = plain_presidio_seconds(files)
    engine = Engine(load_policy())
    check_started = time.perf_counter()
    for path in files:
        engine.check(engine.read(path))
    check_seconds = time.perf_counter() - check_started
    verdicts: Counter[str] = Counter()
    failures: list[str] = []
    rounds: Counter[int] = Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            outcome = round_trip(engine, path, Path(tmp))
            verdicts[outcome[0]] += 1
            if outcome[1]:
                rounds[outcome[1]] += 1
            if outcome[2]:
                failures.append(f"{path.stem}: {outcome[2]}")
    elapsed = time.perf_counter() - started
    redacted = sum(rounds.values())
    print(f"cables: {sum(verdicts.values())} ({args.sample} requested), {elapsed:.1f} s")
    counts = ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items()))
    print(f"verdicts of the originals: {counts}")
    print(f"redacted and re-checked: {redacted}; re-check exit 0 and the check report's "
          f"removals equal to the copy's: {redacted - len(failures)}; failed: {len(failures)}")
    print("redaction rounds needed: " + ", ".join(f"{r}: {n}" for r, n in sorted(rounds.items())))
    for failure in failures:
        print("  FAILED", failure)
    n = len(files)
    print(f"speed on the same {n} cables, one process: plain Presidio analyze() "
          f"{n / presidio_seconds:.1f} docs/s; redactor check {n / check_seconds:.1f} docs/s")
    return 1 if failures else 0


def plain_presidio_seconds(files: list[Path]) -> float:
    """Plain Presidio on the same files: AnalyzerEngine on the same model, PERSON only."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from redactor.policy.model import DEFAULT_MODEL

    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": DEFAULT_MODEL}]}
    analyzer = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config)
                              .create_engine())
    started = time.perf_counter()
    for path in files:
        analyzer.analyze(text=path.read_text("utf-8"), language="en", entities=["PERSON"])
    return time.perf_counter() - started


def round_trip(engine: Engine, path: Path, tmp: Path) -> tuple[str, int, str]:
    """(verdict of the original, rounds used, failure or '')."""
    plan = engine.check(engine.read(path))
    reported = _removed(engine, with_recheck(engine, plan))
    if plan.verdict is Verdict.BLOCK:
        return plan.verdict.value, 0, ""
    try:
        redaction = redact(engine, plan)
    except RedactorError as error:
        return plan.verdict.value, 0, f"redact refused: {error.message}"
    copy = tmp / f"{path.stem}.public.txt"
    write_all({copy: redaction.data})
    recheck = engine.check(engine.read(copy))
    code = exit_code([Result(str(copy), plan=recheck)], Action.REDACT)
    failure = "" if code == 0 else f"re-check of the copy exits {code} ({recheck.verdict})"
    copy_removed = _mask(len(plan.document.text),
                         [r.span for r in redaction.rendered.removals])
    if not failure and copy_removed != reported:
        failure = "the copy removes other text than the check report says"
    return plan.verdict.value, redaction.rounds, failure


def _removed(engine: Engine, plan: Plan) -> bytearray:
    """The letters the plan's copy removes (as rendered), or none for a blocked plan."""
    text = plan.document.text
    if plan.verdict is Verdict.BLOCK:
        return bytearray(len(text))
    rendered = render_copy(plan, engine.policy, None, Pseudonyms())
    return _mask(len(text), [r.span for r in rendered.removals])


def _mask(length: int, spans: list[Span]) -> bytearray:
    mask = bytearray(length)
    for span in spans:
        mask[span.start:span.end] = b"\x01" * len(span)
    return mask


if __name__ == "__main__":
    sys.exit(main())
