"""The redaction log: one row per removal — where, which rule, why, what kind, how long.

It never holds the removed text, nor a hash of it (a hash of a name can be reversed from a
list of names). It is safe to publish with the release copy.
"""

from __future__ import annotations

import json
from typing import Any

from redactor import __version__
from redactor.engine import Redaction
from redactor.policy.model import Policy
from redactor.render.report import policy_json

LOG_VERSION = 1


def redaction_log(redaction: Redaction, policy: Policy, output_path: str,
                  output_sha256: str) -> str:
    plan = redaction.plan
    doc = plan.document
    rows: list[dict[str, Any]] = []
    for number, removal in enumerate(redaction.rendered.removals, start=1):
        decision = removal.decision
        line, column = doc.line_col(removal.span.start)
        rows.append({
            "n": number, "action": decision.action.value, "rule": decision.rule,
            "reason": decision.reason, "kind": decision.finding.kind.value,
            "entity_type": decision.finding.entity_type, "block": decision.finding.block_id,
            "line": line, "column": column, "start": removal.span.start,
            "end": removal.span.end, "length": removal.span.end - removal.span.start,
            "replacement": removal.replacement,
        })
    log = {
        "log_version": LOG_VERSION,
        "tool": {"name": "redactor", "version": __version__},
        "policy": policy_json(policy),
        "document": {"path": doc.path, "sha256": doc.sha256, "encoding": doc.encoding,
                     "level": plan.level, "verdict": plan.verdict.value},
        "output": {"path": output_path, "sha256": output_sha256},
        "rounds": redaction.rounds,
        "summary": {
            "removals": len(rows),
            "redacted": sum(1 for r in rows if r["action"] == "redact"),
            "withheld": sum(1 for r in rows if r["action"] == "withhold"),
            "characters_removed": sum(r["length"] for r in rows),
        },
        "removals": rows,
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
