"""decide: findings + policy rules → Plan (a decision per finding and rule, and a verdict).

A rule's `when` conditions (each defined in redactor/policy/conditions.py) pick its subject:
findings when it has a condition about findings (`entity`, `marking`, `validation`, …), else
portions (numbered paragraphs, headings, SUBJECT) when it has one about portions, else the
document; a document condition (`document_level`) is also a test on any rule. A condition may
claim a kind of finding (`validation` claims marking validation findings): no other rule sees
those findings.

The document level is the level its classification line and captions give it (its banner), as
a reviewer reads a document; only a document without them takes the highest level of any
marking in it. Portion marks above the banner (an under-marked document) are reported as the
`highest_level` and are for rules to act on (the built-in packs withhold or block them).
Every rule that matches is recorded (a reviewer sees the whole picture); what is removed is
decided by the strongest action.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from functools import cached_property

from redactor.detect.placeholders import withheld_before
from redactor.model import (
    DOCUMENT_LEVEL,
    EXISTING_REDACTION,
    Action,
    Allowance,
    Decision,
    Document,
    Finding,
    FindingKind,
    ParsedDocument,
    Plan,
    PortionState,
    Protection,
    Span,
    Verdict,
)
from redactor.parse.sentences import scope_of
from redactor.policy.conditions import CONDITIONS, MatchContext, Subject, When
from redactor.policy.model import Policy, RuleDef, normalise_name
from redactor.same_text import same_text_decisions
from redactor.vocabulary import TITLES

_LEVEL_KINDS = (FindingKind.MARKING, FindingKind.PORTION)
_BANNER_WHERE = ("banner", "caption")


def decide(parsed: ParsedDocument, findings: tuple[Finding, ...], policy: Policy) -> Plan:
    highest = policy.highest(f.level for f in findings if f.kind in _LEVEL_KINDS)
    banner = policy.highest(f.level for f in findings
                            if f.kind is FindingKind.MARKING and f.where in _BANNER_WHERE)
    level = banner if banner is not None else highest
    portions = _portion_states(parsed, findings, level, policy)
    context = _Context(parsed, findings, portions, level, policy)
    decisions: list[Decision] = []
    for rule in policy.rules:
        decisions.extend(context.apply(rule))
    decisions = mark_covered(decisions, parsed)
    decisions += same_text_decisions(parsed, decisions)
    return Plan(parsed=parsed, level=level, highest_level=highest, findings=findings,
                decisions=tuple(decisions),
                portions=portions, verdict=verdict_of(decisions))


def verdict_of(decisions: list[Decision]) -> Verdict:
    actions = {d.action for d in decisions if d.allowed_by is None}
    if Action.BLOCK in actions:
        return Verdict.BLOCK
    if actions & {Action.WITHHOLD, Action.REDACT}:
        return Verdict.REDACT
    if Action.FLAG in actions:
        return Verdict.REVIEW
    return Verdict.RELEASABLE


def _portion_states(parsed: ParsedDocument, findings: tuple[Finding, ...], level: str | None,
                    policy: Policy) -> tuple[PortionState, ...]:
    marks_of: dict[str | None, list[Finding]] = defaultdict(list)
    placeholders_of: dict[str | None, list[Span]] = defaultdict(list)
    for f in findings:  # grouped once: a long document has thousands of blocks and findings
        if f.kind is FindingKind.PORTION:
            marks_of[f.block_id].append(f)
        elif f.label == EXISTING_REDACTION:
            placeholders_of[f.block_id].append(f.span)
    states = []
    for block in parsed.blocks:
        if not block.is_portion:
            continue
        marks = marks_of[block.id]
        own = policy.highest(f.level for f in marks)
        label = block.portion_mark.label if block.portion_mark and marks else None
        states.append(PortionState(
            block_id=block.id, span=block.span, label=label,
            level=own if own is not None else (level if label is None else None),
            inherited=label is None and level is not None,
            already_withheld=withheld_before(parsed, block, placeholders_of[block.id])))
    return tuple(states)


class _Context:
    def __init__(self, parsed: ParsedDocument, findings: tuple[Finding, ...],
                 portions: tuple[PortionState, ...], level: str | None, policy: Policy) -> None:
        self.parsed = parsed
        self.findings = findings
        self.portions = portions
        self.level = level
        self.policy = policy
        self.blocks = {b.id: b for b in parsed.blocks}
        self.withheld = {p.block_id for p in portions if p.already_withheld}
        self.whole = Span(0, len(parsed.document.text))

    @property
    def ladder(self) -> tuple[str, ...]:
        return self.policy.levels

    def apply(self, rule: RuleDef) -> Iterator[Decision]:
        when = rule.when
        if not _holds(when, "document", None, self):
            return
        if when.about("finding"):
            for finding in self.findings:
                if self._finding_matches(when, finding):
                    yield from self._decide(rule, finding)
        elif when.about("portion"):
            for portion in self.portions:
                if self._portion_matches(when, portion) and not portion.already_withheld:
                    finding = Finding(kind=FindingKind.PORTION, label=portion.label or "unmarked",
                                      span=portion.span, block_id=portion.block_id,
                                      level=portion.level, detector=PORTION_SUBJECT,
                                      facts=(portion.label,) if portion.label else ())
                    yield from self._decide(rule, finding)
        else:
            finding = Finding(kind=FindingKind.CUE, label=DOCUMENT_LEVEL, span=self.whole,
                              level=self.level, detector=DOCUMENT_SUBJECT)
            yield from self._decide(rule, finding)

    def _finding_matches(self, when: When, finding: Finding) -> bool:
        if finding.label == EXISTING_REDACTION:
            return False
        claimed = {c.exclusive_kind for c, _ in when.items() if c.exclusive_kind is not None}
        if (finding.kind in _CLAIMED_KINDS or claimed) and finding.kind not in claimed:
            return False  # a kind some condition claims is seen by its rules, and only them
        return _holds(when, "finding", finding, self)

    def near_cue(self, finding: Finding, cues: frozenset[str]) -> bool:
        cue, _ = self.protection.cue_of(finding, cues)
        return cue is not None

    def _portion_matches(self, when: When, portion: PortionState) -> bool:
        return _holds(when, "portion", portion, self)

    def _decide(self, rule: RuleDef, finding: Finding) -> Iterator[Decision]:
        protected_by = None
        if finding.kind is FindingKind.ENTITY and (rule.allow or rule.allow_files):
            allowed_by = self._allowed_by(rule, finding)
            if allowed_by is not None:
                protected_by = self.protection.protected_by(finding)
                if protected_by is None:
                    yield Decision(rule.id, Action.ALLOW, rule.reason, finding, finding.span,
                                   allowed_by=allowed_by)
                    return
        if rule.action is Action.WITHHOLD:
            for target in self._withhold_targets(finding):
                yield Decision(rule.id, rule.action, rule.reason, finding, target,
                               replacement=rule.replacement, protected_by=protected_by)
            return
        target = self.whole if rule.action is Action.BLOCK else finding.span
        yield Decision(rule.id, rule.action, rule.reason, finding, target,
                       replacement=rule.replacement, protected_by=protected_by)

    def _allowed_by(self, rule: RuleDef, finding: Finding) -> Allowance | None:
        """The allow-list of the rule that holds the finding's whole text, if any: compared
        normalised (normalise_name), also without leading titles (`Ambassador John Smith` is
        `John Smith`); never by a part of it, such as the surname alone."""
        text = self.parsed.document.text[finding.span.start:finding.span.end]
        for name in _without_titles(normalise_name(text)):
            allowed_by = rule.allowed_by(name)
            if allowed_by is not None:
                return allowed_by
        return None

    @cached_property
    def protection(self) -> _Protection:
        return _Protection(self.parsed, self.findings, self.policy)

    def _withhold_targets(self, finding: Finding) -> Iterator[Span]:
        """Withholding removes the portion that holds the finding (every portion, for the
        document), or the finding's own line when it is not inside a portion."""
        if finding.span == self.whole:
            blocks = [self.blocks[p.block_id] for p in self.portions
                      if p.block_id not in self.withheld]
        else:
            block = self.blocks.get(finding.block_id or "")
            if block is None or not block.is_portion:
                yield block.span if block else finding.span
                return
            blocks = [] if block.id in self.withheld else [block]
        for block in blocks:
            yield block.body or block.span


class _Protection:
    """Which entity findings no allow-list may let through: those inside the scope of a
    protection cue (its sentence or paragraph), every other mention of the same name (the same
    name words, one form inside the other, or linked by propagation), and texts on the policy's
    deny-list for the finding's type."""

    def __init__(self, parsed: ParsedDocument, findings: tuple[Finding, ...],
                 policy: Policy) -> None:
        self.parsed = parsed
        definitions = {cue.id: cue for cue in policy.cues}
        regions = [(scope_of(parsed, f.span, definitions[f.label].scope), f) for f in findings
                   if f.kind is FindingKind.CUE and f.label in definitions]
        self.direct: dict[Finding, list[Finding]] = {}  # entity → the cues whose scope holds it
        for finding in findings:
            if finding.kind is FindingKind.ENTITY:
                cues = [c for region, c in regions if region.overlaps(finding.span)]
                if cues:
                    self.direct[finding] = cues
        text = parsed.document.text
        self.direct_words = {f: _name_words(normalise_name(text[f.span.start:f.span.end]))
                             for f in self.direct}
        self.deny = {e.type: [_term_regex(term) for term in e.deny] for e in policy.entities}

    def protected_by(self, finding: Finding) -> Protection | None:
        text = self.parsed.document.text
        name = normalise_name(text[finding.span.start:finding.span.end])
        if any(term.search(name) for term in self.deny.get(finding.entity_type or "", ())):
            return Protection(denied=True)
        cue, other = self.cue_of(finding, None)
        if cue is None:
            return None
        return Protection(cue=cue, other=other.span if other is not None else None)

    def cue_of(self, finding: Finding,
               ids: frozenset[str] | None) -> tuple[Finding | None, Finding | None]:
        """A cue (of `ids`, or any) whose scope holds the finding, or holds another mention of
        the same name (then also that mention)."""
        def first(cues: list[Finding]) -> Finding | None:
            return next((c for c in cues if ids is None or c.label in ids), None)

        if finding in self.direct and first(self.direct[finding]) is not None:
            return first(self.direct[finding]), None
        text = self.parsed.document.text
        words = _name_words(normalise_name(text[finding.span.start:finding.span.end]))
        for other, cues in self.direct.items():
            cue = first(cues)
            if cue is None:
                continue
            other_words = self.direct_words[other]
            linked = (finding.source is not None and finding.source.overlaps(other.span)) or (
                other.source is not None and other.source.overlaps(finding.span))
            same = bool(words) and bool(other_words) and (words <= other_words
                                                           or other_words <= words)
            if linked or same:
                return cue, other
        return None, None


_NAME_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_TITLE_WORDS = sorted((normalise_name(t) for t in TITLES), key=len, reverse=True)


def _name_words(name: str) -> frozenset[str]:
    """The words of a normalised name, without the titles in front of it."""
    *_, bare = _without_titles(name)
    return frozenset(_NAME_WORD.findall(bare))


def _without_titles(name: str) -> Iterator[str]:
    """The normalised name, then the name with each leading title removed in turn."""
    yield name
    while True:
        title = next((t for t in _TITLE_WORDS
                      if name.startswith(t) and re.match(r"\.?\s", name[len(t):])), None)
        if title is None:
            return
        name = name[len(title):].lstrip(". ")
        if not name:
            return
        yield name


def _term_regex(term: str) -> re.Pattern[str]:
    """A deny-listed term, normalised, matched in a normalised name."""
    words = normalise_name(term).split()
    return re.compile(r"(?<![^\W_])" + r"\s+".join(re.escape(w) for w in words) + r"(?![^\W_])")


def _holds(when: When, subject: Subject, target: object, context: MatchContext) -> bool:
    """Every condition of the rule about this kind of subject holds for the target."""
    return all(condition.matches(value, target, context) for condition, value in when.items()
               if condition.subject == subject)


_CLAIMED_KINDS = frozenset(c.exclusive_kind for c in CONDITIONS.values()
                           if c.exclusive_kind is not None)


# The subjects of rules that are not findings of a detector: a portion, the document.
PORTION_SUBJECT = "portion"
DOCUMENT_SUBJECT = "document"


def describe_subject(finding: Finding, document: Document) -> str:
    """The explanation of a portion or document subject."""
    if finding.detector == DOCUMENT_SUBJECT:
        return f"document level {finding.level}"
    if not finding.facts:
        return f"unmarked portion, inherits document level {finding.level}"
    return f"portion marked ({finding.facts[0]}), level {finding.level}"


def mark_covered(decisions: list[Decision], parsed: ParsedDocument) -> list[Decision]:
    """Point each redaction or flag inside a withheld portion at that portion. Withheld
    targets lie inside one block, so only those of the decision's own block are compared."""
    withheld: dict[str | None, list[tuple[Span, str]]] = defaultdict(list)
    for d in decisions:
        if d.action is Action.WITHHOLD and d.allowed_by is None:
            withheld[parsed.block_id_at(d.target.start)].append(
                (d.target, d.finding.block_id or d.rule))
    result = []
    for decision in decisions:
        cover = None
        if decision.action in (Action.REDACT, Action.FLAG):
            cover = next((block for target, block
                          in withheld[parsed.block_id_at(decision.target.start)]
                          if target.contains(decision.target)), None)
        result.append(decision if cover is None else replace(decision, covered_by=cover))
    return result
