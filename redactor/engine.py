"""The engine: the pipeline read → parse → detect → decide → render, built once and reused.

`redact` does not trust a single pass. It re-checks its own copy with the same policy and, if
anything at or above `redact` is still found there (a name the model only recognises once its
neighbours are gone, say), maps it back to the original and redacts it too; and it removes every
other spelling of a removed text still in the copy (`Jose` removed, `JOSE` left), until the copy
is clean. If that does not settle within a few rounds, nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from redactor.decide import decide, verdict_of
from redactor.detect import EntityDetector, detect
from redactor.detect.entities import build_analyzer
from redactor.detect.markings import detect_markings
from redactor.detect.phrases import detect_cues
from redactor.detect.stopwords import stop_words
from redactor.errors import RedactorError, UsageError
from redactor.model import Action, Decision, Document, Plan, Span, Verdict
from redactor.parse import parse
from redactor.policy import ConfigFinder, load_policy
from redactor.policy.model import Policy
from redactor.read import DEFAULT_MAX_BYTES, read_document
from redactor.render.redacted import Pseudonyms, Rendered, render
from redactor.timelimit import DEFAULT_TIMEOUT, TIMEOUT_CHARS, TimeLimitExceeded, time_limit
from redactor.variants import searched, searched_removal, variant_pattern

MAX_ROUNDS = 6


@dataclass(frozen=True)
class Redaction:
    plan: Plan  # the original's plan, with any decisions added by re-check rounds
    rendered: Rendered
    recheck: Plan  # the copy, checked with the same policy
    rounds: int


class Engine:
    """Policy, analyzer and options for a run. Build once, then check many documents."""

    def __init__(self, policy: Policy, entities: EntityDetector | None = None,
                 layout: str = "auto", max_bytes: int = DEFAULT_MAX_BYTES,
                 encoding: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.policy = policy
        self.entities = entities if entities is not None else EntityDetector(policy)
        self.layout = layout
        self.max_bytes = max_bytes
        self.encoding = encoding
        self.timeout = timeout  # seconds a document (0: none); see redactor/timelimit.py
        stop_words()  # loaded now, not inside the first document's time limit

    def read(self, path: Path, display: str | None = None) -> Document:
        return read_document(path, self.max_bytes, self.encoding, display)

    def check(self, document: Document) -> Plan:
        with self._limited(document.path, [document]):
            parsed = parse(document, self.policy, self.layout)
            findings = detect(parsed, self.policy, self.entities)
            return decide(parsed, findings, self.policy)

    def time_allowed(self, documents: list[Document]) -> float:
        """--timeout seconds for every TIMEOUT_CHARS characters of each document (at least
        once a document): the model's time grows with the text (5 MB of cables take about
        five minutes), a policy's catastrophic pattern takes far longer on any document."""
        return self.timeout * sum(max(1.0, len(d.text) / TIMEOUT_CHARS) for d in documents)

    @contextmanager
    def _limited(self, path: str, documents: list[Document]) -> Iterator[None]:
        """The work on documents (one, or a batch whose first is at `path`) within their
        time; past it, a RedactorError that stops the run (exit 2): a policy pattern that
        takes this long would take it on every document."""
        seconds = self.time_allowed(documents)
        try:
            with time_limit(seconds):
                yield
        except TimeLimitExceeded:
            batch = f" in a batch of {len(documents)} starting with this one"
            raise RedactorError(
                path, f"checking took longer than its time limit of {seconds:g} s"
                f"{batch if len(documents) > 1 else ''} (--timeout {self.timeout:g} s per "
                f"{TIMEOUT_CHARS:,} characters)",
                "A regular expression in the policy that backtracks catastrophically is the "
                "likely cause (a nested repetition such as (a+)+ or (a|aa)+): simplify it. "
                "Otherwise raise --timeout. Nothing was reported as passing.",
                code="timeout") from None

    def prime(self, documents: list[Document]) -> None:
        """Put several documents through the model at once (batched), before `check` is called
        on each of them. Only a speed-up: a document whose text cannot be prepared here is
        analysed alone by `check` (and fails there, as its own error, if it fails)."""
        texts: list[str] = []
        prepared: list[Document] = []
        for document in documents:
            try:
                with self._limited(document.path, [document]):
                    parsed = parse(document, self.policy, self.layout)
                    not_names = [f.span for f in (*detect_markings(parsed, self.policy),
                                                  *detect_cues(parsed, self.policy))]
                    texts.append(self.entities.model_text(parsed, not_names))
                    prepared.append(document)
            except RedactorError:  # out of time: stop the run here
                raise
            except Exception:  # `check` reports this document's error
                continue
        if not prepared:
            return
        try:
            with self._limited(prepared[0].path, prepared):
                self.entities.prime(texts)
        except RedactorError:  # out of time: stop the run here
            self.entities.prime([])
            raise
        except Exception:  # the batch failed: each document goes through the model alone
            self.entities.prime([])

    def redact(self, plan: Plan, release_date: str | None = None,
               pseudonyms: Pseudonyms | None = None) -> Redaction:
        """The release copy of a document that is not blocked. `pseudonyms` is shared when
        a folder run numbers entities across documents."""
        if plan.verdict is Verdict.BLOCK:
            raise RedactorError(plan.document.path, "the document is blocked by the policy",
                                "No release copy can be made.", code="blocked")
        self.check_release_date(release_date)
        pseudonyms = pseudonyms if pseudonyms is not None else Pseudonyms()
        for round_number in range(1, MAX_ROUNDS + 1):
            rendered = render(plan, self.policy, release_date, pseudonyms)
            copy = replace(plan.document, text=rendered.text)
            recheck = self.check(copy)
            leftovers = [d for d in recheck.decisions if _still_open(d)]
            if leftovers:
                plan = self._add_decisions(plan, rendered, leftovers)
                continue
            same_text = _same_text_left(plan, rendered)
            if not same_text:
                return Redaction(plan, rendered, recheck, round_number)
            plan = _with_decisions(plan, same_text)
        raise RedactorError(plan.document.path,
                            f"the redacted copy still had findings after {MAX_ROUNDS} rounds",
                            "Nothing was written. Please report this document.",
                            code="no-convergence")

    def check_release_date(self, release_date: str | None) -> None:
        """The release line's {date} comes from the command line, never the clock."""
        marking = self.policy.output.marking
        if marking and "{date}" in marking and not release_date:
            raise UsageError(self.policy.files[-1], "the policy's output.marking has a {date}",
                             "Give the release date: redact --release-date YYYY-MM-DD.")

    def _add_decisions(self, plan: Plan, rendered: Rendered, leftovers: list[Decision]) -> Plan:
        added: list[Decision] = []
        for decision in leftovers:
            if decision.action is Action.BLOCK:
                raise RedactorError(plan.document.path,
                                    f"the redacted copy is blocked by rule {decision.rule}",
                                    "Nothing was written. Check the policy's output templates.",
                                    code="blocked-copy")
            spans = rendered.to_original(decision.target)
            if not spans:
                raise RedactorError(plan.document.path,
                                    f"rule {decision.rule} matches a redaction label itself",
                                    "Nothing was written. Check the policy's output templates.",
                                    code="no-convergence")
            for span in spans:
                finding = replace(decision.finding, span=span,
                                  explanation=f"{decision.finding.explanation}; "
                                              "found on re-check of the redacted copy")
                block = plan.parsed.block_at(span.start)
                finding = replace(finding, block_id=block.id if block else None)
                target = span
                if decision.action is Action.WITHHOLD:
                    target = _withhold_target(plan, span)
                    if _already_removed(plan, target):
                        # The portion is removed already, yet its copy still reads as an open
                        # portion (the structure around it changed): remove what is left.
                        target = span
                added.append(replace(decision, finding=finding, target=target))
        return _with_decisions(plan, added)


def _with_decisions(plan: Plan, added: list[Decision]) -> Plan:
    decisions = [*plan.decisions, *added]
    return replace(plan, decisions=tuple(decisions), verdict=verdict_of(decisions))


def _same_text_left(plan: Plan, rendered: Rendered) -> list[Decision]:
    """Redactions for every place the copy still holds a removed text, in any case or spacing
    (`Jose` redacted in the body, `JOSE` left in a reference line; a withheld paragraph's
    sentence repeated in a released one): the same text is removed everywhere, so that no
    removal can be undone by reading the rest of the copy. What is searched is what `verify`
    searches: each removal's text and each entity inside one."""
    text = plan.document.text
    sources = [(r.span, r.decision) for r in rendered.removals if searched_removal(r.decision)]
    sources += [(d.finding.span, d) for d in plan.decisions if searched(d)]
    added: list[Decision] = []
    patterns: set[str] = set()
    for span, decision in sources:
        pattern = variant_pattern(text[span.start:span.end])
        if pattern is None or pattern.pattern in patterns:
            continue
        patterns.add(pattern.pattern)
        line, _ = plan.document.line_col(span.start)
        for match in pattern.finditer(rendered.text):
            for piece in rendered.to_original(Span(match.start(), match.end())):
                block = plan.parsed.block_at(piece.start)
                finding = replace(decision.finding, span=piece, source=span,
                                  block_id=block.id if block else None, found_by="same-text",
                                  explanation=f"the same text as a removal on line {line}")
                added.append(replace(decision, action=Action.REDACT, finding=finding,
                                     target=piece, covered_by=None, replacement=None))
    return added


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


class Engines:
    """One engine per effective policy, the analyzer shared per spaCy model. `policy_ref`
    (the --policy option) wins; otherwise the nearest .redactor.yaml above each path; otherwise
    the built-in default."""

    def __init__(self, policy_ref: str | None = None, layout: str = "auto",
                 max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.policy_ref = policy_ref
        self.layout = layout
        self.max_bytes = max_bytes
        self.encoding = encoding
        self.timeout = timeout
        self._engines: dict[str, Engine] = {}
        self._analyzers: dict[str, object] = {}
        self._policies: dict[str, Policy] = {}
        self._find_config = ConfigFinder()

    def for_path(self, path: Path) -> Engine:
        return self.for_ref(self.ref_for(path))

    def ref_for(self, path: Path) -> str | None:
        """The policy that governs the path: --policy, else the nearest .redactor.yaml."""
        if self.policy_ref is not None:
            return self.policy_ref
        found = self._find_config(path)
        return str(found) if found else None

    def policy(self, ref: str | None) -> Policy:
        """The policy alone, without building the analyzer (what a run's parent process
        needs when the documents are checked in worker processes)."""
        key = ref or "<default>"
        if key in self._engines:
            return self._engines[key].policy
        if key not in self._policies:
            self._policies[key] = load_policy(ref)
        return self._policies[key]

    def for_ref(self, ref: str | None) -> Engine:
        key = ref or "<default>"
        if key not in self._engines:
            policy = self.policy(ref)
            if policy.entity_types and policy.model not in self._analyzers:
                self._analyzers[policy.model] = build_analyzer(policy.model)
            detector = EntityDetector(policy, self._analyzers.get(policy.model))
            self._engines[key] = Engine(policy, detector, self.layout, self.max_bytes,
                                        self.encoding, self.timeout)
        return self._engines[key]
