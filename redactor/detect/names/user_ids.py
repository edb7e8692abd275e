"""A person's name spelled as a user id, a handle, a mailbox or a folder: `chaltzer`,
`corwin.haltzer`, `c_haltzer`, `haltzerc`, `@corwinhaltzer`, `C:\\Users\\chaltzer`. Organisations
make user names from the person's name in a few fixed ways; a found full name gives those
forms, and each occurrence of one, in any case, among letters' edges (digits, dots,
underscores and `@` may touch it), is the person. The halves layer then takes the whole token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from redactor.detect.base import Explaining, line_of
from redactor.detect.names.base import NameLayer, NameScan, person, persons_in
from redactor.detect.names.stopwords import stop_words
from redactor.detect.names.words import WORD, is_name_word, span_mask
from redactor.model import Finding, FoundBy, Span

# A run of letters, or two joined by a joiner: each is looked up among the forms (one pass
# over the text, whatever the number of names).
_RUN = re.compile(r"[^\W\d_]+(?:[._-][^\W\d_]+)?")
_FORM_MIN = 5  # letters a form needs: shorter ones are ordinary strings (`jdoe` is kept)
_JOINERS = ("", ".", "_", "-")


class UserIds(NameLayer):
    found_by = FoundBy.USER_ID

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        text = scan.text
        forms = _forms(text, list(persons_in(found)), _english(scan))
        if not forms:
            return
        taken = span_mask(len(text), (f.span for f in found))  # an address found is removed whole
        for span in _candidates(text):
            source = forms.get(text[span.start:span.end].casefold())
            if source is None or all(taken[span.start:span.end]):
                continue
            yield person(scan.parsed, span, source.score, FoundBy.USER_ID, source=source.span)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return ("a user id, handle or address spelled from the name of the person found on "
                f"line {line_of(context.document, finding.source)}")


def _english(scan: NameScan) -> Callable[[str], bool]:
    """A word of English: one the model has a vector for (`marks` of Mark S.), or a stop word.
    Not the document's own lower-case words: a user id is written in lower case."""
    vocab = scan.vocab
    return lambda form: form in stop_words() or (
        vocab is not None and form.isalpha() and vocab[form].has_vector)


def _forms(text: str, persons: list[Finding],
           english: Callable[[str], bool]) -> dict[str, Finding]:
    """Each user-name form of each found name of a given name and a surname: given+surname,
    initial+surname, surname+initial, each with no joiner or a dot, underscore or hyphen
    (`corwin.haltzer`, `chaltzer`, `haltzer_c`); never a form that is an English word."""
    forms: dict[str, Finding] = {}
    for finding in persons:
        words = [w for w in WORD.findall(text[finding.span.start:finding.span.end])
                 if is_name_word(w) and len(w) > 1]
        if len(words) < 2:
            continue
        given, surname = words[0].casefold(), words[-1].casefold()
        for joiner in _JOINERS:
            for form in (f"{given}{joiner}{surname}", f"{given[0]}{joiner}{surname}",
                         f"{surname}{joiner}{given[0]}", f"{surname}{joiner}{given}"):
                letters = sum(c.isalpha() for c in form)
                if letters >= _FORM_MIN and form != surname and not english(form):
                    forms.setdefault(form, finding)
    return forms


def _candidates(text: str) -> Iterator[Span]:
    """Each run of letters, alone and with the run a joiner ties to it."""
    for match in _RUN.finditer(text):
        yield Span(match.start(), match.end())
        joined = next((i for i, c in enumerate(match.group()) if c in "._-"), -1)
        if joined > 0:
            yield Span(match.start(), match.start() + joined)
            yield Span(match.start() + joined + 1, match.end())
