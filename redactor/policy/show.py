"""`redactor policy show`: the effective policy as YAML, with where each part was written."""

from __future__ import annotations

import json
from typing import Any

import yaml

from redactor.policy.model import Policy


def show_policy(loaded: Policy) -> str:
    def flow(item: dict[str, Any]) -> str:
        return yaml.safe_dump(item, default_flow_style=True, width=100_000,
                               sort_keys=False).strip()

    lines = [f"# effective policy {loaded.name!r}, fingerprint {loaded.fingerprint[:16]}",
             f"# built from: {', '.join(loaded.files)}",
             f"name: {loaded.name}"]
    if loaded.version:
        lines.append(f"version: {json.dumps(loaded.version)}")
    if loaded.levels:
        lines.append(f"levels: [{', '.join(loaded.levels)}]")
    lines.append("markings:" if loaded.markings else "markings: []")
    lines += [f"  - {flow(m.source)}  # {m.origin}" for m in loaded.markings]
    lines.append("entities:")
    lines.append(f"  model: {loaded.model}")
    lines.append("  types:" if loaded.entities else "  types: {}")
    for entity in loaded.entities:
        spec: dict[str, Any] = {"threshold": entity.threshold}
        if entity.deny:
            spec["deny"] = list(entity.deny)
        lines.append(f"    {entity.type}: {flow(spec)}  # {entity.origin}")
    if loaded.cues:
        lines.append("cues:")
        lines += [f"  - {flow(c.source)}  # {c.origin}" for c in loaded.cues]
    lines.append("rules:" if loaded.rules else "rules: []")
    for rule in loaded.rules:
        source = dict(rule.source)
        if rule.allow_files:  # resolved: the shown policy may be saved anywhere
            source["allow_file"] = [a.path for a in rule.allow_files]
        lines.append(f"  - {flow(source)}  # {rule.origin}")
    scope = loaded.files_scope
    if scope.include or scope.exclude:
        where = ", ".join(str(o) for o in scope.origin)
        lines.append(f"files:  # {where}; patterns relative to {scope.base or '.'}")
        for key, patterns in (("include", scope.include), ("exclude", scope.exclude)):
            if patterns:
                lines.append(f"  {key}: {json.dumps(list(patterns))}")
    lines.append("output:")
    lines.append(f"  redaction: {json.dumps(loaded.output.redaction)}")
    lines.append(f"  withheld: {json.dumps(loaded.output.withheld)}")
    return "\n".join(lines) + "\n"
