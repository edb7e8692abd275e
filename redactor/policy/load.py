"""Load a policy: safe YAML → schema validation → `extends` → meaning checks → compiled Policy.

Every error names the file, the line and the key, and says what is allowed.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pathspec

from redactor.errors import PolicyError, did_you_mean
from redactor.model import RESERVED_LABELS, Action
from redactor.policy.conditions import compile_when, when_schema
from redactor.policy.model import (
    DEFAULT_MODEL,
    DEFAULT_REDACTION,
    DEFAULT_WITHHELD,
    AllowFile,
    CueDef,
    EntityDef,
    FilesDef,
    MarkingDef,
    Origin,
    OutputDef,
    Policy,
    RuleDef,
    normalise_name,
)
from redactor.policy.yamlsource import (
    MAX_POLICY_BYTES,
    Path_,
    YamlProblem,
    format_path,
    line_of,
    load_with_lines,
)

CONFIG_NAME = ".redactor.yaml"
DEFAULT_PACK = "default"
_MIN_SPACED = 3  # shortest word that also matches letter-spaced
MAX_ALLOW_FILE_BYTES = 1024 * 1024  # an allow file lists names; more is not a list of names
MAX_ALLOW_NAME_CHARS = 200
_TEMPLATE_FIELDS = {"redaction": {"reason", "rule", "kind"}, "withheld": {"reason", "rule", "unit"},
                    "pseudonym": {"type", "n"},
                    "marking": {"reason", "rule", "policy", "version", "date"}}


# ---------------------------------------------------------------- where policies come from

def packs_dir() -> Path:
    """The built-in packs: inside the installed wheel, or the checkout's top-level policies/."""
    installed = importlib.resources.files("redactor") / "_packs"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[2] / "policies"


def builtin_packs() -> dict[str, Path]:
    return {p.stem: p for p in sorted(packs_dir().glob("*.yaml"))}


@cache
def schema() -> dict[str, Any]:
    """The policy schema: schema.json, with the `when` object made from the rule conditions
    (policy/conditions.py; the file shows the same, and a test holds them equal)."""
    result: dict[str, Any] = json.loads(schema_file())
    result["$defs"]["when"] = when_schema()
    return result


def schema_file() -> str:
    return importlib.resources.files("redactor.policy").joinpath("schema.json").read_text("utf-8")


def discover(start: Path) -> Path | None:
    """The nearest .redactor.yaml in `start` (or its folder) or any parent folder."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        config = candidate / CONFIG_NAME
        if config.is_file():
            return config
    return None


class ConfigFinder:
    """discover(), searched once a folder (one run's worth): thousands of documents in a few
    folders would otherwise look for the same files thousands of times. A link is followed,
    as discover() does, so it is searched on its own; a folder stands for itself."""

    def __init__(self) -> None:
        self._found: dict[Path, Path | None] = {}

    def __call__(self, path: Path) -> Path | None:
        folder = path if path.is_symlink() or path.is_dir() else path.parent
        if folder not in self._found:
            self._found[folder] = discover(path)
        return self._found[folder]


def load_policy(ref: str | Path | None = None) -> Policy:
    """Load a policy by built-in pack name or file path (None: the built-in default)."""
    path = _resolve(str(ref) if ref is not None else DEFAULT_PACK, None, "--policy")
    merged = _Merged()
    if path.resolve().parent != packs_dir().resolve():
        merged.base = path.resolve().parent
    _load_into(merged, path, chain=())
    return _compile(merged)


def _resolve(ref: str, base: Path | None, named_in: str) -> Path:
    packs = builtin_packs()
    candidate = Path(ref) if base is None else base.parent / ref
    if candidate.suffix in (".yaml", ".yml") or candidate.exists() or "/" in ref:
        if not candidate.is_file():
            raise PolicyError(str(candidate), "policy file not found",
                              f"Check the path given in {named_in}.")
        return candidate
    if ref in packs:
        return packs[ref]
    hint = did_you_mean(ref, packs)
    raise PolicyError(named_in, f"no built-in pack or policy file named {ref!r}",
                      f"{hint}Built-in packs: {', '.join(packs)}.")


# ------------------------------------------------------------------- reading and merging

@dataclass
class _Item:
    data: Any  # a mapping for markings and rules, a string for disable_rules and output
    file: str
    lines: dict[Path_, int]
    path: Path_
    declared_in: Path | None = None  # the policy file it is written in (for relative paths)

    def line(self, *sub: str | int) -> int | None:
        return line_of(self.lines, (*self.path, *sub))

    @property
    def origin(self) -> Origin:
        return Origin(self.file, self.line())


@dataclass
class _Merged:
    name: str = ""
    version: str = ""
    description: str = ""
    levels: list[str] = field(default_factory=list)
    levels_item: _Item | None = None
    markings: dict[str, _Item] = field(default_factory=dict)
    cues: dict[str, _Item] = field(default_factory=dict)
    rules: dict[str, _Item] = field(default_factory=dict)
    disabled: list[_Item] = field(default_factory=list)
    entity_types: dict[str, _Item] = field(default_factory=dict)
    model: str = DEFAULT_MODEL
    output: dict[str, _Item] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    scope: dict[str, list[str]] = field(default_factory=dict)  # the `files:` section, joined
    scope_items: list[_Item] = field(default_factory=list)
    base: Path | None = None  # the folder of the policy file in use (not a built-in pack)


def _display(path: Path) -> str:
    packs = packs_dir().resolve()
    resolved = path.resolve()
    if resolved.parent == packs:
        return f"<built-in>/{path.name}"
    return str(path)


def _load_into(merged: _Merged, path: Path, chain: tuple[Path, ...]) -> None:
    resolved = path.resolve()
    shown = _display(path)
    if resolved in chain:
        cycle = " -> ".join(_display(p) for p in (*chain, resolved))
        raise PolicyError(shown, f"'extends' forms a cycle: {cycle}",
                          "Remove one of the 'extends' entries.")
    data, lines = _read(path, shown)
    for i, ref in enumerate(data.get("extends", [])):
        try:
            parent = _resolve(ref, path, f"{shown}:{line_of(lines, ('extends', i))}")
        except PolicyError as exc:
            raise PolicyError(shown, f"extends[{i}]: {exc.message}", exc.hint,
                              line_of(lines, ("extends", i))) from None
        _load_into(merged, parent, (*chain, resolved))
    _merge(merged, data, lines, shown, path)


def _read(path: Path, shown: str) -> tuple[dict[str, Any], dict[Path_, int]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(shown, f"cannot be read ({exc.strerror or exc})",
                          "Check the file's permissions.") from exc
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(shown, f"policy is larger than {MAX_POLICY_BYTES:,} bytes",
                          "A policy is a short YAML file; split or trim it.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(shown, "policy is not UTF-8 text", "Save it as UTF-8.") from exc
    try:
        data, lines = load_with_lines(text)
    except YamlProblem as exc:
        raise PolicyError(shown, exc.message, "Fix the YAML and run `redactor policy validate`.",
                          exc.line) from None
    if not isinstance(data, dict):
        raise PolicyError(shown, "a policy must be a YAML mapping with at least a 'name'",
                          "See `redactor policy schema` and docs/policies.md.", 1)
    _validate_schema(data, lines, shown)
    return data, lines


def _validate_schema(data: dict[str, Any], lines: dict[Path_, int], shown: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path))))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    path: Path_ = tuple(error.absolute_path)
    message, path = _explain(error, path)
    raise PolicyError(shown, f"{format_path(path)}: {message}",
                      "See `redactor policy schema` for every allowed key.", line_of(lines, path))


def _explain(error: jsonschema.ValidationError, path: Path_) -> tuple[str, Path_]:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        allowed = list(properties)
        unknown = [k for k in error.instance if k not in allowed]
        if unknown:
            hint = did_you_mean(unknown[0], allowed)
            return (f"unknown key {unknown[0]!r}. {hint}Allowed: {', '.join(allowed)}",
                    (*path, unknown[0]))
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]  # type: ignore[union-attr]
        hint = did_you_mean(str(error.instance), options)
        return f"{error.instance!r} is not one of {', '.join(options)}. {hint}".strip(), path
    if error.validator == "required":
        return error.message, path
    if error.validator in ("oneOf", "anyOf") and error.context:
        return error.context[0].message, path
    return error.message, path


def _merge(merged: _Merged, data: dict[str, Any], lines: dict[Path_, int], shown: str,
           declared_in: Path) -> None:
    def item(value: Any, *path: str | int) -> _Item:
        return _Item(value, shown, lines, path, declared_in)

    if shown not in merged.files:
        merged.files.append(shown)
    merged.texts.append(json.dumps(data, sort_keys=True))
    merged.name = data["name"]
    merged.version = str(data.get("version", ""))
    merged.description = data.get("description", "")
    if "levels" in data:
        merged.levels = list(data["levels"])
        merged.levels_item = item(data["levels"], "levels")
    for i, marking in enumerate(data.get("markings", [])):
        merged.markings[marking["id"]] = item(marking, "markings", i)
    for i, cue in enumerate(data.get("cues", [])):
        merged.cues[cue["id"]] = item(cue, "cues", i)
    for i, rule in enumerate(data.get("rules", [])):
        merged.rules[rule["id"]] = item(rule, "rules", i)
    for i, rule_id in enumerate(data.get("disable_rules", [])):
        merged.disabled.append(item(rule_id, "disable_rules", i))
    entities = data.get("entities", {})
    merged.model = entities.get("model", merged.model)
    for name, spec in entities.get("types", {}).items():
        merged.entity_types[name] = item(spec, "entities", "types", name)
    for key, template in data.get("output", {}).items():
        merged.output[key] = item(template, "output", key)
    if "files" in data:
        merged.scope_items.append(item(data["files"], "files"))
        for key in ("include", "exclude"):
            for i, pattern in enumerate(data["files"].get(key, [])):
                try:
                    pathspec.GitIgnoreSpec.from_lines([pattern])
                except ValueError as exc:
                    raise PolicyError(shown, f"files.{key}[{i}]: not a gitignore-style "
                                      f"pattern: {exc}", "See docs/ci.md, Include and exclude.",
                                      line_of(lines, ("files", key, i))) from None
                if pattern not in merged.scope.setdefault(key, []):
                    merged.scope[key].append(pattern)


# ------------------------------------------------------------------------- compiling

def _compile(merged: _Merged) -> Policy:
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


def _own_files(merged: _Merged, rules: tuple[RuleDef, ...]) -> frozenset[str]:
    policy_files = [str(Path(f).resolve()) for f in merged.files if not f.startswith("<")]
    return frozenset([*policy_files, *(a.path for rule in rules for a in rule.allow_files)])


def _check_level(level: str, levels: tuple[str, ...], item: _Item, *key: str | int) -> None:
    if level not in levels:
        hint = did_you_mean(level, levels)
        known = ", ".join(levels) if levels else "none: add a 'levels' list"
        raise PolicyError(item.file, f"{format_path((*item.path, *key))}: unknown level {level!r}",
                          f"{hint}Levels: {known}.", item.line(*key))


def _compile_marking(item: _Item, levels: tuple[str, ...]) -> MarkingDef:
    data = item.data
    flags = 0 if data.get("case_sensitive") else re.IGNORECASE
    parts = [_spaced_words(word) for word in data.get("words", [])]
    for i, pattern in enumerate(data.get("patterns", [])):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PolicyError(item.file, f"{format_path((*item.path, 'patterns', i))}: "
                              f"invalid regular expression: {exc}",
                              "Fix the pattern (Python regex syntax).",
                              item.line("patterns", i)) from None
        parts.append(f"(?:{pattern})")
    if data.get("level") is not None:
        _check_level(data["level"], levels, item, "level")
    return MarkingDef(
        id=data["id"], regex=re.compile("|".join(parts), flags), where=frozenset(data["where"]),
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

    item: _Item
    levels: tuple[str, ...]
    markings: frozenset[str]
    entity_types: frozenset[str]
    cues: frozenset[str]

    def problem(self, key: str, message: str, hint: str) -> PolicyError:
        return PolicyError(self.item.file, f"{format_path((*self.item.path, 'when', key))}: "
                           f"{message}", hint, self.item.line("when", key))


def _compile_rule(item: _Item, levels: tuple[str, ...], marking_ids: set[str],
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


def allow_file_path(item: _Item, ref: str) -> Path:
    """An allow file's path: as written if absolute, else relative to the policy file that
    names it (not to the file that extends that one)."""
    path = Path(ref).expanduser()
    if path.is_absolute() or item.declared_in is None:
        return path
    return item.declared_in.parent / path


def _read_allow_file(item: _Item, ref: str, index: int) -> AllowFile:
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
        with path.open("rb") as handle:
            raw = handle.read(MAX_ALLOW_FILE_BYTES + 1)
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


def _compile_cue(item: _Item) -> CueDef:
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
    regex = re.compile(body, re.IGNORECASE)
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


def _compile_output(items: dict[str, _Item]) -> OutputDef:
    values: dict[str, str] = {}
    for key, item in items.items():
        values[key] = item.data if key in ("style", "block") else _compile_template(key, item)
    block = items.get("block")
    if block is not None and (block.data.isspace() or block.data in "[]"):
        raise PolicyError(block.file, "output.block: must be a visible character, not a "
                          "space or bracket", "For example \u2588 or X.", block.line())
    return OutputDef(**values)


def _compile_template(key: str, item: _Item) -> str:
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


__all__ = ["CONFIG_NAME", "DEFAULT_REDACTION", "DEFAULT_WITHHELD", "builtin_packs", "discover",
           "load_policy", "schema"]
