"""The engine: read → fold → parse → detect → decide for one policy, built once and reused for
every document; and the pool of engines a run needs, one per effective policy.

The expensive part, a detector's model, is built once a process (a `ModelPool`) and shared by
every engine of the pool. `redact`'s rounds live in redactor/release/rounds.py, on top of
`Engine.check`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from redactor import formats
from redactor.decide import decide
from redactor.detect import PIPELINE, Detector, ModelPool, Pipeline
from redactor.errors import RedactorError, UsageError
from redactor.fold import fold, folded_document, plan_in_original
from redactor.model import Document, Plan
from redactor.options import CheckOptions
from redactor.parse import parse
from redactor.policy import ConfigFinder, load_policy
from redactor.policy.model import Policy
from redactor.timelimit import TIMEOUT_CHARS, TimeLimitExceeded, time_limit


class Engine:
    """Policy, detectors (with their models) and options for a run. Build once, then check
    many documents. `models` is shared by the engines of one process; `detectors` narrows
    the pipeline (see `markings_only`)."""

    def __init__(self, policy: Policy, options: CheckOptions | None = None,
                 models: ModelPool | None = None,
                 detectors: Sequence[type[Detector]] = PIPELINE) -> None:
        self.policy = policy
        self.options = options or CheckOptions()
        self.models = models if models is not None else ModelPool()
        self.pipeline = Pipeline(policy, self.models, detectors)

    @classmethod
    def markings_only(cls, policy: Policy, options: CheckOptions | None = None) -> Engine:
        """An engine without the detectors that need a model (no names): the marking
        stages alone, for runs that measure them."""
        return cls(policy, options, detectors=[d for d in PIPELINE if not d.needs(policy)])

    def read(self, path: Path, display: str | None = None) -> Document:
        return formats.load(path, display or str(path), self.options)

    def check(self, document: Document) -> Plan:
        with self._limited(document.path, [document]):
            folding = fold(document.text)
            seen = document if folding is None else folded_document(document, folding)
            parsed = parse(seen, self.policy, self.options.layout)
            findings = self.pipeline.detect(parsed)
            plan = decide(parsed, findings, self.policy)
            return plan if folding is None else plan_in_original(plan, folding, document)

    def time_allowed(self, documents: list[Document]) -> float:
        """--timeout seconds for every TIMEOUT_CHARS characters of each document (at least
        once a document): the model's time grows with the text (5 MB of cables take about
        five minutes), a policy's catastrophic pattern takes far longer on any document."""
        return self.options.timeout * sum(max(1.0, len(d.text) / TIMEOUT_CHARS) for d in documents)

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
                f"{batch if len(documents) > 1 else ''} (--timeout {self.options.timeout:g} s per "
                f"{TIMEOUT_CHARS:,} characters)",
                "A regular expression in the policy that backtracks catastrophically is the "
                "likely cause (a nested repetition such as (a+)+ or (a|aa)+): simplify it. "
                "Otherwise raise --timeout. Nothing was reported as passing.",
                code="timeout") from None

    def prime(self, documents: list[Document]) -> None:
        """Put several documents through the model at once (batched), before `check` is called
        on each of them. Only a speed-up: a document whose text cannot be prepared here is
        analysed alone by `check` (and fails there, as its own error, if it fails)."""
        inputs: list[list[object]] = []
        prepared: list[Document] = []
        for document in documents:
            try:
                with self._limited(document.path, [document]):
                    folding = fold(document.text)
                    seen = document if folding is None else folded_document(document, folding)
                    parsed = parse(seen, self.policy, self.options.layout)
                    inputs.append(self.pipeline.model_inputs(self.pipeline.scan(parsed)))
                    prepared.append(document)
            except RedactorError:  # out of time: stop the run here
                raise
            except Exception:  # `check` reports this document's error
                continue
        if not prepared:
            self.pipeline.prime([])  # let go of an earlier batch's output
            return
        try:
            with self._limited(prepared[0].path, prepared):
                self.pipeline.prime(inputs)
        except RedactorError:  # out of time: stop the run here
            self.pipeline.prime([])
            raise
        except Exception:  # the batch failed: each document goes through the model alone
            self.pipeline.prime([])

    def check_release_date(self, release_date: str | None) -> None:
        """The release line's {date} comes from the command line, never the clock."""
        marking = self.policy.output.marking
        if marking and "{date}" in marking and not release_date:
            raise UsageError(self.policy.files[-1], "the policy's output.marking has a {date}",
                             "Give the release date: redact --release-date YYYY-MM-DD.")


class EnginePool:
    """One engine per effective policy, the models shared by all of them. The options'
    `policy_ref` (the --policy option) wins; otherwise the nearest .redactor.yaml above each
    path; otherwise the built-in default."""

    def __init__(self, options: CheckOptions | None = None) -> None:
        self.options = options or CheckOptions()
        self._engines: dict[str, Engine] = {}
        self._models = ModelPool()
        self._policies: dict[str, Policy] = {}
        self._find_config = ConfigFinder()

    def for_path(self, path: Path) -> Engine:
        return self.for_ref(self.ref_for(path))

    def ref_for(self, path: Path) -> str | None:
        """The policy that governs the path: --policy, else the nearest .redactor.yaml."""
        if self.options.policy_ref is not None:
            return self.options.policy_ref
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
            self._engines[key] = Engine(self.policy(ref), self.options, self._models)
        return self._engines[key]
