"""A policy as read, before it is compiled: every part with the file, line and key it was
written at (so that each error can name them), merged in `extends` order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redactor.policy.model import DEFAULT_MODEL, Origin
from redactor.policy.yamlsource import Path_, line_of


@dataclass
class Item:
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
class Merged:
    name: str = ""
    version: str = ""
    description: str = ""
    levels: list[str] = field(default_factory=list)
    levels_item: Item | None = None
    markings: dict[str, Item] = field(default_factory=dict)
    cues: dict[str, Item] = field(default_factory=dict)
    rules: dict[str, Item] = field(default_factory=dict)
    disabled: list[Item] = field(default_factory=list)
    entity_types: dict[str, Item] = field(default_factory=dict)
    model: str = DEFAULT_MODEL
    output: dict[str, Item] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    scope: dict[str, list[str]] = field(default_factory=dict)  # the `files:` section, joined
    scope_items: list[Item] = field(default_factory=list)
    base: Path | None = None  # the folder of the policy file in use (not a built-in pack)


