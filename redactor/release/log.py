"""The redaction log, a Vaughn-style index: one row per removal — where (line, column,
paragraph), which rule, why (the reason, such as an exemption code), what kind, how long.

It never holds the removed text, nor a hash of it (a hash of a name can be reversed from a
list of names). It is safe to publish with the release copy. JSON for one document (what
`verify --log` reads); CSV rows for any number of documents (one index for a release).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from redactor import __version__
from redactor.model import Block
from redactor.policy.model import Policy
from redactor.release.rounds import Redaction

# 2: `replacement` is exactly the text that replaces the removal, line breaks included.
LOG_VERSION = 2
CSV_COLUMNS = ("document", "n", "line", "column", "paragraph", "action", "rule", "reason",
               "kind", "entity_type", "length")


def removal_rows(redaction: Redaction) -> list[dict[str, Any]]:
    plan = redaction.plan
    doc = plan.document
    blocks = {b.id: b for b in plan.parsed.blocks}
    rows: list[dict[str, Any]] = []
    for number, removal in enumerate(redaction.rendered.removals, start=1):
        decision = removal.decision
        line, column = doc.position(removal.span.start)
        block = blocks.get(decision.finding.block_id or "")
        rows.append({
            "n": number, "action": decision.action.value, "rule": decision.rule,
            "reason": decision.reason, "kind": decision.finding.kind.value,
            "entity_type": decision.finding.entity_type, "block": decision.finding.block_id,
            "paragraph": _paragraph(block),
            "line": line, "column": column, "start": removal.span.start,
            "end": removal.span.end, "length": removal.span.end - removal.span.start,
            "replacement": removal.replacement,
        })
    return rows


def _paragraph(block: Block | None) -> str | None:
    """How a reviewer names the portion: its number, else its field, else its kind."""
    if block is None:
        return None
    return block.number or block.field_name or block.kind.value


def redaction_log(redaction: Redaction, policy: Policy, output_path: str,
                  output_sha256: str, release_date: str | None = None,
                  document_path: str | None = None) -> str:
    """`document_path`: the document as the log names it (default: its path; a folder run
    names it without the person's names its path held)."""
    plan = redaction.plan
    doc = plan.document
    rows = removal_rows(redaction)
    log = {
        "log_version": LOG_VERSION,
        "tool": {"name": "redactor", "version": __version__},
        "policy": policy.identity(),
        "document": {"path": document_path or doc.path, "sha256": doc.sha256,
                     "encoding": doc.encoding, "level": plan.level, "verdict": plan.verdict.value},
        "output": {"path": output_path, "sha256": output_sha256, "style": policy.output.style,
                   "release_date": release_date},
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


def csv_index(logs: list[dict[str, Any]]) -> str:
    """One CSV index for the removals of several documents' logs, in the order given."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for log in logs:
        for row in log["removals"]:
            cells = {**row, "document": log["document"]["path"]}
            writer.writerow({k: _cell(v) for k, v in cells.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is quoted
    with a leading apostrophe, as OWASP advises for CSV files opened in spreadsheets."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
