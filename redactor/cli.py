"""The command line: `check`, `redact`, `verify`, `baseline` and `policy`.

Exit codes, as in the best CI scanners: 0 releasable as it stands (nothing at or above
--fail-on), 1 findings at or above --fail-on (for `redact`: the document is blocked; for
`verify`: a check failed), 2 could not check (usage, bad policy, unreadable or unsupported
input). 2 outranks 1.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from redactor import __version__
from redactor import baseline as baselines
from redactor.atomic import write_all
from redactor.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from redactor.cache import Cache
from redactor.engine import Engines
from redactor.errors import InputError, RedactorError, UsageError
from redactor.model import Action, Decision, Result, Verdict
from redactor.parse import LAYOUTS
from redactor.paths import Scope, policy_files, shown
from redactor.policy import builtin_packs, load_policy, schema
from redactor.policy.load import discover
from redactor.policy.model import Policy
from redactor.read import DEFAULT_MAX_BYTES
from redactor.release import Release, ReleaseJob, plan_jobs, release_all
from redactor.render import outputs
from redactor.render.outputs import FORMATS
from redactor.render.report import exit_code
from redactor.render.sarif import KEY_ENV
from redactor.run import MIN_PARALLEL, EngineOptions, check_paths, show_progress
from redactor.timelimit import DEFAULT_TIMEOUT, MAX_TIMEOUT

F = TypeVar("F", bound=Callable[..., Any])
FAIL_ON = [a.value for a in Action if a is not Action.ALLOW]


def _seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if math.isnan(value):  # FloatRange lets NaN through: it compares false with both bounds
        raise click.BadParameter("give a number of seconds (0: no limit)")
    return value


def engine_options(func: F) -> F:
    """Options shared by every command that checks documents."""
    options = [
        click.option("--policy", "-p", "policy", metavar="NAME|FILE",
                     help="Built-in pack name or policy file. Default: the nearest "
                          ".redactor.yaml above each path, else the built-in 'default'."),
        click.option("--format-hint", type=click.Choice(LAYOUTS), default="auto",
                     show_default=True, help="Document layout: telegram (cable) or generic text."),
        click.option("--max-file-size", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
                     show_default=True, metavar="BYTES",
                     help="Larger files are an error (exit 2), never skipped."),
        click.option("--encoding", metavar="CODEC",
                     help="Decode input with this codec instead of detecting it."),
        click.option("--timeout", type=click.FloatRange(min=0, max=MAX_TIMEOUT),
                     default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
                     callback=_seconds,
                     help="Time allowed to check a document, for every 100,000 characters "
                          "of it (and at least once); past it the run stops with exit 2, "
                          "naming the document (a policy pattern that backtracks "
                          "catastrophically). 0: no limit."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redactor")
def cli() -> None:
    """Check documents for markings and personal data, and write redacted release copies.

    \b
      redactor check memo.txt                  why a document may or may not go out
      redactor redact memo.txt -o memo.public.txt --log memo.redactions.json
      redactor check docs/ --format json -o report.json
      redactor verify memo.txt memo.public.txt --log memo.redactions.json
      redactor check docs/ --format sarif -o redactor.sarif
      redactor check docs/ --format github --summary "$GITHUB_STEP_SUMMARY"
      redactor baseline create docs/ --reviewer NAME --reason TEXT   accept reviewed findings
      redactor policy show                     the policy in effect here

    Exit codes: 0 releasable as it stands, 1 findings at or above --fail-on
    (redact: document blocked; verify: a check failed), 2 could not check (bad input,
    policy or usage).
    """


def main() -> None:
    try:
        cli(prog_name="redactor")
    except Exception as exc:  # fail closed: a bug is an error (exit 2), never a pass
        # Only the exception's type: its message may quote the document.
        click.echo(f"error: internal error ({type(exc).__name__}); nothing was written. "
                   "Please report it with the command that failed.", err=True)
        sys.exit(2)


def fail(error: RedactorError) -> None:
    click.echo(f"error: {error.render()}", err=True)
    sys.exit(2)


# ------------------------------------------------------------------------------ check

@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@engine_options
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              default="text", show_default=True,
              help="Report format: sarif (SARIF 2.1.0 for code scanning), jsonl (one JSON "
                   "object per finding), junit (JUnit XML, a test case per document), github "
                   "(workflow-command annotations), markdown (a summary table).")
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE (atomically).")
@click.option("--json-output", metavar="FILE",
              help="Also write the JSON report to FILE, besides --format.")
@click.option("--sarif-output", metavar="FILE",
              help="Also write a SARIF 2.1.0 report to FILE, besides --format. "
                   f"Fingerprints are keyed by ${KEY_ENV} when set.")
@click.option("--junit-output", metavar="FILE",
              help="Also write a JUnit XML report to FILE, besides --format.")
@click.option("--summary", "summary_output", metavar="FILE",
              help="Append a markdown summary to FILE (e.g. \"$GITHUB_STEP_SUMMARY\"). "
                   "All report files of a run are written together, atomically.")
@click.option("--baseline", "baseline_file", metavar="FILE",
              help="Accept the findings reviewed in this baseline file (`redactor baseline "
                   "create`): they are reported as accepted by baseline and do not count for "
                   f"the exit code. Needs ${baselines.KEY_ENV}.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="redact", show_default=True,
              help="Exit 1 when any finding's action is at or above this.")
@click.option("--show-text", is_flag=True,
              help="Show the text of names and other findings in the report (off by default: "
                   "CI logs are often public).")
@click.option("--explain", is_flag=True,
              help="Text report: under each finding, how it was found (the model, the same "
                   "name elsewhere, a title, the deny-list, a signature) and why each rule "
                   "decided as it did (allow-list, protection cue, withheld portion). The JSON "
                   "report always carries this.")
@click.option("--include", "include", multiple=True, metavar="PATTERN",
              help="Check only files matching this gitignore-style pattern (relative to the "
                   "folder given; repeatable; replaces the policy's files.include).")
@click.option("--exclude", "exclude", multiple=True, metavar="PATTERN",
              help="Do not check files or folders matching this gitignore-style pattern "
                   "(relative to the folder given; repeatable; adds to files.exclude). "
                   "Each one left out is reported as not checked.")
@click.option("--changed-since", metavar="REF",
              help="Check only files changed since the git ref REF (merge base with HEAD), "
                   "including staged, unstaged and untracked ones. Exit 2 if REF cannot be "
                   "resolved.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes that check documents in parallel, each loading the "
                   "model once. Default: the number of cores, when there are at least "
                   f"{MIN_PARALLEL} documents to check; 1 checks in this process.")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the result cache.")
@click.option("--cache-dir", default=DEFAULT_CACHE_DIR, show_default=True, metavar="DIR",
              help="Where results of unchanged documents are kept (keyed on content, "
                   "effective policy, redactor version and options; no document text).")
def check(paths: tuple[str, ...], policy: str | None, format_hint: str, max_file_size: int,
          encoding: str | None, timeout: float, fmt: str, output: str | None,
          json_output: str | None,
          sarif_output: str | None, junit_output: str | None, summary_output: str | None,
          baseline_file: str | None, fail_on: str, show_text: bool, explain: bool,
          include: tuple[str, ...], exclude: tuple[str, ...], changed_since: str | None,
          jobs: int | None, no_cache: bool, cache_dir: str) -> None:
    """Check documents and report why each may or may not be released.

    PATH is a file, a folder or a glob pattern such as 'docs/**/*.txt' (expanded by redactor).
    Findings are accepted only through a sidecar baseline file (--baseline); comments inside
    a document that would suppress a finding are not supported: they would be published with it.
    """
    try:
        reports = outputs.destinations(fmt, output, {
            "--json-output": json_output, "--sarif-output": sarif_output,
            "--junit-output": junit_output, "--summary": summary_output})
        for item in reports:
            _refuse_overwriting_inputs(item.path, paths, "report")
            _check_destination(item.path, "report", force=True)
        accepted = _load_baseline(baseline_file, reports) if baseline_file else None
        changed = None
        if changed_since is not None:
            from redactor.changed import changed_files
            changed = changed_files(changed_since, paths)
        scope = Scope(include, exclude, policy_files(policy),
                      changed.files if changed else None)
        options = EngineOptions(policy, format_hint, max_file_size, encoding, timeout)
        store = None if no_cache else Cache(Path(cache_dir), format_hint, max_file_size,
                                            encoding)
        results, policy_of = check_paths(paths, options, jobs, store, show_progress(),
                                         scope=scope, freeze=True)
        if accepted is not None:
            results = _accept(accepted, results)
    except RedactorError as error:
        fail(error)
        return
    if changed is not None and all(r.skipped for r in results):
        click.echo(f"redactor: nothing changed since {changed_since} ({changed.base[:12]}) in "
                   f"{' '.join(paths)}: no document to check.", err=True)
    action = Action(fail_on)
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    report = outputs.render(fmt, results, policy_of, action, show_text,
                            color=color and fmt == "text", explain=explain)
    if reports:
        try:
            outputs.write(reports, report, results, policy_of, action, show_text)
        except OSError as exc:
            fail(UsageError(str(reports[0].path),
                            f"cannot write the reports ({exc.strerror or exc})",
                            "Nothing was written."))
    if not output:
        click.echo(report, nl=False, color=True)
    for result in results:
        if result.error is not None and result.skipped is None:
            click.echo(f"error: {result.path}: {result.error.message}. {result.error.hint}",
                       err=True)
    sys.exit(exit_code(results, action))


def _load_baseline(name: str, reports: list[outputs.Output]) -> tuple[Path, list[Any], bytes]:
    """`check --baseline FILE`: the file, its entries and the key (exit 2 on any problem)."""
    file = Path(name)
    for item in reports:
        if item.path.resolve() == file.resolve():
            raise UsageError(str(item.path), f"{item.option} is the baseline file",
                             "Write the report to another path.")
    key = baselines.secret_key("--baseline")
    return file, baselines.load(file, key), key


def _accept(loaded: tuple[Path, list[Any], bytes], results: list[Result]) -> list[Result]:
    file, entries, key = loaded
    results, comparison = baselines.apply(results, entries, file.resolve().parent, key)
    for entry in comparison.stale:
        click.echo(f"warning: {file}: stale entry, matches no finding: "
                   f"{baselines.describe_entry(entry)} (`redactor baseline update` drops it)",
                   err=True)
    return results


# ----------------------------------------------------------------------------- redact

@cli.command()
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
           release_date: datetime | None, pseudonyms: str, force: bool, policy: str | None,
           format_hint: str, max_file_size: int, encoding: str | None, timeout: float) -> None:
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
                         Scope(files_of=policy_files(policy)))
        _preflight_redact(source, jobs, Path(log_csv) if log_csv else None, force)
        engines = Engines(policy, format_hint, max_file_size, encoding, timeout)
        outcome = release_all(engines, jobs, date, shared_pseudonyms=pseudonyms == "run")
        if outcome.errors:
            for error in outcome.errors:
                click.echo(f"error: {error.render()}", err=True)
            click.echo(f"{path}: {len(outcome.errors)} document(s) could not be redacted; "
                       "nothing was written.", err=True)
            sys.exit(2)
        files = outcome.files()
        if log_csv:
            files[Path(log_csv)] = outcome.csv_index().encode("utf-8")
        for folder in sorted({target.parent for target in files}):
            folder.mkdir(parents=True, exist_ok=True)
        write_all(files)
    except RedactorError as error:
        fail(error)
        return
    except OSError as exc:
        fail(UsageError(output, f"cannot write ({exc.strerror or exc})",
                        "Check the destination folder; nothing was written."))
        return
    for job, plan in outcome.blocked:
        _explain_block(job.display, plan.decisions)
    for job, release in outcome.releases:
        _report_release(job, release)
    sys.exit(1 if outcome.blocked else 0)


def _report_release(job: ReleaseJob, release: Release) -> None:
    removals = release.redaction.rendered.removals
    withheld = {r.decision.target for r in removals if r.decision.action is Action.WITHHOLD}
    redacted = sum(1 for r in removals if r.decision.action is Action.REDACT)
    flags = sum(1 for d in release.redaction.recheck.decisions
                if d.action is Action.FLAG and d.covered_by is None and d.allowed_by is None)
    log = f", log {job.log}" if job.log else ""
    click.echo(f"{job.display}: wrote {shown(str(job.output))} ({redacted} redaction(s), "
               f"{len(withheld)} portion(s) withheld{log}).", err=True)
    if flags:
        click.echo(f"{job.display}: {flags} finding(s) are flagged for human review; "
                   "run `redactor check` on the copy to see them.", err=True)


def _explain_block(path: str, decisions: tuple[Decision, ...]) -> None:
    click.echo(f"{path}: BLOCKED — no release copy was written.", err=True)
    for decision in decisions:
        if decision.action is Action.BLOCK:
            click.echo(f"  rule {decision.rule}: {decision.finding.explanation} "
                       f"(reason: {decision.reason})", err=True)


def _preflight_redact(source: Path, jobs: list[ReleaseJob], log_csv: Path | None,
                      force: bool) -> None:
    """Refuse before any work is done: nothing is written when a destination is wrong."""
    inputs = (str(source),)
    destinations: dict[Path, str] = {}
    for job in jobs:
        named = [(job.output, "output"), (job.log, "log")]
        for target, what in [(t, w) for t, w in named if t is not None]:
            _refuse_overwriting_inputs(target, inputs, what)
            _check_destination(target, what, force, create_folders=source.is_dir())
            _refuse_twice(target, what, destinations)
    if log_csv is not None:
        _refuse_overwriting_inputs(log_csv, inputs, "log")
        _check_destination(log_csv, "log", force)
        _refuse_twice(log_csv, "CSV log", destinations)


def _refuse_twice(target: Path, what: str, seen: dict[Path, str]) -> None:
    key = target.resolve()
    if key in seen:
        raise UsageError(str(target), f"the {what} is the same file as the {seen[key]}",
                         "Give each output its own path.")
    seen[key] = what


def _refuse_overwriting_inputs(target: Path, inputs: tuple[str, ...], what: str) -> None:
    for name in inputs:
        source = Path(name)
        same = target.resolve() == source.resolve() or (
            target.exists() and source.exists() and os.path.samefile(target, source))
        inside = source.is_dir() and target.resolve().is_relative_to(source.resolve())
        if inside and what in ("report", "baseline"):
            # a report or baseline may be written into a checked folder (`check . -o r.json`),
            # but never over a file the run reads: one that exists and is not hidden
            parts = target.resolve().relative_to(source.resolve()).parts
            same = same or (target.is_file() and not any(p.startswith(".") for p in parts))
            inside = False
        if same:
            raise UsageError(str(target), f"the {what} path is the input itself",
                             "Write to another path; redactor never edits its input in place.")
        if inside:
            raise UsageError(str(target), f"the {what} path is inside the input folder "
                             f"{name!r}", "Write outside the folder being read; a copy there "
                             "would be read as an input next time.")


def _check_destination(target: Path, what: str, force: bool,
                       create_folders: bool = False) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if create_folders:  # a folder run creates the mirror tree: check the nearest folder there is
        while not folder.exists() and folder.parent != folder:
            folder = folder.parent
    if not folder.is_dir():
        raise UsageError(str(target), f"the {what} folder {str(folder)!r} does not exist",
                         "Create it first.")
    if not os.access(folder, os.W_OK):
        raise UsageError(str(target), f"the {what} folder {str(folder)!r} is not writable",
                         "Choose a folder you can write to.")
    if target.is_dir():
        raise UsageError(str(target), f"the {what} path is a folder", "Name a file.")
    if target.exists() and not force:
        raise UsageError(str(target), f"the {what} file already exists",
                         "Use --force to overwrite it, or choose another path.")


# ----------------------------------------------------------------------------- verify

@cli.command()
@click.argument("original", metavar="ORIGINAL")
@click.argument("copy", metavar="REDACTED")
@click.option("--log", "log_path", metavar="LOG",
              help="The redaction log `redact --log` wrote (for folders: the folder of logs). "
                   "Without it, the removals are recomputed from ORIGINAL with the policy.")
@engine_options
def verify(original: str, copy: str, log_path: str | None, policy: str | None,
           format_hint: str, max_file_size: int, encoding: str | None, timeout: float) -> None:
    """Re-check a redacted copy against its original (and log), independently of `redact`.

    Exit 0 when no removed text reappears in the copy, the copy passes `check`, it is the
    original with only the logged removals replaced, and the log matches both files; exit 1
    with each failed check listed (never the removed text); exit 2 on bad input.

    ORIGINAL and REDACTED may be folders (as `redact FOLDER -o OUT` made them): every copy is
    verified, a document without a copy must be one the policy blocks, and a file in REDACTED
    that is the copy of no document fails.
    """
    try:
        source, target = Path(original), Path(copy)
        log = Path(log_path) if log_path else None
        if source.is_dir():
            if not target.is_dir():
                raise UsageError(copy, "is not a folder, but ORIGINAL is",
                                 "Give the folder `redact` wrote the copies to.")
            jobs = plan_jobs(source, target, log, Scope(files_of=policy_files(policy)))
        else:
            jobs = [ReleaseJob(source, original, target, log)]
        engines = Engines(policy, format_hint, max_file_size, encoding, timeout)
        results = [(job, _verify_one(engines, job, folder=source.is_dir())) for job in jobs]
        strays = _strays(target, jobs) if source.is_dir() else []
    except RedactorError as error:
        fail(error)
        return
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


def _verify_one(engines: Engines, job: ReleaseJob,
                folder: bool) -> tuple[bool, bool, list[str]]:
    """Whether the job verifies, whether it has a copy, and the lines that say why."""
    from redactor.verify import load_log
    from redactor.verify import verify as run_verify

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


# --------------------------------------------------------------------------- baseline

def baseline_options(func: F) -> F:
    """Options shared by the `baseline` commands."""
    options = [
        click.option("--baseline", "-b", "baseline_file", metavar="FILE",
                     default=baselines.DEFAULT_FILE, show_default=True,
                     help="The baseline file. Paths in it are relative to its folder."),
    ]
    for option in reversed(options):
        func = option(func)
    return engine_options(func)


def review_options(func: F) -> F:
    """Who accepted the findings, why, and when (the date is never taken from the clock)."""
    options = [
        click.option("--reviewer", metavar="NAME",
                     help="Who reviewed the findings (default $REDACTOR_REVIEWER; required)."),
        click.option("--reason", metavar="TEXT",
                     help="Why the new findings are accepted (required when there are any)."),
        click.option("--date", metavar="YYYY-MM-DD",
                     help="Date of the review, recorded with new entries (none by default: "
                          "the same input gives the same file)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


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


def _baseline_run(paths: tuple[str, ...], policy: str | None, format_hint: str,
                  max_file_size: int, encoding: str | None, timeout: float) -> list[Result]:
    """Check the documents for a baseline command; a document that cannot be checked stops it
    (exit 2): its findings cannot be accepted or compared."""
    options = EngineOptions(policy, format_hint, max_file_size, encoding, timeout)
    results, _ = check_paths(paths, options, scope=Scope(files_of=policy_files(policy)))
    for result in results:
        if result.error is not None and result.skipped is None:
            raise InputError(result.path, result.error.message, result.error.hint,
                             code=result.error.code)
    return results


def _write_baseline(file: Path, entries: list[Any], key: bytes, paths: tuple[str, ...],
                    force: bool) -> None:
    _refuse_overwriting_inputs(file, paths, "baseline")
    _check_destination(file, "baseline", force)
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
def baseline_create(paths: tuple[str, ...], baseline_file: str, policy: str | None,
                    format_hint: str, max_file_size: int, encoding: str | None,
                    timeout: float,
                    reviewer: str | None, reason: str | None, date: str | None,
                    force: bool) -> None:
    """Accept every current finding of PATH... in a new baseline file."""
    try:
        file = Path(baseline_file)
        who = baselines.reviewer_of(reviewer)
        when = baselines.check_date(date)
        why = " ".join((reason or "").split())
        if not why:
            raise UsageError("", "--reason is required", "Say why the findings are baselines.")
        key = baselines.secret_key("baseline create")
        _refuse_overwriting_inputs(file, paths, "baseline")
        _check_destination(file, "baseline", force)
        results = _baseline_run(paths, policy, format_hint, max_file_size, encoding, timeout)
        comparison = baselines.compare(results, [], file.resolve().parent, key)
        entries = baselines.entries_for(comparison, who, why, when)
        _write_baseline(file, entries, key, paths, force)
    except RedactorError as error:
        fail(error)
        return
    click.echo(f"{file}: {len(entries)} finding(s) accepted (reviewer {who}).", err=True)
    sys.exit(0)


@baseline.command("update")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@baseline_options
@review_options
def baseline_update(paths: tuple[str, ...], baseline_file: str, policy: str | None,
                    format_hint: str, max_file_size: int, encoding: str | None,
                    timeout: float,
                    reviewer: str | None, reason: str | None, date: str | None) -> None:
    """Keep the entries that still match (with their reviewers), add the new findings with
    --reviewer, drop stale entries. Entries of documents not checked now are kept."""
    try:
        file = Path(baseline_file)
        who = baselines.reviewer_of(reviewer)
        when = baselines.check_date(date)
        key = baselines.secret_key("baseline update")
        entries = baselines.load(file, key)
        results = _baseline_run(paths, policy, format_hint, max_file_size, encoding, timeout)
        comparison = baselines.compare(results, entries, file.resolve().parent, key)
        why = " ".join((reason or "").split())
        if comparison.new and not why:
            raise UsageError("", f"{len(comparison.new)} new finding(s) and no --reason",
                             "Say why they are baselines.")
        updated = baselines.entries_for(comparison, who, why, when)
        _write_baseline(file, updated, key, paths, force=True)
    except RedactorError as error:
        fail(error)
        return
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
def baseline_check(paths: tuple[str, ...], baseline_file: str, policy: str | None,
                   format_hint: str, max_file_size: int, encoding: str | None,
                   timeout: float,
                   fail_on: str) -> None:
    """Exit 1 when an entry matches nothing (stale) or a finding at or above --fail-on is not
    in the baseline; 0 otherwise; 2 on bad input (a malformed baseline, a missing key, a
    document that cannot be checked)."""
    try:
        file = Path(baseline_file)
        key = baselines.secret_key("baseline check")
        entries = baselines.load(file, key)
        results = _baseline_run(paths, policy, format_hint, max_file_size, encoding, timeout)
        comparison = baselines.compare(results, entries, file.resolve().parent, key)
    except RedactorError as error:
        fail(error)
        return
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


# ----------------------------------------------------------------------------- policy

@cli.group()
def policy() -> None:
    """List, show, validate policies, and print their JSON schema."""


@policy.command("list")
def policy_list() -> None:
    """List the built-in policy packs."""
    for name, path in builtin_packs().items():
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        description = " ".join(str(data.get("description", "")).split())
        click.echo(f"{name:<20} {description}")


@policy.command("show")
@click.argument("ref", required=False, metavar="[NAME|FILE]")
def policy_show(ref: str | None) -> None:
    """Print the effective policy and where each part came from.

    Without NAME|FILE: the policy that applies in the current folder.
    """
    try:
        if ref is None:
            found = discover(Path.cwd())
            ref = str(found) if found else None
        click.echo(_show(load_policy(ref)), nl=False)
    except RedactorError as error:
        fail(error)


@policy.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def policy_validate(files: tuple[str, ...]) -> None:
    """Validate policy files (schema, extends, references). Exit 2 on the first error."""
    for name in files:
        try:
            loaded = load_policy(name)
        except RedactorError as error:
            fail(error)
            return
        names = sum(len(a.names) for r in loaded.rules for a in r.allow_files)
        allowed = f", {names} names in allow files" if names else ""
        click.echo(f"{name}: ok — policy {loaded.name!r}: {len(loaded.levels)} levels, "
                   f"{len(loaded.markings)} markings, {len(loaded.cues)} cues, "
                   f"{len(loaded.entities)} entity types, {len(loaded.rules)} rules{allowed}")


@policy.command("schema")
def policy_schema() -> None:
    """Print the JSON schema that policy files are validated against."""
    click.echo(json.dumps(schema(), indent=2))


def _show(loaded: Policy) -> str:
    def flow(item: dict[str, Any]) -> str:
        return yaml.safe_dump(item, default_flow_style=True, width=100_000,
                               sort_keys=False).strip()

    lines = [f"# effective policy {loaded.name!r}, fingerprint {loaded.fingerprint[:16]}",
             f"# built from: {', '.join(loaded.files)}",
             f"name: {loaded.name}"]
    if loaded.version:
        lines.append(f"version: {json.dumps(loaded.version)}")
    if loaded.levels:
        lines.append(f"levels: [{', '.join(loaded.levels)}]")
    lines.append("markings:" if loaded.markings else "markings: []")
    lines += [f"  - {flow(m.source)}  # {m.origin}" for m in loaded.markings]
    lines.append("entities:")
    lines.append(f"  model: {loaded.model}")
    lines.append("  types:" if loaded.entities else "  types: {}")
    for entity in loaded.entities:
        spec: dict[str, Any] = {"threshold": entity.threshold}
        if entity.deny:
            spec["deny"] = list(entity.deny)
        lines.append(f"    {entity.type}: {flow(spec)}  # {entity.origin}")
    if loaded.cues:
        lines.append("cues:")
        lines += [f"  - {flow(c.source)}  # {c.origin}" for c in loaded.cues]
    lines.append("rules:" if loaded.rules else "rules: []")
    for rule in loaded.rules:
        source = dict(rule.source)
        if rule.allow_files:  # resolved: the shown policy may be saved anywhere
            source["allow_file"] = [a.path for a in rule.allow_files]
        lines.append(f"  - {flow(source)}  # {rule.origin}")
    scope = loaded.files_scope
    if scope.include or scope.exclude:
        where = ", ".join(str(o) for o in scope.origin)
        lines.append(f"files:  # {where}; patterns relative to {scope.base or '.'}")
        for key, patterns in (("include", scope.include), ("exclude", scope.exclude)):
            if patterns:
                lines.append(f"  {key}: {json.dumps(list(patterns))}")
    lines.append("output:")
    lines.append(f"  redaction: {json.dumps(loaded.output.redaction)}")
    lines.append(f"  withheld: {json.dumps(loaded.output.withheld)}")
    return "\n".join(lines) + "\n"
