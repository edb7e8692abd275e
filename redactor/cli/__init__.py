"""The command line: `check`, `redact`, `verify`, `baseline` and `policy`, one module each.

Exit codes, as in the best CI scanners: 0 releasable as it stands (nothing at or above
--fail-on), 1 findings at or above --fail-on (for `redact`: the document is blocked; for
`verify`: a check failed), 2 could not check (usage, bad policy, unreadable or unsupported
input). 2 outranks 1.

Every command raises RedactorError for a problem the user can fix; `RedactorGroup` prints it
once, as `error: PATH: message. hint`, and exits 2.
"""

from __future__ import annotations

import sys

import click

from redactor import __version__
from redactor.errors import RedactorError


class RedactorGroup(click.Group):
    """The one error path: a RedactorError from any command is printed and exits 2, as
    click's own `ClickException` is handled in `Command.main`."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except RedactorError as error:
            click.echo(f"error: {error.render()}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=RedactorGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


# The commands, one module each; importing them adds them to `cli`.
from redactor.cli import baseline, check, policy, redact, verify  # noqa: E402

__all__ = ["RedactorGroup", "baseline", "check", "cli", "main", "policy", "redact", "verify"]
