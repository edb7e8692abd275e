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
from collections.abc import Iterable, Iterator, Sequence

from redactor.detect.base import Detector, Explaining, Scan, line_of
from redactor.detect.placeholders import withheld_before
from redactor.model import Block, Finding, FindingKind, ParsedDocument, Span
from redactor.policy.conditions import VALIDATIONS
from redactor.policy.model import Policy

_BANNER_WHERE = ("banner", "caption")


class Validation(Detector):
    """The checks of the markings themselves, on the markings found before it."""

    name = "validation"
    outside_placeholders = False  # it checks the portions that hold placeholders itself

    def find(self, scan: Scan, found: Sequence[Finding]) -> Iterator[Finding]:
        return detect_validation(scan.parsed, found, scan.policy, scan.placeholders)

    @classmethod
    def describe(cls, finding: Finding, context: Explaining) -> str:
        """Each validation's sentence, from its level, flags, facts and evidence."""
        facts, level = finding.facts, finding.level
        if finding.label == "conflicting-classification" and not finding.evidence:
            header, banner = facts
            return (f"the header security line ({header}) says {level}, the classification "
                    f"line and captions say {banner}")
        if finding.label == "conflicting-classification":
            where, label, top_where, top_label, top_level = facts
            return (f"{where} marking {label} says {level}, the {top_where} marking "
                    f"{top_label} on line {line_of(context.document, finding.evidence[0])} says "
                    f"{top_level}")
        if finding.label == "under-marked":
            mark, banner = facts
            return f"portion marked ({mark}) is {level}, above the banner's {banner}"
        if finding.label == "control-on-unclassified":
            return (f"dissemination control {', '.join(finding.flags)} on a portion marked "
                    f"({facts[0]}), which is {level}")
        return (f"unmarked portion in a portion-marked document, inherits the document level "
                f"{level}")


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
                               header.level, (header.label, self.banner))
        tiered = [f for f in self.banner_marks if f.level in self.tiers]
        if len({f.level for f in tiered}) > 1:
            top = max(tiered, key=lambda f: self.policy.rank(f.level))
            for f in tiered:
                if f.level != top.level:
                    assert f.where is not None and top.where is not None
                    assert top.level is not None
                    yield _finding("conflicting-classification", f.span, f.block_id, f.level,
                                   (f.where, f.label, top.where, top.label, top.level),
                                   evidence=(top.span,))

    def portions(self) -> Iterator[Finding]:
        portions = [b for b in self.parsed.blocks if b.is_portion]
        marked = [b for b in portions if self.marks_of[b.id]]
        # A document that marks numbered paragraphs is checked paragraph by paragraph: its
        # unnumbered text (SUBJECT, headings, lines after a page break) is not a portion of its own.
        numbered = any(b.number is not None for b in marked)
        level = self.banner if self.banner is not None else self.policy.highest(
            f.level for b in portions for f in self.marks_of[b.id])
        for block in portions:
            if withheld_before(self.parsed, block, self.placeholders):
                continue
            if not self.marks_of[block.id]:
                if marked and level is not None and (block.number is not None or not numbered):
                    yield _finding("unmarked-portion", block.span, block.id, level)
                continue
            yield from self._under_marked(block)
            yield from self._control_on_unclassified(block)

    def _under_marked(self, block: Block) -> Iterator[Finding]:
        """A portion marked above the banner."""
        assert block.portion_mark is not None
        own = self.policy.highest(f.level for f in self.marks_of[block.id])
        if self.banner is not None and own is not None and (
                self.policy.rank(own) > self.policy.rank(self.banner)):
            yield _finding("under-marked", block.portion_mark.span, block.id, own,
                           (block.portion_mark.label, self.banner))

    def _control_on_unclassified(self, block: Block) -> Iterator[Finding]:
        """A dissemination control on a portion whose own level is unclassified."""
        assert block.portion_mark is not None
        marks = self.marks_of[block.id]
        controls = [f for f in marks if f.flags]
        plain = self.policy.highest(f.level for f in marks if not f.flags)
        if controls and plain is not None and self.classified_from is not None and (
                self.policy.rank(plain) < self.policy.rank(self.classified_from)):
            flags = tuple(dict.fromkeys(flag for f in controls for flag in f.flags))
            yield _finding("control-on-unclassified", block.portion_mark.span, block.id, plain,
                           (block.portion_mark.label,), flags=flags)


def _finding(label: str, span: Span, block_id: str | None, level: str | None,
             facts: tuple[str, ...] = (), evidence: tuple[Span, ...] = (),
             flags: tuple[str, ...] = ()) -> Finding:
    return Finding(kind=FindingKind.VALIDATION, label=label, span=span, block_id=block_id,
                   level=level, flags=flags, detector=Validation.name, facts=facts,
                   evidence=evidence)


__all__ = ["VALIDATIONS", "Validation", "detect_validation"]
