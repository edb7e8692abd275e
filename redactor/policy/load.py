"""Load a policy: safe YAML → schema validation → `extends` → meaning checks → compiled Policy.

Every error names the file, the line and the key, and says what is allowed.
"""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pathspec

from redactor.errors import PolicyError, did_you_mean
from redactor.files import read_regular
from redactor.policy.compile import compile_policy
from redactor.policy.conditions import when_schema
from redactor.policy.merged import Item, Merged
from redactor.policy.model import DEFAULT_MODEL, Policy
from redactor.policy.models import model_problem
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
    merged = Merged()
    if path.resolve().parent != packs_dir().resolve():
        merged.base = path.resolve().parent
    _load_into(merged, path, chain=())
    return compile_policy(merged)


def _resolve(ref: str, base: Path | None, named_in: str) -> Path:
    packs = builtin_packs()
    candidate = Path(ref) if base is None else base.parent / ref
    if candidate.suffix in (".yaml", ".yml") or candidate.exists() or "/" in ref:
        if not candidate.is_file():
            raise PolicyError(str(candidate), "policy file not found",
                              f"Check the path given in {named_in}.")
        if candidate.suffix.lower() not in (".yaml", ".yml"):
            # not read at all: its first line would be quoted in the error, and a log of CI
            # would show a text that was never a policy
            raise PolicyError(str(candidate), "not a policy file (a policy is a .yaml or .yml "
                              "file)", f"Check the path given in {named_in}.")
        return candidate
    if ref in packs:
        return packs[ref]
    hint = did_you_mean(ref, packs)
    raise PolicyError(named_in, f"no built-in pack or policy file named {ref!r}",
                      f"{hint}Built-in packs: {', '.join(packs)}.")


def _display(path: Path) -> str:
    packs = packs_dir().resolve()
    resolved = path.resolve()
    if resolved.parent == packs:
        return f"<built-in>/{path.name}"
    return str(path)


def _load_into(merged: Merged, path: Path, chain: tuple[Path, ...]) -> None:
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
        raw = read_regular(path, MAX_POLICY_BYTES)
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


def _merge(merged: Merged, data: dict[str, Any], lines: dict[Path_, int], shown: str,
           declared_in: Path) -> None:
    def item(value: Any, *path: str | int) -> Item:
        return Item(value, shown, lines, path, declared_in)

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
    if "model" in entities:
        problem = model_problem(entities["model"])
        if problem is not None:
            raise PolicyError(shown, f"entities.model: {entities['model']!r} {problem}",
                              "Name an installed spaCy pipeline (the default is "
                              f"{DEFAULT_MODEL}); redactor never downloads models.",
                              lines.get(("entities", "model")))
        merged.model = entities["model"]
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


__all__ = ["CONFIG_NAME", "ConfigFinder", "builtin_packs", "discover", "load_policy", "schema",
           "schema_file"]
