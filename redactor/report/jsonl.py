"""`check --format jsonl`: one JSON object per line, for `jq`, log shippers and databases.

Every line has `type` and `path`. `finding` lines carry the keys of a finding in the JSON report
(docs/report-format.md) plus `accepted` (a baseline accepted it) and `fails` (it makes `check`
exit 1 at this --fail-on); `error` lines one per document that could not be checked; `skipped`
lines one per path that was not checked; the last line is the `summary`. Keys are sorted, so
every line of one type has its keys in the same order. No text of a finding unless `show_text`.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from redactor.model import Action, Result
from redactor.policy.model import Policy
from redactor.report.base import Reporter, RunReport
from redactor.report.common import accepted, exit_code, fails, ordered
from redactor.report.json import finding_json


def jsonl_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                 show_text: bool = False) -> str:
    lines: list[dict[str, Any]] = []
    for result in results:
        if result.skipped is not None:
            lines.append({"type": "skipped", "path": result.path, "reason": result.skipped})
            continue
        if result.plan is None:
            assert result.error is not None
            lines.append({"type": "error", "path": result.path, "verdict": "error",
                          "code": result.error.code, "message": result.error.message,
                          "hint": result.error.hint})
            continue
        plan = result.plan
        for decision in ordered(plan.decisions):
            item = finding_json(plan, decision, show_text, policy_of.get(result.path))
            item.update(type="finding", path=result.path, verdict=plan.verdict.value,
                        accepted=accepted(decision), fails=fails(decision, fail_on))
            lines.append(item)
    verdicts = Counter(r.verdict.value for r in results)
    lines.append({"type": "summary", "path": None, "documents": len(results),
                  "verdicts": dict(sorted(verdicts.items())), "fail_on": fail_on.value,
                  "exit_code": exit_code(results, fail_on)})
    return "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in lines)


def _render(run: RunReport) -> str:
    return jsonl_report(run.results, run.policy_of, run.fail_on, run.show_text)


REPORTER = Reporter('jsonl', "one JSON object per finding", _render)
