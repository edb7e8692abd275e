"""Data-driven detector cases: every case of every file in cases/ (see cases/README.md) is a
document, what must be found in it (the text and how: a name layer's found_by or a
detector's name) and what no entity finding may touch."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import make_doc

from redactor.engine import Engine
from redactor.model import Finding, Plan
from redactor.policy import load_policy

CASES = Path(__file__).parent / "cases"


def cases() -> list[Any]:
    found = []
    for file in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text("utf-8"))["cases"]:
            found.append(pytest.param(case, id=f"{file.stem}/{case['name']}"))
    return found


@pytest.fixture(scope="module")
def engines(engine: Engine) -> dict[str, Engine]:
    return {"default": engine}


def engine_for(engines: dict[str, Engine], name: str) -> Engine:
    if name not in engines:
        ref = CASES / name if name.endswith(".yaml") else name
        engines[name] = Engine(load_policy(ref), models=engines["default"].models)
    return engines[name]


@pytest.mark.parametrize("case", cases())
def test_case(case: dict[str, Any], engines: dict[str, Engine]) -> None:
    engine = engine_for(engines, case.get("policy", "default"))
    plan = engine.check(make_doc(case["text"], case.get("path", "memo.txt")))
    for surface, how in case.get("found", []):
        assert any(_text(plan, f) == surface and how in (f.found_by, f.detector)
                   for f in plan.findings), (
            f"{surface!r} by {how}: found {_described(plan)}")
    for surface in case.get("not_found", []):
        for match in re.finditer(re.escape(surface), plan.document.text):
            touched = [f for f in plan.findings if f.entity_type
                       and f.span.start < match.end() and match.start() < f.span.end]
            assert not touched, f"{surface!r} is touched by {_described(plan, touched)}"


def _text(plan: Plan, finding: Finding) -> str:
    return plan.document.text[finding.span.start:finding.span.end]


def _described(plan: Plan, findings: list[Finding] | None = None) -> list[tuple[str, str]]:
    return [(_text(plan, f), str(f.found_by or f.detector))
            for f in (findings if findings is not None else plan.findings)]
