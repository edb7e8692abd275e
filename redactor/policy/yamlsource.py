"""Safe YAML loading that remembers the line of every key and item.

PyYAML's safe loader returns plain data without positions; validation messages must name the
line (`policies/x.yaml:14: rules[2].action: …`). So we compose the node tree with the safe
loader and build the data ourselves, recording the line of each path. Aliases are refused (a
policy never needs them, and they are how a hostile file multiplies itself), as are duplicate
keys, non-string keys and deep nesting.
"""

from __future__ import annotations

from typing import Any

import yaml

Path_ = tuple[str | int, ...]
MAX_DEPTH = 32
MAX_POLICY_BYTES = 1024 * 1024


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_with_lines(text: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML text. Returns the data and a map from each path to its 1-based line."""
    _screen_events(text)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(f"YAML syntax error: {exc.problem or exc.context}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML error: {exc}", None) from exc
    finally:
        loader.dispose()
    if node is None:
        return None, {}
    lines: dict[Path_, int] = {}
    builder = _Builder(lines)
    return builder.build(node, (), 0), lines


def _screen_events(text: str) -> None:
    """Before anything is built (the builder recurses): refuse the first alias (*name), the
    first explicit tag (`!!python/name:…`: the safe loader would refuse it without a line)
    and the first nesting deeper than MAX_DEPTH, naming the line and key of each."""
    stack: list[list[Any]] = []  # [is_mapping, key or index, expecting a key]
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if len(stack) > MAX_DEPTH:
                path = tuple(entry[1] for entry in stack[:3] if entry[1] is not None)
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlProblem(f"{format_path(path)}: nesting deeper than {MAX_DEPTH} levels",
                                  line)
            if isinstance(event, yaml.AliasEvent):
                path = tuple(entry[1] for entry in stack if entry[1] is not None)
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlProblem(f"{format_path(path)}: YAML aliases (*name) are not allowed "
                                  "in policies", line)
            tag = getattr(event, "tag", None)
            if tag is not None:  # `!!python/name:…`, `!custom`
                path = tuple(entry[1] for entry in stack if entry[1] is not None)
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlProblem(f"{format_path(path)}: YAML tags ({tag}) are not "
                                  "allowed in policies; write the plain value", line)
            if isinstance(event, yaml.ScalarEvent) and stack and stack[-1][0] and stack[-1][2]:
                stack[-1][1], stack[-1][2] = event.value, False
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_mapping = isinstance(event, yaml.MappingStartEvent)
                stack.append([is_mapping, None if is_mapping else 0, True])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                _advance(stack)
            elif isinstance(event, yaml.ScalarEvent):
                _advance(stack)
    except yaml.YAMLError:
        return  # a syntax error: reported with its line by the loader


def _advance(stack: list[list[Any]]) -> None:
    """A value is complete: the mapping above expects a key next, the sequence its next item."""
    if not stack:
        return
    if stack[-1][0]:
        stack[-1][1], stack[-1][2] = None, True
    else:
        stack[-1][1] += 1


class _Builder:
    def __init__(self, lines: dict[Path_, int]) -> None:
        self.lines = lines
        self.scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.lines[path] = line
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", line)
        if isinstance(node, yaml.ScalarNode):
            return self.scalars.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        raise YamlProblem(f"unsupported YAML node {node.tag}", line)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("YAML merge keys (<<) are not allowed in policies", line)
            key = self.scalars.construct_object(key_node) if isinstance(
                key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise YamlProblem("keys must be plain strings", line)
            if key in result:
                raise YamlProblem(f"duplicate key {key!r}", line)
            result[key] = self.build(value_node, (*path, key), depth + 1)
            self.lines[(*path, key)] = line
        return result


def format_path(path: Path_) -> str:
    """('rules', 2, 'action') → 'rules[2].action'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of a path, or of its nearest ancestor that has one."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]
