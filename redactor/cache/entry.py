"""A cache entry: a document's Plan as JSON values, and back.

Strings (identifiers, labels, levels, block ids) are kept once each in a table, each as a list
in which every word that also occurs in the document is its [start, end] offsets there: the
document, read again on a hit to hash it, gives the words back. Spans are kept once each in a
table of their own. Findings carry their structured evidence, never words; a decision's reason
and replacement are its rule's, read back from the policy (whether it had the replacement is
stored: an allow-list's decisions have none); what let an entity through, or kept an
allow-list from it, is stored as rule ids, file names and spans.

Decoding checks every index and offset: an entry that does not fit its document raises, and
the cache treats it as a miss.
"""

from __future__ import annotations

import hashlib
import operator
import re
from functools import cached_property
from typing import Any

from redactor.model import (
    Action,
    Allowance,
    Aside,
    Authority,
    Block,
    BlockKind,
    Decision,
    Document,
    Finding,
    FindingKind,
    FoundBy,
    ParsedDocument,
    Plan,
    PortionMark,
    PortionState,
    Protection,
    Span,
    Verdict,
)
from redactor.policy.model import Policy

FORMAT = 3  # 3: structured evidence, no wording; 2: spans in a table of their own
_WORD = re.compile(r"\w+")


class CorruptEntry(Exception):
    """An entry that does not decode against its document: ignored, never trusted."""


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class _Words:
    """Strings → indices into a table of the entry's distinct strings, each stored as a JSON
    list where every document word is its [start, end] in the document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.table: list[Any] = []
        self._index: dict[str, int] = {}

    @cached_property
    def at(self) -> dict[str, list[int]]:
        """Where each word of the document first occurs (only encoding needs this)."""
        at: dict[str, list[int]] = {}
        for match in _WORD.finditer(self.text):
            at.setdefault(match.group(), [match.start(), match.end()])
        return at

    def encode(self, value: str | None) -> int | None:
        if value is None:
            return None
        if value not in self._index:
            self._index[value] = len(self.table)
            self.table.append(self._parts(value))
        return self._index[value]

    def _parts(self, value: str) -> list[Any]:
        out: list[Any] = []
        cursor = 0
        for match in _WORD.finditer(value):
            where = self.at.get(match.group())
            if where is None:
                continue
            if match.start() > cursor:
                out.append(value[cursor:match.start()])
            out.append(where)
            cursor = match.end()
        if cursor < len(value):
            out.append(value[cursor:])
        return out


class _Spans:
    """Spans → indices into the entry's table of distinct spans, stored flat (start, end,
    start, end, …): a finding's span is often a decision's target and a block's body too,
    and a hit then builds each span once."""

    def __init__(self) -> None:
        self.flat: list[int] = []
        self._index: dict[Span, int] = {}

    def encode(self, span: Span | None) -> int | None:
        if span is None:
            return None
        if span not in self._index:
            self._index[span] = len(self._index)
            self.flat += (span.start, span.end)
        return self._index[span]


# ---------------------------------------------------------------------------- encoding

def encode_plan(plan: Plan) -> dict[str, Any]:
    words, spans = _Words(plan.document.text), _Spans()
    table: dict[Finding, int] = {}
    for finding in [*plan.findings, *_decision_findings(plan)]:
        table.setdefault(finding, len(table))
    entry: dict[str, Any] = {
        "level": words.encode(plan.level), "highest_level": words.encode(plan.highest_level),
        "verdict": plan.verdict.value,
        "table": [_encode_finding(f, words, spans) for f in table],
        "findings": [table[f] for f in plan.findings],
        "decisions": [_encode_decision(d, table, words, spans) for d in plan.decisions],
        "portions": [[words.encode(p.block_id), spans.encode(p.span), words.encode(p.label),
                      words.encode(p.level), p.inherited, p.already_withheld]
                     for p in plan.portions],
    }
    entry["parsed"] = _encode_parsed(plan.parsed, words, spans)
    entry["strings"] = words.table
    entry["spans"] = spans.flat
    return entry


def _decision_findings(plan: Plan) -> list[Finding]:
    """The findings decisions name: their subject, and the cue that protects it."""
    found = []
    for decision in plan.decisions:
        found.append(decision.finding)
        if decision.protected_by is not None and decision.protected_by.cue is not None:
            found.append(decision.protected_by.cue)
    return found


def _encode_finding(f: Finding, words: _Words, spans: _Spans) -> list[Any]:
    return [f.kind.value, words.encode(f.label), spans.encode(f.span),
            words.encode(f.block_id), f.score, words.encode(f.level),
            [words.encode(flag) for flag in f.flags], words.encode(f.where),
            words.encode(f.entity_type), words.encode(f.detector),
            None if f.found_by is None else f.found_by.value, spans.encode(f.source),
            [spans.encode(e) for e in f.evidence], [words.encode(x) for x in f.facts],
            words.encode(f.recognizer), f.rechecked]


def _encode_decision(d: Decision, table: dict[Finding, int], words: _Words,
                     spans: _Spans) -> list[Any]:
    allowed = d.allowed_by
    if allowed is not None and allowed.baseline is not None:
        raise CorruptEntry("a baseline's acceptance is the run's, not the document's")
    protected = d.protected_by
    return [d.rule, d.action.value, table[d.finding], spans.encode(d.target),
            d.replacement is not None, words.encode(d.covered_by),
            None if allowed is None else [words.encode(allowed.rule), words.encode(allowed.file)],
            None if protected is None else [
                protected.denied, None if protected.cue is None else table[protected.cue],
                spans.encode(protected.other)]]


def _encode_parsed(parsed: ParsedDocument, words: _Words, spans: _Spans) -> dict[str, Any]:
    """The document's structure, so that a hit need not parse it again."""
    authority = parsed.authority
    pair = spans.encode
    return {
        "layout": parsed.layout,
        "blocks": [[words.encode(b.id), b.kind.value, pair(b.span), words.encode(b.number),
                    None if b.portion_mark is None else
                    [pair(b.portion_mark.span), words.encode(b.portion_mark.label)],
                    pair(b.body), words.encode(b.field_name), [pair(h) for h in b.holes]]
                   for b in parsed.blocks],
        "asides": [[words.encode(a.kind), pair(a.span)] for a in parsed.asides],
        "placeholders": [pair(p) for p in parsed.placeholders],
        "authority": None if authority is None else [
            words.encode(authority.executive_order), authority.classified_by,
            words.encode(authority.classifier_position), words.encode(authority.classification),
            [words.encode(r) for r in authority.reasons], words.encode(authority.declassify_on),
            [words.encode(e) for e in authority.exemptions],
            [pair(s) for s in authority.spans]],
    }


# ---------------------------------------------------------------------------- decoding

# Members by value: a dict lookup is several times faster than calling the enum, and a hit
# builds hundreds of them.
_ACTIONS = {a.value: a for a in Action}
_BLOCK_KINDS = {k.value: k for k in BlockKind}
_FINDING_KINDS = {k.value: k for k in FindingKind}
_FOUND_BY = {k.value: k for k in FoundBy}


def _decode_strings(table: Any, text: str) -> list[str]:
    """The entry's strings, each decoded once: a hit reads each of them many times."""
    if not isinstance(table, list):
        raise CorruptEntry("no string table")
    size = len(text)
    strings = []
    for parts in table:
        if not isinstance(parts, list):
            raise CorruptEntry("not a list")
        if len(parts) == 1 and type(parts[0]) is str:  # most strings quote no document word
            strings.append(parts[0])
            continue
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            start, end = part
            if not (type(start) is int and type(end) is int and 0 <= start < end <= size
                    and _WORD.fullmatch(text, start, end)):
                raise CorruptEntry("a word reference outside the document")
            out.append(text[start:end])
        strings.append("".join(out))
    return strings


def _decode_spans(flat: Any, size: int) -> list[Span]:
    """The entry's spans, each built once, all checked to lie inside the document."""
    if not isinstance(flat, list) or len(flat) % 2 or not set(map(type, flat)) <= {int}:
        raise CorruptEntry("no span table")
    starts, ends = flat[0::2], flat[1::2]
    if flat and (min(flat) < 0 or max(flat) > size or any(map(operator.gt, starts, ends))):
        raise CorruptEntry("a span outside the document")
    return list(map(Span, starts, ends))


class _Decoder:
    """Turns an entry's indices back into strings and spans of one document. A bad index or
    value raises (IndexError, TypeError, KeyError, ValueError, CorruptEntry), and the entry is
    then ignored."""

    def __init__(self, data: dict[str, Any], document: Document) -> None:
        self.strings = _decode_strings(data["strings"], document.text)
        self.spans = _decode_spans(data["spans"], len(document.text))

    def text(self, index: int) -> str:
        return self.strings[index]

    def maybe_text(self, index: int | None) -> str | None:
        return None if index is None else self.strings[index]

    def span(self, index: int) -> Span:
        return self.spans[index]

    def maybe_span(self, index: int | None) -> Span | None:
        return None if index is None else self.spans[index]


def _decode_parsed(data: dict[str, Any], document: Document, decoder: _Decoder) -> ParsedDocument:
    text, maybe_text = decoder.text, decoder.maybe_text
    span, maybe_span = decoder.span, decoder.maybe_span
    blocks = tuple(
        Block(id=text(block_id), kind=_BLOCK_KINDS[kind], span=span(where),
              number=maybe_text(number),
              portion_mark=None if mark is None else PortionMark(span(mark[0]), text(mark[1])),
              body=maybe_span(body), field_name=maybe_text(field_name),
              holes=tuple(map(span, holes)) if holes else ())
        for block_id, kind, where, number, mark, body, field_name, holes in data["blocks"])
    authority = None
    if data["authority"] is not None:
        (order, classified_by, position, classification, reasons, declassify_on, exemptions,
         spans) = data["authority"]
        authority = Authority(
            executive_order=maybe_text(order), classified_by=bool(classified_by),
            classifier_position=maybe_text(position), classification=maybe_text(classification),
            reasons=tuple(map(text, reasons)), declassify_on=maybe_text(declassify_on),
            exemptions=tuple(map(text, exemptions)), spans=tuple(map(span, spans)))
    layout = data["layout"]
    if layout not in ("cable", "generic"):
        raise CorruptEntry("unknown layout")
    return ParsedDocument(
        document=document, layout=layout, blocks=blocks,
        asides=tuple(Aside(text(kind), span(where)) for kind, where in data["asides"]),
        placeholders=tuple(map(span, data["placeholders"])), authority=authority)


def _decode_findings(data: dict[str, Any], decoder: _Decoder) -> list[Finding]:
    text, maybe_text = decoder.text, decoder.maybe_text
    span, maybe_span = decoder.span, decoder.maybe_span
    return [
        Finding(kind=_FINDING_KINDS[kind], label=text(label), span=span(where_span),
                block_id=maybe_text(block_id), score=float(score), level=maybe_text(level),
                flags=tuple(map(text, flags)) if flags else (), where=maybe_text(where),
                entity_type=maybe_text(entity_type), detector=text(detector),
                found_by=None if found_by is None else _FOUND_BY[found_by],
                source=maybe_span(source), evidence=tuple(map(span, evidence)),
                facts=tuple(map(text, facts)), recognizer=maybe_text(recognizer),
                rechecked=bool(rechecked))
        for (kind, label, where_span, block_id, score, level, flags, where, entity_type,
             detector, found_by, source, evidence, facts, recognizer, rechecked)
        in data["table"]]


def _decode_decisions(data: dict[str, Any], decoder: _Decoder, table: list[Finding],
                      policy: Policy) -> tuple[Decision, ...]:
    rules = {rule.id: rule for rule in policy.rules}
    decisions = []
    for (rule_id, action, index, target, replaced, covered_by, allowed,
         protected) in data["decisions"]:
        rule = rules[rule_id]  # the key holds the policy's fingerprint: it has the rule
        decisions.append(Decision(
            rule=rule.id, action=_ACTIONS[action], reason=rule.reason, finding=table[index],
            target=decoder.span(target), replacement=rule.replacement if replaced else None,
            covered_by=decoder.maybe_text(covered_by),
            allowed_by=None if allowed is None else Allowance(
                decoder.text(allowed[0]), decoder.maybe_text(allowed[1])),
            protected_by=None if protected is None else Protection(
                bool(protected[0]), None if protected[1] is None else table[protected[1]],
                decoder.maybe_span(protected[2]))))
    return tuple(decisions)


def decode_plan(data: dict[str, Any], document: Document, policy: Policy) -> Plan:
    decoder = _Decoder(data, document)
    table = _decode_findings(data, decoder)
    maybe_text, span = decoder.maybe_text, decoder.span
    portions = tuple(
        PortionState(block_id=decoder.text(block_id), span=span(where), label=maybe_text(label),
                     level=maybe_text(level), inherited=bool(inherited),
                     already_withheld=bool(withheld))
        for block_id, where, label, level, inherited, withheld in data["portions"])
    return Plan(parsed=_decode_parsed(data["parsed"], document, decoder),
                level=maybe_text(data["level"]), highest_level=maybe_text(data["highest_level"]),
                findings=tuple(table[i] for i in data["findings"]),
                decisions=_decode_decisions(data, decoder, table, policy),
                portions=portions, verdict=Verdict(data["verdict"]))
