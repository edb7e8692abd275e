"""The command line: `check`, `redact`, `verify` and `policy`.

Exit codes, as in the best CI scanners: 0 releasable as it stands (nothing at or above
--fail-on), 1 findings at or above --fail-on (for `redact`: the document is blocked; for
`verify`: a check failed), 2 could not check (usage, bad policy, unreadable or unsupported
input). 2 outranks 1.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from redactor import __version__
from redactor.atomic import write_all
from redactor.cache import DEFAULT_DIR as DEFAULT_CACHE_DIR
from redactor.cache import Cache
from redactor.engine import Engines
from redactor.errors import InputError, RedactorError, UsageError
from redactor.model import Action, Decision, Document, Verdict
from redactor.parse import LAYOUTS
from redactor.policy import builtin_packs, load_policy, schema
from redactor.policy.load import discover
from redactor.policy.model import Policy
from redactor.read import DEFAULT_MAX_BYTES, encode
from redactor.render.log import redaction_log
from redactor.render.report import exit_code, json_report, text_report
from redactor.render.sarif import KEY_ENV, sarif_report
from redactor.run import MIN_PARALLEL, EngineOptions, check_paths, show_progress

F = TypeVar("F", bound=Callable[..., Any])
FAIL_ON = [a.value for a in Action if a is not Action.ALLOW]


def engine_options(func: F) -> F:
    """Options shared by `check` and `redact`."""
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
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "sarif"]),
              default="text", show_default=True,
              help="Report format (sarif: SARIF 2.1.0 for code scanning).")
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE (atomically).")
@click.option("--sarif-output", metavar="FILE",
              help="Also write a SARIF 2.1.0 report to FILE (atomically), besides --format. "
                   f"Fingerprints are keyed by ${KEY_ENV} when set.")
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
          encoding: str | None, fmt: str, output: str | None, sarif_output: str | None,
          fail_on: str, show_text: bool, explain: bool, jobs: int | None, no_cache: bool,
          cache_dir: str) -> None:
    """Check documents and report why each may or may not be released."""
    try:
        for destination in (output, sarif_output):
            if destination:
                _refuse_overwriting_inputs(Path(destination), paths, "report")
                _check_destination(Path(destination), "report", force=True)
        if output and sarif_output and Path(output).resolve() == Path(sarif_output).resolve():
            raise UsageError(sarif_output, "--sarif-output is the same file as --output",
                             "Give it another path.")
        options = EngineOptions(policy, format_hint, max_file_size, encoding)
        store = None if no_cache else Cache(Path(cache_dir), format_hint, max_file_size,
                                            encoding)
        results, policy_of = check_paths(paths, options, jobs, store,
                                         show_progress())
    except RedactorError as error:
        fail(error)
        return
    action = Action(fail_on)
    if fmt == "json":
        report = json_report(results, policy_of, action, show_text)
    elif fmt == "sarif":
        report = sarif_report(results, policy_of, action, show_text)
    else:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        report = text_report(results, policy_of, action, show_text, color, explain)
    files = {Path(output): report.encode("utf-8")} if output else {}
    if sarif_output:
        files[Path(sarif_output)] = sarif_report(results, policy_of, action,
                                                 show_text).encode("utf-8")
    if files:
        try:
            write_all(files)
        except OSError as exc:
            fail(UsageError(output or sarif_output or "",
                            f"cannot write the report ({exc.strerror or exc})"))
    if not output:
        click.echo(report, nl=False, color=True)
    for result in results:
        if result.error is not None and result.skipped is None:
            click.echo(f"error: {result.path}: {result.error.message}. {result.error.hint}",
                       err=True)
    sys.exit(exit_code(results, action))


# ----------------------------------------------------------------------------- redact

@cli.command()
@click.argument("path", metavar="PATH")
@click.option("--output", "-o", required=True, metavar="OUT",
              help="Where to write the redacted copy. Never the input itself.")
@click.option("--log", "log_path", metavar="LOG.json",
              help="Also write the redaction log (JSON): what was removed where and why, "
                   "never the removed text.")
@click.option("--force", is_flag=True, help="Overwrite OUT and LOG if they exist.")
@engine_options
def redact(path: str, output: str, log_path: str | None, force: bool, policy: str | None,
           format_hint: str, max_file_size: int, encoding: str | None) -> None:
    """Write a redacted release copy of PATH to OUT (PATH is never modified).

    The copy is re-checked with the same policy before it is written; if the policy blocks
    the document, nothing is written and the exit code is 1.
    """
    try:
        source, out = Path(path), Path(output)
        log = Path(log_path) if log_path else None
        _preflight_redact(source, out, log, force)
        engine = Engines(policy, format_hint, max_file_size, encoding).for_path(source)
        document = engine.read(source, path)
        plan = engine.check(document)
        if plan.verdict is Verdict.BLOCK:
            _explain_block(path, plan.decisions)
            sys.exit(1)
        redaction = engine.redact(plan)
        data = _encode(redaction.rendered.text, document)
        files = {out: data}
        if log is not None:
            text = redaction_log(redaction, engine.policy, output, hashlib.sha256(data).hexdigest())
            files[log] = text.encode("utf-8")
        write_all(files)
    except RedactorError as error:
        fail(error)
        return
    except OSError as exc:
        fail(UsageError(output, f"cannot write ({exc.strerror or exc})",
                        "Check the destination folder; nothing was written."))
        return
    removals = redaction.rendered.removals
    withheld = {r.decision.target for r in removals if r.decision.action is Action.WITHHOLD}
    redacted = sum(1 for r in removals if r.decision.action is Action.REDACT)
    flags = sum(1 for d in redaction.recheck.decisions
                if d.action is Action.FLAG and d.covered_by is None and d.allowed_by is None)
    click.echo(f"{path}: wrote {output} ({redacted} redaction(s), {len(withheld)} portion(s) "
               f"withheld{', log ' + str(log_path) if log_path else ''}).", err=True)
    if flags:
        click.echo(f"{path}: {flags} finding(s) are flagged for human review; "
                   "run `redactor check` on the copy to see them.", err=True)
    sys.exit(0)


def _encode(text: str, document: Document) -> bytes:
    try:
        return encode(text, document)
    except UnicodeEncodeError as exc:
        raise RedactorError(document.path, f"a redaction label cannot be written in the "
                            f"document's encoding {document.encoding}",
                            "Use ASCII in the policy's output labels.", code="encoding") from exc


def _explain_block(path: str, decisions: tuple[Decision, ...]) -> None:
    click.echo(f"{path}: BLOCKED — no release copy was written.", err=True)
    for decision in decisions:
        if decision.action is Action.BLOCK:
            click.echo(f"  rule {decision.rule}: {decision.finding.explanation} "
                       f"(reason: {decision.reason})", err=True)


def _preflight_redact(source: Path, out: Path, log: Path | None, force: bool) -> None:
    """Refuse before any work is done: nothing is written when a destination is wrong."""
    if not source.exists():
        raise InputError(str(source), "no such file", "Check the path.", code="not-found")
    if source.is_dir():
        raise UsageError(str(source), "is a folder; `redact` takes one file",
                         "Run it once per document.")
    _refuse_overwriting_inputs(out, (str(source),), "output")
    _check_destination(out, "output", force)
    if log is not None:
        _refuse_overwriting_inputs(log, (str(source),), "log")
        if log.resolve() == out.resolve():
            raise UsageError(str(log), "the log and the output are the same file",
                             "Give --log another path.")
        _check_destination(log, "log", force)


def _refuse_overwriting_inputs(target: Path, inputs: tuple[str, ...], what: str) -> None:
    for name in inputs:
        source = Path(name)
        same = target.resolve() == source.resolve() or (
            target.exists() and source.exists() and os.path.samefile(target, source))
        inside = source.is_dir() and target.resolve().is_relative_to(source.resolve())
        if same or (inside and what != "report"):
            raise UsageError(str(target), f"the {what} path is the input itself",
                             "Write to another path; redactor never edits its input in place.")


def _check_destination(target: Path, what: str, force: bool) -> None:
    folder = target.parent if str(target.parent) else Path(".")
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
@click.option("--log", "log_path", metavar="LOG.json",
              help="The redaction log `redact --log` wrote. Without it, the removals are "
                   "recomputed from ORIGINAL with the policy.")
@engine_options
def verify(original: str, copy: str, log_path: str | None, policy: str | None,
           format_hint: str, max_file_size: int, encoding: str | None) -> None:
    """Re-check a redacted copy against its original (and log), independently of `redact`.

    Exit 0 when no removed text reappears in the copy, the copy passes `check`, it is the
    original with only the logged removals replaced, and the log matches both files; exit 1
    with each failed check listed (never the removed text); exit 2 on bad input.
    """
    from redactor.verify import load_log
    from redactor.verify import verify as run_verify

    try:
        source, target = Path(original), Path(copy)
        engine = Engines(policy, format_hint, max_file_size, encoding).for_path(source)
        document = engine.read(source, original)
        redacted = engine.read(target, copy)
        log = load_log(Path(log_path), log_path) if log_path else None
        result = run_verify(engine, document, redacted, target.read_bytes(), log,
                            log_path or "log")
    except RedactorError as error:
        fail(error)
        return
    except OSError as exc:
        fail(InputError(copy, f"cannot be read ({exc.strerror or exc})", "Check the path."))
        return
    for item in result.checks:
        status = "skipped" if item.skipped else ("ok" if item.ok else "FAIL")
        click.echo(f"{status:<7} {item.name}: {item.detail}")
        for problem in item.problems:
            click.echo(f"          - {problem}")
    verdict = "verified" if result.ok else "NOT verified"
    click.echo(f"{copy}: {verdict} against {original}")
    sys.exit(0 if result.ok else 1)


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
    lines.append("output:")
    lines.append(f"  redaction: {json.dumps(loaded.output.redaction)}")
    lines.append(f"  withheld: {json.dumps(loaded.output.withheld)}")
    return "\n".join(lines) + "\n"
