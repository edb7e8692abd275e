"""`check --format markdown` and `--summary FILE`: a summary for `$GITHUB_STEP_SUMMARY`.

Three tables: documents per verdict, findings per rule (with their action and how many a
baseline accepted), and one row per document with its verdict and its first findings by line
and rule. It never holds the text of a finding, not even with --show-text: a step summary is
shown to everyone who can see the workflow run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from redactor.model import Action, Result, Verdict
from redactor.policy.model import Policy
from redactor.report.base import Reporter, RunReport
from redactor.report.common import accepted, active, exit_code, ordered, relative, what

FIRST = 3  # findings listed per document


def markdown_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                    cwd: Path | None = None) -> str:
    code = exit_code(results, fail_on)
    verdicts = Counter(r.verdict for r in results)
    rules: Counter[tuple[str, str]] = Counter()
    rules_accepted: Counter[tuple[str, str]] = Counter()
    rows: list[str] = []
    for result in results:
        path = _code(relative(result.path, cwd))
        if result.skipped is not None:
            rows.append(f"| {path} | skipped | | {_cell(result.skipped)} |")
            continue
        if result.plan is None:
            assert result.error is not None
            rows.append(f"| {path} | **error** | | {_cell(result.error.message)} |")
            continue
        plan = result.plan
        found = [d for d in ordered(plan.decisions) if active(d)]
        for decision in found:
            rules[decision.rule, decision.action.value] += 1
        taken = [d for d in plan.decisions if accepted(d)]
        for decision in taken:
            rules_accepted[decision.rule, decision.action.value] += 1
        first = ", ".join(f"line {plan.document.position(d.finding.span.start)[0]} "
                          f"{_cell(d.rule)} ({d.action.value}, {_cell(what(d))})"
                          for d in found[:FIRST])
        if len(found) > FIRST:
            first += f", … {len(found) - FIRST} more"
        if taken:
            first += f"{'; ' if first else ''}{len(taken)} accepted by baseline"
        verdict = plan.verdict.value
        if plan.verdict in (Verdict.BLOCK, Verdict.REDACT):
            verdict = f"**{verdict}**"
        rows.append(f"| {path} | {verdict} | {len(found)} | {first} |")
    checked = sum(n for v, n in verdicts.items() if v is not Verdict.SKIPPED)
    status = "passed" if code == 0 else "failed" if code == 1 else "could not check everything"
    out = [f"## redactor: {status}",
           "",
           f"{checked} document(s) checked, exit code {code} (`--fail-on {fail_on.value}`).",
           "",
           "| verdict | documents |", "|---|---:|"]
    out += [f"| {v.value} | {n} |" for v, n in sorted(verdicts.items(), key=lambda kv: kv[0])]
    if rules or rules_accepted:
        out += ["", "| rule | action | findings | accepted by baseline |", "|---|---|---:|---:|"]
        for rule, action in sorted(set(rules) | set(rules_accepted)):
            out.append(f"| {_cell(rule)} | {action} | {rules[rule, action]} | "
                       f"{rules_accepted[rule, action]} |")
    out += ["", "| document | verdict | findings | first findings |", "|---|---|---:|---|"]
    out += rows
    return "\n".join(out) + "\n\n"


def _cell(text: str) -> str:
    """Text safe inside a table cell: no pipe, no line break, no markup or HTML."""
    text = " ".join(text.split())
    for char in "\\|`*_[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def _code(path: str) -> str:
    plain = " ".join(path.split()).replace("`", "'").replace("|", "\\|")
    return f"`{plain}`"


def _render(run: RunReport) -> str:
    return markdown_report(run.results, run.policy_of, run.fail_on)


REPORTER = Reporter('markdown', "a summary table", _render)
