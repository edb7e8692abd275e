"""`check --format junit`: JUnit XML, the report format every CI system can show as tests.

One `<testsuite>` named `redactor` in a `<testsuites>` root; one `<testcase>` per document
(`classname` its folder, `name` its path, `file` its path). A document with findings at or above
--fail-on gets one `<failure>` listing them (line, column, rule, action, reason; the text only
with `show_text`); one that could not be checked an `<error>`; a path that was not checked
`<skipped>`. Findings below --fail-on and findings accepted by a baseline are listed in the
test case's `<system-out>`. The counts on both suites agree with the test cases; `time` is 0 so
that the same input gives byte-identical output.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from redactor.model import Action, Result
from redactor.policy.model import Policy
from redactor.report.base import Reporter, RunReport
from redactor.report.common import accepted, active, fails, message, ordered, relative


def junit_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                 show_text: bool = False, cwd: Path | None = None) -> str:
    suite = ET.Element("testsuite", name="redactor")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in results:
        path = relative(result.path, cwd)
        folder = path.rpartition("/")[0] or "."
        case = ET.SubElement(suite, "testcase", name=path, classname=folder, file=path,
                             time="0")
        counts["tests"] += 1
        if result.skipped is not None:
            ET.SubElement(case, "skipped", message=f"not checked ({result.skipped})")
            counts["skipped"] += 1
            continue
        if result.plan is None:
            assert result.error is not None
            error = ET.SubElement(case, "error", type=result.error.code,
                                  message=f"could not be checked: {result.error.message}")
            error.text = f"{path}: {result.error.message}. {result.error.hint}".strip()
            counts["errors"] += 1
            continue
        plan = result.plan
        failing: list[str] = []
        other: list[str] = []
        for decision in ordered(plan.decisions):
            line, column = plan.document.position(decision.finding.span.start)
            where = f"{path}:{line}:{column}: "
            if active(decision):
                text = where + message(plan, decision, show_text)
                (failing if fails(decision, fail_on) else other).append(text)
            elif accepted(decision):
                other.append(where + message(plan, decision, show_text)
                             + f" ({decision.allowed_by})")
        if failing:
            failure = ET.SubElement(
                case, "failure", type=plan.verdict.value,
                message=f"{len(failing)} finding(s) at or above {fail_on.value}; "
                        f"verdict {plan.verdict.value}")
            failure.text = "\n".join(failing)
            counts["failures"] += 1
        if other:
            ET.SubElement(case, "system-out").text = "\n".join(other)
    attributes = {key: str(value) for key, value in counts.items()}
    suite.attrib.update({**attributes, "time": "0"})
    root = ET.Element("testsuites", {"name": "redactor", **attributes, "time": "0"})
    root.append(suite)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _INVALID_XML.sub("\ufffd", text) + "\n"


# Characters XML 1.0 cannot hold at all, escaped or not (a control character in a file name).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _render(run: RunReport) -> str:
    return junit_report(run.results, run.policy_of, run.fail_on, run.show_text)


REPORTER = Reporter('junit', "JUnit XML, a test case per document", _render)
