"""Entities: person names and other personal data — Presidio's model, and the name layers
around it (redactor/detect/names/) in the order NAME_LAYERS gives.

The model reads the document with its structure (routing header, page lines, E.O. and TAGS
codes), the marking words and cue phrases found before it, and the offices of addressee lines
hidden, and with lines in capitals in Title Case (it reads capitals as acronyms); every offset
stays the document's. Its results and the words it labelled as places or organisations go to
the layers, which each add what the model misses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from redactor.detect.base import Detector, Explaining, ModelPool, ModelSpec, Scan
from redactor.detect.names import DESCRIBERS, NAME_LAYERS, NameScan, NameSettings
from redactor.detect.names.acronyms import definitions
from redactor.detect.names.base import merged
from redactor.detect.names.deny_list import deny_regex
from redactor.detect.names.model_text import (
    CHUNK_CHARS,
    blank_out,
    chunks,
    end_before_case_change,
    structural_spans,
    title_case_capital_lines,
    trim_to_word,
)
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.votes import NOT_PERSON_LABELS, THING_LABELS, Votes
from redactor.detect.presidio import PresidioModel
from redactor.model import Finding, ParsedDocument, Span
from redactor.policy.model import Policy


class Entities(Detector):
    """Presidio's AnalyzerEngine for the policy's entity types, and the name layers."""

    name = "entities"

    def __init__(self, policy: Policy, models: ModelPool) -> None:
        self.settings = NameSettings(
            types=policy.entity_types,
            thresholds={e.type: e.threshold for e in policy.entities},
            deny={e.type: deny_regex(e.deny) for e in policy.entities if e.deny},
            misspellings=next((e.misspellings for e in policy.entities
                               if e.type == "PERSON"), 0))
        needed = self.needs(policy)
        self.analyzer: Any = models.get(needed[0]) if needed else None
        self._primed: dict[str, Any] = {}  # the model's output for texts given to `prime`
        stop_words()  # loaded now, not inside the first document's time limit

    @classmethod
    def needs(cls, policy: Policy) -> tuple[ModelSpec, ...]:
        return (PresidioModel(policy.model),) if policy.entity_types else ()

    @classmethod
    def libraries(cls, policy: Policy) -> tuple[str, ...]:
        layers = tuple(lib for entry in NAME_LAYERS for lib in entry.layer.libraries)
        return (*super().libraries(policy), *layers) if policy.entity_types else ()

    def find(self, scan: Scan, found: Sequence[Finding]) -> Iterator[Finding]:
        """Entities in the document, outside earlier redactions and portion marks."""
        if self.analyzer is None:
            return
        parsed = scan.parsed
        marks = [*scan.hidden, *(b.portion_mark.span for b in parsed.blocks if b.portion_mark)]
        for finding in self._layers(scan):
            for piece in _outside_placeholders(parsed, finding, scan.placeholders):
                if not any(m.contains(piece.span) for m in marks):  # `(SBU)` is never a name
                    yield piece

    def _layers(self, scan: Scan) -> list[Finding]:
        """Every layer's findings, merged in order."""
        name_scan = self._name_scan(scan)
        persons = "PERSON" in self.settings.types
        found: list[Finding] = []
        for entry in NAME_LAYERS:
            if persons or not entry.layer.persons_only:
                found = merged(found, entry, name_scan)
        return found

    def _hidden(self, scan: Scan) -> list[Span]:
        """What the model does not read: marking words, cue phrases, what the layers hide."""
        return [*scan.hidden, *(span for entry in NAME_LAYERS
                                for span in entry.layer.hide(scan.parsed))]

    def _name_scan(self, scan: Scan) -> NameScan:
        """The model run over the document, and what every layer sees."""
        parsed = scan.parsed
        hidden = self._hidden(scan)
        text = blank_out(parsed.document.text, [*structural_spans(parsed), *hidden])
        # Names found elsewhere are still looked for in the E.O. and TAGS lines.
        structure = [*structural_spans(parsed, codes=False), *hidden]
        results, others, things = self._analyze(title_case_capital_lines(text))
        for result in results:
            result.end = end_before_case_change(text, result.start, result.end)
        acronyms = definitions(text)
        return NameScan(parsed, text, structure, results, others,
                        Votes(text, results, others, things, acronyms),
                        self.settings, self.analyzer.nlp_engine.nlp["en"].vocab, acronyms)

    def model_input(self, scan: Scan) -> str | None:
        """What `find` gives the model for this document (for `prime`)."""
        if self.analyzer is None:
            return None
        spans = [*structural_spans(scan.parsed), *self._hidden(scan)]
        return title_case_capital_lines(blank_out(scan.parsed.document.text, spans))

    def prime(self, inputs: list[Any]) -> None:
        """Run the model over several documents' texts at once (spaCy's `nlp.pipe`, through
        Presidio's `process_batch`), keeping the results for `find` until the next call.
        `find` looks its pieces up by their exact text, so a text primed differently from
        what `find` asks for is simply analysed again: priming changes speed, never results.
        Batches hold at most CHUNK_CHARS characters, the same memory bound as one document."""
        self._primed = {}
        if self.analyzer is None:
            return
        texts: list[str] = inputs
        pieces = list(dict.fromkeys(
            text[start:end] for text in texts for start, end in chunks(text, CHUNK_CHARS)
            if text[start:end].strip()))
        for batch in _batches(pieces):
            engine = self.analyzer.nlp_engine
            for done, artifacts in engine.process_batch(batch, "en", batch_size=len(batch)):
                self._primed[done] = artifacts

    def _analyze(self, text: str) -> tuple[list[Any], list[Span], list[Span]]:
        """Presidio's results over the whole text, the spans the model labelled as places or
        organisations, and those it labelled as laws, events, products, works or buildings
        (which Presidio drops: they only vote, detect/names/votes.py). The text is analysed in
        chunks that end at line breaks: the model's memory grows with what it reads at once."""
        threshold = min(self.settings.thresholds.values())
        results: list[Any] = []
        others: list[Span] = []
        things: list[Span] = []
        for start, end in chunks(text, CHUNK_CHARS):
            artifacts = self._primed.get(text[start:end])
            if artifacts is None:
                artifacts = self.analyzer.nlp_engine.process_text(text[start:end], "en")
            others.extend(Span(e.start_char + start, e.end_char + start)
                          for e in artifacts.entities if e.label_ in NOT_PERSON_LABELS)
            things.extend(Span(e.start_char + start, e.end_char + start)
                          for e in artifacts.tokens.ents if e.label_ in THING_LABELS)
            for result in self.analyzer.analyze(text=text[start:end], language="en",
                                                entities=list(self.settings.types),
                                                score_threshold=threshold,
                                                nlp_artifacts=artifacts):
                result.start += start
                result.end += start
                results.append(result)
        return results, others, things

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        assert finding.found_by is not None, "an entity finding names its layer"
        return DESCRIBERS[finding.found_by].describe(finding, context)


def _batches(pieces: list[str]) -> Iterator[list[str]]:
    """The pieces in batches of at most CHUNK_CHARS characters (a piece longer than that
    alone)."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        if batch and size + len(piece) > CHUNK_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += len(piece)
    if batch:
        yield batch


def _outside_placeholders(parsed: ParsedDocument, finding: Finding,
                          placeholders: Iterable[Span]) -> list[Finding]:
    """An entity that runs into a placeholder (`XXXXXXXXXXXX Harrington`) keeps its parts
    outside it, so the name next to an earlier redaction is still found."""
    inside = [p for p in placeholders if p.overlaps(finding.span)]
    if not inside:
        return [finding]
    pieces, cursor = [], finding.span.start
    for placeholder in sorted(inside, key=lambda p: p.start):
        pieces.append(Span(cursor, max(cursor, placeholder.start)))
        cursor = max(cursor, placeholder.end)
    pieces.append(Span(cursor, max(cursor, finding.span.end)))
    text = parsed.document.text
    return [replace(finding, span=trimmed) for piece in pieces
            if (trimmed := trim_to_word(text, piece)) is not None]
