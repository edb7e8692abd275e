"""The model's own findings: Presidio's results on the offline spaCy model that hold up —
above their type's threshold, inside one block, in pieces around hidden text
(`JDOEMAN [AND] KRIVERTON`), and for persons not a slip (titles or office shorthand alone, an
abbreviation, a headline, a word more often a place); a name the model cut short takes the
bare name word beside it (`Aung San Suu` → `Aung San Suu Kyi`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.addressees import OFFICES
from redactor.detect.names.base import NameLayer, NameScan
from redactor.detect.names.model_text import clip_to_body, trim_to_word, visible_pieces
from redactor.detect.names.words import (
    NAME_WORD,
    NAMED_AFTER,
    TITLE_WORDS,
    WORD,
    abbreviation,
    after_place_prefix,
    before_named_after,
    headline_not_name,
    is_name_word,
    line_around,
    titles_only,
)
from redactor.model import Finding, FindingKind, FoundBy, Span
from redactor.vocabulary import OFFICE_WORDS

# Honorifics and royal and religious titles are often part of the name itself (`Sheikh
# Hasina`, `Prince Bandar`, `Lady Ashton`): never trimmed from a finding.
_IN_NAMES = frozenset({"sheikh", "sheik", "prince", "princess", "king", "queen", "emir",
                       "sultan", "lord", "lady", "dame", "sir", "ayatollah", "mullah", "imam",
                       "father", "rabbi", "archbishop", "bishop", "cardinal", "patriarch",
                       "crown", "mr", "mrs", "ms", "miss", "dr", "prof", "professor",
                       "senor", "senora", "sra", "monsignor", "msgr", "reverend", "rev",
                       "pastor"})
OFFICE_TITLE_WORDS = TITLE_WORDS - _IN_NAMES

# The capitalised word right after a name, on the same line.
_NEXT_WORD = re.compile(rf"[ \t]{{1,2}}({NAME_WORD})")
_PREVIOUS_WORD = re.compile(rf"(?<![^\W_])({NAME_WORD})[ \t]{{1,2}}$")


class ModelLayer(NameLayer):
    found_by = FoundBy.MODEL
    persons_only = False  # every entity type the policy enables

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        parsed, text = scan.parsed, scan.text
        original = parsed.document.text
        for result in scan.results:
            if result.score < scan.settings.thresholds.get(result.entity_type, 1.0):
                continue
            block = parsed.block_at(result.start)
            whole = clip_to_body(Span(result.start, result.end), block)
            for piece in visible_pieces(original, text, whole):
                span = trim_to_word(text, piece)
                if span is not None and result.entity_type == "PERSON":
                    span = _person_span(scan, span)
                if span is None:
                    continue
                recognizer = (result.recognition_metadata or {}).get("recognizer_name",
                                                                     "presidio")
                yield Finding(
                    kind=FindingKind.ENTITY, label=result.entity_type, span=span,
                    block_id=block.id if block else None, score=round(float(result.score), 3),
                    entity_type=result.entity_type, detector="entities",
                    found_by=self.found_by, recognizer=recognizer)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return f"found by {finding.recognizer}"


def _person_span(scan: NameScan, span: Span) -> Span | None:
    """The name in a PERSON result: trimmed of its titles and numbers, and with the surname
    the model cut off; None for a slip. A slip as the model found it stays one (`PM CLOSE`,
    a headline, is no `CLOSE`)."""
    trimmed = _without_titles(scan.text, span)
    if trimmed is None or _slip(scan, trimmed) or (
            trimmed != span and _slip(scan, span, numbers=False)):
        return None
    return _with_surname(scan, trimmed)


def _slip(scan: NameScan, span: Span, numbers: bool = True) -> bool:
    """A PERSON result that is no name: titles or shorthand alone, an abbreviation, a
    headline, a place word, words the model labels as something else elsewhere, or a headline
    about such things."""
    text = scan.text
    surface = text[span.start:span.end]
    return (titles_only(surface) or abbreviation(text, span) or headline_not_name(surface)
            or _place_word(text, span) or scan.votes.elsewhere_not_a_person(span)
            or _headline_of_things(scan, span) or _named_after(text, span)
            or (numbers and surface[:1].isdigit())  # `1.4(b`; `Rashid3` is a name
            or _in_a_path(text, span))


def _in_a_path(text: str, span: Span) -> bool:
    """Part of a link target or a file name (`/tag/PGOV_0.html`, a web page's menus): the
    model reads such tokens as words. A name in an address is the user-id layer's to find,
    where the same name stands in the text (names/user_ids.py)."""
    start = max(text.rfind(c, 0, span.start) for c in " \t\n\r") + 1
    ends = [i for i in (text.find(c, span.end) for c in " \t\n\r") if i != -1]
    token = text[start:min(ends, default=len(text))]
    return "/" in token or "_" in text[span.start:span.end] or bool(_FILE_NAME.search(token))


_FILE_NAME = re.compile(r"\w\.(?:x?html?|php|aspx?|jsp|pdf|docx?|txt|eml)\b", re.I)


def _named_after(text: str, span: Span) -> bool:
    """The name of a thing named after a person: its last word, or the word after it, is an
    airport, an act, a prize… (`John F. Kennedy Airport`, `the Marshall Plan`)."""
    words = WORD.findall(text[span.start:span.end])
    return ((len(words) > 1 and words[-1].casefold() in NAMED_AFTER)
            or before_named_after(text, span.end))


def _without_titles(text: str, span: Span) -> Span | None:
    """The finding without the titles and office shorthand the model took into it at its
    start (`FM Bildt`, `SecGen Sandro De Bernardin`), the office symbols at its end
    (`Charles Hunter DHS`, `Maura Connelly NSC`) and the numbers at either end (`Justin
    Hobday 71`): the title stays readable, the name goes."""
    tokens = list(re.finditer(r"\S+", text[span.start:span.end]))
    while len(tokens) > 1 and (_title_token(tokens[0].group()) or _number(tokens[0].group())):
        tokens.pop(0)
    while len(tokens) > 1 and (_number(tokens[-1].group()) or (
            _office_symbol(tokens[-1].group())
            and any(not t.group().isupper() for t in tokens[:-1]))):
        tokens.pop()
    if not tokens:
        return None
    return trim_to_word(text, Span(span.start + tokens[0].start(), span.start + tokens[-1].end()))


def _number(token: str) -> bool:
    """A score, a date or a paragraph number beside a name (`Justin Hobday 71`)."""
    return not any(ch.isalpha() for ch in token) or token[0].isdigit()  # `71`, `44th`


def _title_token(token: str) -> bool:
    folded = token.rstrip(".,:").casefold()
    return folded in OFFICE_TITLE_WORDS or folded in OFFICE_WORDS


def _office_symbol(token: str) -> bool:
    """An office symbol in capitals (`NSC`, `DHS`, `S/CT`, `NEA`)."""
    bare = token.rstrip(".,;:")
    return bare.isupper() and ((len(bare) > 1 and bare.casefold() in OFFICES) or "/" in bare)


def _headline_of_things(scan: NameScan, span: Span) -> bool:
    """Ordinary words (written in lower case elsewhere in the document) around words the model
    labels as something else there: `CAFTA-DR APPROVAL`, a headline about a law. A surname
    that is an English word (`JOHN YOUNG`) stays: `JOHN` is no other thing."""
    words = WORD.findall(scan.text[span.start:span.end])
    rest = [w for w in words if w.casefold() not in scan.ordinary]
    return len(rest) < len(words) and bool(rest) and all(
        scan.votes.not_a_person(w) for w in rest)


def _with_surname(scan: NameScan, span: Span) -> Span:
    """Half a name leaks: a name the model cut short (`Ari-Pekka`, `Aung San Suu`,
    `Susanti`) takes the capitalised word right before or after it on its line, when
    that word is no English word and nothing else to the model (`Nikkola`, `Kyi`,
    `Susi`)."""
    text = scan.text
    after = _NEXT_WORD.match(text, span.end)
    if after is not None and bare_name(scan, after.group(1), after.span(1)):
        span = Span(span.start, after.end(1))
    line_start, _ = line_around(text, span.start)
    before = _PREVIOUS_WORD.search(text[line_start:span.start])
    if before is not None:
        start, end = line_start + before.start(1), line_start + before.end(1)
        if bare_name(scan, before.group(1), (start, end)):
            span = Span(start, span.end)
    return span


def bare_name(scan: NameScan, word: str, where: tuple[int, int]) -> bool:
    """A name word that is no English word (no vector in the model) and that the model took
    for nothing else where it stands."""
    return (is_name_word(word) and not scan.vocab[word.casefold()].has_vector
            and not scan.other_at(*where))


def _place_word(text: str, span: Span) -> bool:
    """One word after the first word of a place name (`SAN JOSE`, `Sao Paulo`)."""
    return " " not in text[span.start:span.end] and after_place_prefix(text, span.start)
