"""release: the redacted copy of a document (or of every document in a folder), written by its
format, with its log; and, in this package, what makes and proves it — the copy (copy.py), the
re-check rounds (rounds.py), the log (log.py), the spellings of a removed text (variants.py) and
`verify` (verify.py).

`redact` and the corpus benchmark make releases through `make_release`, so what is measured is
what the command writes. Nothing here writes a file: the caller writes all of them at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from redactor import formats
from redactor.engine import Engine, EnginePool
from redactor.errors import InputError, RedactorError, UsageError
from redactor.fold import seen_as
from redactor.model import Action, FileError, Plan, Verdict
from redactor.paths import Scope, collect, shown
from redactor.release.copy import Pseudonyms
from redactor.release.log import csv_index, redaction_log
from redactor.release.rounds import Redaction, redact

LOG_SUFFIX = ".redactions.json"  # a folder run's log of NAME is NAME.redactions.json


@dataclass(frozen=True)
class Release:
    redaction: Redaction
    copy: bytes  # the redacted copy, in the original's encoding and BOM
    log: str  # the redaction log (JSON)


def make_release(engine: Engine, plan: Plan, output_name: str, release_date: str | None = None,
                 pseudonyms: Pseudonyms | None = None, document_name: str | None = None
                 ) -> Release:
    """The release copy of a document that is not blocked (RedactorError if it is)."""
    redaction = redact(engine, plan, release_date, pseudonyms)
    copy = redaction.data
    log = redaction_log(redaction, engine.policy, output_name, hashlib.sha256(copy).hexdigest(),
                        release_date, document_name)
    return Release(redaction, copy, log)


@dataclass(frozen=True)
class ReleaseJob:
    """One document to release: where it is read, where its copy and log go."""

    source: Path
    display: str
    output: Path
    log: Path | None
    unsupported: bool = False
    error: FileError | None = None  # why it cannot be read (a link out of the folder)
    depth: int = 0  # the last parts of `output` (and `log`) that mirror the input folder
    renamed: bool = False  # a name found in the document was taken out of those parts


@dataclass
class Outcome:
    releases: list[tuple[ReleaseJob, Release]] = field(default_factory=list)
    blocked: list[tuple[ReleaseJob, Plan]] = field(default_factory=list)
    errors: list[RedactorError] = field(default_factory=list)

    def files(self) -> dict[Path, bytes]:
        files = {}
        for job, release in self.releases:
            files[job.output] = release.copy
            if job.log is not None:
                files[job.log] = release.log.encode("utf-8")
        return files

    def csv_index(self) -> str:
        return csv_index([json.loads(release.log) for _, release in self.releases])


def plan_jobs(source: Path, output: Path, log: Path | None,
              scope: Scope | None = None) -> list[ReleaseJob]:
    """A file gives one job; a folder gives one per document, mirrored under `output` (and
    `log`). Hidden files and folders, and what the scope (the policy's `files:` section)
    leaves out, are not documents of the release."""
    if not source.exists():
        raise InputError(str(source), "no such file or folder", "Check the path.",
                         code="not-found")
    if not source.is_dir():
        return [ReleaseJob(source, str(source), output, log)]
    if output.exists() and not output.is_dir():
        raise UsageError(str(output), "is a file, but the input is a folder",
                         "Give a folder for the mirror tree of copies.")
    jobs = []
    for target in collect([str(source)], scope):
        if target.skipped:
            continue
        relative = target.path.relative_to(source)
        log_path = log / relative.with_name(relative.name + LOG_SUFFIX) if log else None
        jobs.append(ReleaseJob(target.path, target.display, output / relative, log_path,
                               target.unsupported, target.error, len(relative.parts)))
    if not jobs:
        raise InputError.of(str(source), formats.no_documents())
    return jobs


def release_all(engines: EnginePool, jobs: list[ReleaseJob], release_date: str | None,
                shared_pseudonyms: bool = False) -> Outcome:
    """Check and redact every job. Errors are collected (the caller writes nothing then)."""
    for job in jobs:  # a missing release date is a usage error, before any document is read
        engines.for_path(job.source).check_release_date(release_date)
    shared = Pseudonyms() if shared_pseudonyms else None
    outcome = Outcome()
    taken: set[Path] = set()
    for job in jobs:
        if job.error is not None:
            outcome.errors.append(InputError.of(job.display, job.error))
            continue
        if job.unsupported:
            outcome.errors.append(InputError.of(job.display, formats.unsupported(job.source)))
            continue
        engine = engines.for_path(job.source)
        try:
            plan = engine.check(engine.read(job.source, job.display))
            if plan.verdict is Verdict.BLOCK:
                outcome.blocked.append((job, plan))
                continue
            job = _without_names(job, plan)
            if job.renamed and (job.output.exists() or job.output in taken):
                raise RedactorError(job.display, f"the copy's name without the names in it, "
                                    f"{shown(str(job.output))}, is taken",
                                    "Rename the document so that its name holds no person's "
                                    "name.", code="renamed-copy")
            taken.add(job.output)
            # shown(): a file name that is not UTF-8 is escaped, as reports name it
            document_name = _words_replaced(job.display, _removed_name_words(plan)) \
                if job.renamed else None
            release = make_release(engine, plan, shown(str(job.output)), release_date, shared,
                                   document_name)
        except RedactorError as error:
            outcome.errors.append(error)
            if error.code == "timeout":  # it would take as long on every other document
                break
            continue
        outcome.releases.append((job, release))
    return outcome


_WORD = re.compile(r"[^\W\d_]+")
NAME_IN_A_FILE_NAME = "REDACTED"


def _without_names(job: ReleaseJob, plan: Plan) -> ReleaseJob:
    """The job with every person's name that the copy removes taken out of the copy's (and
    its log's) path below the output folder: `raman_priya_cv.txt` would publish the name the
    copy removes. Each word of a removed name (three letters or more), and the name's words
    run together (`priyaraman`, `praman`), is replaced by REDACTED."""
    words = _removed_name_words(plan)
    if not words or job.depth == 0:
        return job

    def cleaned(path: Path) -> Path:
        parts = path.parts
        kept, mirrored = parts[:-job.depth], parts[-job.depth:]
        folders = [_words_replaced(part, words) for part in mirrored[:-1]]
        name = Path(mirrored[-1])  # its suffix says its format: never renamed
        return Path(*kept, *folders, _words_replaced(name.stem, words) + name.suffix)

    output = cleaned(job.output)
    if output == job.output:
        return job
    log = cleaned(job.log) if job.log is not None else None
    return replace(job, output=output, log=log, renamed=True)


def _words_replaced(name: str, words: frozenset[str]) -> str:
    return _WORD.sub(lambda m: NAME_IN_A_FILE_NAME if m.group().casefold() in words
                     else m.group(), name)


def _removed_name_words(plan: Plan) -> frozenset[str]:
    text = plan.document.text
    words: set[str] = set()
    for decision in plan.decisions:
        if (decision.finding.entity_type != "PERSON" or decision.allowed_by is not None
                or decision.action.rank < Action.REDACT.rank):
            continue
        found = [w.casefold() for w in _WORD.findall(seen_as(
            text[decision.finding.span.start:decision.finding.span.end]))]
        words.update(w for w in found if len(w) >= 3 and f".{w}" not in formats.suffixes())
        if len(found) >= 2:
            words.update({found[0] + found[-1], found[0][0] + found[-1], found[-1] + found[0]})
    return frozenset(words)
