"""Entities: person names and other personal data, with presidio-analyzer on an offline spaCy model.

The analyzer is built once per process (loading the model takes a second or two) and reused for
every document. Nothing here opens a network connection: the spaCy model must be installed as a
package (Presidio would otherwise try to download it), and the e-mail recognizer's domain check
uses tldextract's bundled suffix list instead of fetching one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from redactor.errors import RedactorError
from redactor.model import Block, BlockKind, Finding, FindingKind, ParsedDocument, Span
from redactor.policy.model import Policy

# Words that precede names but are not names: never propagated on their own.
_NOT_NAMES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "gen", "general", "col", "colonel",
    "maj", "major", "capt", "captain", "lt", "sgt", "adm", "admiral", "ambassador", "minister",
    "president", "secretary", "deputy", "assistant", "under", "director", "chairman", "chair",
    "senator", "governor", "mayor", "king", "queen", "prince", "sheikh", "sheik", "president's",
    "the", "and", "of", "de", "la", "van", "von", "der", "al", "bin", "ibn", "le", "du", "del",
    "da", "dos", "das", "di", "el", "abu",
})
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_POSSESSIVE = r"(?:['’]s)?"


class EntityDetector:
    """Presidio's AnalyzerEngine for the policy's entity types, built once."""

    def __init__(self, policy: Policy, analyzer: object | None = None) -> None:
        self.types = policy.entity_types
        self.thresholds = {e.type: e.threshold for e in policy.entities}
        if analyzer is None and self.types:
            analyzer = build_analyzer(policy.model)
        self.analyzer: Any = analyzer if self.types else None

    @classmethod
    def disabled(cls, policy: Policy) -> EntityDetector:
        """A detector that finds nothing: for runs that only need the marking stages."""
        detector = cls.__new__(cls)
        detector.types, detector.thresholds, detector.analyzer = (), {}, None
        return detector

    def detect(self, parsed: ParsedDocument) -> list[Finding]:
        if self.analyzer is None:
            return []
        structure = structural_spans(parsed)
        text = _blank_out(parsed.document.text, structure)
        results = self.analyzer.analyze(text=text, language="en", entities=list(self.types),
                                        score_threshold=min(self.thresholds.values()))
        findings = []
        for result in results:
            if result.score < self.thresholds.get(result.entity_type, 1.0):
                continue
            block = parsed.block_at(result.start)
            span = _trim(text, _clip_to_body(Span(result.start, result.end), block))
            if span is None or (result.entity_type == "PERSON" and
                                not any(ch.isalpha() for ch in text[span.start:span.end])):
                continue
            recognizer = (result.recognition_metadata or {}).get("recognizer_name", "presidio")
            findings.append(Finding(
                kind=FindingKind.ENTITY, label=result.entity_type, span=span,
                block_id=block.id if block else None, score=round(float(result.score), 3),
                entity_type=result.entity_type, explanation=f"found by {recognizer}"))
        if "PERSON" in self.types:
            findings.extend(signatures(parsed, findings))
        findings.extend(propagate_names(parsed, findings, structure))
        return findings


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
    nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=["en"])
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(_offline_email_recognizer())  # type: ignore[arg-type]
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def _offline_email_recognizer() -> object:
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's e-mail recognizer, validating domains against the bundled suffix list."""

        def validate_result(self, pattern_text: str) -> bool:
            return bool(extract(pattern_text).fqdn)

    return OfflineEmailRecognizer()


_STRUCTURE = (BlockKind.ROUTING, BlockKind.BANNER, BlockKind.PAGE, BlockKind.TRAILER)


def structural_spans(parsed: ParsedDocument) -> list[Span]:
    """Routing header, classification lines, page lines, trailer: station codes and
    section numbers, never names. Redacting them would also break the copy's layout."""
    spans = [b.span for b in parsed.blocks if b.kind in _STRUCTURE]
    spans.extend(hole for b in parsed.blocks for hole in b.holes)
    return spans


def _blank_out(text: str, spans: list[Span]) -> str:
    """The text with the spans replaced by spaces (line breaks kept): same length, same offsets."""
    chars = list(text)
    for span in spans:
        for i in range(span.start, span.end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _clip_to_body(span: Span, block: Block | None) -> Span:
    """An entity stays inside the block it starts in, and out of paragraph numbers and
    portion marks, which are structure, never part of a name."""
    if block is None:
        return span
    body = block.body or block.span
    return Span(max(span.start, body.start), min(span.end, block.span.end))


def _trim(text: str, span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return Span(start, end) if end > start else None


def signatures(parsed: ParsedDocument, findings: list[Finding]) -> Iterator[Finding]:
    """The signature line of a telegram is the name of the chief of mission who sent it."""
    for block in parsed.blocks:
        if block.kind is not BlockKind.SIGNATURE:
            continue
        if any(f.entity_type == "PERSON" and block.span.contains(f.span) for f in findings):
            continue
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=block.span,
                      block_id=block.id, score=0.9, entity_type="PERSON",
                      explanation="signature line of the telegram")


def propagate_names(parsed: ParsedDocument, findings: Iterable[Finding],
                    structure: list[Span]) -> Iterator[Finding]:
    """A name found once is found everywhere: the full form and each name word, in Title Case
    or capitals, possessive or not. Lower-case occurrences are ordinary words and are skipped."""
    text = parsed.document.text
    persons = [f for f in findings if f.entity_type == "PERSON"]
    covered = [f.span for f in persons] + structure
    forms: dict[str, Finding] = {}
    for finding in persons:
        surface = text[finding.span.start:finding.span.end]
        forms.setdefault(surface.casefold(), finding)
        for token in _NAME_TOKEN.findall(surface):
            if len(token) >= 3 and token.casefold() not in _NOT_NAMES and token[0].isupper():
                forms.setdefault(token.casefold(), finding)
    for form, source in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        pattern = re.compile(rf"(?<![\w]){re.escape(form)}{_POSSESSIVE}(?![\w])", re.IGNORECASE)
        for match in pattern.finditer(text):
            span = Span(match.start(), match.start() + len(form))
            word = text[span.start:span.end]
            if not word[0].isupper() or any(span.overlaps(c) for c in covered):
                continue
            block = parsed.block_at(span.start)
            covered.append(span)
            line, _ = parsed.document.line_col(source.span.start)
            yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                          block_id=block.id if block else None, score=source.score,
                          entity_type="PERSON",
                          explanation=f"same name as the person found on line {line}")
