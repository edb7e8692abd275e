"""The report registry (redactor/report/__init__.py): --format offers what it lists, and every
format renders a run, however small."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import MEMO, make_doc

from redactor import report
from redactor.engine import Engine
from redactor.model import Action, Result


def test_format_choices_and_help_come_from_the_registry(run_cli: Any) -> None:
    out = run_cli("check", "--help").stdout
    assert f"[{'|'.join(report.REPORTERS)}]" in " ".join(out.split())
    for reporter in report.REPORTERS.values():
        if reporter.help:
            assert f"{reporter.name} ({reporter.help})" in " ".join(out.split())


@pytest.mark.parametrize("fmt", list(report.REPORTERS))
def test_every_format_renders_an_empty_and_a_checked_run(engine: Engine, fmt: str) -> None:
    plan = engine.check(make_doc(MEMO, "memo.txt"))
    for results in ([], [Result("memo.txt", plan=plan)]):
        run = report.RunReport(results, {"memo.txt": engine.policy}, Action.REDACT)
        assert report.render(fmt, run).endswith("\n")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        report.render("pdf", report.RunReport([], {}, Action.REDACT))
