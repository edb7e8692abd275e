"""`check --format jsonl|junit|github|markdown`, several report files in one run
(`--json-output`, `--sarif-output`, `--junit-output`, `--summary`), and the promise every format
keeps: no text of a finding unless --show-text."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, NAMES, PUBLIC, SBU_CABLE, snapshot, write

from redactor.report import FORMATS
from redactor.report.github import command, escape_data, escape_property

PEOPLE = ("Kellingworth", "HARDCASTLE", "Hardcastle", "Priya", "Raman", "Lindqvist",
          "priya.raman@example.org", "555-201-7788", *NAMES)
# Formats that print a finding's text with --show-text (markdown never does).
SHOWS_TEXT = ("text", "json", "jsonl", "sarif", "junit", "github")


@pytest.fixture
def docs(cwd_tmp: Path) -> Path:
    folder = cwd_tmp / "docs"
    write(folder / "cable.txt", SBU_CABLE)
    write(folder / "memo.md", MEMO)
    write(folder / "public.txt", PUBLIC)
    write(folder / "empty.txt", "")  # an error result: exit 2
    write(folder / ".hidden.txt", MEMO)  # not checked, and reported as such
    return folder


def check(run_cli: Any, *args: str | Path) -> Any:
    return run_cli("check", *args)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_finding_text_in_any_format_without_show_text(run_cli: Any, docs: Path,
                                                         fmt: str) -> None:
    result = check(run_cli, "docs", "--format", fmt)
    assert result.exit_code == 2  # the empty document
    assert result.stdout.strip()
    for name in PEOPLE:
        assert name not in result.stdout, f"{name!r} in --format {fmt} without --show-text"
    shown = check(run_cli, "docs", "--format", fmt, "--show-text").stdout
    if fmt in SHOWS_TEXT:
        assert "Priya Raman" in shown, f"--format {fmt} --show-text does not show the text"
    else:
        for name in PEOPLE:
            assert name not in shown, f"{name!r} in --format {fmt}, even with --show-text"


def test_jsonl_one_object_per_finding_error_and_skipped(run_cli: Any, docs: Path) -> None:
    result = check(run_cli, "docs", "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(isinstance(line, dict) for line in lines)
    report = json.loads(check(run_cli, "docs", "--format", "json").stdout)
    findings = [line for line in lines if line["type"] == "finding"]
    expected = [(d["path"], f["rule"], f["line"], f["column"]) for d in report["documents"]
                for f in d.get("findings", [])]
    assert [(f["path"], f["rule"], f["line"], f["column"]) for f in findings] == expected
    # stable keys: every line of one type has the same keys, in the same order
    for kind in ("finding", "error", "skipped", "summary"):
        keys = {tuple(line) for line in lines if line["type"] == kind}
        assert len(keys) == 1, kind
    errors = [line for line in lines if line["type"] == "error"]
    assert [(e["path"], e["code"]) for e in errors] == [("docs/empty.txt", "empty")]
    assert [s["path"] for s in lines if s["type"] == "skipped"] == ["docs/.hidden.txt"]
    assert lines[-1]["type"] == "summary" and lines[-1]["exit_code"] == 2
    assert any(f["fails"] for f in findings) and not any(f["accepted"] for f in findings)
    flags = [f for f in findings if f["action"] == "flag"]
    assert flags and not any(f["fails"] for f in flags)


def test_junit_parses_with_a_testcase_per_document(run_cli: Any, docs: Path) -> None:
    result = check(run_cli, "docs", "--format", "junit")
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"docs/cable.txt", "docs/memo.md", "docs/public.txt",
                          "docs/empty.txt", "docs/.hidden.txt"}
    for case in cases.values():
        assert case.get("classname") == "docs" and case.get("time") == "0"
    assert cases["docs/memo.md"].find("failure") is not None
    assert cases["docs/cable.txt"].find("failure") is not None
    assert len(list(cases["docs/public.txt"])) == 0  # passed
    error = cases["docs/empty.txt"].find("error")
    assert error is not None and error.get("type") == "empty"
    assert cases["docs/.hidden.txt"].find("skipped") is not None
    failure = cases["docs/memo.md"].find("failure")
    assert failure is not None and failure.text and "docs/memo.md:3:31" in failure.text
    for element in (root, suite):
        assert element.get("tests") == "5" and element.get("failures") == "2"
        assert element.get("errors") == "1" and element.get("skipped") == "1"


def test_junit_failures_follow_fail_on(run_cli: Any, docs: Path) -> None:
    root = ET.fromstring(check(run_cli, "docs/memo.md", "--format", "junit",
                               "--fail-on", "block").stdout)
    case = root.find("testsuite/testcase")
    assert case is not None and case.find("failure") is None
    out = case.find("system-out")
    assert out is not None and out.text and "rule names" in out.text  # listed, not failed


def test_github_annotations(run_cli: Any, docs: Path) -> None:
    result = check(run_cli, "docs", "--format", "github")
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    pattern = re.compile(r"^::(error|warning|notice) ((\w+=[^,:]*)(,\w+=[^,:]*)*)::(.+)$")
    for line in commands:
        assert pattern.match(line), line
    memo = [line for line in commands if "file=docs/memo.md," in line]
    assert memo[0].startswith("::error file=docs/memo.md,line=3,endLine=3,")
    assert "col=31,endColumn=42::Redact: PERSON (entity), rule names" in memo[0]
    assert any(line.startswith("::warning file=docs/cable.txt") for line in commands)  # flags
    assert any(line.startswith("::error file=docs/empty.txt,title=redactor%3A could not check")
               for line in commands)
    assert any(line.startswith("::notice file=docs/.hidden.txt") for line in commands)
    assert lines[-1].startswith("redactor: 4 document(s) checked") and "Exit code 2" in lines[-1]


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("error", {"file": "x,y:z.txt", "line": 3}, "m:\n") == \
        "::error file=x%2Cy%3Az.txt,line=3::m:%0A"


def test_github_escapes_a_file_name(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "a,b:c%d.md", MEMO)
    out = check(run_cli, "a,b:c%d.md", "--format", "github").stdout
    assert "file=a%2Cb%3Ac%25d.md,line=3" in out


def test_markdown_summary(run_cli: Any, docs: Path) -> None:
    text = check(run_cli, "docs", "--format", "markdown").stdout
    assert text.startswith("## redactor: could not check everything\n")
    assert "| verdict | documents |" in text and "| redact | 2 |" in text
    assert "| names | redact | 5 | 0 |" in text
    assert "| `docs/memo.md` | **redact** | 6 | line 3 names (redact, PERSON)" in text
    assert "| `docs/empty.txt` | **error** | | file is empty |" in text
    assert "| `docs/public.txt` | releasable | 0 |" in text


def test_several_outputs_in_one_run(run_cli: Any, docs: Path, cwd_tmp: Path) -> None:
    summary = write(cwd_tmp / "summary.md", "# earlier step\n")
    result = check(run_cli, "docs", "--format", "github", "-o", "main.txt",
                   "--json-output", "r.json", "--sarif-output", "r.sarif",
                   "--junit-output", "r.xml", "--summary", "summary.md")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (cwd_tmp / "main.txt").read_text().startswith("::notice file=docs/.hidden.txt")
    report = json.loads((cwd_tmp / "r.json").read_text())
    assert report["exit_code"] == 2 and report["summary"]["documents"] == 5
    assert json.loads((cwd_tmp / "r.sarif").read_text())["version"] == "2.1.0"
    assert ET.fromstring((cwd_tmp / "r.xml").read_text()).tag == "testsuites"
    text = summary.read_text()
    assert text.startswith("# earlier step\n## redactor:")  # appended, not replaced
    for name in ("main.txt", "r.json", "r.sarif", "r.xml", "summary.md"):
        content = (cwd_tmp / name).read_text()
        assert not any(person in content for person in PEOPLE), name
    # the same input gives the same files (the summary grows by one identical summary)
    first = {n: (cwd_tmp / n).read_bytes() for n in ("main.txt", "r.json", "r.sarif", "r.xml")}
    check(run_cli, "docs", "--format", "github", "-o", "main.txt", "--json-output", "r.json",
          "--sarif-output", "r.sarif", "--junit-output", "r.xml", "--summary", "summary.md")
    assert {n: (cwd_tmp / n).read_bytes() for n in first} == first
    again = summary.read_text()
    assert again == text + text.removeprefix("# earlier step\n")


def test_summary_file_is_created_when_missing(run_cli: Any, docs: Path, cwd_tmp: Path) -> None:
    result = check(run_cli, "docs/public.txt", "--summary", "new.md")
    assert result.exit_code == 0
    assert (cwd_tmp / "new.md").read_text().startswith("## redactor: passed\n")
    assert "releasable as it stands" in result.stdout  # the text report still goes to stdout


@pytest.mark.parametrize("args", [
    ("--json-output", "same", "--junit-output", "same"),
    ("-o", "same", "--summary", "same"),
    ("--sarif-output", "same", "--json-output", "./same"),
])
def test_two_outputs_on_one_file_are_refused(run_cli: Any, docs: Path, cwd_tmp: Path,
                                             args: tuple[str, ...]) -> None:
    before = snapshot(cwd_tmp)
    result = check(run_cli, "docs/memo.md", *args)
    assert result.exit_code == 2
    assert "is the same file as" in result.stderr
    assert snapshot(cwd_tmp) == before


@pytest.mark.parametrize("option", ["--json-output", "--junit-output", "--summary",
                                    "--sarif-output", "-o"])
def test_an_output_that_is_an_input_is_refused(run_cli: Any, docs: Path, cwd_tmp: Path,
                                               option: str) -> None:
    before = snapshot(cwd_tmp)
    result = check(run_cli, "docs/memo.md", "docs/public.txt", option, "docs/memo.md")
    assert result.exit_code == 2
    assert "the report path is the input itself" in result.stderr
    assert snapshot(cwd_tmp) == before


def test_nothing_is_written_when_one_output_cannot_be(run_cli: Any, docs: Path,
                                                      cwd_tmp: Path) -> None:
    before = snapshot(cwd_tmp)
    result = check(run_cli, "docs/memo.md", "--json-output", "r.json",
                   "--junit-output", "missing/r.xml")
    assert result.exit_code == 2
    assert snapshot(cwd_tmp) == before


@pytest.mark.parametrize("option", ["--json-output", "--summary", "-o"])
def test_an_output_over_a_document_of_a_checked_folder_is_refused(
        run_cli: Any, docs: Path, cwd_tmp: Path, option: str) -> None:
    before = snapshot(cwd_tmp)
    result = check(run_cli, "docs", option, "docs/memo.md")
    assert result.exit_code == 2
    assert "the report path is the input itself" in result.stderr
    assert snapshot(cwd_tmp) == before
    # a new file, or a hidden one (not checked), in the checked folder is fine
    assert check(run_cli, ".", "--json-output", "docs/new.json").exit_code == 2  # empty.txt
    assert (cwd_tmp / "docs" / "new.json").is_file()
    assert check(run_cli, "docs", "--json-output", "docs/.hidden.txt").exit_code == 2
