"""Compile a merged policy: regular expressions for markings and cues, rules with their
conditions checked against what the policy defines, allow files read, output templates
checked. Every error names the file, the line and the key, and says what is allowed."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from redactor.errors import PolicyError, did_you_mean
from redactor.files import read_regular
from redactor.model import RESERVED_LABELS, Action
from redactor.policy.conditions import compile_when
from redactor.policy.merged import Item, Merged
from redactor.policy.model import (
    AllowFile,
    CueDef,
    EntityDef,
    FilesDef,
    MarkingDef,
    OutputDef,
    Policy,
    RuleDef,
    normalise_name,
)
from redactor.policy.yamlsource import format_path

_MIN_SPACED = 3  # shortest word that also matches letter-spaced
MAX_ALLOW_FILE_BYTES = 1024 * 1024  # an allow file lists names; more is not a list of names
MAX_ALLOW_NAME_CHARS = 200
_TEMPLATE_FIELDS = {"redaction": {"reason", "rule", "kind"}, "withheld": {"reason", "rule", "unit"},
                    "pseudonym": {"type", "n"},
                    "marking": {"reason", "rule", "policy", "version", "date"}}




def compile_policy(merged: Merged) -> Policy:
    levels = tuple(merged.levels)
    markings = tuple(_compile_marking(item, levels) for item in merged.markings.values())
    for item in merged.disabled:
        if item.data not in merged.rules:
            raise PolicyError(item.file, f"disable_rules: no rule {item.data!r} to disable",
                              f"{did_you_mean(item.data, merged.rules)}Known rules: "
                              f"{', '.join(merged.rules)}.", item.line())
    disabled = {item.data for item in merged.disabled}
    marking_ids = {m.id for m in markings}
    rules = tuple(_compile_rule(item, levels, marking_ids, set(merged.entity_types),
                                set(merged.cues))
                  for rule_id, item in merged.rules.items() if rule_id not in disabled)
    entities = tuple(
        EntityDef(name, float(item.data.get("threshold", 0.5)), item.origin,
                  tuple(item.data.get("deny", ())), int(item.data.get("misspellings", 1)))
        for name, item in merged.entity_types.items() if item.data.get("enabled", True))
    output = _compile_output(merged.output)
    cues = tuple(_compile_cue(item) for item in merged.cues.values())
    # An allow file is part of the policy: a changed file is a changed policy (wherever the
    # policy and its files are: the fingerprint holds no paths).
    allow_files = [f"{rule.id} {a.sha256}" for rule in rules for a in rule.allow_files]
    return Policy(
        name=merged.name, version=merged.version, description=merged.description,
        levels=levels, markings=markings, entities=entities, model=merged.model, rules=rules,
        output=output, files=tuple(merged.files),
        fingerprint=hashlib.sha256("\n".join([*merged.texts, *allow_files]).encode()).hexdigest(),
        cues=cues,
        files_scope=FilesDef(tuple(merged.scope.get("include", ())),
                             tuple(merged.scope.get("exclude", ())),
                             str(merged.base) if merged.base else None,
                             tuple(i.origin for i in merged.scope_items),
                             _own_files(merged, rules)),
    )


def _own_files(merged: Merged, rules: tuple[RuleDef, ...]) -> frozenset[str]:
    policy_files = [str(Path(f).resolve()) for f in merged.files if not f.startswith("<")]
    return frozenset([*policy_files, *(a.path for rule in rules for a in rule.allow_files)])


def _check_level(level: str, levels: tuple[str, ...], item: Item, *key: str | int) -> None:
    if level not in levels:
        hint = did_you_mean(level, levels)
        known = ", ".join(levels) if levels else "none: add a 'levels' list"
        raise PolicyError(item.file, f"{format_path((*item.path, *key))}: unknown level {level!r}",
                          f"{hint}Levels: {known}.", item.line(*key))


# What compiling a hostile pattern raises besides re.error: a repeat count past the engine's
# limit (`a{4294967296}`), a thousand nested groups.
_BAD_PATTERN = (re.error, OverflowError, RecursionError, ValueError, MemoryError)


def _pattern(pattern: str, flags: int, item: Item, key: tuple[str | int, ...]) -> re.Pattern[str]:
    """The compiled pattern, or a policy error naming the file, line and key."""
    try:
        return re.compile(pattern, flags)
    except _BAD_PATTERN as exc:
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, RecursionError):
            reason = "nested too deeply"
        raise PolicyError(item.file, f"{format_path((*item.path, *key))}: "
                          f"invalid regular expression: {reason}",
                          "Fix the pattern (Python regex syntax; no repeat counts over "
                          "65,535, no deep nesting).", item.line(*key)) from None


def _compile_marking(item: Item, levels: tuple[str, ...]) -> MarkingDef:
    data = item.data
    flags = 0 if data.get("case_sensitive") else re.IGNORECASE
    parts = [_spaced_words(word) for word in data.get("words", [])]
    for i, pattern in enumerate(data.get("patterns", [])):
        _pattern(f"(?:{pattern})", flags, item, ("patterns", i))
        parts.append(f"(?:{pattern})")
    if data.get("level") is not None:
        _check_level(data["level"], levels, item, "level")
    return MarkingDef(
        id=data["id"], regex=_pattern("|".join(parts), flags, item, ("patterns",)),
        where=frozenset(data["where"]),
        level=data.get("level"), flags=tuple(data.get("flags", [])),
        description=data.get("description", ""), origin=item.origin, source=data)


def _spaced_words(words: str) -> str:
    """A literal phrase on word boundaries, also in its letter-spaced form (S E C R E T) when
    its words are long enough for spacing to be a marking's style rather than chance (P R)."""
    plain = r"\s+".join(re.escape(w) for w in words.split())
    if min(len(w) for w in words.split()) < _MIN_SPACED:
        return rf"(?<!\w)(?:{plain})(?!\w)"
    spaced = r"\s{2,}".join(" ".join(re.escape(ch) for ch in w) for w in words.split())
    body = f"{plain}|{spaced}"
    return rf"(?<!\w)(?:{body})(?!\w)"


@dataclass(frozen=True)
class _RuleContext:
    """What a rule's conditions are checked against (policy/conditions.py CompileContext)."""

    item: Item
    levels: tuple[str, ...]
    markings: frozenset[str]
    entity_types: frozenset[str]
    cues: frozenset[str]

    def problem(self, key: str, message: str, hint: str) -> PolicyError:
        return PolicyError(self.item.file, f"{format_path((*self.item.path, 'when', key))}: "
                           f"{message}", hint, self.item.line("when", key))


def _compile_rule(item: Item, levels: tuple[str, ...], marking_ids: set[str],
                  entity_types: set[str], cue_ids: set[str]) -> RuleDef:
    data = item.data
    context = _RuleContext(item, levels, frozenset(marking_ids), frozenset(entity_types),
                           frozenset(cue_ids))
    when = compile_when(data["when"], context)
    allow_files = data.get("allow_file", [])
    if isinstance(allow_files, str):
        allow_files = [allow_files]
    return RuleDef(
        id=data["id"],
        when=when,
        action=Action(data["action"]), reason=data.get("reason", data["id"]),
        replacement=data.get("replacement"),
        allow=frozenset(normalise_name(a) for a in data.get("allow", [])),
        description=data.get("description", ""), origin=item.origin, source=data,
        allow_files=tuple(_read_allow_file(item, ref, i) for i, ref in enumerate(allow_files)))


def allow_file_path(item: Item, ref: str) -> Path:
    """An allow file's path: as written if absolute, else relative to the policy file that
    names it (not to the file that extends that one)."""
    path = Path(ref).expanduser()
    if path.is_absolute() or item.declared_in is None:
        return path
    return item.declared_in.parent / path


def _read_allow_file(item: Item, ref: str, index: int) -> AllowFile:
    """Read an allow file: UTF-8, one name per line, `#` starts a comment, blank lines are
    skipped. Any problem is a policy error naming the policy file, line and key and the file."""
    key: tuple[str | int, ...] = ("allow_file",) if isinstance(item.data["allow_file"], str) \
        else ("allow_file", index)
    where = format_path((*item.path, *key))
    path = allow_file_path(item, ref)

    def problem(message: str, hint: str, line: int | None = None) -> PolicyError:
        shown = f"{path}:{line}" if line else str(path)
        return PolicyError(item.file, f"{where}: allow file {shown}: {message}", hint,
                           item.line(*key))

    try:
        raw = read_regular(path, MAX_ALLOW_FILE_BYTES)
    except OSError as exc:
        raise problem(f"cannot be read ({exc.strerror or exc})",
                      "The path is relative to the policy file that names it.") from None
    if len(raw) > MAX_ALLOW_FILE_BYTES:
        raise problem(f"larger than {MAX_ALLOW_FILE_BYTES:,} bytes",
                      "An allow file lists names, one a line; split or trim it.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise problem("not UTF-8 text", "Save it as UTF-8.", line) from None
    names = set()
    for number, line_text in enumerate(text.splitlines(), start=1):
        entry = line_text.split("#", 1)[0].strip()
        if not entry:
            continue
        if any(unicodedata.category(ch) == "Cc" for ch in entry):
            raise problem("control characters in a name", "It must be a text file.", number)
        if len(entry) > MAX_ALLOW_NAME_CHARS:
            raise problem(f"a name longer than {MAX_ALLOW_NAME_CHARS} characters",
                          "Write one name a line.", number)
        names.add(normalise_name(entry))
    return AllowFile(path=str(path.resolve()), names=frozenset(names),
                     sha256=hashlib.sha256(raw).hexdigest())


def _compile_cue(item: Item) -> CueDef:
    data = item.data
    if data["id"] in RESERVED_LABELS:
        raise PolicyError(item.file, f"{format_path((*item.path, 'id'))}: {data['id']!r} is "
                          "reserved", f"Choose another id; not one of "
                          f"{', '.join(sorted(RESERVED_LABELS))}.", item.line("id"))
    phrases = tuple(" ".join(p.split()) for p in data["phrases"])
    ordered = sorted(range(len(phrases)), key=lambda i: len(phrases[i]), reverse=True)
    # One group per phrase, tried longest first ("strictly protect" before "protect"); each
    # group is named after the phrase's place in the policy, so a match says which it was.
    groups = {i: f"(?P<p{i}>{_phrase_regex(phrases[i])})" for i in range(len(phrases))}
    body = "|".join(groups[i] for i in ordered)
    regex = _pattern(body, re.IGNORECASE, item, ("phrases",))
    return CueDef(id=data["id"], phrases=phrases, scope=data.get("scope", "paragraph"),
                  regex=regex, description=data.get("description", ""), origin=item.origin,
                  source=data)


def _phrase_regex(phrase: str) -> str:
    """A literal phrase, any case, any whitespace (line breaks too) between its words, on word
    boundaries where it starts or ends with a letter or digit: `protect` is not `protected`,
    `(protect` is `(protect)` and `(protect throughout)`."""
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    if phrase[0].isalnum():
        pattern = r"(?<![^\W_])" + pattern
    if phrase[-1].isalnum():
        pattern += r"(?![^\W_])"
    return pattern


def _compile_output(items: dict[str, Item]) -> OutputDef:
    values: dict[str, str] = {}
    for key, item in items.items():
        values[key] = item.data if key in ("style", "block") else _compile_template(key, item)
    block = items.get("block")
    if block is not None and (block.data.isspace() or block.data in "[]"):
        raise PolicyError(block.file, "output.block: must be a visible character, not a "
                          "space or bracket", "For example \u2588 or X.", block.line())
    return OutputDef(**values)


def _compile_template(key: str, item: Item) -> str:
    template: str = item.data
    allowed = _TEMPLATE_FIELDS[key]
    for name in re.findall(r"{([^{}]*)}", template):
        if name not in allowed:
            raise PolicyError(item.file, f"output.{key}: unknown field {{{name}}}",
                              f"Allowed fields: {', '.join(sorted(allowed))}.", item.line())
    if not template.startswith("[") or not template.endswith("]"):
        raise PolicyError(item.file, f"output.{key}: must start with '[' and end with ']'",
                          "Brackets let redactor recognise its own placeholders on a re-check.",
                          item.line())
    return template
