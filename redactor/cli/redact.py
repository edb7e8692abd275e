"""`redactor redact`: the release copy of a document, or of every document in a folder."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from redactor import formats
from redactor.atomic import write_trees
from redactor.cli import cli
from redactor.cli.options import engine_options
from redactor.destinations import (
    check_destination,
    refuse_links_in_mirror,
    refuse_overwriting_inputs,
    refuse_twice,
)
from redactor.engine import EnginePool
from redactor.errors import UsageError
from redactor.model import Action, Plan
from redactor.options import CheckOptions
from redactor.paths import Scope, policy_files, shown
from redactor.policy.model import Policy
from redactor.release import Outcome, Release, ReleaseJob, plan_jobs, release_all
from redactor.report.explanations import explanation


@cli.command(epilog=formats.formats_help())
@click.argument("path", metavar="PATH")
@click.option("--output", "-o", required=True, metavar="OUT",
              help="Where to write the redacted copy (for a folder: the folder that receives "
                   "the mirror tree of copies). Never the input itself, nor inside it.")
@click.option("--log", "log_path", metavar="LOG",
              help="Also write the redaction log (JSON): what was removed where and why, "
                   "never the removed text. For a folder: a folder for one log per document "
                   "(NAME.redactions.json, mirror tree).")
@click.option("--log-csv", metavar="FILE.csv",
              help="Also write the removals of every document as one CSV index (a Vaughn "
                   "index: document, line, paragraph, rule, reason, kind, length).")
@click.option("--release-date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date for the policy's release line (output.marking {date}); the "
                   "clock is never read, so the same input gives the same copy.")
@click.option("--pseudonyms", type=click.Choice(["document", "run"]), default="document",
              show_default=True,
              help="With output.style pseudonym: number entities per document, or across "
                   "every document of this run ([PERSON-1] is the same person in all).")
@click.option("--force", is_flag=True, help="Overwrite copies and logs that exist.")
@engine_options
def redact(path: str, output: str, log_path: str | None, log_csv: str | None,
           release_date: datetime | None, pseudonyms: str, force: bool,
           options: CheckOptions) -> None:
    """Write a redacted release copy of PATH to OUT (PATH is never modified).

    PATH may be a folder: every document in it is redacted into the same place under OUT.
    Each copy is re-checked with the same policy before anything is written. A blocked
    document gets no copy (exit 1); if any document cannot be read or redacted, nothing at
    all is written (exit 2). Every file is written atomically: whole or not at all.
    """
    date = release_date.date().isoformat() if release_date else None
    try:
        source = Path(path)
        jobs = plan_jobs(source, Path(output), Path(log_path) if log_path else None,
                         Scope(files_of=policy_files(options.policy_ref)))
        _preflight_redact(source, jobs, Path(log_csv) if log_csv else None, force)
        engines = EnginePool(options)
        outcome = release_all(engines, jobs, date, shared_pseudonyms=pseudonyms == "run")
        if outcome.errors:
            for error in outcome.errors:
                click.echo(f"error: {error.render()}", err=True)
            click.echo(f"{path}: {len(outcome.errors)} document(s) could not be redacted; "
                       "nothing was written.", err=True)
            sys.exit(2)
        roots = [Path(p) for p in (log_path, output) if p] if source.is_dir() else []
        _write(outcome, Path(log_csv) if log_csv else None, roots)
    except OSError as exc:
        raise UsageError(output, f"cannot write ({exc.strerror or exc})",
                         "Check the destination folder; nothing was written.") from None
    for job, plan in outcome.blocked:
        _explain_block(job.display, plan, engines.for_path(job.source).policy)
    for job, release in outcome.releases:
        _report_release(job, release)
    sys.exit(1 if outcome.blocked else 0)


def _write(outcome: Outcome, log_csv: Path | None, roots: list[Path]) -> None:
    """Every copy and log of the run (and the CSV index), at once; a folder run's new mirror
    trees each in one step (atomic.write_trees), the copies' last."""
    files = outcome.files()
    if log_csv:
        files[log_csv] = outcome.csv_index().encode("utf-8")
    write_trees(files, roots)


def _report_release(job: ReleaseJob, release: Release) -> None:
    removals = release.redaction.rendered.removals
    withheld = {r.decision.target for r in removals if r.decision.action is Action.WITHHOLD}
    redacted = sum(1 for r in removals if r.decision.action is Action.REDACT)
    flags = sum(1 for d in release.redaction.recheck.decisions
                if d.action is Action.FLAG and d.covered_by is None and d.allowed_by is None)
    log = f", log {shown(str(job.log))}" if job.log else ""
    if job.renamed:
        log += "; its path held a name the copy removes, written as REDACTED"
    click.echo(f"{job.display}: wrote {shown(str(job.output))} ({redacted} redaction(s), "
               f"{len(withheld)} portion(s) withheld{log}).", err=True)
    if flags:
        click.echo(f"{job.display}: {flags} finding(s) are flagged for human review; "
                   "run `redactor check` on the copy to see them.", err=True)


def _explain_block(path: str, plan: Plan, policy: Policy) -> None:
    click.echo(f"{path}: BLOCKED — no release copy was written.", err=True)
    for decision in plan.decisions:
        if decision.action is Action.BLOCK:
            why = explanation(decision.finding, plan.document, policy)
            click.echo(f"  rule {decision.rule}: {why} (reason: {decision.reason})", err=True)


def _preflight_redact(source: Path, jobs: list[ReleaseJob], log_csv: Path | None,
                      force: bool) -> None:
    """Refuse before any work is done: nothing is written when a destination is wrong."""
    inputs = (str(source),)
    destinations: dict[Path, str] = {}
    for job in jobs:
        named = [(job.output, "output"), (job.log, "log")]
        for target, what in [(t, w) for t, w in named if t is not None]:
            refuse_overwriting_inputs(target, inputs, what)
            check_destination(target, what, force, create_folders=source.is_dir())
            if source.is_dir():
                depth = len(job.source.relative_to(source).parts)
                refuse_links_in_mirror(target, depth, what)
            refuse_twice(target, what, destinations)
    if log_csv is not None:
        refuse_overwriting_inputs(log_csv, inputs, "log")
        check_destination(log_csv, "log", force)
        refuse_twice(log_csv, "CSV log", destinations)

