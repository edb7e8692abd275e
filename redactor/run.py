"""Runs `check` over many documents: targets → results, in input order.

The parent process collects the targets, answers what it can from the result cache (keyed on
the content's hash, so every document is read), and hands the rest to worker processes in
chunks (or, with one job, works through the chunks itself). For each chunk, a worker reads the
documents and checks them: its engines (policy, Presidio analyzer, spaCy model) are built once
per worker, the model only when a document first needs it, and a chunk's documents go through
the model in one batch (`Engine.prime`). Results come back in whatever order the workers
finish and are put back in input order, so a run's report does not depend on --jobs.

Failing closed: a failure inside one document's pipeline is that document's error result; a
problem that stops the run (a policy that cannot be loaded, a missing model) and a worker that
dies are a RedactorError, which the CLI turns into exit 2 — never into a pass.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import click

from redactor import formats
from redactor.cache import Cache
from redactor.engine import Engine, EnginePool
from redactor.errors import InputError, RedactorError
from redactor.model import Document, FileError, Plan, Result, Verdict
from redactor.options import CheckOptions
from redactor.paths import Scope, collect, is_glob
from redactor.policy.model import Policy
from redactor.release.rounds import redact

MAX_CHUNK = 8  # documents per task: enough to batch the model, small enough to balance workers
# Without --jobs, workers are started only for at least this many documents to check: each
# worker loads the model (seconds), which a handful of documents do not pay back.
MIN_PARALLEL = 16


@dataclass(frozen=True)
class _Work:
    index: int  # where the result goes in the run's results
    ref: str | None  # the policy that governs the document
    path: Path
    display: str


@dataclass(frozen=True)
class _Fatal:
    """A RedactorError raised in a worker, carried back as plain data (it stops the run)."""

    path: str
    message: str
    hint: str
    code: str


def default_jobs() -> int:
    return os.cpu_count() or 1


def check_paths(paths: tuple[str, ...], options: CheckOptions, jobs: int | None = 1,
                cache: Cache | None = None, progress: bool = False,
                engines: EnginePool | None = None,
                scope: Scope | None = None,
                freeze: bool = False) -> tuple[list[Result], dict[str, Policy]]:
    """Every target's result, in input order, and the policy that governed each document.
    `jobs`: worker processes (1: in this process; None: the number of cores when there are
    MIN_PARALLEL documents or more to check, else 1). `engines` (optional) is reused for
    in-process checking instead of building new ones. `scope` narrows the files (include,
    exclude, changed since a ref). `freeze`: for a process that ends with the run (the CLI),
    the results the cache answered are frozen out of the cycle collector's sight (see
    `_answered_from_cache`)."""
    engines = engines or EnginePool(options)
    slots: list[Result | None] = []
    policy_of: dict[str, Policy] = {}
    work: list[_Work] = []
    for name in paths:
        targets = collect([name], scope)
        folder = Path(name).is_dir() or is_glob(name)  # a named file left out is only skipped
        if (all(t.skipped for t in targets) and folder
                and (scope is None or scope.changed is None)):
            slots.append(Result(name, error=formats.no_documents()))
        for target in targets:
            if target.skipped:
                slots.append(Result(target.display, skipped=target.skipped))
                continue
            if target.error is not None:
                slots.append(Result(target.display, error=target.error))
                continue
            if target.unsupported:
                slots.append(Result(target.display, error=formats.unsupported(target.path)))
                continue
            ref = engines.ref_for(target.path)
            policy_of[target.display] = engines.policy(ref)
            slots.append(None)
            work.append(_Work(len(slots) - 1, ref, target.path, target.display))

    if cache is not None:
        work = _answered_from_cache(work, engines, cache, slots, freeze)
    if jobs is None:
        jobs = default_jobs() if len(work) >= MIN_PARALLEL else 1
    chunks = list(_chunks(work, jobs))
    workers = min(jobs, len(chunks))
    with _progress(len(work), progress) as advance:
        if workers <= 1:
            for chunk in chunks:
                _place(slots, chunk, _run_chunk(engines, cache, chunk[0].ref, _items(chunk)))
                advance(len(chunk))
        else:
            _in_workers(chunks, options, cache, workers, slots, advance)
    results = [r for r in slots if r is not None]
    assert len(results) == len(slots), "a document was left without a result"
    return results, policy_of


def _answered_from_cache(work: list[_Work], engines: EnginePool, cache: Cache,
                         slots: list[Result | None], freeze: bool) -> list[_Work]:
    """Answer cache hits here and return the rest. A hit costs about 1 ms; sending it to a
    worker and its plan back costs more than that, and a run that is all hits starts no
    worker (and loads no model) at all.

    Python's cycle collector is paused meanwhile. Plans hold no reference cycles, so it would
    find nothing in them; but each full collection walks every object alive, and thousands
    of plans are millions of objects, walked again and again as they pile up (4 of the 14 s of
    a cached re-run of 6,750 cables). With `freeze`, what was built is then frozen: moved out
    of the collector's sight for the rest of the process (still freed when unused), so that
    rendering the reports does not walk it either."""
    rest = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for item in work:
            hit = cache.lookup(item.path, item.display, engines.policy(item.ref))
            if hit is None:
                rest.append(item)
            else:
                slots[item.index] = Result(item.display, plan=hit)
    finally:
        if freeze and len(rest) < len(work):
            gc.freeze()
        if enabled:
            gc.enable()
    return rest


def _chunks(work: list[_Work], jobs: int) -> Iterator[list[_Work]]:
    """Chunks of documents under the same policy, small enough for every worker to get some."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(work) / max(1, jobs * 4))))
    by_ref: dict[str | None, list[_Work]] = {}
    for item in work:
        by_ref.setdefault(item.ref, []).append(item)
    for items in by_ref.values():
        for start in range(0, len(items), size):
            yield items[start:start + size]


def _items(chunk: list[_Work]) -> list[tuple[Path, str]]:
    return [(item.path, item.display) for item in chunk]


def _place(slots: list[Result | None], chunk: list[_Work], results: list[Result]) -> None:
    for item, result in zip(chunk, results, strict=True):
        slots[item.index] = result


def _in_workers(chunks: list[list[_Work]], options: CheckOptions, cache: Cache | None,
                workers: int, slots: list[Result | None],
                advance: Callable[[int], None]) -> None:
    # spawn, not fork: a forked copy of a process that has loaded native libraries (BLAS
    # threads, spaCy) can deadlock; a spawned worker imports only what it needs.
    context = multiprocessing.get_context("spawn")
    pending: dict[Future[list[Result] | _Fatal], list[_Work]] = {}
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(options, cache)) as pool:
            for chunk in chunks:
                pending[pool.submit(_worker_chunk, chunk[0].ref, _items(chunk))] = chunk
            try:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        chunk = pending.pop(future)
                        outcome = future.result()
                        if isinstance(outcome, _Fatal):
                            raise RedactorError(outcome.path, outcome.message, outcome.hint,
                                                code=outcome.code)
                        _place(slots, chunk, outcome)
                        advance(len(chunk))
            except BaseException:  # a fatal error, a dead worker, Ctrl-C: stop at once
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    except BrokenProcessPool as exc:
        raise RedactorError("", "a worker process stopped unexpectedly (out of memory, or "
                            "killed); the run is not complete",
                            "Nothing was reported as passing. Run again, with --jobs 1 to "
                            "find the document.", code="worker") from exc


# The one piece of module state: each worker process's engines (and its handle on the result
# cache), built once by the pool's initializer and reused for every chunk that worker is given.
# Building the engines (loading the spaCy model, on the first document the cache does not
# answer) takes seconds, so it cannot happen per task, and a task cannot carry them (an
# analyzer does not pickle cheaply). Only worker processes ever set it; the parent passes its
# engines explicitly.
_WORKER: tuple[EnginePool, Cache | None] | None = None


def _start_worker(options: CheckOptions, cache: Cache | None) -> None:
    global _WORKER
    _WORKER = (EnginePool(options), cache)


def _worker_chunk(ref: str | None, items: list[tuple[Path, str]]) -> list[Result] | _Fatal:
    assert _WORKER is not None, "worker used before its initializer ran"
    engines, cache = _WORKER
    try:
        return _run_chunk(engines, cache, ref, items)
    except RedactorError as error:
        return _Fatal(error.path, error.message, error.hint, error.code)


def _run_chunk(engines: EnginePool, cache: Cache | None, ref: str | None,
               items: list[tuple[Path, str]]) -> list[Result]:
    """Read each document and check them in one batch (the model is loaded only then); cache
    their results. These are the misses: check_paths answered the hits already."""
    policy = engines.policy(ref)
    results: list[Result | None] = []
    todo: list[tuple[int, Document]] = []
    for path, display in items:
        try:
            document = formats.load(path, display, engines.options)
        except InputError as error:
            results.append(Result(display, error=FileError(error.code, error.message,
                                                           error.hint)))
            continue
        results.append(None)
        todo.append((len(results) - 1, document))
    if todo:
        documents = [document for _, document in todo]
        checked = _check_chunk(engines.for_ref(ref), documents)
        for (index, document), result in zip(todo, checked, strict=True):
            results[index] = result
            if cache is not None and result.plan is not None:
                cache.put(document, policy, result.plan)
    done = [r for r in results if r is not None]
    assert len(done) == len(results), "a document was left without a result"
    return done


def _check_chunk(engine: Engine, documents: list[Document]) -> list[Result]:
    engine.prime(documents)
    try:
        return [_checked(engine, document) for document in documents]
    finally:
        engine.prime([])  # let go of the batch's model output


def _checked(engine: Engine, document: Document) -> Result:
    """One document's result; a failure inside the pipeline is that document's error, and so
    is a copy that redact could not make (exit 2: nothing is vouched for)."""
    try:
        plan = engine.check(document)
        try:
            return Result(document.path, plan=with_recheck(engine, plan))
        except RedactorError as error:
            if error.code == "timeout":
                raise
            return Result(document.path, error=FileError(
                error.code, f"redact could not make the copy: {error.message}", error.hint))
    except RedactorError:
        raise
    except Exception as exc:  # fail closed, and keep checking the other documents
        # Only the exception's type: its message may quote the document.
        return Result(document.path, error=FileError(
            "internal", f"internal error while checking ({type(exc).__name__})",
            "Please report it; the document was not checked."))


# The release line's date, for the copy check renders: any date gives the same removals.
RECHECK_DATE = "2000-01-01"


def with_recheck(engine: Engine, plan: Plan) -> Plan:
    """The plan with what `redact`'s re-check rounds add to it (a name the model finds only
    once its neighbours are gone, and that name's other spellings), so that the check report
    holds every removal the copy will make. If redact could
    not make the copy (its rounds do not settle, the copy itself is blocked, a label the policy
    redacts), that is a RedactorError here too: the check cannot vouch for a copy that redact
    will refuse to write. The copy is written in memory and read back by its format, as
    redact's rounds do: what is re-checked is what would be published."""
    if plan.verdict is not Verdict.REDACT:
        return plan
    return redact(engine, plan, RECHECK_DATE).plan


class _progress:
    """A progress bar on stderr when asked for (a terminal, not CI); otherwise nothing."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = (click.progressbar(length=total, label="checking", file=sys.stderr)
                    if enabled and total > 1 else None)

    def __enter__(self) -> Callable[[int], None]:
        if self.bar is None:
            return lambda n: None
        bar = self.bar.__enter__()
        return bar.update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def show_progress() -> bool:
    """A progress bar only on a terminal, and never in CI (CI=true is set by GitHub Actions,
    GitLab CI and most others, even when they allocate a terminal)."""
    return sys.stderr.isatty() and not os.environ.get("CI")


__all__ = ["check_paths", "default_jobs", "show_progress"]
