"""The visitor a telegram's TAGS line names after the OVIP tag (official visit):
`OVIP (CLINTON, HILLARY)` or `OVIP RICE CONDOLEEZZA`; the codes around it are read as codes,
never as names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from redactor.detect.base import Explaining
from redactor.detect.names.addressees import name_spans
from redactor.detect.names.base import NameLayer, NameScan
from redactor.model import Finding, FindingKind, FoundBy, ParsedDocument, Span


class TagsLine(NameLayer):
    found_by = FoundBy.TAGS_LINE

    def find(self, scan: NameScan, found: list[Finding]) -> Iterator[Finding]:
        return visitors(scan.parsed)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        return "the visitor named after the OVIP tag"


# Subject tags (TAGS: PREL PGOV OVIP …): the State Department's codes seen in the telegrams.
_TAG_CODE_WORDS = """
tags prel pgov econ phum pter pinr etrd marr efin parm mops snar enrg einv soci asec kdem kcrm
knnp ettc mass eaid nato pins elab epet senv mnuc kjus eagr pref kpao kisl unsc unga kpal aorc
ovip casc kcor mcap cvis smig eair scul kwmn kipr ktfn ksca kirf pbts trgy iaea ewwt ecps tbio
kpko kwbg ktip eind amgt kghg ktia kfrd otra ecin orep phsa komc emin ksum tspl osce oprc opdc
khls cmgt afin efis kunr aemr bexp tspa kmdr kflu kgic kawc oexc eltn cjan abld kflo ustr ftaa
aper oiip kprp kcfe ksep kdrg eint tphy prop opic cpas btio wtro ktdb ksth kstc odip kmpi kawk
kvpr kspr kbio kbct krad kmca kact opcw ofdp koly kicc kbtr icrc icao cons amed osci oecd mapp
kide kcip inrb icty eniv useu tngd pnat opad nipp ltte khiv gtip farc engr unep nssp nasa mpos
kwac kprv knpp kgit hstc envr envi asup asig codel staffdel
"""
_TAG_CODES = frozenset(_TAG_CODE_WORDS.split())
# The visitor named after the OVIP tag: `OVIP (CLINTON, HILLARY)` or `OVIP RICE CONDOLEEZZA`.
_OVIP = re.compile(r"\bOVIP\b[ \t,]*(?:\((?P<bracketed>[^)\n]*)\)|(?P<bare>[A-Z][A-Z \t]*))")


def visitors(parsed: ParsedDocument) -> Iterator[Finding]:
    """PERSON findings for the visitor a telegram's TAGS line names after `OVIP` (official
    visit): the codes around it are read as codes, never as names."""
    if parsed.layout != "cable":
        return
    text = parsed.document.text
    for block in parsed.blocks:
        if block.field_name != "TAGS":
            continue
        for match in _OVIP.finditer(text, block.span.start, block.span.end):
            if match.group("bracketed") is not None:
                spans = list(name_spans(text, Span(match.start("bracketed"),
                                                    match.end("bracketed"))))
            else:
                spans = list(_bare_visitor(text, match.start("bare"), match.end("bare")))
            for span in spans:
                yield Finding(kind=FindingKind.ENTITY, label="PERSON", span=span,
                              block_id=block.id, score=0.6, entity_type="PERSON",
                              detector="entities", found_by=FoundBy.TAGS_LINE)


def _bare_visitor(text: str, start: int, end: int) -> Iterator[Span]:
    """The words after OVIP up to the first tag code or country code: a surname and a given
    name (`ZOELLICK ROBERT`); one word alone is more likely a code missing from the list."""
    words = []
    for word in re.finditer(r"[A-Z]+", text[start:end]):
        if len(word.group()) < 3 or word.group().casefold() in _TAG_CODES:
            break
        words.append(word)
    if len(words) >= 2:
        yield Span(start + words[0].start(), start + words[-1].end())
