"""The SARIF 2.1.0 report of a check, for GitHub code scanning and other SARIF viewers.

One run. `tool.driver.rules` declares each policy rule that has a result; `results` holds every
decision at or above `flag` that the text report counts (not inside a withheld portion, not let
through by an allow-list). Like the other reports it never carries the text of a finding unless
`show_text` is set: no `snippet`, no matched text in a message, and fingerprints that are keyed
hashes over a context in which every finding is masked (docs/report-format.md, "SARIF").

Columns are UTF-16 code units (`run.columnKind`), GitHub's default: a name with a character
outside the Basic Multilingual Plane before it on its line shifts the columns by one per such
character compared with the JSON report, which counts code points.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from redactor import __version__
from redactor.model import Action, Decision, Document, Finding, Plan, Result
from redactor.policy.model import Policy, RuleDef
from redactor.report.base import Reporter, RunReport
from redactor.report.common import accepted, active, exit_code, ordered

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "redactorFingerprint/v1"
# A secret key for the fingerprints (a CI secret); without it the key is derived from the
# policy's fingerprint, which only keeps fingerprints of one policy apart from another's.
KEY_ENV = "REDACTOR_SARIF_KEY"
LEVEL = {Action.BLOCK: "error", Action.WITHHOLD: "error", Action.REDACT: "error",
         Action.FLAG: "warning", Action.ALLOW: "note"}
_MASK = "\x00"


def sarif_report(results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
                 show_text: bool = False, cwd: Path | None = None,
                 key: str | None = None) -> str:
    base = (cwd or Path.cwd()).resolve()
    secret = key if key is not None else os.environ.get(KEY_ENV) or None
    rules: dict[str, dict[str, Any]] = {}
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for result in results:
        uri = artifact_uri(result.path, base)
        if result.skipped is not None:
            notifications.append(_notification("note", "skipped", uri,
                                               f"{uri}: not checked ({result.skipped})."))
            continue
        if result.plan is None:
            assert result.error is not None
            notifications.append(_notification(
                "error", result.error.code, uri,
                f"{uri}: could not be checked: {result.error.message}. {result.error.hint}"))
            continue
        policy = policy_of.get(result.path)
        fingerprints = _Fingerprints(result.plan, uri, fingerprint_key(secret, policy))
        for decision in ordered(result.plan.decisions):
            if not active(decision):  # what the text report counts
                continue
            if decision.rule not in rules:
                rules[decision.rule] = rule_json(decision, policy)
            sarif_results.append(result_json(result.plan, decision, uri, show_text,
                                             fingerprints.of(decision)))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    for item in sarif_results:
        item["ruleIndex"] = index[item["ruleId"]]
    code = exit_code(results, fail_on)
    policies = {id(p): p for p in policy_of.values()}
    invocation: dict[str, Any] = {
        "executionSuccessful": code != 2,
        "exitCode": code,
        "toolExecutionNotifications": notifications,
    }
    run = {
        "tool": {"driver": {"name": "redactor", "version": __version__,
                            "semanticVersion": __version__,
                            "rules": list(rules.values())}},
        "automationDetails": {"id": "redactor/"},
        "columnKind": "utf16CodeUnits",
        "invocations": [invocation],
        "results": sarif_results,
        "properties": {
            "failOn": fail_on.value,
            "verdicts": dict(sorted(Counter(r.verdict.value for r in results).items())),
            # findings a baseline accepted (check --baseline): no results, only their number
            "acceptedByBaseline": sum(1 for r in results if r.plan is not None
                                      for d in r.plan.decisions if accepted(d)),
            "policies": [{"name": p.name, "version": p.version, "fingerprint": p.fingerprint}
                         for p in policies.values()],
        },
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def artifact_uri(path: str, base: Path) -> str:
    """The path relative to the working directory, forward slashes, percent-encoded."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        relative = Path(os.path.relpath(absolute, base))
    return quote(relative.as_posix(), safe="/")


def rule_json(decision: Decision, policy: Policy | None) -> dict[str, Any]:
    rule = _rule(policy, decision.rule)
    action = rule.action if rule is not None else decision.action
    reason = (rule.reason if rule is not None else decision.reason) or decision.rule
    description = " ".join((rule.description if rule is not None else "").split()) or reason
    return {
        "id": decision.rule,
        "shortDescription": {"text": _cap(reason)},
        "fullDescription": {"text": _cap(description)},
        "help": {"text": _cap(f"{description} Action: {action.value} (reason {reason}). "
                              "Run `redactor check --explain` for why it was found; "
                              "`redactor redact` writes the release copy.")},
        "defaultConfiguration": {"level": LEVEL[action]},
        "properties": {"action": action.value, "tags": ["privacy", "redaction"]},
    }


def result_json(plan: Plan, decision: Decision, uri: str, show_text: bool,
                fingerprint: str) -> dict[str, Any]:
    finding = decision.finding
    what = finding.entity_type or finding.label
    message = (f"{decision.action.value.capitalize()}: {what} ({finding.kind.value}), "
               f"rule {decision.rule}, reason {decision.reason}.")
    if show_text:
        message += f" Text: {plan.document.text[finding.span.start:finding.span.end]!r}."
    return {
        "ruleId": decision.rule,
        "level": LEVEL[decision.action],
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri},
                                            "region": region(plan.document, finding)}}],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint,
                                FINGERPRINT: fingerprint},
        "properties": {"action": decision.action.value, "kind": finding.kind.value,
                       "label": finding.label, "entityType": finding.entity_type,
                       "block": finding.block_id, "reason": decision.reason},
    }


def region(document: Document, finding: Finding) -> dict[str, int]:
    """1-based lines and UTF-16 columns; the end column is the first code unit after the
    finding. Trailing line breaks of a span (a whole paragraph) are left out of it."""
    text = document.text
    start, end = finding.span.start, finding.span.end
    while end > start + 1 and text[end - 1] in "\r\n":
        end -= 1
    start_line, start_col = _utf16(document, start)
    end_line, end_col = _utf16(document, max(end, start))
    if end <= start:
        end_col = start_col
    return {"startLine": start_line, "startColumn": start_col,
            "endLine": end_line, "endColumn": end_col}


def _utf16(document: Document, offset: int) -> tuple[int, int]:
    line, column = document.position(offset)
    line_start = offset - (column - 1)
    units = len(document.text[line_start:offset].encode("utf-16-le")) // 2
    return line, units + 1


class _Fingerprints:
    """Keyed hashes that survive lines inserted above a finding and reveal no text.

    HMAC-SHA256 over the rule id, the path, the entity type (or marking id) and the finding's
    lines with every finding in them masked, then `:n` for the n-th identical value in the
    document, as upload-sarif does. The finding's own text never enters the hash: a plain hash
    of a name can be reversed by hashing a list of names."""

    def __init__(self, plan: Plan, uri: str, key: bytes) -> None:
        self.plan = plan
        self.uri = uri
        self.key = key
        self.seen: Counter[str] = Counter()

    def of(self, decision: Decision) -> str:
        finding = decision.finding
        message = "\x1f".join([decision.rule, self.uri, finding.kind.value,
                               finding.entity_type or finding.label,
                               self._context(finding)])
        digest = hmac.new(self.key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        self.seen[digest] += 1
        return f"{digest}:{self.seen[digest]}"

    def _context(self, finding: Finding) -> str:
        """The lines the finding is on, each finding in them replaced by one mask character,
        whitespace collapsed."""
        text = self.plan.document.text
        start = text.rfind("\n", 0, finding.span.start) + 1
        stop = text.find("\n", max(finding.span.end - 1, finding.span.start))
        stop = len(text) if stop == -1 else stop
        spans = sorted((max(f.span.start, start), min(f.span.end, stop))
                       for f in self.plan.findings
                       if f.span.start < stop and f.span.end > start)
        parts: list[str] = []
        at = start
        for s, e in spans:
            if e <= at:
                continue
            parts.append(text[at:max(s, at)])
            parts.append(_MASK)
            at = e
        parts.append(text[at:stop])
        return " ".join("".join(parts).split())


def fingerprint_key(secret: str | None, policy: Policy | None) -> bytes:
    """The HMAC key of the fingerprints: from a secret when there is one, else from the
    policy (not secret: it only keeps fingerprints of different policies apart)."""
    if secret:
        return hashlib.sha256(b"redactor-sarif-key/v1\x00" + secret.encode("utf-8")).digest()
    material = policy.fingerprint if policy is not None else ""
    return hashlib.sha256(b"redactor-sarif-policy/v1\x00" + material.encode("utf-8")).digest()


def _rule(policy: Policy | None, rule_id: str) -> RuleDef | None:
    if policy is None:
        return None
    return next((r for r in policy.rules if r.id == rule_id), None)


def _notification(level: str, code: str, uri: str, text: str) -> dict[str, Any]:
    return {"level": level, "descriptor": {"id": code}, "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]}


def _cap(text: str, limit: int = 1024) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _render(run: RunReport) -> str:
    return sarif_report(run.results, run.policy_of, run.fail_on, run.show_text)


REPORTER = Reporter('sarif', "SARIF 2.1.0 for code scanning", _render)
