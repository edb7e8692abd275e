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

from spacy.lang.en.stop_words import STOP_WORDS

from redactor.detect.addressees import addressee_offices, addressees, visitors
from redactor.detect.cues import OFFICE_WORDS, initial_cues, title_cues
from redactor.detect.lists import list_names
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
_PARTICLES = frozenset({"de", "la", "van", "von", "der", "al", "bin", "ibn", "le", "du", "del",
                        "da", "dos", "das", "di", "el", "abu"})
# A lower-case particle joined to a surname by a hyphen: al-Tamrazi, el-Baradei, bin-Laden.
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|bin|ibn|ben|abu|ul)[-\u2010]",
                              re.IGNORECASE)
# A title before a name: `Major General`, `King Abdullah` (a possessive may sit between).
_BEFORE_A_NAME = re.compile(r"(?:['\u2019]s)?[ \t]+[A-Z]")
MISSPELT_MIN_LETTERS = 6
# The capitalised word right after a name, on the same line.
_NEXT_WORD = re.compile(r"[ \t]{1,2}([A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*)")
_PREVIOUS_WORD = re.compile(r"(?<![^\W_])([A-Z][^\W\d_]+(?:['\u2019-][^\W\d_]+)*)[ \t]{1,2}$")
# A line whose letters are all capitals, with at least one word of three letters.
_CAPITAL_LINE = re.compile(r"^(?=[^\n]*[A-Z]{3})[^a-z\n]+$", re.MULTILINE)
# Two or more words in capitals inside a mixed line (`Classified By: AMBASSADOR JOHN SMITH`).
_CAPITAL_RUN = re.compile(r"(?<![\w/])[A-Z]{3,}(?:[ \t]+[A-Z]{3,})+(?![\w/])")
CHUNK_CHARS = 100_000  # spaCy needs about 1 GB per 100,000 characters it parses at once
# A word: letters, with apostrophes or hyphens inside (O'Brien, Al-Naimi); digits and
# underscores end it, so Fitzwilliam_CV.pdf holds the word Fitzwilliam.
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


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

    @classmethod
    def disabled(cls, policy: Policy) -> EntityDetector:
        """A detector that finds nothing: for runs that only need the marking stages."""
        return cls(policy, enabled=False)

    def detect(self, parsed: ParsedDocument, not_names: Iterable[Span] = ()) -> list[Finding]:
        """Entities in the document; `not_names` (marking words, cue phrases) are hidden from
        the model and never propagated into."""
        if self.analyzer is None:
            return []
        not_names = [*not_names, *addressee_offices(parsed)]
        text = _blank_out(parsed.document.text, [*structural_spans(parsed), *not_names])
        # Names found elsewhere are still looked for in the E.O. and TAGS lines.
        structure = [*structural_spans(parsed, codes=False), *not_names]
        model_text = _title_case_capital_lines(text)
        results, others = self._analyze(model_text)
        for result in results:
            result.end = _end_before_case_change(text, result.start, result.end)
        votes = _Votes(text, results, others)
        findings = list(self._model_findings(parsed, text, results, others, votes))
        findings.extend(self._denied(parsed, text, findings))
        if "PERSON" in self.types:
            findings.extend(signatures(parsed, findings))
            findings.extend(_new_persons(findings, addressees(parsed)))
            findings.extend(_new_persons(findings, visitors(parsed)))
            findings.extend(_new_persons(findings, title_cues(parsed, text)))
            findings.extend(_new_persons(findings, initial_cues(parsed, text)))
        findings.extend(propagate_names(parsed, findings, structure, votes))
        if "PERSON" in self.types:
            listed = list(list_names(parsed, [f for f in findings if f.entity_type == "PERSON"],
                                     others))
            findings.extend(listed)
            findings.extend(propagate_names(parsed, findings, structure, votes, only=listed))
            findings.extend(self._misspellings(parsed, findings, structure, others))
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
            for word in _WORD.findall(text[finding.span.start:finding.span.end]):
                if len(word) >= MISSPELT_MIN_LETTERS and _is_name_word(word):
                    names.setdefault(word.casefold(), finding)
        if not names:
            return
        taken = bytearray(len(text))
        for span in [f.span for f in persons] + structure:
            taken[span.start:span.end] = b"\x01" * len(span)
        for match in _WORD.finditer(text):
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
            line, _ = parsed.document.line_col(source.span.start)
            yield Finding(kind=FindingKind.ENTITY, label="PERSON",
                          span=Span(match.start(), match.end()),
                          block_id=block.id if block else None, score=0.5,
                          entity_type="PERSON", found_by="misspelling", source=source.span,
                          explanation=f"one letter away from the name found on line {line}")

    def _model_findings(self, parsed: ParsedDocument, text: str, results: list[Any],
                        others: list[Span], votes: _Votes) -> Iterator[Finding]:
        """The model's results that hold up: above the type's threshold, inside one block, in
        pieces around hidden text (`JDOEMAN [AND] KRIVERTON`), and for persons, not a slip
        (titles or office shorthand alone, an abbreviation, a word more often a place)."""
        original = parsed.document.text
        for result in results:
            if result.score < self.thresholds.get(result.entity_type, 1.0):
                continue
            block = parsed.block_at(result.start)
            whole = _clip_to_body(Span(result.start, result.end), block)
            for piece in _visible_pieces(original, text, whole):
                span = trim_to_word(text, piece)
                if span is None or (result.entity_type == "PERSON" and
                                    (_titles_only(text[span.start:span.end])
                                     or _abbreviation(text, span)
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
        return (_is_name_word(word) and not vocab[word.casefold()].has_vector
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
            artifacts = self.analyzer.nlp_engine.process_text(text[start:end], "en")
            others.extend(Span(e.start_char + start, e.end_char + start)
                          for e in artifacts.entities if e.label_ in _NOT_PERSON_LABELS)
            for result in self.analyzer.analyze(text=text[start:end], language="en",
                                                entities=list(self.types),
                                                score_threshold=threshold,
                                                nlp_artifacts=artifacts):
                result.start += start
                result.end += start
                results.append(result)
        return results, others


# What the model calls a word when it is not a person. Nationalities (NORP) are left out:
# the model often takes a foreign surname for one (`Moratinos`).
_NOT_PERSON_LABELS = frozenset({"LOCATION", "ORGANIZATION"})


class _Votes:
    """How the model labelled each word across the document: a word it took alone for a
    person but more often for a place or an organisation (`Singapore`, `Barcelona`) is not a
    name, neither where the model slipped nor anywhere it would be propagated to. A word the
    model found inside a full name (`Miguel Angel Moratinos`) is a name, however the model
    labels it alone elsewhere."""

    def __init__(self, text: str, results: list[Any], others: list[Span]) -> None:
        self.text = text
        self.person: dict[str, int] = {}
        self.other: dict[str, int] = {}
        self.in_full_name: set[str] = set()
        for span, counts in [*((Span(r.start, r.end), self.person) for r in results
                               if r.entity_type == "PERSON"),
                             *((s, self.other) for s in others)]:
            words = {w.casefold() for w in _WORD.findall(text[span.start:span.end])}
            for key in words:
                counts[key] = counts.get(key, 0) + 1
            if counts is self.person and len(words) > 1:
                self.in_full_name |= words

    def confirm(self, findings: Iterable[Finding]) -> None:
        """Names found by other means than the model alone (a title, the deny-list, the
        signature) are names, whatever the model calls them elsewhere."""
        for finding in findings:
            if finding.found_by != "model":
                self.in_full_name |= {w.casefold() for w in
                                      _WORD.findall(self.text[finding.span.start:
                                                              finding.span.end])}

    def not_a_person(self, word: str) -> bool:
        key = word.casefold()
        return (key not in self.in_full_name
                and self.other.get(key, 0) > self.person.get(key, 0))

    def elsewhere_not_a_person(self, span: Span) -> bool:
        """Every word of the span is more often something else than a person."""
        words = _WORD.findall(self.text[span.start:span.end])
        return bool(words) and all(self.not_a_person(w) for w in words)


def _deny_regex(terms: tuple[str, ...]) -> re.Pattern[str]:
    """The terms, word-bounded, any case, any run of spaces or a line break between words."""
    forms = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in forms)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def chunks(text: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) pieces of at most `size` characters, cut after a line break where there is
    one, else after a space, else anywhere."""
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, end
        start = end


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


_STRUCTURE = (BlockKind.ROUTING, BlockKind.PAGE, BlockKind.TRAILER)
_CODE_FIELDS = ("E.O.", "TAGS")  # declassification codes and subject tags (DECL, KDOD, PREL)


def structural_spans(parsed: ParsedDocument, codes: bool = True) -> list[Span]:
    """A telegram's routing header, classification lines, page lines and trailer: station
    codes and section numbers, never names; redacting them would also break the copy's layout.
    (The banner line of another document may name its author: it is read.) With `codes`, also
    the E.O. and TAGS lines, which the model reads as names but which hold names only as tags."""
    kinds = (*_STRUCTURE, BlockKind.BANNER) if parsed.layout == "cable" else _STRUCTURE
    fields = _CODE_FIELDS if codes else ()
    spans = [b.span for b in parsed.blocks if b.kind in kinds or b.field_name in fields]
    spans.extend(hole for b in parsed.blocks for hole in b.holes)
    return spans


def _visible_pieces(original: str, blanked: str, span: Span) -> Iterator[Span]:
    """The parts of the span that were not hidden from the model."""
    start = None
    for i in range(span.start, span.end):
        hidden = blanked[i] != original[i]
        if hidden and start is not None:
            yield Span(start, i)
            start = None
        elif not hidden and start is None:
            start = i
    if start is not None:
        yield Span(start, span.end)


def _blank_out(text: str, spans: list[Span]) -> str:
    """The text with the spans replaced by spaces (line breaks kept): same length, same offsets."""
    chars = list(text)
    for span in spans:
        for i in range(span.start, span.end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _title_case_capital_lines(text: str) -> str:
    """Lines written in capitals (SUBJECT lines, signatures, captions), and runs of two or more
    words in capitals inside other lines (`Classified By: AMBASSADOR JOHN DANILOVICH`), in
    Title Case, for the model only: it reads capitals as acronyms. The length and every offset
    stay the same."""
    text = _CAPITAL_LINE.sub(lambda m: _title_case(m.group()), text)
    return _CAPITAL_RUN.sub(lambda m: _title_case(m.group()), text)


def _end_before_case_change(text: str, start: int, end: int) -> int:
    """Where an entity the model ran across a line break should end: at the break, when one
    of the two lines is written in capitals and the other not (`Ramthan Hussain` above the
    dateline `SINGAPORE 1996-12-06`). Names wrapped inside running text stay whole."""
    cut = text.find("\n", start, end)
    while cut != -1:
        before = text[text.rfind("\n", 0, cut) + 1:cut]
        after_end = text.find("\n", cut + 1)
        after = text[cut + 1:after_end if after_end != -1 else len(text)]
        if _is_capital_line(before) != _is_capital_line(after):
            return cut
        cut = text.find("\n", cut + 1, end)
    return end


def _is_capital_line(line: str) -> bool:
    return _CAPITAL_LINE.fullmatch(line.rstrip("\r")) is not None


def _title_case(line: str) -> str:
    out = []
    previous_letter = False
    for ch in line:
        changed = ch.lower() if previous_letter else ch.upper()
        out.append(changed if len(changed) == 1 else ch)
        previous_letter = ch.isalpha() or ch in "'\u2019"
    return "".join(out)


def _clip_to_body(span: Span, block: Block | None) -> Span:
    """An entity stays inside the block it starts in, and out of paragraph numbers and
    portion marks, which are structure, never part of a name."""
    if block is None:
        return span
    body = block.body or block.span
    return Span(max(span.start, body.start), min(span.end, block.span.end))


def trim_to_word(text: str, span: Span) -> Span | None:
    """The span without leading and trailing characters that are not letters or digits."""
    start, end = span.start, span.end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return Span(start, end) if end > start else None


def _new_persons(findings: list[Finding], candidates: Iterable[Finding]) -> list[Finding]:
    """The candidates not already inside a PERSON finding."""
    persons = [f.span for f in findings if f.entity_type == "PERSON"]
    return [c for c in candidates if not any(p.contains(c.span) for p in persons)]


def signatures(parsed: ParsedDocument, findings: list[Finding]) -> Iterator[Finding]:
    """The signature line of a telegram is the name of the chief of mission who sent it.
    Where the line breaks were lost, it is the lone name after the last sentence."""
    lines = [(_after_last_sentence(parsed.document.text, b.span), b.id)
             for b in parsed.blocks if b.kind is BlockKind.SIGNATURE]
    if parsed.layout == "cable" and not lines and parsed.blocks:
        last = parsed.blocks[-1]
        match = _TRAILING_NAME.search(parsed.document.text, last.span.start, last.span.end)
        if match and _is_name_word(match.group(1)) and \
                match.group(1).casefold() not in STOP_WORDS | _CLOSINGS:
            lines = [(Span(match.start(1), match.end(1)), last.id)]
    text = parsed.document.text
    for span, block_id in lines:
        covered = {i for f in findings if f.entity_type == "PERSON" and span.contains(f.span)
                   for i in range(f.span.start, f.span.end)}
        if all(i in covered for i in range(span.start, span.end) if text[i].isalpha()):
            continue  # the model found the whole name; a part of it is not enough
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                      block_id=block_id, score=0.9, entity_type="PERSON",
                      explanation="signature line of the telegram", found_by="signature")


def _after_last_sentence(text: str, span: Span) -> Span:
    """The name at the end of a signature line that also holds the end of the text
    (`END TALKING POINTS. RICE`)."""
    ends = list(re.finditer(r"[.:;][ \t]+", text[span.start:span.end]))
    return Span(span.start + ends[-1].end(), span.end) if ends else span


_CLOSINGS = frozenset({"thanks", "regards", "end", "ends", "signed", "sincerely", "cheers",
                       "best", "ok", "fyi"})
# A telegram's last word, alone after the end of the last sentence: the signature run in.
_TRAILING_NAME = re.compile(r"[.!?*)\]\"\u201d][ \t]+([A-Z][A-Za-z'\u2019-]+)[ \t]*$")


def propagate_names(parsed: ParsedDocument, findings: Iterable[Finding],
                    structure: list[Span], votes: _Votes | None = None,
                    only: list[Finding] | None = None) -> Iterator[Finding]:
    """A name found once is found everywhere: each name word and each full multi-word form, in
    Title Case or capitals, possessive or not. Lower-case occurrences are ordinary words and are
    skipped. One pass over the text, whatever the number of names."""
    text = parsed.document.text
    persons = [f for f in findings if f.entity_type == "PERSON"]
    taken = bytearray(len(text))
    for span in [f.span for f in persons] + structure:
        taken[span.start:span.end] = b"\x01" * len(span)
    words, phrases, surnames = _name_forms(text, persons if only is None else only)
    if votes is not None:
        votes.confirm(persons)
        words = {w: f for w, f in words.items() if not votes.not_a_person(w)}
    for span, source in [*_occurrences(text, phrases), *_word_occurrences(text, words),
                         *_surname_occurrences(text, surnames)]:
        if not _capitalised(text[span.start:span.end]) or any(taken[span.start:span.end]):
            continue
        taken[span.start:span.end] = b"\x01" * len(span)
        block = parsed.block_at(span.start)
        line, _ = parsed.document.line_col(source.span.start)
        yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                      block_id=block.id if block else None, score=source.score,
                      entity_type="PERSON",
                      explanation=f"same name as the person found on line {line}",
                      found_by="propagation", source=source.span)


def _name_forms(text: str, persons: list[Finding]) -> tuple[dict[str, Finding],
                                                            dict[str, Finding],
                                                            dict[str, Finding]]:
    """Casefolded single name words, multi-word names, and surnames that are also titles, each
    with the finding it came from.
    A lone acronym the model took for a name (CBE, MANPADS), never written in Title Case in
    the document, stays where the model found it: spreading the slip would remove every use."""
    words: dict[str, Finding] = {}
    phrases: dict[str, Finding] = {}
    surnames: dict[str, Finding] = {}
    for finding in persons:
        surface = text[finding.span.start:finding.span.end]
        tokens = _WORD.findall(surface)
        if len(tokens) > 1:
            phrases.setdefault(" ".join(tokens).casefold(), finding)
        elif tokens and tokens[0].isupper() and tokens[0].title() not in text:
            continue  # an acronym: never written as a name in this document
        for token in tokens:
            core = _PARTICLE_PREFIX.sub("", token)  # al-Tamrazi: also Tamrazi alone
            for form in {token, core}:
                if _propagates(_PARTICLE_PREFIX.sub("", form)):
                    words.setdefault(form.casefold(), finding)
        if len(tokens) > 1 and _title_surname(tokens[-1]):
            surnames.setdefault(tokens[-1].casefold(), finding)
    return words, phrases, surnames


def _capitalised(surface: str) -> bool:
    """Written as a name: a capital first letter, after a lower-case particle if any."""
    core = _PARTICLE_PREFIX.sub("", surface)
    return bool(core) and core[0].isupper()


def _title_surname(token: str) -> bool:
    """A surname that is also a title (John Major, Martin Luther King)."""
    folded = token.casefold()
    return (len(token) >= 3 and token[0].isupper() and folded in _NOT_NAMES
            and folded not in STOP_WORDS and folded not in _PARTICLES)


def _abbreviation(text: str, span: Span) -> bool:
    """Three capitals or fewer, alone in a line that is not in capitals: `RT`, `GOC`, `MFA`."""
    surface = text[span.start:span.end]
    if not (len(surface) <= 3 and surface.isalpha() and surface.isupper()):
        return False
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    return not _is_capital_line(text[line_start:line_end if line_end != -1 else len(text)])


def _titles_only(surface: str) -> bool:
    """No name word in it: only titles, office shorthand (`Poloff`, `SecDef`), or no letters."""
    return not any(_is_name_word(w) for w in _WORD.findall(surface))


def _is_name_word(word: str) -> bool:
    folded = word.casefold()
    folded = folded[:-2] if folded.endswith(("'s", "\u2019s")) else folded
    return (folded not in _NOT_NAMES and folded not in OFFICE_WORDS
            and folded.removesuffix("s") not in OFFICE_WORDS)


def _propagates(token: str) -> bool:
    """A name word found alone elsewhere is the name again, unless it is short, a title, or a
    common English word (Will, May, Young): those would remove ordinary words."""
    folded = token.casefold()
    return (len(token) >= 3 and token[0].isupper() and _is_name_word(token)
            and folded not in STOP_WORDS)


def _occurrences(text: str, phrases: dict[str, Finding]) -> Iterator[tuple[Span, Finding]]:
    """Multi-word names, longest first, with any run of spaces or one line break between words."""
    if not phrases:
        return
    forms = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in forms)
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    for match in pattern.finditer(text):
        key = " ".join(match.group().split()).casefold()
        yield Span(match.start(), match.end()), phrases[key]


def _surname_occurrences(text: str,
                         surnames: dict[str, Finding]) -> Iterator[tuple[Span, Finding]]:
    """`Major said`, not `Major General`: a title-surname followed by a capitalised word is
    the title."""
    for span, source in _word_occurrences(text, surnames):
        if not _BEFORE_A_NAME.match(text, span.end):
            yield span, source


def _word_occurrences(text: str, words: dict[str, Finding]) -> Iterator[tuple[Span, Finding]]:
    for match in _WORD.finditer(text):
        word = match.group()
        stem = word[:-2] if word.endswith(("'s", "\u2019s")) else word
        source = words.get(word.casefold()) or words.get(stem.casefold())
        if source is not None:
            length = len(word) if word.casefold() in words else len(stem)
            yield Span(match.start(), match.start() + length), source
