"""Marking validation: the checks a reviewer makes on a document's own markings, each a finding
of kind `validation` with its own label, which rules map to actions (`when: {validation: …}`).

- `under-marked`: a portion marked above the banner (classification line and captions);
- `unmarked-portion`: a portion without a mark in a portion-marked document (one with at least
  one recognised portion mark); a document with no portion marks at all is not portion-marked,
  and its paragraphs are not reported one by one. Where the marks are on numbered paragraphs (a
  telegram), only numbered paragraphs are checked: SUBJECT, headings and unnumbered text are
  not portions of their own there;
- `conflicting-classification`: the header security line (`ZNY CCCCC`) against the
  classification line (`UNCLAS`), or banner and caption lines that give different
  classification levels (`UNCLASSIFIED` at the top, `SECRET` at the bottom);
- `control-on-unclassified`: a dissemination control (a portion marking that raises flags, such
  as `NF`) on a portion whose own level is unclassified (`(U//NF)`, `(SBU/NF)`).

"Classified" starts at the lowest level above the ladder's bottom that a header marking sets (a
security line; `confidential` in the built-in packs), or, for a policy without them, the second
level of the ladder. Levels are compared in tiers of those header levels: `sbu` is unclassified
traffic (`ZNR UUUUU`). Portions that hold nothing but earlier redactions are not validated: a
redacted copy keeps the marks of the portions it withheld.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from redactor.model import Block, Finding, FindingKind, ParsedDocument, Span
from redactor.policy.model import Policy

VALIDATIONS = ("under-marked", "unmarked-portion", "conflicting-classification",
               "control-on-unclassified")
_BANNER_WHERE = ("banner", "caption")


def detect_validation(parsed: ParsedDocument, findings: Iterable[Finding], policy: Policy,
                      placeholders: Iterable[Span] = ()) -> Iterator[Finding]:
    found = list(findings)
    checker = _Checker(parsed, found, policy, tuple(placeholders))
    yield from checker.conflicts()
    yield from checker.portions()


class _Checker:
    def __init__(self, parsed: ParsedDocument, findings: list[Finding], policy: Policy,
                 placeholders: tuple[Span, ...]) -> None:
        self.parsed = parsed
        self.policy = policy
        self.placeholders = placeholders
        self.banner_marks = [f for f in findings if f.kind is FindingKind.MARKING
                             and f.where in _BANNER_WHERE and f.level is not None]
        self.header_marks = [f for f in findings if f.kind is FindingKind.MARKING
                             and f.where == "header" and f.level is not None]
        self.marks_of: dict[str | None, list[Finding]] = defaultdict(list)
        for f in findings:
            if f.kind is FindingKind.PORTION:
                self.marks_of[f.block_id].append(f)
        self.banner = policy.highest(f.level for f in self.banner_marks)
        ladder = policy.levels
        header_levels = {m.level for m in policy.markings_at("header") if m.level is not None}
        self.tiers = sorted(header_levels, key=policy.rank) or list(ladder)
        above_bottom = [lv for lv in self.tiers if policy.rank(lv) > 0]
        self.classified_from = above_bottom[0] if above_bottom else (
            ladder[1] if len(ladder) > 1 else None)

    def tier(self, level: str) -> str:
        """The highest tier level at or below `level` (the ladder's bottom if none)."""
        below = [t for t in self.tiers if self.policy.rank(t) <= self.policy.rank(level)]
        return below[-1] if below else self.policy.levels[0]

    def conflicts(self) -> Iterator[Finding]:
        if self.banner is not None and self.header_marks:
            header = max(self.header_marks, key=lambda f: self.policy.rank(f.level))
            assert header.level is not None
            line_tier = self.tier(self.banner)
            if header.level != line_tier:
                yield _finding("conflicting-classification", header.span, header.block_id,
                               header.level, f"the header security line ({header.label}) says "
                               f"{header.level}, the classification line and captions say "
                               f"{self.banner}")
        tiered = [f for f in self.banner_marks if f.level in self.tiers]
        if len({f.level for f in tiered}) > 1:
            top = max(tiered, key=lambda f: self.policy.rank(f.level))
            for f in tiered:
                if f.level != top.level:
                    line, _ = self.parsed.document.position(top.span.start)
                    yield _finding("conflicting-classification", f.span, f.block_id, f.level,
                                   f"{f.where} marking {f.label} says {f.level}, the {top.where} "
                                   f"marking {top.label} on line {line} says {top.level}")

    def portions(self) -> Iterator[Finding]:
        portions = [b for b in self.parsed.blocks if b.is_portion]
        marked = [b for b in portions if self.marks_of[b.id]]
        # A document that marks numbered paragraphs is checked paragraph by paragraph: its
        # unnumbered text (SUBJECT, headings, lines after a page break) is not a portion of its own.
        numbered = any(b.number is not None for b in marked)
        level = self.banner if self.banner is not None else self.policy.highest(
            f.level for b in portions for f in self.marks_of[b.id])
        for block in portions:
            if self._already_withheld(block):
                continue
            marks = self.marks_of[block.id]
            if not marks:
                if marked and level is not None and (block.number is not None or not numbered):
                    yield _finding("unmarked-portion", block.span, block.id, level,
                                   f"unmarked portion in a portion-marked document, inherits "
                                   f"the document level {level}")
                continue
            assert block.portion_mark is not None
            mark = block.portion_mark
            own = self.policy.highest(f.level for f in marks)
            if self.banner is not None and own is not None and (
                    self.policy.rank(own) > self.policy.rank(self.banner)):
                yield _finding("under-marked", mark.span, block.id, own,
                               f"portion marked ({mark.label}) is {own}, above the banner's "
                               f"{self.banner}")
            controls = [f for f in marks if f.flags]
            plain = self.policy.highest(f.level for f in marks if not f.flags)
            if controls and plain is not None and self.classified_from is not None and (
                    self.policy.rank(plain) < self.policy.rank(self.classified_from)):
                flags = tuple(dict.fromkeys(flag for f in controls for flag in f.flags))
                yield _finding("control-on-unclassified", mark.span, block.id, plain,
                               f"dissemination control {', '.join(flags)} on a portion marked "
                               f"({mark.label}), which is {plain}", flags)

    def _already_withheld(self, block: Block) -> bool:
        """A portion whose text is nothing but redaction placeholders was withheld before."""
        body = block.body or block.span
        inside = [p for p in self.placeholders if body.overlaps(p)]
        if not inside:
            return False
        text = list(self.parsed.document.text[body.start:body.end])
        for span in [*inside, *block.holes]:
            for i in range(max(span.start, body.start), min(span.end, body.end)):
                text[i - body.start] = " "
        return not any(ch.isalnum() for ch in text)


def _finding(label: str, span: Span, block_id: str | None, level: str | None,
             explanation: str, flags: tuple[str, ...] = ()) -> Finding:
    return Finding(kind=FindingKind.VALIDATION, label=label, span=span, block_id=block_id,
                   level=level, flags=flags, explanation=explanation)
