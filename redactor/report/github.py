"""`check --format github`: GitHub Actions workflow commands, one annotation per finding.

`::error file=docs/memo.md,line=3,endLine=3,col=5,endColumn=16,title=…::message` for a finding at
or above --fail-on, `::warning` for one below it (a flag, by default), `::error` without a line
for a document that could not be checked, `::notice` for a path that was not checked. Findings
accepted by a baseline are not annotated. The message says what was found and why — never the
text itself unless `show_text` (workflow logs of public repositories are public).

Escaping as GitHub's actions/toolkit does (`command.ts`): in the message `%`, CR and LF become
`%25`, `%0D`, `%0A`; in properties (file, title) also `:` and `,` become `%3A` and `%2C`.
Columns count characters (code points). GitHub shows at most 10 annotations of each level per
step; the last line is a plain summary.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from redactor.model import Action, Result
from redactor.policy.model import Policy
from redactor.report.base import Reporter, RunReport
from redactor.report.common import active, end_position, exit_code, message, ordered, relative


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, properties: dict[str, str | int], text: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{level} {props}::{escape_data(text)}" if props else f"::{level}::{escape_data(text)}"


def github_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                  show_text: bool = False, cwd: Path | None = None) -> str:
    lines: list[str] = []
    for result in results:
        path = relative(result.path, cwd)
        if result.skipped is not None:
            lines.append(command("notice", {"file": path, "title": "redactor: not checked"},
                                 f"{path}: not checked ({result.skipped})."))
            continue
        if result.plan is None:
            assert result.error is not None
            title = f"redactor: could not check ({result.error.code})"
            lines.append(command(
                "error", {"file": path, "title": title},
                f"{path}: could not be checked: {result.error.message}. {result.error.hint}"))
            continue
        plan = result.plan
        for decision in ordered(plan.decisions):
            if not active(decision):
                continue
            line, column = plan.document.position(decision.finding.span.start)
            end_line, end_column = end_position(plan, decision)
            level = "error" if decision.action.rank >= fail_on.rank else "warning"
            properties: dict[str, str | int] = {
                "file": path, "line": line, "endLine": end_line,
                "title": f"redactor {decision.rule} ({decision.action.value})"}
            if end_line == line:  # GitHub uses columns only on one-line annotations
                properties.update(col=column, endColumn=max(end_column, column))
            lines.append(command(level, properties, message(plan, decision, show_text)))
    counts = Counter(r.verdict.value for r in results if r.skipped is None)
    summary = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items()))
    listed = f": {summary}" if summary else ""
    lines.append(f"redactor: {sum(counts.values())} document(s) checked{listed}. "
                 f"Exit code {exit_code(results, fail_on)} (--fail-on {fail_on.value}).")
    return "\n".join(lines) + "\n"


def _render(run: RunReport) -> str:
    return github_report(run.results, run.policy_of, run.fail_on, run.show_text)


REPORTER = Reporter('github', "workflow-command annotations", _render)
