"""`redactor baseline create|update|check`: accept reviewed findings in a sidecar file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from redactor import baseline as baselines
from redactor.atomic import write_all
from redactor.cli import cli
from redactor.cli.options import FAIL_ON, F, engine_options, with_options
from redactor.destinations import check_destination, refuse_overwriting_inputs
from redactor.errors import InputError, UsageError
from redactor.model import Action, Result
from redactor.options import CheckOptions
from redactor.paths import Scope, policy_files
from redactor.run import check_paths


def baseline_options(func: F) -> F:
    """Options shared by the `baseline` commands."""
    return engine_options(with_options(func, [
        click.option("--baseline", "-b", "baseline_file", metavar="FILE",
                     default=baselines.DEFAULT_FILE, show_default=True,
                     help="The baseline file. Paths in it are relative to its folder."),
    ]))


def review_options(func: F) -> F:
    """Who accepted the findings, why, and when (the date is never taken from the clock)."""
    return with_options(func, [
        click.option("--reviewer", metavar="NAME",
                     help="Who reviewed the findings (default $REDACTOR_REVIEWER; required)."),
        click.option("--reason", metavar="TEXT",
                     help="Why the new findings are accepted (required when there are any)."),
        click.option("--date", metavar="YYYY-MM-DD",
                     help="Date of the review, recorded with new entries (none by default: "
                          "the same input gives the same file)."),
    ])


@cli.group()
def baseline() -> None:
    """Accept reviewed findings in a sidecar baseline file.

    \b
      redactor baseline create docs/ --reviewer "A. Reviewer" --reason "public officials"
      redactor check docs/ --baseline .redactor-baseline.json
      redactor baseline check docs/       exit 1 on stale entries or unaccepted findings
      redactor baseline update docs/ --reviewer "B. Reviewer" --reason "…"

    Each entry holds the rule, the path, the reason, the reviewer, an optional date and a
    fingerprint: an HMAC keyed by $REDACTOR_FINGERPRINT_KEY (required) over the rule, the path,
    the finding's text and its occurrence, so it survives lines moving and reveals no text.
    Inline suppressions (comments inside a document) are not supported: they would be
    published with the document.
    """


def _baseline_run(paths: tuple[str, ...], options: CheckOptions) -> list[Result]:
    """Check the documents for a baseline command; a document that cannot be checked stops it
    (exit 2): its findings cannot be accepted or compared."""
    results, _ = check_paths(paths, options,
                             scope=Scope(files_of=policy_files(options.policy_ref)))
    for result in results:
        if result.error is not None and result.skipped is None:
            raise InputError(result.path, result.error.message, result.error.hint,
                             code=result.error.code)
    return results


def _write_baseline(file: Path, entries: list[Any], key: bytes, paths: tuple[str, ...],
                    force: bool) -> None:
    refuse_overwriting_inputs(file, paths, "baseline")
    check_destination(file, "baseline", force)
    try:
        write_all({file: baselines.dump(entries, key).encode("utf-8")})
    except OSError as exc:
        raise UsageError(str(file), f"cannot write the baseline ({exc.strerror or exc})",
                         "Nothing was written.") from None


@baseline.command("create")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@baseline_options
@review_options
@click.option("--force", is_flag=True, help="Overwrite an existing baseline file.")
def baseline_create(paths: tuple[str, ...], baseline_file: str, options: CheckOptions,
                    reviewer: str | None, reason: str | None, date: str | None,
                    force: bool) -> None:
    """Accept every current finding of PATH... in a new baseline file."""
    file = Path(baseline_file)
    who = baselines.reviewer_of(reviewer)
    when = baselines.check_date(date)
    why = " ".join((reason or "").split())
    if not why:
        raise UsageError("", "--reason is required", "Say why the findings are baselines.")
    key = baselines.secret_key("baseline create")
    refuse_overwriting_inputs(file, paths, "baseline")
    check_destination(file, "baseline", force)
    results = _baseline_run(paths, options)
    comparison = baselines.compare(results, [], file.resolve().parent, key)
    entries = baselines.entries_for(comparison, who, why, when)
    _write_baseline(file, entries, key, paths, force)
    click.echo(f"{file}: {len(entries)} finding(s) accepted (reviewer {who}).", err=True)
    sys.exit(0)


@baseline.command("update")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@baseline_options
@review_options
def baseline_update(paths: tuple[str, ...], baseline_file: str, options: CheckOptions,
                    reviewer: str | None, reason: str | None, date: str | None) -> None:
    """Keep the entries that still match (with their reviewers), add the new findings with
    --reviewer, drop stale entries. Entries of documents not checked now are kept."""
    file = Path(baseline_file)
    who = baselines.reviewer_of(reviewer)
    when = baselines.check_date(date)
    key = baselines.secret_key("baseline update")
    entries = baselines.load(file, key)
    results = _baseline_run(paths, options)
    comparison = baselines.compare(results, entries, file.resolve().parent, key)
    why = " ".join((reason or "").split())
    if comparison.new and not why:
        raise UsageError("", f"{len(comparison.new)} new finding(s) and no --reason",
                         "Say why they are baselines.")
    updated = baselines.entries_for(comparison, who, why, when)
    _write_baseline(file, updated, key, paths, force=True)
    for item in comparison.new:
        click.echo(f"added   {baselines.describe(item)}", err=True)
    for entry in comparison.stale:
        click.echo(f"dropped {baselines.describe_entry(entry)} (stale)", err=True)
    click.echo(f"{file}: {len(comparison.matched)} kept, {len(comparison.new)} added, "
               f"{len(comparison.stale)} dropped.", err=True)
    sys.exit(0)


@baseline.command("check")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@baseline_options
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="redact", show_default=True,
              help="Unaccepted findings at or above this fail the check.")
def baseline_check(paths: tuple[str, ...], baseline_file: str, options: CheckOptions,
                   fail_on: str) -> None:
    """Exit 1 when an entry matches nothing (stale) or a finding at or above --fail-on is not
    in the baseline; 0 otherwise; 2 on bad input (a malformed baseline, a missing key, a
    document that cannot be checked)."""
    file = Path(baseline_file)
    key = baselines.secret_key("baseline check")
    entries = baselines.load(file, key)
    results = _baseline_run(paths, options)
    comparison = baselines.compare(results, entries, file.resolve().parent, key)
    threshold = Action(fail_on)
    new = [f for f in comparison.new if f.decision.action.rank >= threshold.rank]
    for item in new:
        click.echo(f"not accepted: {baselines.describe(item)}")
    for entry in comparison.stale:
        click.echo(f"stale: {baselines.describe_entry(entry)}")
    ok = not new and not comparison.stale
    click.echo(f"{file}: {len(comparison.matched)} accepted, {len(new)} not accepted, "
               f"{len(comparison.stale)} stale: {'ok' if ok else 'FAILED'}.")
    sys.exit(0 if ok else 1)
