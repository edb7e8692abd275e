"""Entities: person names and other personal data, with presidio-analyzer on an offline spaCy model.

The analyzer is built once per process (loading the model takes a second or two) and reused for
every document. Nothing here opens a network connection: the spaCy model must be installed as a
package (Presidio would otherwise try to download it), and the e-mail recognizer's domain check
uses tldextract's bundled suffix list instead of fetching one.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from redactor.detect.addressees import addressee_lines, visitors
from redactor.detect.cues import initial_cues, title_cues
from redactor.detect.hyphenation import hyphenated_rests
from redactor.detect.lists import list_names
from redactor.detect.mailheaders import mail_header_names
from redactor.detect.modeltext import (
    CHUNK_CHARS,
    blank_out,
    chunks,
    clip_to_body,
    end_before_case_change,
    structural_spans,
    title_case_capital_lines,
    trim_to_word,
    visible_pieces,
)
from redactor.detect.propagation import propagate_names
from redactor.detect.signatures import signatures
from redactor.detect.votes import NOT_PERSON_LABELS, Votes
from redactor.detect.words import (
    NAME_WORD,
    WORD,
    abbreviation,
    after_place_prefix,
    headline_not_name,
    is_name_word,
    span_mask,
    titles_only,
)
from redactor.errors import RedactorError
from redactor.model import Finding, FindingKind, ParsedDocument, Span
from redactor.policy.model import Policy

MISSPELT_MIN_LETTERS = 6
# The capitalised word right after a name, on the same line.
_NEXT_WORD = re.compile(rf"[ \t]{{1,2}}({NAME_WORD})")
_PREVIOUS_WORD = re.compile(rf"(?<![^\W_])({NAME_WORD})[ \t]{{1,2}}$")


class EntityDetector:
    """Presidio's AnalyzerEngine for the policy's entity types, built once."""

    def __init__(self, policy: Policy, analyzer: object | None = None,
                 enabled: bool = True) -> None:
        self.types = policy.entity_types if enabled else ()
        self.thresholds = {e.type: e.threshold for e in policy.entities}
        self.deny = {e.type: _deny_regex(e.deny) for e in policy.entities if e.deny and enabled}
        self.misspellings = next((e.misspellings for e in policy.entities
                                  if e.type == "PERSON"), 0)
        if analyzer is None and self.types:
            analyzer = build_analyzer(policy.model)
        self.analyzer: Any = analyzer if self.types else None
        self._primed: dict[str, Any] = {}  # the model's output for texts given to `prime`

    @classmethod
    def disabled(cls, policy: Policy) -> EntityDetector:
        """A detector that finds nothing: for runs that only need the marking stages."""
        return cls(policy, enabled=False)

    def model_text(self, parsed: ParsedDocument, not_names: Iterable[Span] = ()) -> str:
        """What `detect` gives the model for this document (for `prime`)."""
        _, offices = addressee_lines(parsed)
        spans = [*structural_spans(parsed), *not_names, *offices]
        return title_case_capital_lines(blank_out(parsed.document.text, spans))

    def prime(self, texts: Iterable[str]) -> None:
        """Run the model over several documents' texts at once (spaCy's `nlp.pipe`, through
        Presidio's `process_batch`), keeping the results for `detect` until the next call.
        `detect` looks its pieces up by their exact text, so a text primed differently from
        what `detect` asks for is simply analysed again: priming changes speed, never results.
        Batches hold at most CHUNK_CHARS characters, the same memory bound as one document."""
        self._primed = {}
        if self.analyzer is None:
            return
        pieces = list(dict.fromkeys(
            text[start:end] for text in texts for start, end in chunks(text, CHUNK_CHARS)
            if text[start:end].strip()))
        batch: list[str] = []
        size = 0
        for piece in [*pieces, None]:
            if batch and (piece is None or size + len(piece) > CHUNK_CHARS):
                engine = self.analyzer.nlp_engine
                for done, artifacts in engine.process_batch(batch, "en", batch_size=len(batch)):
                    self._primed[done] = artifacts
                batch, size = [], 0
            if piece is not None:
                batch.append(piece)
                size += len(piece)

    def detect(self, parsed: ParsedDocument, not_names: Iterable[Span] = ()) -> list[Finding]:
        """Entities in the document; `not_names` (marking words, cue phrases) are hidden from
        the model and never propagated into."""
        if self.analyzer is None:
            return []
        addressed, offices = addressee_lines(parsed)
        not_names = [*not_names, *offices]
        text = blank_out(parsed.document.text, [*structural_spans(parsed), *not_names])
        # Names found elsewhere are still looked for in the E.O. and TAGS lines.
        structure = [*structural_spans(parsed, codes=False), *not_names]
        model_text = title_case_capital_lines(text)
        results, others = self._analyze(model_text)
        for result in results:
            result.end = end_before_case_change(text, result.start, result.end)
        votes = Votes(text, results, others)
        findings = list(self._model_findings(parsed, text, results, others, votes))
        findings.extend(self._denied(parsed, text, findings))
        if "PERSON" in self.types:
            findings.extend(signatures(parsed, findings))
            findings.extend(_new_persons(findings, addressed))
            findings.extend(_new_persons(findings, visitors(parsed)))
            findings = _taken_whole(findings, _new_persons(findings, mail_header_names(parsed)))
            findings.extend(_new_persons(findings, title_cues(parsed, text)))
            findings.extend(_new_persons(findings, initial_cues(parsed, text)))
        findings.extend(propagate_names(parsed, findings, structure, votes))
        if "PERSON" in self.types:
            listed = list(list_names(parsed, [f for f in findings if f.entity_type == "PERSON"],
                                     others))
            findings.extend(listed)
            findings.extend(propagate_names(parsed, findings, structure, votes, only=listed))
            findings.extend(self._misspellings(parsed, findings, structure, others))
            findings.extend(_new_persons(findings, hyphenated_rests(parsed, findings)))
        return findings

    def _misspellings(self, parsed: ParsedDocument, findings: list[Finding],
                      structure: list[Span], others: list[Span]) -> Iterator[Finding]:
        """A capitalised word one letter away from a name found in the document (`Thigalov`
        for `Zhigalov`), when it is no English word and nothing else to the model: a typo of
        the name leaks the name. Names and words shorter than MISSPELT_MIN_LETTERS letters
        are left alone: short words are too often one letter away from each other."""
        if not self.misspellings:
            return
        from rapidfuzz.distance import DamerauLevenshtein
        from rapidfuzz.process import extractOne

        text = parsed.document.text
        persons = [f for f in findings if f.entity_type == "PERSON"]
        names: dict[str, Finding] = {}
        for finding in persons:
            for word in WORD.findall(text[finding.span.start:finding.span.end]):
                if len(word) >= MISSPELT_MIN_LETTERS and is_name_word(word):
                    names.setdefault(word.casefold(), finding)
        if not names:
            return
        taken = span_mask(len(text), [*(f.span for f in persons), *structure])
        for match in WORD.finditer(text):
            word = match.group()
            if (len(word) < MISSPELT_MIN_LETTERS or not word[0].isupper()
                    or any(taken[match.start():match.end()])
                    or not self._bare_name(word, match.span(), others)):
                continue
            best = extractOne(word.casefold(), names.keys(), scorer=DamerauLevenshtein.distance,
                              score_cutoff=self.misspellings)
            if best is None:
                continue
            source = names[best[0]]
            block = parsed.block_at(match.start())
            line, _ = parsed.document.position(source.span.start)
            yield Finding(kind=FindingKind.ENTITY, label="PERSON",
                          span=Span(match.start(), match.end()),
                          block_id=block.id if block else None, score=0.5,
                          entity_type="PERSON", found_by="misspelling", source=source.span,
                          explanation=f"one letter away from the name found on line {line}")

    def _model_findings(self, parsed: ParsedDocument, text: str, results: list[Any],
                        others: list[Span], votes: Votes) -> Iterator[Finding]:
        """The model's results that hold up: above the type's threshold, inside one block, in
        pieces around hidden text (`JDOEMAN [AND] KRIVERTON`), and for persons, not a slip
        (titles or office shorthand alone, an abbreviation, a word more often a place)."""
        original = parsed.document.text
        for result in results:
            if result.score < self.thresholds.get(result.entity_type, 1.0):
                continue
            block = parsed.block_at(result.start)
            whole = clip_to_body(Span(result.start, result.end), block)
            for piece in visible_pieces(original, text, whole):
                span = trim_to_word(text, piece)
                if span is None or (result.entity_type == "PERSON" and
                                    (titles_only(text[span.start:span.end])
                                     or abbreviation(text, span)
                                     or headline_not_name(text[span.start:span.end])
                                     or _place_word(text, span)
                                     or votes.elsewhere_not_a_person(span))):
                    continue
                if result.entity_type == "PERSON":
                    span = self._with_surname(text, span, others)
                recognizer = (result.recognition_metadata or {}).get("recognizer_name",
                                                                     "presidio")
                yield Finding(
                    kind=FindingKind.ENTITY, label=result.entity_type, span=span,
                    block_id=block.id if block else None, score=round(float(result.score), 3),
                    entity_type=result.entity_type, explanation=f"found by {recognizer}",
                    found_by="model")

    def _with_surname(self, text: str, span: Span, others: list[Span]) -> Span:
        """Half a name leaks: a name the model cut short (`Ari-Pekka`, `Aung San Suu`,
        `Susanti`) takes the capitalised word right before or after it on its line, when
        that word is no English word and nothing else to the model (`Nikkola`, `Kyi`,
        `Susi`)."""
        after = _NEXT_WORD.match(text, span.end)
        if after is not None and self._bare_name(after.group(1), after.span(1), others):
            span = Span(span.start, after.end(1))
        line_start = text.rfind("\n", 0, span.start) + 1
        before = _PREVIOUS_WORD.search(text[line_start:span.start])
        if before is not None:
            start, end = line_start + before.start(1), line_start + before.end(1)
            if self._bare_name(before.group(1), (start, end), others):
                span = Span(start, span.end)
        return span

    def _bare_name(self, word: str, where: tuple[int, int], others: list[Span]) -> bool:
        vocab = self.analyzer.nlp_engine.nlp["en"].vocab
        return (is_name_word(word) and not vocab[word.casefold()].has_vector
                and not any(o.overlaps(Span(*where)) for o in others))

    def _denied(self, parsed: ParsedDocument, text: str,
                findings: list[Finding]) -> Iterator[Finding]:
        """Every occurrence of a deny-listed text, where the model did not already find it."""
        for entity_type, regex in self.deny.items():
            taken = [f.span for f in findings if f.entity_type == entity_type]
            for match in regex.finditer(text):
                span = Span(match.start(), match.end())
                if any(t.contains(span) for t in taken):
                    continue
                block = parsed.block_at(span.start)
                yield Finding(kind=FindingKind.ENTITY, label=entity_type, span=span,
                              block_id=block.id if block else None, score=1.0,
                              entity_type=entity_type, explanation="on the policy's deny-list",
                              found_by="deny-list")

    def _analyze(self, text: str) -> tuple[list[Any], list[Span]]:
        """Presidio's results over the whole text, and the spans the model labelled as anything
        but a person (places, organisations, nationalities, dates). The text is analysed in
        chunks that end at line breaks: the model's memory grows with what it reads at once."""
        threshold = min(self.thresholds.values())
        results: list[Any] = []
        others: list[Span] = []
        for start, end in chunks(text, CHUNK_CHARS):
            artifacts = self._primed.get(text[start:end])
            if artifacts is None:
                artifacts = self.analyzer.nlp_engine.process_text(text[start:end], "en")
            others.extend(Span(e.start_char + start, e.end_char + start)
                          for e in artifacts.entities if e.label_ in NOT_PERSON_LABELS)
            for result in self.analyzer.analyze(text=text[start:end], language="en",
                                                entities=list(self.types),
                                                score_threshold=threshold,
                                                nlp_artifacts=artifacts):
                result.start += start
                result.end += start
                results.append(result)
        return results, others


def _deny_regex(terms: tuple[str, ...]) -> re.Pattern[str]:
    """The terms, word-bounded, any case, any run of spaces or a line break between words."""
    forms = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in forms)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def build_analyzer(model: str) -> object:
    """Presidio's analyzer on an installed spaCy model; the expensive part, shared by policies."""
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    if not spacy.util.is_package(model):
        raise RedactorError("", f"the spaCy model {model!r} is not installed",
                            f"Install it with pip (e.g. `pip install {model.replace('_', '-')}`); "
                            "redactor never downloads models at run time.", code="model")
    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    with warnings.catch_warnings():
        # W095: the pinned en_core_web_md 3.7.1 was trained with spaCy 3.7; it is measured
        # on this spaCy by benchmarks/names.py, so the version warning is noise for users.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    _only_what_finds_entities(nlp_engine.nlp["en"])  # type: ignore[attr-defined]
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=["en"])
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(_offline_email_recognizer())  # type: ignore[arg-type]
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def _only_what_finds_entities(nlp: Any) -> None:
    """Run the model's entity recognizer and what it listens to, nothing else. The tagger,
    parser and lemmatizer take half the time and feed nothing redactor reads: measured on
    200 cables and e-mails, only PERSON findings in 5 documents changed (the parser's
    sentence ends no longer cut names), and the names benchmark stayed level (cables
    0.992/0.938, CoNLL 0.900/0.857, WNUT 0.590/0.464 recall/precision, against 0.992/0.938,
    0.902/0.859 and 0.587/0.464 with every pipe) at twice the speed."""
    if "ner" not in nlp.pipe_names:
        return
    needed = {"ner"} | {name for name, pipe in nlp.pipeline
                        if "ner" in getattr(pipe, "listening_components", ())}
    for name in nlp.pipe_names:
        if name not in needed:
            nlp.disable_pipe(name)


def _offline_email_recognizer() -> object:
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's e-mail recognizer, validating domains against the bundled suffix list."""

        def validate_result(self, pattern_text: str) -> bool:
            return bool(extract(pattern_text).fqdn)

    return OfflineEmailRecognizer()


def _place_word(text: str, span: Span) -> bool:
    """One word after the first word of a place name (`SAN JOSE`, `Sao Paulo`)."""
    return " " not in text[span.start:span.end] and after_place_prefix(text, span.start)


def _taken_whole(findings: list[Finding], wholes: list[Finding]) -> list[Finding]:
    """The findings with `wholes` added, and the PERSON findings inside one of them dropped:
    the model's `Delia K` is part of the header entry `Ravensworth, Delia K`, one name."""
    inside = [f for f in findings if f.entity_type == "PERSON"
              and any(w.span.contains(f.span) for w in wholes)]
    return [f for f in findings if f not in inside] + wholes


def _new_persons(findings: list[Finding], candidates: Iterable[Finding]) -> list[Finding]:
    """The candidates not already inside a PERSON finding."""
    persons = [f.span for f in findings if f.entity_type == "PERSON"]
    return [c for c in candidates if not any(p.contains(c.span) for p in persons)]
