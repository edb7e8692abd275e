"""`redactor verify`: an independent re-check of a redacted copy (or a folder of them)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from redactor.cli import cli
from redactor.cli.options import engine_options
from redactor.engine import EnginePool
from redactor.errors import InputError, UsageError
from redactor.model import Verdict
from redactor.options import CheckOptions
from redactor.paths import Scope, policy_files
from redactor.release import ReleaseJob, plan_jobs
from redactor.release.verify import load_log
from redactor.release.verify import verify as run_verify


@cli.command()
@click.argument("original", metavar="ORIGINAL")
@click.argument("copy", metavar="REDACTED")
@click.option("--log", "log_path", metavar="LOG",
              help="The redaction log `redact --log` wrote (for folders: the folder of logs). "
                   "Without it, the removals are recomputed from ORIGINAL with the policy.")
@engine_options
def verify(original: str, copy: str, log_path: str | None, options: CheckOptions) -> None:
    """Re-check a redacted copy against its original (and log), independently of `redact`.

    Exit 0 when no removed text reappears in the copy, the copy passes `check`, it is the
    original with only the logged removals replaced, and the log matches both files; exit 1
    with each failed check listed (never the removed text); exit 2 on bad input.

    ORIGINAL and REDACTED may be folders (as `redact FOLDER -o OUT` made them): every copy is
    verified, a document without a copy must be one the policy blocks, and a file in REDACTED
    that is the copy of no document fails.
    """
    source, target = Path(original), Path(copy)
    log = Path(log_path) if log_path else None
    if source.is_dir():
        if not target.is_dir():
            raise UsageError(copy, "is not a folder, but ORIGINAL is",
                             "Give the folder `redact` wrote the copies to.")
        jobs = plan_jobs(source, target, log, Scope(files_of=policy_files(options.policy_ref)))
    else:
        jobs = [ReleaseJob(source, original, target, log)]
    engines = EnginePool(options)
    results = [(job, _verify_one(engines, job, folder=source.is_dir())) for job in jobs]
    strays = _strays(target, jobs) if source.is_dir() else []
    for job, (_ok, _copied, lines) in results:
        if len(jobs) > 1:
            click.echo(f"{job.display}:")
        for line in lines:
            click.echo(line)
    for stray in strays:
        click.echo(f"FAIL    {stray}: in the release folder but the copy of no document")
    verified = sum(ok for _, (ok, _, _) in results)
    blocked = sum(ok and not copied for _, (ok, copied, _) in results)
    all_ok = verified == len(results) and not strays
    if len(jobs) > 1:
        how = f" ({verified - blocked} copies, {blocked} blocked with no copy)" if blocked else ""
        click.echo(f"{copy}: {verified} of {len(results)} document(s) verified against "
                   f"{original}{how}{f', {len(strays)} stray file(s)' if strays else ''}: "
                   f"{'verified' if all_ok else 'NOT verified'}")
    else:
        click.echo(f"{copy}: {'verified' if all_ok else 'NOT verified'} against {original}")
    sys.exit(0 if all_ok else 1)


def _verify_one(engines: EnginePool, job: ReleaseJob,
                folder: bool) -> tuple[bool, bool, list[str]]:
    """Whether the job verifies, whether it has a copy, and the lines that say why."""
    engine = engines.for_path(job.source)
    document = engine.read(job.source, job.display)
    if folder and not job.output.exists():
        blocked = engine.check(document).verdict is Verdict.BLOCK
        line = ("ok      no copy: the policy blocks this document" if blocked
                else f"FAIL    no copy at {job.output}, and the policy does not block it")
        return blocked, False, [line]
    try:
        redacted = engine.read(job.output, str(job.output))
        log = load_log(job.log, str(job.log)) if job.log else None
        result = run_verify(engine, document, redacted, job.output.read_bytes(), log,
                            str(job.log or "log"))
    except OSError as exc:
        raise InputError(str(job.output), f"cannot be read ({exc.strerror or exc})",
                         "Check the path.") from None
    lines = []
    for item in result.checks:
        status = "skipped" if item.skipped else ("ok" if item.ok else "FAIL")
        lines.append(f"{status:<7} {item.name}: {item.detail}")
        lines += [f"          - {problem}" for problem in item.problems]
    return result.ok, True, lines


def _strays(target: Path, jobs: list[ReleaseJob]) -> list[str]:
    """Files in the release folder that are neither a copy nor a log of this run."""
    expected = {j.output.resolve() for j in jobs} | {j.log.resolve() for j in jobs if j.log}
    return sorted(str(p) for p in target.rglob("*") if p.is_file()
                  and p.resolve() not in expected)

