"""docs/architecture.md's worked examples, run: each seam's example module, with its registry
entry, does what the document says — so the map of how to grow redactor stays true."""

from __future__ import annotations

import gzip
import re
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import NAMES, REPO

from redactor import detect, formats, report
from redactor.detect import PIPELINE
from redactor.engine import Engine
from redactor.model import Action, Result
from redactor.policy import conditions, load
from redactor.release import make_release
from redactor.release.verify import verify

DOC = REPO / "docs" / "architecture.md"
MEMO = (f"Notes of the meeting.\n\n1. (U) {NAMES[1]} said the asset would report on "
        "Tuesday.\n\n2. (U) The harbour reopens in May.\n")


def examples() -> dict[str, str]:
    """Each python block of the document that is a module (`# redactor/…` first), by path."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.DOTALL)
    return {block.split("\n", 1)[0].removeprefix("# "): block for block in blocks
            if block.startswith("# redactor/") and "\nfrom __future__" in block}


def module(path: str) -> types.ModuleType:
    name = "example_" + Path(path).stem
    loaded = types.ModuleType(name)
    sys.modules[name] = loaded  # dataclasses look their module up
    exec(compile(examples()[path], path, "exec"), loaded.__dict__)
    return loaded


@pytest.fixture
def gzip_format(monkeypatch: pytest.MonkeyPatch) -> Any:
    fmt = module("redactor/formats/gzip_text.py").GzipText()
    monkeypatch.setitem(formats.FORMATS, fmt.name, fmt)
    for suffix in fmt.suffixes:
        monkeypatch.setitem(formats._BY_SUFFIX, suffix, fmt)
    return fmt


def test_the_document_has_an_example_for_each_seam() -> None:
    assert set(examples()) == {"redactor/formats/gzip_text.py", "redactor/detect/topics.py",
                               "redactor/report/csv_rows.py"}


def test_a_new_format_checks_redacts_and_verifies(engine: Engine, gzip_format: Any,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "notes.txt.gz"
    path.write_bytes(gzip.compress(MEMO.encode("utf-8"), mtime=0))
    original = engine.read(path, "notes.txt.gz")
    assert (original.format, original.text) == ("gzip-text", MEMO)
    plan = engine.check(original)
    release = make_release(engine, plan, "copy.txt.gz")
    copy = gzip_format.reread(release.copy, original)
    assert NAMES[1] not in copy.text and NAMES[1].encode() not in gzip.decompress(release.copy)
    assert verify(engine, original, copy, release.copy).ok
    # A copy whose gzip header names the person (FNAME) fails verify's residue check.
    named = bytearray(gzip.compress(copy.text.encode(), mtime=0))
    named[3] |= 0x08
    named[10:10] = NAMES[1].encode() + b"\0"
    residue = verify(engine, original, copy, bytes(named)).checks[0]
    assert not residue.ok and any("gzip header" in p for p in residue.problems)


@pytest.fixture
def topic_condition(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    source = examples()["redactor/detect/topics.py"]
    assert "class Topics(Detector)" in source
    block = re.search(r"(TOPIC = Condition\(.*?)\n```", DOC.read_text("utf-8"), re.DOTALL)
    assert block is not None
    namespace: dict[str, Any] = {"Condition": conditions.Condition}
    exec(block.group(1), namespace)
    monkeypatch.setattr(conditions, "CONDITIONS", {**conditions.CONDITIONS,
                                                   "topic": namespace["TOPIC"]})
    load.schema.cache_clear()
    yield
    load.schema.cache_clear()


def test_a_new_detector_and_its_condition(engine: Engine, topic_condition: None,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    topics = module("redactor/detect/topics.py").Topics
    detectors = (*PIPELINE[:4], topics, *PIPELINE[4:])
    monkeypatch.setattr(detect, "PIPELINE", detectors)  # the registry entry
    monkeypatch.setitem(detect.DETECTORS, topics.name, topics)
    policy_file = tmp_path / "topics.yaml"
    policy_file.write_text("name: topics\nextends: [default]\nrules:\n"
                           "  - {id: sources, when: {topic: true}, action: withhold, "
                           "reason: '(b)(7)(D)'}\n", encoding="utf-8")
    policy = load.load_policy(policy_file)
    checker = Engine(policy, models=engine.models, detectors=detectors)
    from helpers import make_doc

    plan = checker.check(make_doc(MEMO, "memo.txt"))
    withheld = [d for d in plan.decisions if d.rule == "sources"]
    assert [d.action for d in withheld] == [Action.WITHHOLD]
    assert MEMO[withheld[0].target.start:withheld[0].target.end].startswith(NAMES[1])
    run = report.RunReport([Result("memo.txt", plan=plan)], {"memo.txt": policy}, Action.REDACT,
                           explain=True)
    assert "a paragraph about sources" in report.render("json", run)
    assert "sources" in report.render("text", run)


def test_a_new_report_format(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import make_doc

    reporter = module("redactor/report/csv_rows.py").REPORTER
    monkeypatch.setitem(report.REPORTERS, reporter.name, reporter)
    plan = engine.check(make_doc(MEMO, "memo.txt"))
    run = report.RunReport([Result("memo.txt", plan=plan)], {"memo.txt": engine.policy},
                           Action.REDACT)
    rows = report.render("csv", run).splitlines()
    assert rows[0] == "path,line,column,rule,action,kind,label"
    assert any(",PERSON" in row for row in rows[1:]) and NAMES[1] not in "".join(rows)
