"""The typed data that flows between the pipeline stages.

formats → Document → parse → ParsedDocument → detect → Finding* → decide → Plan → release
                                                                            ↘ report
"""

from __future__ import annotations

import bisect
import re
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple, Protocol


class Action(StrEnum):
    """What a rule does, weakest to strongest. The order is the enum order."""

    ALLOW = "allow"
    FLAG = "flag"
    REDACT = "redact"
    WITHHOLD = "withhold"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return list(Action).index(self)


class Verdict(StrEnum):
    """What may happen to a document as a whole."""

    RELEASABLE = "releasable"  # nothing at or above `flag`
    REVIEW = "review"  # flags only: a person must look before release
    REDACT = "redact"  # releasable after redaction
    BLOCK = "block"  # cannot be released, not even redacted
    ERROR = "error"  # could not be checked (fail closed)
    SKIPPED = "skipped"  # hidden, or a link to a folder: not checked, and reported as such


class BlockKind(StrEnum):
    ROUTING = "routing"  # telegram routing header (VZCZC, FM, TO, INFO …)
    BANNER = "banner"  # classification line / banner line
    CAPTION = "caption"  # caption and passing lines under the banner
    FIELD = "field"  # E.O., TAGS, SUBJECT, REF, Classified By
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    PAGE = "page"  # page / section line injected mid-text
    SIGNATURE = "signature"
    TRAILER = "trailer"


class FindingKind(StrEnum):
    MARKING = "marking"
    PORTION = "portion"
    ENTITY = "entity"
    CUE = "cue"
    VALIDATION = "validation"  # a check of the markings themselves (detect/validation.py)


class FoundBy(StrEnum):
    """How an entity was found: the name layers' (each NameLayer of redactor/detect/names/
    names its own as its `found_by`) and the one release's rounds add.
    tests/unit/detect/test_detector_registry.py holds this enum and the layers equal."""

    MODEL = "model"  # the model (Finding.recognizer names Presidio's recognizer)
    DENY_LIST = "deny-list"  # the policy's deny-list
    SIGNATURE = "signature"  # a telegram's signature line
    ADDRESSEE_LINE = "addressee-line"  # a telegram's `… FOR NAME` addressee lines
    TAGS_LINE = "tags-line"  # the visitor after a telegram's OVIP tag
    MAIL_HEADER = "mail-header"  # an e-mail's From/To/Cc header lines
    CLEARANCE_LINE = "clearance-line"  # Drafted:/Cleared:/Approved: lines (evidence: label)
    TITLE_CUE = "title-cue"  # a capitalised word after a title (evidence: the title)
    INITIALS = "initials"  # a capitalised word after initials (evidence: the initials)
    ALIAS = "alias"  # initials the document defines for the person at `source`
    PROPAGATION = "propagation"  # the same name as `source`, found elsewhere
    LIST = "list"  # an item of a line that lists people (evidence: the names listed)
    MISSPELLING = "misspelling"  # one letter away from the name at `source`
    HYPHENATION = "hyphenation"  # the rest of the name at `source`, hyphenated at a line end
    HYPHEN_PAIR = "hyphen-pair"  # a name word joined by a hyphen to the name at `source`
    TABLE_COLUMN = "table-column"  # a cell of a table's name column (evidence: the header)
    USER_ID = "user-id"  # a user id, handle or address spelled from the name at `source`
    WHOLE_NAME = "whole-name"  # the finding at `source` widened to its word or surname
    SAME_TEXT = "same-text"  # another spelling of the removal at `source` (same_text.py)


# Labels the pipeline gives its own findings; a policy cannot name a cue after one of them.
EXISTING_REDACTION = "existing-redaction"  # an earlier redaction in the input
DOCUMENT_LEVEL = "document-level"  # the subject of a rule about the whole document
ASIDE_KINDS = ("note", "comment")  # [NOTE: … END NOTE], [COMMENT: … END COMMENT]
RESERVED_LABELS = frozenset({EXISTING_REDACTION, DOCUMENT_LEVEL, *ASIDE_KINDS})


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class TextSource:
    """How the text format read a file's bytes: the codec, and whether a byte-order mark led
    them (a copy is written back the same way)."""

    encoding: str
    bom: bool = False


class Position(NamedTuple):
    """Where an offset of a document's text is for a reader of the medium (1-based)."""

    line: int
    column: int


class SourceMap(Protocol):
    """Text offsets → positions in the medium: reports give every position through it."""

    def position(self, offset: int) -> Position: ...


class LineMap:
    """The source map of text: line and column of each offset."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return _new_position(Position, (line, offset - self.starts[line - 1] + 1))


_new_position = tuple.__new__  # a report asks for thousands of positions: no extra frame


@dataclass(frozen=True)
class Document:
    """The text of one input file, with what is needed to write a copy of it the same way and
    to say where each offset is. Made by a format (redactor/formats/)."""

    path: str
    text: str
    _: KW_ONLY  # what follows is named: a positional call of the old (path, text, encoding…)
    sha256: str  # of the file's bytes
    size: int  # bytes
    format: str = "text"  # the format that read it: its name in redactor/formats/
    source: TextSource = TextSource("utf-8")  # how the format read it
    source_map: SourceMap | None = None  # None: lines and columns of the text
    # The file's bytes, kept by formats that write a copy from them (HTML, e-mail); None for
    # text, whose copy is its text.
    raw: bytes | None = field(default=None, repr=False, compare=False)
    # Text that labels a link to another page (HTML's <a href>): read like any text, but never
    # a marking of this document (a menu of `SECRET`, `CONFIDENTIAL` pages marks nothing).
    link_labels: tuple[Span, ...] = ()

    @property
    def encoding(self) -> str:
        """The codec the text was decoded with, as reports name it."""
        return self.source.encoding

    @cached_property
    def _positions(self) -> SourceMap:
        return self.source_map if self.source_map is not None else LineMap(self.text)

    def position(self, offset: int) -> Position:
        """Where a character offset is in the medium (line and column, 1-based, for text)."""
        positions = self._positions
        if type(positions) is LineMap:  # text: the common case, without a call more
            starts = positions.starts
            line = bisect.bisect_right(starts, offset)
            return _new_position(Position, (line, offset - starts[line - 1] + 1))
        return positions.position(offset)


@dataclass(frozen=True)
class PortionMark:
    """A portion mark such as `(SBU)` or `(S//NF)`: its span and the label inside."""

    span: Span
    label: str


@dataclass(frozen=True)
class Block:
    """One structural unit of a document, with offsets into Document.text."""

    id: str
    kind: BlockKind
    span: Span
    number: str | None = None  # paragraph number, e.g. "2" or "2a"
    portion_mark: PortionMark | None = None
    body: Span | None = None  # the text after number and portion mark
    field_name: str | None = None  # E.O., TAGS, SUBJECT, REF, CLASSIFIED BY
    holes: tuple[Span, ...] = ()  # page/section lines inside the block, kept as they are

    @property
    def is_portion(self) -> bool:
        """Portions are the units a reviewer marks and withholds."""
        return self.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) or (
            self.kind is BlockKind.FIELD and self.field_name == "SUBJECT"
        )


@dataclass(frozen=True)
class Aside:
    """A `[NOTE: … END NOTE]` or `[COMMENT: … END COMMENT]` span."""

    kind: str  # "note" | "comment"
    span: Span


@dataclass(frozen=True)
class Authority:
    """A document's classification authority and declassification instructions: the E.O. line
    (`E.O. 12958: DECL: 08/21/2018`), the `Classified By: …; Reason: 1.4 (b), (d)` statement,
    a retroactive classification block (`Classified by …  Class: CONFIDENTIAL  Reason: …
    Declassify on: …`) and exemption codes (`25X1`, `50X1-HUM`).

    Never holds the classifier's name: only that there is a classifier and, when one of the
    known titles or office symbols says it, the position (`Ambassador`, `DCM`, `A/GIS`)."""

    executive_order: str | None = None  # "12958", "13526"
    classified_by: bool = False  # a Classified By statement is present
    classifier_position: str | None = None  # title or office only, never the name
    classification: str | None = None  # the level word of a `Class:` field, e.g. "CONFIDENTIAL"
    reasons: tuple[str, ...] = ()  # E.O. categories: "1.4(b)", "1.4(d)", "1.5(b)"
    declassify_on: str | None = None  # "08/21/2018", "2020/02/17", "OADR", "TWENTY YEARS"
    exemptions: tuple[str, ...] = ()  # "25X1", "50X1-HUM", legacy "X6"
    spans: tuple[Span, ...] = ()  # where each piece was read, in order

    @property
    def empty(self) -> bool:
        return not (self.executive_order or self.classified_by or self.classification
                    or self.reasons or self.declassify_on or self.exemptions)


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    layout: str  # "cable" | "generic"
    blocks: tuple[Block, ...]
    asides: tuple[Aside, ...] = ()
    placeholders: tuple[Span, ...] = ()  # earlier redactions found in the text
    authority: Authority | None = None  # classification authority and declassification lines

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.span.start for block in self.blocks]

    def block_at(self, offset: int) -> Block | None:
        """The block that holds the offset (blocks are in order and do not overlap)."""
        index = bisect.bisect_right(self._block_starts, offset) - 1
        if index >= 0 and offset < self.blocks[index].span.end:
            return self.blocks[index]
        return None

    def block_id_at(self, offset: int) -> str | None:
        """The id of the block that holds the offset, if one does."""
        block = self.block_at(offset)
        return block.id if block is not None else None


@dataclass(frozen=True, slots=True)
class Finding:
    """Something detected in a document. Never holds the text itself, only where it is, and
    the structured evidence of how it was found: reports put that into words (the detector's
    `describe`), showing document text only when asked to."""

    kind: FindingKind
    label: str  # marking id, entity type, or cue name
    span: Span
    block_id: str | None = None
    score: float = 1.0
    level: str | None = None
    flags: tuple[str, ...] = ()
    where: str | None = None  # banner | caption | portion | header | phrase (markings)
    entity_type: str | None = None
    detector: str = ""  # who found it: a detector's name (detect/), or decide's subjects
    found_by: FoundBy | None = None  # entities: the name layer that found it
    source: Span | None = None  # the other mention this one repeats (propagation, …)
    evidence: tuple[Span, ...] = ()  # what else it rests on: the title, the initials, …
    facts: tuple[str, ...] = ()  # the policy's words it rests on (levels, marks), by detector
    recognizer: str | None = None  # the model's recognizer that found it (found_by model)
    rechecked: bool = False  # found on re-check of the redacted copy (redact's rounds)


@dataclass(frozen=True, slots=True)
class Allowance:
    """Why a finding was let through: the allow-list of a rule (or one of its allow files), or
    a baseline's acceptance (its reason and reviewer)."""

    rule: str = ""
    file: str | None = None  # the allow file's name
    baseline: str | None = None  # `<reason> (reviewer <name>)` of a baseline entry

    def __str__(self) -> str:
        if self.baseline is not None:
            return f"accepted by baseline: {self.baseline}"
        if self.file is not None:
            return f"allow-list of rule {self.rule} ({self.file})"
        return f"allow-list of rule {self.rule}"


@dataclass(frozen=True, slots=True)
class Protection:
    """Why an allow-list that held an entity's text was not applied: the text is on the
    policy's deny-list of its type, or a protection cue speaks for it (its scope holds the
    entity, or `other`, another mention of the same name)."""

    denied: bool = False
    cue: Finding | None = None
    other: Span | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A rule applied to a finding (or a portion, or the document)."""

    rule: str
    action: Action
    reason: str
    finding: Finding
    target: Span  # what the action removes: the span, the portion body, or the document
    replacement: str | None = None  # overrides the policy's replacement label
    covered_by: str | None = None  # the block id of a withheld portion that already removes it
    allowed_by: Allowance | None = None  # why an entity was let through
    # Why an allow-list that matched the entity was not applied (a protection cue near it, or
    # the deny-list): the decision then carries the rule's own action.
    protected_by: Protection | None = None


@dataclass(frozen=True)
class PortionState:
    """How the decide stage sees one portion: its mark, its effective level, its fate."""

    block_id: str
    span: Span
    label: str | None  # portion mark label, None when unmarked
    level: str | None
    inherited: bool
    already_withheld: bool


@dataclass(frozen=True)
class Plan:
    """Everything decided about one document."""

    parsed: ParsedDocument
    level: str | None  # the governing level: banner and captions, else the highest marking
    highest_level: str | None  # the highest level of any marking or portion mark
    findings: tuple[Finding, ...]
    decisions: tuple[Decision, ...]
    portions: tuple[PortionState, ...]
    verdict: Verdict

    @property
    def document(self) -> Document:
        return self.parsed.document

    @property
    def strongest(self) -> Action | None:
        actions = [d.action for d in self.decisions if d.allowed_by is None]
        return max(actions, key=lambda a: a.rank) if actions else None


@dataclass(frozen=True)
class FileError:
    code: str  # not-found | binary | empty | undecodable | too-large | unreadable | …
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Result:
    """The outcome of checking one path: a plan, or an error (fail closed)."""

    path: str
    plan: Plan | None = None
    error: FileError | None = None
    skipped: str | None = None  # why the path was not checked (hidden, a link to a folder)

    @property
    def verdict(self) -> Verdict:
        if self.skipped is not None:
            return Verdict.SKIPPED
        return Verdict.ERROR if self.plan is None else self.plan.verdict
