"""Accepted findings: a sidecar baseline file of reviewed findings (`redactor baseline …`,
`check --baseline FILE`).

A baseline is a JSON file, sorted and indented so that a review shows one line per change:

    {
      "baseline_version": 1,
      "entries": [
        {"date": "2026-11-27", "fingerprint": "<32 hex>", "kind": "entity", "label": "PERSON",
         "path": "docs/memo.md", "reason": "public official", "reviewer": "A. Reviewer",
         "rule": "names"},
        …
      ],
      "fingerprint": "hmac-sha256/text/v1",
      "key_check": "<16 hex>"
    }

Entries are sorted by path, rule and fingerprint; keys are sorted; there is no line number and
no timestamp in it (the date is the one given with --date, or none: never the clock), so an
unchanged folder gives a byte-identical file. Paths are relative to the baseline file's folder.
Suppression comments inside a document are not supported: they would be published with it.

The fingerprint. An entry must still match when lines are inserted or removed above its
finding, and must not reveal the finding's text, because the baseline is committed next to the
documents and is read by anyone who can read the repository. A plain hash of a name (what
detect-secrets stores, unsalted SHA-1) can be reversed by anyone with a list of candidate names:
hash each one with the path and the rule and compare — names are low-entropy. So the fingerprint
is the first 128 bits of HMAC-SHA256 keyed by a secret, over the rule id, the path, the finding's
text normalised (case-folded, whitespace collapsed) and the occurrence index of that same text
under the same rule in the document (the 2nd "Priya Raman" flagged by `names` is index 1): no
line number goes in, so line shifts keep it; without the key nobody can confirm a guess.

The key comes from `$REDACTOR_FINGERPRINT_KEY` (a CI secret) through the same derivation as the
SARIF fingerprints (`report.sarif.fingerprint_key`). Without it, redactor refuses to create,
update, check or apply a baseline (exit 2) rather than fall back to a weaker fingerprint: a key
derived from the policy is public, which makes a text fingerprint reversible; and a
context-masked fingerprint (the SARIF one) goes stale on every edit of the finding's line and
still lets a guess of the whole line be confirmed. `key_check` (an HMAC of a constant under the
key) tells a wrong key apart from stale entries, and is reported as bad input (exit 2).

Which findings: every decision at or above `flag` that no allow-list let through, including
those inside a withheld portion (they count for the verdict too). An accepted decision gets
an `allowed_by` Allowance with the entry's reason and reviewer (reports show it as `accepted by
baseline: <reason> (reviewer <name>)`), and no longer counts for the verdict or the exit code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from redactor.decide import mark_covered, verdict_of
from redactor.errors import RedactorError, UsageError
from redactor.files import read_regular
from redactor.model import Action, Allowance, Decision, Plan, Result
from redactor.report.common import ordered
from redactor.report.sarif import fingerprint_key

BASELINE_VERSION = 1
SCHEME = "hmac-sha256/text/v1"
KEY_ENV = "REDACTOR_FINGERPRINT_KEY"
REVIEWER_ENV = "REDACTOR_REVIEWER"
DEFAULT_FILE = ".redactor-baseline.json"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FIELDS = ("fingerprint", "path", "reason", "reviewer", "rule")


@dataclass(frozen=True)
class Entry:
    rule: str
    path: str  # relative to the baseline file's folder, forward slashes
    fingerprint: str
    reason: str
    reviewer: str
    date: str | None = None
    kind: str = ""
    label: str = ""

    def json(self) -> dict[str, str]:
        item = {"fingerprint": self.fingerprint, "kind": self.kind, "label": self.label,
                "path": self.path, "reason": self.reason, "reviewer": self.reviewer,
                "rule": self.rule}
        if self.date:
            item["date"] = self.date
        return item

    @property
    def key(self) -> tuple[str, str, str]:
        return self.path, self.rule, self.fingerprint


@dataclass(frozen=True)
class Found:
    """A finding of this run that a baseline can accept."""

    path: str
    decision: Decision
    fingerprint: str
    line: int


@dataclass(frozen=True)
class Comparison:
    """A run's findings against a baseline."""

    matched: dict[tuple[str, str, str], Entry]  # entry key → entry, for findings it accepts
    new: list[Found]  # findings no entry accepts
    stale: list[Entry]  # entries that match nothing (their document was checked, or is gone)
    kept: list[Entry]  # entries of documents this run did not check (left as they are)


# ------------------------------------------------------------------------- the key

def secret_key(what: str) -> bytes:
    """The HMAC key from $REDACTOR_FINGERPRINT_KEY; refuses (exit 2) without it."""
    secret = os.environ.get(KEY_ENV, "")
    if not secret.strip():
        raise UsageError("", f"{what} needs ${KEY_ENV}: baseline fingerprints are keyed so "
                             "that nobody can confirm a guessed name against them",
                         f"Set {KEY_ENV} to a long random secret (a CI secret), the same "
                         "wherever the baseline is created and checked.")
    return fingerprint_key(secret, None)


def key_check(key: bytes) -> str:
    return hmac.new(key, b"redactor-baseline-key-check/v1", hashlib.sha256).hexdigest()[:16]


def reviewer_of(option: str | None) -> str:
    reviewer = " ".join((option or os.environ.get(REVIEWER_ENV, "")).split())
    if not reviewer:
        raise UsageError("", "who reviewed the findings is required",
                         f"Give --reviewer NAME or set ${REVIEWER_ENV}.")
    return reviewer


def check_date(date: str | None) -> str | None:
    if date is not None and not _DATE.fullmatch(date):
        raise UsageError(date, "--date must be YYYY-MM-DD", "Give the date of the review.")
    return date


# -------------------------------------------------------------------- fingerprints

def eligible(decision: Decision) -> bool:
    """A decision a baseline can accept: it counts for the verdict (at or above `flag`, not
    let through by an allow-list)."""
    return decision.action.rank >= Action.FLAG.rank and decision.allowed_by is None


def normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def fingerprint(key: bytes, rule: str, path: str, text: str, index: int) -> str:
    message = "\x1f".join(["redactor-baseline/v1", rule, path, normalised(text), str(index)])
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def findings(result: Result, path: str, key: bytes) -> list[Found]:
    """The eligible decisions of one document with their fingerprints, in document order."""
    if result.plan is None:
        return []
    plan = result.plan
    seen: Counter[tuple[str, str]] = Counter()
    found: list[Found] = []
    for decision in ordered(plan.decisions):
        if not eligible(decision):
            continue
        span = decision.finding.span
        text = plan.document.text[span.start:span.end]
        index = seen[decision.rule, normalised(text)]
        seen[decision.rule, normalised(text)] += 1
        found.append(Found(path, decision, fingerprint(key, decision.rule, path, text, index),
                           plan.document.position(span.start)[0]))
    return found


def relative_to(path: str, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), base.resolve())).as_posix()


# ------------------------------------------------------------------------- the file

MAX_BASELINE_BYTES = 1024 * 1024 * 1024  # read whole: a baseline of a large archive fits


def load(file: Path, key: bytes) -> list[Entry]:
    """Read and validate a baseline file; any problem is a RedactorError naming the file."""
    name = str(file)
    try:
        data = json.loads(read_regular(file, MAX_BASELINE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise UsageError(name, "no such baseline file",
                         "Create one with `redactor baseline create`.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RedactorError(name, f"cannot read the baseline ({exc})", code="baseline") from None
    except json.JSONDecodeError as exc:
        raise RedactorError(name, f"malformed baseline: not JSON (line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg})", "Fix it or create it again.",
                            code="baseline") from None
    except (ValueError, RecursionError):  # a number past the digit limit; nesting too deep
        raise RedactorError(name, "malformed baseline: not a baseline's JSON (nested too deep "
                            "or a number too long)", "Fix it or create it again.",
                            code="baseline") from None
    if not isinstance(data, dict) or data.get("baseline_version") != BASELINE_VERSION:
        raise _malformed(name, f"baseline_version must be {BASELINE_VERSION}")
    if data.get("fingerprint") != SCHEME:
        raise _malformed(name, f"fingerprint must be {SCHEME!r}")
    if data.get("key_check") != key_check(key):
        raise UsageError(name, f"the baseline was made with another ${KEY_ENV}",
                         "Use the key it was created with, or create it again.")
    items = data.get("entries")
    if not isinstance(items, list):
        raise _malformed(name, "entries must be a list")
    entries: list[Entry] = []
    for number, item in enumerate(items):
        if not isinstance(item, dict) or not all(
                isinstance(item.get(f), str) and item[f] for f in _FIELDS):
            raise _malformed(name, f"entries[{number}] needs the strings "
                                   f"{', '.join(_FIELDS)}")
        date = item.get("date")
        if date is not None and not (isinstance(date, str) and _DATE.fullmatch(date)):
            raise _malformed(name, f"entries[{number}].date must be YYYY-MM-DD")
        entries.append(Entry(item["rule"], item["path"], item["fingerprint"], item["reason"],
                             item["reviewer"], date, str(item.get("kind", "")),
                             str(item.get("label", ""))))
    duplicates = [k for k, n in Counter(e.key for e in entries).items() if n > 1]
    if duplicates:
        raise _malformed(name, f"entry for {duplicates[0][0]} rule {duplicates[0][1]} is "
                               "listed twice")
    return entries


def dump(entries: Iterable[Entry], key: bytes) -> str:
    data = {"baseline_version": BASELINE_VERSION, "fingerprint": SCHEME,
            "key_check": key_check(key),
            "entries": [e.json() for e in sorted(entries, key=lambda e: e.key)]}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _malformed(name: str, message: str) -> RedactorError:
    return RedactorError(name, f"malformed baseline: {message}", "Fix it or create it again.",
                         code="baseline")


# ----------------------------------------------------------------- compare, apply

def compare(results: list[Result], entries: list[Entry], base: Path, key: bytes) -> Comparison:
    checked: set[str] = set()
    found: list[Found] = []
    for result in results:
        if result.skipped is not None:
            continue
        path = relative_to(result.path, base)
        checked.add(path)
        found.extend(findings(result, path, key))
    by_key = {e.key: e for e in entries}
    matched: dict[tuple[str, str, str], Entry] = {}
    new: list[Found] = []
    for item in found:
        entry = by_key.get((item.path, item.decision.rule, item.fingerprint))
        if entry is None:
            new.append(item)
        else:
            matched[entry.key] = entry
    stale = [e for e in entries if e.key not in matched
             and (e.path in checked or not (base / e.path).exists())]
    kept = [e for e in entries if e.key not in matched and e not in stale]
    return Comparison(matched, new, stale, kept)


def apply(results: list[Result], entries: list[Entry], base: Path,
          key: bytes) -> tuple[list[Result], Comparison]:
    """The results with every finding the baseline accepts marked `accepted by baseline`."""
    comparison = compare(results, entries, base, key)
    out: list[Result] = []
    for result in results:
        if result.plan is None or result.skipped is not None:
            out.append(result)
            continue
        path = relative_to(result.path, base)
        accepted = {item.decision: comparison.matched[(path, item.decision.rule,
                                                       item.fingerprint)]
                    for item in findings(result, path, key)
                    if (path, item.decision.rule, item.fingerprint) in comparison.matched}
        if accepted:
            out.append(replace(result, plan=_accepted(result.plan, accepted)))
        else:
            out.append(result)
    return out, comparison


def _accepted(plan: Plan, accepted: dict[Decision, Entry]) -> Plan:
    """Mark the accepted decisions; a portion whose withholding was accepted no longer covers
    the findings inside it, so those count (and are reported) unless accepted themselves."""
    decisions = [replace(d, allowed_by=Allowance(d.rule, baseline=f"{accepted[d].reason} "
                                                 f"(reviewer {accepted[d].reviewer})"))
                 if d in accepted else d for d in plan.decisions]
    decisions = mark_covered([replace(d, covered_by=None) for d in decisions], plan.parsed)
    return replace(plan, decisions=tuple(decisions), verdict=verdict_of(decisions))


def entries_for(comparison: Comparison, reviewer: str, reason: str,
                date: str | None) -> list[Entry]:
    """`baseline update`: surviving entries as they are (their reviewer, reason and date),
    new findings with this reviewer, entries of unchecked documents kept, stale ones dropped."""
    added = [Entry(f.decision.rule, f.path, f.fingerprint, reason, reviewer, date,
                   f.decision.finding.kind.value,
                   f.decision.finding.entity_type or f.decision.finding.label)
             for f in comparison.new]
    return [*comparison.matched.values(), *comparison.kept, *added]


def describe(item: Found) -> str:
    """One line about a finding, never its text."""
    finding = item.decision.finding
    return (f"{item.path}:{item.line}: {item.decision.action.value} "
            f"{finding.entity_type or finding.label} ({finding.kind.value}), "
            f"rule {item.decision.rule}")


def describe_entry(entry: Entry) -> str:
    return (f"{entry.path}: rule {entry.rule} {entry.label or ''} "
            f"fingerprint {entry.fingerprint[:12]}… (reviewer {entry.reviewer})")

