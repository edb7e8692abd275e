"""`redactor check`: why each document may or may not be released, in any report format."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from redactor import baseline as baselines
from redactor import formats
from redactor import report as reports
from redactor.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from redactor.cache import Cache
from redactor.cli import cli
from redactor.cli.options import FAIL_ON, engine_options
from redactor.destinations import check_destination, refuse_overwriting_inputs
from redactor.errors import UsageError
from redactor.model import Action, Result
from redactor.options import CheckOptions
from redactor.paths import Scope, policy_files
from redactor.report.common import exit_code
from redactor.report.sarif import KEY_ENV
from redactor.run import MIN_PARALLEL, check_paths, show_progress


@cli.command(epilog=formats.formats_help())
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@engine_options
@click.option("--format", "-f", "fmt", type=click.Choice(reports.FORMATS),
              default="text", show_default=True, help=reports.formats_help())
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
def check(paths: tuple[str, ...], options: CheckOptions, fmt: str, output: str | None,
          json_output: str | None, sarif_output: str | None, junit_output: str | None,
          summary_output: str | None, baseline_file: str | None, fail_on: str,
          show_text: bool, explain: bool, include: tuple[str, ...], exclude: tuple[str, ...],
          changed_since: str | None, jobs: int | None, no_cache: bool, cache_dir: str) -> None:
    """Check documents and report why each may or may not be released.

    PATH is a file, a folder or a glob pattern such as 'docs/**/*.txt' (expanded by redactor).
    Findings are accepted only through a sidecar baseline file (--baseline); comments inside
    a document that would suppress a finding are not supported: they would be published with it.
    """
    outputs = _destinations(paths, fmt, output, {
        "--json-output": json_output, "--sarif-output": sarif_output,
        "--junit-output": junit_output, "--summary": summary_output})
    accepted = _load_baseline(baseline_file, outputs) if baseline_file else None
    changed = None
    if changed_since is not None:
        from redactor.changed import changed_files
        changed = changed_files(changed_since, paths)
    scope = Scope(include, exclude, policy_files(options.policy_ref),
                  changed.files if changed else None)
    store = None if no_cache else Cache(Path(cache_dir), options)
    results, policy_of = check_paths(paths, options, jobs, store, show_progress(),
                                     scope=scope, freeze=True)
    if accepted is not None:
        results = _accept(accepted, results)
    if changed is not None and all(r.skipped for r in results):
        click.echo(f"redactor: nothing changed since {changed_since} ({changed.base[:12]}) in "
                   f"{' '.join(paths)}: no document to check.", err=True)
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = reports.RunReport(results, policy_of, Action(fail_on), show_text,
                            color=color and fmt == "text", explain=explain)
    _emit(run, fmt, output, outputs)
    sys.exit(exit_code(results, run.fail_on))


def _destinations(paths: tuple[str, ...], fmt: str, output: str | None,
                  extra: dict[str, str | None]) -> list[reports.Output]:
    """The report files of the run, each refused before any document is read if it is an
    input or cannot be written."""
    outputs = reports.destinations(fmt, output, extra)
    for item in outputs:
        refuse_overwriting_inputs(item.path, paths, "report")
        check_destination(item.path, "report", force=True)
    return outputs


def _emit(run: reports.RunReport, fmt: str, output: str | None,
          outputs: list[reports.Output]) -> None:
    """The main report (to stdout unless -o), every report file, and each document that could
    not be checked on stderr."""
    text = reports.render(fmt, run)
    if outputs:
        try:
            reports.write(outputs, text, run)
        except OSError as exc:
            raise UsageError(str(outputs[0].path),
                             f"cannot write the reports ({exc.strerror or exc})",
                             "Nothing was written.") from None
    if not output:
        click.echo(text, nl=False, color=True)
    for result in run.results:
        if result.error is not None and result.skipped is None:
            click.echo(f"error: {result.path}: {result.error.message}. {result.error.hint}",
                       err=True)


def _load_baseline(name: str, outputs: list[reports.Output]) -> tuple[Path, list[Any], bytes]:
    """`check --baseline FILE`: the file, its entries and the key (exit 2 on any problem)."""
    file = Path(name)
    for item in outputs:
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
