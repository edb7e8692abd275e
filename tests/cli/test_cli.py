"""The command line through click's CliRunner: the user journeys on our own documents,
the JSON report contract of docs/report-format.md, and the options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, NAMES, PUBLIC, SBU_CABLE, SECRET_CABLE, snapshot, write

FINDING_FIELDS = {"rule", "kind", "entity_type", "action", "reason", "start", "end", "line",
                  "column", "block", "score"}
DOCUMENT_FIELDS = {"path", "sha256", "verdict", "level", "markings", "errors", "findings"}
PEOPLE = ("Kellingworth", "HARDCASTLE", "Hardcastle", "Whitfield", "WHITFIELD", "Okafor",
          "Priya", "Raman", "Lindqvist", *NAMES)


@pytest.fixture
def docs(cwd_tmp: Path) -> Path:
    folder = cwd_tmp / "docs"
    write(folder / "cable.txt", SBU_CABLE)
    write(folder / "secret.txt", SECRET_CABLE)
    write(folder / "memo.md", MEMO)
    write(folder / "public.txt", PUBLIC)
    return folder


def no_people(text: str) -> None:
    for name in PEOPLE:
        assert name not in text, f"{name!r} printed without --show-text"


def test_sbu_cable_journey(run_cli: Any, docs: Path) -> None:
    cable = docs / "cable.txt"
    result = run_cli("check", cable)
    assert result.exit_code == 1
    out = result.stdout
    assert "level SBU" in out
    assert "'SENSITIVE'" in out and "caption" in out
    # a phrase marking is named by its id; its text is shown only with --show-text
    assert "not-for-internet" in out and "'Not for public Internet'" not in out
    assert "(SBU)" in out and "(SBU-N)" in out
    assert "withhold [sbu-portions] (b)(6)" in out
    assert "PERSON" in out
    assert "verdict: REDACT: not releasable as it stands; releasable after redaction" in out
    no_people(out)

    public, log = docs / "cable.public.txt", docs / "cable.redactions.json"
    before = cable.read_bytes()
    result = run_cli("redact", cable, "-o", public, "--log", log)
    assert result.exit_code == 0, result.output
    assert f"wrote {public}" in result.stderr
    assert cable.read_bytes() == before
    copy = public.read_text("utf-8")
    assert copy.count("\n") == SBU_CABLE.count("\n")
    assert "Kellingworth" not in copy and "HARDCASTLE" not in copy
    record = json.loads(log.read_text("utf-8"))
    assert record["document"]["path"] == str(cable)
    assert record["output"]["path"] == str(public)
    assert record["summary"]["withheld"] >= 4
    no_people(log.read_text("utf-8"))

    result = run_cli("check", public)
    assert result.exit_code == 0, result.stdout
    no_people(result.stdout)


def test_show_text_prints_the_names(run_cli: Any, docs: Path) -> None:
    result = run_cli("check", docs / "cable.txt", "--show-text")
    assert "'Marta Kellingworth'" in result.stdout
    assert "'HARDCASTLE'" in result.stdout


def test_secret_cable_is_blocked(run_cli: Any, docs: Path) -> None:
    secret = docs / "secret.txt"
    result = run_cli("check", secret)
    assert result.exit_code == 1
    assert "level SECRET" in result.stdout
    assert "verdict: BLOCK" in result.stdout
    assert "blocked by classified-document" in result.stdout
    before = snapshot(docs)
    out = docs / "secret.public.txt"
    result = run_cli("redact", secret, "-o", out, "--log", docs / "secret.log.json")
    assert result.exit_code == 1
    assert "BLOCKED" in result.stderr and "classified-document" in result.stderr
    assert "(b)(1)" in result.stderr
    assert snapshot(docs) == before, "no file written, not even an empty one"


def test_json_report_contract(run_cli: Any, docs: Path) -> None:
    result = run_cli("check", docs, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["report_version"] == 1
    assert report["exit_code"] == 1 and report["fail_on"] == "redact"
    documents = {Path(d["path"]).name: d for d in report["documents"]}
    assert list(documents) == sorted(documents), "documents in a stable (sorted) order"
    assert set(documents) == {"cable.txt", "secret.txt", "memo.md", "public.txt"}
    for doc in documents.values():
        assert set(doc) >= DOCUMENT_FIELDS
        assert len(doc["sha256"]) == 64 and doc["errors"] == []
        starts = [(f["start"], f["end"]) for f in doc["findings"]]
        assert starts == sorted(starts), "findings in text order"
        for finding in doc["findings"]:
            assert set(finding) >= FINDING_FIELDS
            assert finding["kind"] in ("marking", "portion", "entity", "cue", "validation")
            assert "text" not in finding
    assert (documents["cable.txt"]["verdict"], documents["cable.txt"]["level"]) == (
        "redact", "sbu")
    assert (documents["secret.txt"]["verdict"], documents["secret.txt"]["level"]) == (
        "block", "secret")
    assert documents["public.txt"]["verdict"] == "releasable"
    assert documents["public.txt"]["findings"] == []
    memo = documents["memo.md"]
    assert memo["level"] is None
    person = next(f for f in memo["findings"] if f["entity_type"] == "PERSON")
    text = MEMO
    assert text[person["start"]:person["end"]] == "Priya Raman"
    assert (person["line"], person["column"]) == (3, text.split("\n")[2].index("Priya") + 1)
    assert person["rule"] == "names" and person["action"] == "redact"
    assert person["reason"] == "(b)(6)" and 0 < person["score"] <= 1
    assert person["block"] is not None
    secret_rules = {f["rule"] for f in documents["secret.txt"]["findings"]}
    assert {"classified-document", "names"} <= secret_rules, "blocked: still every finding"
    markings = {m["id"] for m in documents["cable.txt"]["markings"]}
    assert {"sensitive-caption", "not-for-internet", "portion-sbu"} <= markings
    no_people(result.stdout)


def test_json_show_text(run_cli: Any, docs: Path) -> None:
    report = json.loads(run_cli("check", docs / "memo.md", "-f", "json",
                                "--show-text").stdout)
    texts = {f.get("text") for f in report["documents"][0]["findings"]}
    assert "Priya Raman" in texts


def test_report_file(run_cli: Any, docs: Path, cwd_tmp: Path) -> None:
    report = cwd_tmp / "report.json"
    result = run_cli("check", docs / "public.txt", "-f", "json", "-o", report)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(report.read_text())["documents"][0]["verdict"] == "releasable"


@pytest.mark.parametrize(("fail_on", "code"), [("flag", 1), ("redact", 1), ("withhold", 0),
                                                ("block", 0)])
def test_fail_on_memo(run_cli: Any, docs: Path, fail_on: str, code: int) -> None:
    assert run_cli("check", docs / "memo.md", "--fail-on", fail_on).exit_code == code


def test_fail_on_block(run_cli: Any, docs: Path) -> None:
    assert run_cli("check", docs / "secret.txt", "--fail-on", "block").exit_code == 1
    assert run_cli("check", docs / "public.txt", "--fail-on", "flag").exit_code == 0


def test_format_hint(run_cli: Any, docs: Path) -> None:
    out = run_cli("check", docs / "cable.txt", "--format-hint", "generic").stdout
    assert "layout generic" in out
    assert "layout cable" in run_cli("check", docs / "cable.txt").stdout


def test_discovered_config_applies(run_cli: Any, cwd_tmp: Path) -> None:
    project = cwd_tmp / "project"
    write(project / ".redactor.yaml", "name: no-names\nextends: [default]\n"
          "disable_rules: [names, contact-details]\n")
    memo = write(project / "deep" / "memo.md", MEMO)
    assert run_cli("check", memo).exit_code == 0
    assert run_cli("check", memo, "--policy", "default").exit_code == 1


def test_each_folder_in_one_run_gets_its_own_config(run_cli: Any, cwd_tmp: Path) -> None:
    quiet = cwd_tmp / "quiet"
    write(quiet / ".redactor.yaml", "name: no-names\nextends: [default]\n"
          "disable_rules: [names, contact-details]\n")
    write(quiet / "memo.md", MEMO)
    write(quiet / "inner" / "memo.md", MEMO)
    write(cwd_tmp / "loud" / "memo.md", MEMO)
    (quiet / "link.md").symlink_to(quiet / "inner" / "memo.md")  # followed, as discovery does
    result = run_cli("check", "quiet", "loud", "--format", "json", "--no-cache")
    documents = json.loads(result.stdout)["documents"]
    assert {d["path"]: d["policy"] for d in documents if "skipped" not in d} == {
        "quiet/memo.md": "no-names", "quiet/inner/memo.md": "no-names",
        "quiet/link.md": "no-names", "loud/memo.md": "default"}


def test_existing_output_needs_force(run_cli: Any, docs: Path) -> None:
    out = write(docs / "memo.public.md", "keep me\n")
    result = run_cli("redact", docs / "memo.md", "-o", out)
    assert result.exit_code == 2
    assert str(out) in result.stderr and "--force" in result.stderr
    assert out.read_text() == "keep me\n"
    result = run_cli("redact", docs / "memo.md", "-o", out, "--force")
    assert result.exit_code == 0
    assert "[REDACTED (b)(6)]" in out.read_text()


def test_existing_log_needs_force(run_cli: Any, docs: Path) -> None:
    log = write(docs / "memo.log.json", "{}\n")
    out = docs / "memo.public.md"
    result = run_cli("redact", docs / "memo.md", "-o", out, "--log", log)
    assert result.exit_code == 2
    assert str(log) in result.stderr
    assert not out.exists() and log.read_text() == "{}\n"


def test_log_path_equal_to_input_is_refused(run_cli: Any, docs: Path) -> None:
    memo = docs / "memo.md"
    out = docs / "memo.public.md"
    result = run_cli("redact", memo, "-o", out, "--log", memo, "--force")
    assert result.exit_code == 2
    assert "input itself" in result.stderr and str(memo) in result.stderr
    assert memo.read_text() == MEMO and not out.exists()


def test_log_path_equal_to_output_is_refused(run_cli: Any, docs: Path) -> None:
    out = docs / "memo.public.md"
    result = run_cli("redact", docs / "memo.md", "-o", out, "--log", out)
    assert result.exit_code == 2
    assert not out.exists()


def test_redact_keeps_encoding_bom_and_crlf(run_cli: Any, cwd_tmp: Path) -> None:
    source = cwd_tmp / "memo.txt"
    data = b"\xff\xfe" + MEMO.replace("\n", "\r\n").encode("utf-16-le")
    source.write_bytes(data)
    out = cwd_tmp / "memo.public.txt"
    assert run_cli("redact", source, "-o", out).exit_code == 0
    written = out.read_bytes()
    assert written.startswith(b"\xff\xfe")
    text = written[2:].decode("utf-16-le")
    assert text.count("\r\n") == MEMO.count("\n") and "Priya" not in text
    assert source.read_bytes() == data


def test_folder_check_reports_unsupported_files(run_cli: Any, docs: Path) -> None:
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    result = run_cli("check", docs, "-f", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    bad = next(d for d in report["documents"] if d["path"].endswith("scan.pdf"))
    assert bad["verdict"] == "error" and bad["errors"][0]["code"] == "unsupported"
    assert "scan.pdf" in result.stderr


def test_version_and_help(run_cli: Any) -> None:
    from redactor import __version__

    assert __version__ in run_cli("--version").stdout
    assert "Exit codes" in run_cli("--help").stdout
