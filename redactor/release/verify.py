"""verify: an independent re-check of a redacted copy against its original (and its log).

Four checks, each reported with ok/detail and never quoting removed text:

1. residue  — no removed text reappears in the copy, in any case, nor with its whitespace
   changed, collapsed or inserted between letters (`Kellingworth`, `KELLINGWORTH`,
   `Kelling worth`, `Marta\\nKellingworth`). Removals of markings and portion marks are not
   searched: their words are the policy's public vocabulary, and a surviving marking is
   found by check 2. Removed text with fewer than two letters or digits is not searched.
2. recheck  — the copy passes `check` under the same policy (nothing at or above `redact`).
3. layout   — the copy is exactly the original with each removal replaced by its logged
   replacement (a label, blocks or a pseudonym, with the removed text's line breaks), byte for
   byte, in the original's encoding.
4. log      — the log's `output.sha256` is the copy's, its policy is the one in effect, its
   removals are in order, non-overlapping and inside the original. (A log of another document
   is bad input: VerifyInputError.)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redactor import formats
from redactor.engine import Engine
from redactor.errors import InputError, RedactorError
from redactor.files import read_regular
from redactor.fold import fold, seen_as
from redactor.model import Action, Document, Span
from redactor.release.log import LOG_VERSION
from redactor.release.rounds import redact
from redactor.same_text import NOT_BREAK, NOT_SEARCHED, variant_pattern

# What makes redact refuse to write a copy that it has rendered (release/rounds.py).
_UNWRITABLE = frozenset({"encoding", "hidden-layer", "reread-mismatch"})


@dataclass(frozen=True)
class LoggedRemoval:
    n: int
    start: int
    end: int
    replacement: str
    action: str
    kind: str
    entity_type: str | None


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    problems: tuple[str, ...] = ()
    skipped: bool = False


@dataclass(frozen=True)
class Verification:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


MAX_LOG_BYTES = 256 * 1024 * 1024  # a log lists removals: far below this for any document


def load_log(path: Path, shown: str) -> dict[str, Any]:
    """Read a redaction log; anything that is not redactor's log is an InputError (exit 2)."""
    try:
        data = json.loads(read_regular(path, MAX_LOG_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise InputError(shown, "no such file", "Check the path.", code="not-found") from None
    except (OSError, ValueError, RecursionError) as exc:
        # ValueError: not JSON, not UTF-8, or a number past Python's digit limit;
        # RecursionError: nesting deeper than the parser goes. Neither is a log.
        reason = exc.strerror if isinstance(exc, OSError) else "not valid JSON"
        raise InputError(shown, f"the log cannot be read ({reason})",
                         "Give the JSON log that `redactor redact --log` wrote.",
                         code="bad-log") from None
    problem = _log_problem(data)
    if problem:
        raise InputError(shown, f"not a redactor redaction log ({problem})",
                         "Give the JSON log that `redactor redact --log` wrote.", code="bad-log")
    return dict(data)


def _log_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not a JSON object"
    if data.get("log_version") != LOG_VERSION:
        return f"log_version is not {LOG_VERSION}"
    if not isinstance(data.get("tool"), dict) or data["tool"].get("name") != "redactor":
        return "tool.name is not redactor"
    for section in ("document", "output"):
        part = data.get(section)
        if not isinstance(part, dict) or not isinstance(part.get("sha256"), str):
            return f"no {section}.sha256"
    rows = data.get("removals")
    if not isinstance(rows, list):
        return "no removals list"
    for row in rows:
        if not isinstance(row, dict):
            return "a removal is not an object"
        ints = all(isinstance(row.get(k), int) and not isinstance(row.get(k), bool)
                   for k in ("n", "start", "end", "length"))
        if not ints or not isinstance(row.get("replacement"), str):
            return f"removal {row.get('n')!r} lacks n/start/end/length/replacement"
    return None


def removals_from_log(log: dict[str, Any]) -> tuple[LoggedRemoval, ...]:
    return tuple(LoggedRemoval(r["n"], r["start"], r["end"], r["replacement"],
                               str(r.get("action", "")), str(r.get("kind", "")),
                               r.get("entity_type"))
                 for r in log["removals"])


def planned_removals(engine: Engine, original: Document) -> tuple[LoggedRemoval, ...] | None:
    """The removals `redact` would make now, with the same policy; None when it is blocked."""
    plan = engine.check(original)
    try:
        redaction = redact(engine, plan)
    except RedactorError as error:
        if error.code in ("blocked", "blocked-copy"):
            return None
        if error.code not in _UNWRITABLE:
            raise
        # redact would write no copy (a label its encoding cannot hold, a format that keeps
        # a removed text): the removals are still those of the rendered copy, and the
        # checks say why the copy given does not pass.
        redaction = redact(engine, plan, written=False)
    return tuple(LoggedRemoval(n, r.span.start, r.span.end, r.replacement,
                               r.decision.action.value, r.decision.finding.kind.value,
                               r.decision.finding.entity_type)
                 for n, r in enumerate(redaction.rendered.removals, start=1))


def verify(engine: Engine, original: Document, copy: Document, copy_bytes: bytes,
           log: dict[str, Any] | None = None, log_shown: str = "log") -> Verification:
    """Run the four checks. Raises InputError when the log is of another document."""
    if log is not None and log["document"]["sha256"] != original.sha256:
        raise InputError(log_shown, f"the log is of another document (its document.sha256 is "
                         f"not the sha256 of {original.path})",
                         "Give the log written when this original was redacted.",
                         code="log-mismatch")
    log_check: Check
    if log is None:
        removals = planned_removals(engine, original)
        log_check = Check("log", True, "no log given: removals recomputed with the policy",
                          skipped=True)
        if removals is None:
            blocked = Check("layout", False, "the policy blocks the original: no release copy "
                            "should exist")
            return Verification((_residue(engine, original, copy, copy_bytes, ()),
                                 _recheck(engine, copy), blocked, log_check))
    else:
        removals = removals_from_log(log)
        log_check = _log(engine, original, copy_bytes, log, removals)
    ordered = tuple(sorted(removals, key=lambda r: (r.start, r.end)))
    consistent = _consistent(original, ordered) is None
    return Verification((
        _residue(engine, original, copy, copy_bytes, ordered if consistent else ()),
        _recheck(engine, copy),
        _layout(original, copy, copy_bytes, ordered) if consistent else Check(
            "layout", False, "not checked: the log's removals are inconsistent"),
        log_check,
    ))


def _residue(engine: Engine, original: Document, copy: Document, copy_bytes: bytes,
             removals: tuple[LoggedRemoval, ...]) -> Check:
    """Every removed text, searched in every place of the written copy where text can be
    (its format says where: the text, and for rich formats metadata, comments, hidden
    layers…)."""
    problems = []
    searched = 0
    expected = expected_copy(original.text, removals)
    text_layer, *other_places = formats.format_named(copy.format).hiding_places(copy_bytes, copy)
    searched_text = _labels_blanked(original.text, removals) if text_layer.text == expected \
        else text_layer.text
    folding = fold(searched_text)  # read as a reader sees it: `Jo\u200bhn` is John
    haystack = folding.text if folding is not None else searched_text
    seen: set[tuple[int, str]] = set()
    for removal in (*removals, *_entities_inside(engine, original, removals)):
        if removal.action != Action.WITHHOLD.value and removal.kind in NOT_SEARCHED:
            continue
        pattern = variant_pattern(seen_as(original.text[removal.start:removal.end]))
        if pattern is None or (removal.n, pattern.pattern) in seen:
            continue
        seen.add((removal.n, pattern.pattern))
        searched += 1
        what = removal.entity_type or removal.kind or removal.action
        found = pattern.search(haystack)
        if found:
            start, end = (folding.original_span(found.start(), found.end())
                          if folding is not None else found.span())
            line, column = copy.position(start)
            kept = pattern.regex.fullmatch(seen_as(expected[start:end])) is not None
            why = ("left there by redact: the original has it unremoved" if kept
                   else "not in the original there: the copy was edited")
            problems.append(f"removal {removal.n} ({what}, {removal.action}) reappears in the "
                            f"copy at line {line}, column {column} ({why})")
        problems += [f"removal {removal.n} ({what}, {removal.action}) reappears in the "
                     f"copy's {place.where}" for place in other_places
                     if pattern.search(seen_as(place.text))]
    detail = (f"{searched} removed text(s) searched, none found in the copy" if not problems
              else f"{len(problems)} removed text(s) reappear in the copy")
    return Check("residue", not problems, detail, tuple(problems))


def _labels_blanked(text: str, removals: tuple[LoggedRemoval, ...]) -> str:
    """The copy with every replacement blanked by NULs (line breaks kept; neither a word nor
    space, so no search runs into or across a label): a label's own wording
    (`rule sbu-portions`, `[PERSON-1]`) is the policy's, never the document's, so a removed
    `SBU` is not found again in it. Only used when the copy is exactly what the log says."""
    pieces, cursor = [], 0
    for removal in removals:
        pieces.append(text[cursor:removal.start])
        pieces.append(NOT_BREAK.sub("\x00", removal.replacement))
        cursor = removal.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _entities_inside(engine: Engine, original: Document,
                     removals: tuple[LoggedRemoval, ...]) -> list[LoggedRemoval]:
    """Names and other entities (at or above redact) inside the removals — also those inside a
    withheld portion, which the log lists only as the whole portion — found by checking the
    original again. Each is searched on its own."""
    found = []
    for decision in engine.check(original).decisions:
        span = decision.finding.span
        if (decision.finding.entity_type is None or decision.allowed_by is not None
                or decision.action.rank < Action.REDACT.rank):
            continue
        inside = next((r for r in removals if r.start <= span.start and span.end <= r.end), None)
        if inside is not None:
            found.append(LoggedRemoval(inside.n, span.start, span.end, "", inside.action,
                                       decision.finding.kind.value,
                                       decision.finding.entity_type))
    return found


def _recheck(engine: Engine, copy: Document) -> Check:
    plan = engine.check(copy)
    problems = []
    for decision in plan.decisions:
        if (decision.allowed_by is None and decision.covered_by is None
                and decision.action.rank >= Action.REDACT.rank):
            line, column = copy.position(decision.finding.span.start)
            label = decision.finding.entity_type or decision.finding.kind.value
            problems.append(f"{decision.action.value} [{decision.rule}] {label} at line {line}, "
                            f"column {column} of the copy")
    detail = ("nothing at or above redact in the copy" if not problems
              else f"{len(problems)} finding(s) at or above redact in the copy")
    return Check("recheck", not problems, detail, tuple(problems))


def expected_copy(text: str, removals: tuple[LoggedRemoval, ...]) -> str:
    """The copy's text as redact makes it: each removal replaced by its replacement (which
    holds the removed text's line breaks)."""
    pieces, cursor = [], 0
    for removal in removals:
        pieces.append(text[cursor:removal.start])
        pieces.append(removal.replacement)
        cursor = removal.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _layout(original: Document, copy: Document, copy_bytes: bytes,
            removals: tuple[LoggedRemoval, ...]) -> Check:
    expected = expected_copy(original.text, removals)
    try:
        expected_bytes = formats.format_named(original.format).write(
            original, expected, [formats.Replacement(Span(r.start, r.end), r.replacement)
                                 for r in removals])
    except RedactorError as error:
        if error.code == "write-failed":
            return Check("layout", False, "the log's removals cannot be made in this format")
        if error.code != "encoding":
            raise
        return Check("layout", False, f"a label cannot be written in {original.encoding}")
    if expected_bytes == copy_bytes:
        return Check("layout", True, f"identical outside {len(removals)} removal(s), each "
                     "replaced by its label")
    if expected == copy.text:
        return Check("layout", False, f"the text matches but the bytes do not (the copy is "
                     f"not in the original's encoding {original.encoding} or BOM)")
    at = next((i for i, (a, b) in enumerate(zip(expected, copy.text, strict=False)) if a != b),
              min(len(expected), len(copy.text)))
    line, column = copy.position(min(at, len(copy.text)))
    return Check("layout", False, f"the copy differs from the original with its removals "
                 f"replaced, first at line {line}, column {column} of the copy",
                 (f"first difference at line {line}, column {column}",))


def _consistent(original: Document, removals: tuple[LoggedRemoval, ...]) -> str | None:
    end = 0
    for removal in removals:
        if not 0 <= removal.start < removal.end <= len(original.text):
            return f"removal {removal.n} is not inside the original"
        if removal.start < end:
            return f"removal {removal.n} overlaps the one before it"
        end = removal.end
    return None


def _log(engine: Engine, original: Document, copy_bytes: bytes, log: dict[str, Any],
         removals: tuple[LoggedRemoval, ...]) -> Check:
    problems = []
    if log["output"]["sha256"] != hashlib.sha256(copy_bytes).hexdigest():
        problems.append("output.sha256 is not the sha256 of the copy")
    fingerprint = (log.get("policy") or {}).get("fingerprint")
    if fingerprint != engine.policy.fingerprint:
        problems.append(f"the log was written under another policy "
                        f"({(log.get('policy') or {}).get('name')!r}) than the one in effect "
                        f"({engine.policy.name!r}); pass it with --policy")
    ordered = tuple(sorted(removals, key=lambda r: (r.start, r.end)))
    if [r.n for r in removals] != list(range(1, len(removals) + 1)) or ordered != removals:
        problems.append("the removals are not numbered 1… in text order")
    inconsistent = _consistent(original, ordered)
    if inconsistent:
        problems.append(inconsistent)
    problems += [f"removal {r.n}: length is not end − start" for r in removals
                 if r.end - r.start != _length(log, r.n)]
    summary = log.get("summary")
    if isinstance(summary, dict) and summary.get("removals") != len(removals):
        problems.append("summary.removals is not the number of removals")
    detail = (f"the log matches the original, the copy and the policy ({len(removals)} "
              "removal(s))" if not problems else f"{len(problems)} problem(s) with the log")
    return Check("log", not problems, detail, tuple(problems))


def _length(log: dict[str, Any], n: int) -> int:
    return next(int(r["length"]) for r in log["removals"] if r["n"] == n)
