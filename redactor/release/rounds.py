"""The re-check rounds of `redact`: render the copy, check it with the same policy, and redact
what is still found, until it comes out clean.

`redact` does not trust a single pass. It re-checks its own copy and, if anything at or above
`redact` is still found there (a name the model only recognises once its neighbours are gone,
say), maps it back to the original and redacts it too; and it removes every other spelling of
a removed text still in the copy (`Jose` removed, `JOSE` left), until the copy is clean. If
that does not settle within a few rounds, nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from redactor import formats
from redactor.decide import verdict_of
from redactor.engine import Engine
from redactor.errors import RedactorError
from redactor.model import (
    Action,
    Decision,
    Document,
    Finding,
    Plan,
    Protection,
    Span,
    Verdict,
)
from redactor.release.copy import Pseudonyms, Rendered, render_copy
from redactor.same_text import (
    NOT_BREAK,
    Spellings,
    distinct_spellings,
    same_text_decision,
    searched,
    searched_removal,
)

MAX_ROUNDS = 6


@dataclass(frozen=True)
class Redaction:
    plan: Plan  # the original's plan, with any decisions added by re-check rounds
    rendered: Rendered
    recheck: Plan  # the copy as written and read back, checked with the same policy
    rounds: int
    data: bytes  # the copy, written by the document's format


def redact(engine: Engine, plan: Plan, release_date: str | None = None,
           pseudonyms: Pseudonyms | None = None, written: bool = True) -> Redaction:
    """The release copy of a document that is not blocked. `pseudonyms` is shared when a
    folder run numbers entities across documents. With `written` False the rounds check the
    rendered text instead of the written copy, and no bytes are made: only for `verify`,
    to say which removals a copy should hold when none could be written."""
    if plan.verdict is Verdict.BLOCK:
        raise RedactorError(plan.document.path, "the document is blocked by the policy",
                            "No release copy can be made.", code="blocked")
    engine.check_release_date(release_date)
    pseudonyms = pseudonyms if pseudonyms is not None else Pseudonyms()
    for round_number in range(1, MAX_ROUNDS + 1):
        rendered = render_copy(plan, engine.policy, release_date, pseudonyms)
        if written:
            data, copy = write_and_reread(plan.document, rendered)
        else:
            # the original's link labels do not hold in the rendered text: none are known,
            # so a marking in one counts (stricter, never laxer)
            data, copy = b"", replace(plan.document, text=rendered.text, link_labels=())
        recheck = engine.check(copy)
        leftovers = [d for d in recheck.decisions if _still_open(d)]
        if leftovers:
            plan = _add_decisions(plan, rendered, leftovers)
            continue
        same_text = _same_text_left(plan, rendered)
        if not same_text:
            if written:
                _refuse_hidden_residue(plan, rendered, data, copy)
            return Redaction(plan, rendered, recheck, round_number, data)
        plan = _with_decisions(plan, same_text)
    raise RedactorError(plan.document.path,
                        f"the redacted copy still had findings after {MAX_ROUNDS} rounds",
                        "Nothing was written. Please report this document.",
                        code="no-convergence")


def write_and_reread(original: Document, rendered: Rendered) -> tuple[bytes, Document]:
    """The copy's bytes, written by the original's format, and the copy as that format reads
    them back: what the re-check sees is what is published, hidden layers and all. The text
    read back must begin with the rendered copy (whatever a layer adds comes after it), or
    no finding of the re-check could be placed in the original."""
    fmt = formats.format_named(original.format)
    data = fmt.write(original, rendered.text,
                     [formats.Replacement(r.span, r.replacement) for r in rendered.removals])
    copy = fmt.reread(data, original)
    if not copy.text.startswith(rendered.text):
        raise RedactorError(original.path, f"the copy the {fmt.name} format wrote does not "
                            "read back as the copy that was rendered",
                            "Nothing was written. Please report this document and its format.",
                            code="reread-mismatch")
    return data, copy


def _refuse_hidden_residue(plan: Plan, rendered: Rendered, data: bytes, copy: Document) -> None:
    """No removed text in any other place of the written copy where text can be (metadata,
    comments, a hidden layer): what `verify` searches there, `redact` searches before it
    writes anything."""
    places = formats.format_named(copy.format).hiding_places(data, copy)[1:]
    if not places:  # the text is the only place (the text format)
        return
    for _, _, pattern in _searched(plan, rendered):
        for place in places:
            if pattern.search(place.text):
                raise RedactorError(plan.document.path, f"the written copy still holds a "
                                    f"removed text in its {place.where}",
                                    "Nothing was written. Please report this document and its "
                                    "format.", code="hidden-layer")


def _add_decisions(plan: Plan, rendered: Rendered, leftovers: list[Decision]) -> Plan:
    added: list[Decision] = []
    for decision in leftovers:
        if decision.action is Action.BLOCK:
            raise RedactorError(plan.document.path,
                                f"the redacted copy is blocked by rule {decision.rule}",
                                "Nothing was written. Check the policy's output templates.",
                                code="blocked-copy")
        spans = rendered.to_original(decision.target)
        if not spans and decision.target.end > len(rendered.text):
            raise RedactorError(plan.document.path,
                                f"the copy, read back by its format, holds text the rendered "
                                f"copy does not (a layer the format keeps), and rule "
                                f"{decision.rule} finds it there",
                                "Nothing was written. Please report this document and its "
                                "format.", code="hidden-layer")
        if not spans:
            raise RedactorError(plan.document.path,
                                f"rule {decision.rule} matches a redaction label itself",
                                "Nothing was written. Check the policy's output templates.",
                                code="no-convergence")
        protected = _protection_in_original(decision.protected_by, plan, rendered)
        for span in spans:
            finding = _in_original(decision.finding, span, plan, rendered)
            target = span
            if decision.action is Action.WITHHOLD:
                target = _withhold_target(plan, span)
                if _already_removed(plan, target):
                    # The portion is removed already, yet its copy still reads as an open
                    # portion (the structure around it changed): remove what is left.
                    target = span
            added.append(replace(decision, finding=finding, target=target,
                                 protected_by=protected))
    return _with_decisions(plan, added)


def _in_original(finding: Finding, span: Span, plan: Plan, rendered: Rendered) -> Finding:
    """A finding of the copy's re-check, at `span` of the original: the spans it rests on
    mapped back to the original too (those inside a replaced text have no place there)."""
    source = rendered.to_original(finding.source) if finding.source is not None else []
    return replace(finding, span=span, block_id=plan.parsed.block_id_at(span.start),
                   source=source[0] if source else None, rechecked=True,
                   evidence=tuple(piece for ev in finding.evidence
                                  for piece in rendered.to_original(ev)))


def _protection_in_original(protected: Protection | None, plan: Plan,
                            rendered: Rendered) -> Protection | None:
    """A re-check decision's protection, its cue and other mention placed in the original (a
    cue that lies in a replaced text has no place there, and protects nothing more)."""
    if protected is None or protected.cue is None:
        return protected
    cue = rendered.to_original(protected.cue.span)
    other = rendered.to_original(protected.other) if protected.other is not None else []
    if not cue:
        return Protection(denied=protected.denied)
    return replace(protected, cue=_in_original(protected.cue, cue[0], plan, rendered),
                   other=other[0] if other else None)


def _with_decisions(plan: Plan, added: list[Decision]) -> Plan:
    decisions = [*plan.decisions, *added]
    return replace(plan, decisions=tuple(decisions), verdict=verdict_of(decisions))


def _same_text_left(plan: Plan, rendered: Rendered) -> list[Decision]:
    """Redactions for every place the copy still holds a removed text, in any case or spacing
    (`Jose` redacted in the body, `JOSE` left in a reference line; a withheld paragraph's
    sentence repeated in a released one): the same text is removed everywhere, so that no
    removal can be undone by reading the rest of the copy. What is searched is what `verify`
    searches: each removal's text and each entity inside one."""
    added: list[Decision] = []
    copy = _labels_blanked(rendered)
    for span, decision, pattern in _searched(plan, rendered):
        for match in pattern.finditer(copy):
            added += [same_text_decision(plan.parsed, decision, span, piece)
                      for piece in rendered.to_original(Span(match.start(), match.end()))]
    return added


def _labels_blanked(rendered: Rendered) -> str:
    """The rendered copy with every replacement blanked by NULs, line breaks kept (as `verify`
    searches it): a label's wording is not the document's."""
    pieces = [rendered.text[s.output.start:s.output.end] if not s.replaced
              else NOT_BREAK.sub("\x00", rendered.text[s.output.start:s.output.end])
              for s in rendered.segments]
    return "".join(pieces)


def _searched(plan: Plan, rendered: Rendered) -> Iterator[tuple[Span, Decision, Spellings]]:
    """Each removed text that must not survive anywhere in the copy (a removal's text, an
    entity inside one), with the pattern of its spellings, once each."""
    sources = [(r.span, r.decision) for r in rendered.removals if searched_removal(r.decision)]
    sources += [(d.finding.span, d) for d in plan.decisions if searched(d)]
    return distinct_spellings(plan.document.text, sources)


def _still_open(decision: Decision) -> bool:
    """A decision in the copy that means it is not yet releasable."""
    return (decision.allowed_by is None and decision.covered_by is None
            and decision.action.rank >= Action.REDACT.rank)


def _already_removed(plan: Plan, target: Span) -> bool:
    return any(d.target.contains(target) for d in plan.decisions
               if d.action in (Action.REDACT, Action.WITHHOLD) and d.allowed_by is None)


def _withhold_target(plan: Plan, span: Span) -> Span:
    block = plan.parsed.block_at(span.start)
    if block is None:
        return span
    return block.body or block.span
