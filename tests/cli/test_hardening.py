"""Holes an independent review found, each held shut by a test: leaks next to earlier
redactions and in banner lines, brackets that only look like redactions, memos read as
telegrams, long documents, exponential regexes, deep policies, UTF-16 without a BOM, hidden
files, and a failure inside the pipeline."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import write

import redactor.detect.entities as entities
import redactor.detect.names.model_text as modeltext
from redactor.detect import find_placeholders
from redactor.engine import Engine
from redactor.formats.text import decode
from redactor.model import Document
from redactor.release.rounds import redact


def doc(text: str, path: str = "t.txt") -> Document:
    return Document(path=path, text=text, sha256="0", size=len(text))


def redacted(engine: Engine, text: str, path: str = "t.txt") -> str:
    return redact(engine, engine.check(doc(text, path))).rendered.text


def test_a_name_next_to_an_earlier_redaction_is_found(engine: Engine) -> None:
    copy = redacted(engine, "According to the ministry, XXXXXXXXXXXX Peter Harrington told "
                            "us on Monday that Harrington would resign.\n")
    assert "Harrington" not in copy
    assert "XXXXXXXXXXXX" in copy


def test_only_real_labels_count_as_redactions(engine: Engine) -> None:
    text = "[REDACTED at the request of a FOIA officer] and [REDACTED (b)(6)] and XXXXXX.\n"
    found = [text[s.start:s.end] for s in find_placeholders(text, engine.policy)]
    assert found == ["[REDACTED (b)(6)]", "XXXXXX"]


def test_a_memo_with_from_and_to_lines_is_not_a_telegram(engine: Engine) -> None:
    plan = engine.check(doc("FM Margaret Thornbury\nTO Gerald Fitzwilliam\nSUBJECT: harbor plans"
                            "\n\nGerald Fitzwilliam approved the plans.\n"))
    assert plan.parsed.layout == "generic"
    assert "Fitzwilliam" not in redacted(engine, plan.document.text)


def test_names_in_a_generic_banner_line_are_redacted(engine: Engine) -> None:
    copy = redacted(engine, "UNCLASSIFIED - PREPARED BY JONAS WHITFIELD\n\nJonas Whitfield "
                            "wrote this note about the harbor.\n")
    assert "WHITFIELD" not in copy.upper()


def test_a_name_glued_to_an_underscore_is_redacted(engine: Engine) -> None:
    copy = redacted(engine, "Priya Raman sent the plan. See Raman_CV.pdf for details.\n")
    assert "Raman" not in copy


def test_long_documents_are_read_in_chunks_with_true_offsets(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    filler = "The harbor authority met again to discuss the customs rules.\n" * 6
    text = filler + "Deputy Minister Samuel Okafor opened the session.\n" + filler
    monkeypatch.setattr(entities, "CHUNK_CHARS", 120)
    plan = engine.check(doc(text))
    persons = [text[f.span.start:f.span.end] for f in plan.findings
               if f.entity_type == "PERSON"]
    assert "Samuel Okafor" in persons or {"Samuel", "Okafor"} <= set(persons)


def test_chunks_cover_the_text_and_end_at_line_breaks() -> None:
    text = "alpha beta\ngamma delta\n" * 10
    pieces = list(modeltext.chunks(text, 30))
    assert "".join(text[a:b] for a, b in pieces) == text
    assert all(text[b - 1] == "\n" for a, b in pieces[:-1])


def test_overlapping_banner_markings_do_not_backtrack_exponentially(engine: Engine) -> None:
    text = "SIPDIS TAGS: PREL " + "UNCLAS / " * 40 + "\nSUBJECT: x\n\n1. (U) The port opened.\n"
    started = time.perf_counter()
    engine.check(doc(text))
    assert time.perf_counter() - started < 10


def test_deeply_nested_policy_is_a_clear_error(run_cli: Any, cwd_tmp: Path) -> None:
    policy = cwd_tmp / "deep.yaml"
    policy.write_text("name: x\nmarkings: " + "[" * 3000 + "]" * 3000 + "\n")
    result = run_cli("policy", "validate", policy)
    assert result.exit_code == 2
    assert "deep.yaml:2" in result.stderr and "nesting deeper" in result.stderr


def test_utf16_without_a_byte_order_mark_is_text() -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        text, used, bom = decode("Memo about the harbor.\r\n".encode(codec), "m.txt")
        assert (text, used, bom) == ("Memo about the harbor.\r\n", codec, False)


def test_hidden_files_and_linked_folders_are_reported_not_checked(
        run_cli: Any, cwd_tmp: Path) -> None:
    folder = cwd_tmp / "release"
    (folder / ".github").mkdir(parents=True)
    (folder / ".notes.txt").write_text("Priya Raman\n")
    (folder / "ok.txt").write_text("The harbor opens on Monday.\n")
    (cwd_tmp / "elsewhere").mkdir()
    (folder / "linked").symlink_to(cwd_tmp / "elsewhere")
    result = run_cli("check", folder, "--format", "json")
    report = json.loads(result.stdout)
    skipped = {Path(d["path"]).name: d["skipped"] for d in report["documents"]
               if d["verdict"] == "skipped"}
    assert skipped == {".github": "hidden folder", ".notes.txt": "hidden file",
                       "linked": "link to a folder (not followed)"}
    assert result.exit_code == 0


def test_a_folder_with_nothing_to_check_is_an_error(run_cli: Any, cwd_tmp: Path) -> None:
    folder = cwd_tmp / "release"
    folder.mkdir()
    (folder / ".notes.txt").write_text("Priya Raman\n")
    result = run_cli("check", folder)
    assert result.exit_code == 2
    assert "no documents found" in result.stderr


def test_phrase_marking_text_only_with_show_text(run_cli: Any, cwd_tmp: Path) -> None:
    (cwd_tmp / "p.yaml").write_text(
        "name: p\nextends: [default]\nmarkings:\n"
        "  - {id: codeword, where: [phrase], words: [Operation Bluebird], flags: [codeword]}\n"
        "rules:\n  - {id: codewords, when: {flag: codeword}, action: redact}\n")
    (cwd_tmp / "d.txt").write_text("The plan was called Operation Bluebird.\n")
    hidden = run_cli("check", "d.txt", "--policy", "p.yaml", "--format", "json").stdout
    shown = run_cli("check", "d.txt", "--policy", "p.yaml", "--format", "json",
                    "--show-text").stdout
    assert "Bluebird" not in hidden and "Bluebird" not in run_cli(
        "check", "d.txt", "--policy", "p.yaml").stdout
    assert "Operation Bluebird" in shown


@pytest.mark.parametrize("pack", ["default", "us-classification", "state-cable", "pii"])
def test_policy_show_prints_a_valid_policy(run_cli: Any, cwd_tmp: Path, pack: str) -> None:
    shown = run_cli("policy", "show", pack)
    (cwd_tmp / "shown.yaml").write_text(shown.stdout)
    assert run_cli("policy", "validate", cwd_tmp / "shown.yaml").exit_code == 0


def test_a_failure_inside_the_pipeline_is_an_error_result(
        run_cli: Any, cwd_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (cwd_tmp / "a.txt").write_text("Priya Raman met the mayor.\n")

    def broken(self: Engine, document: Document) -> None:
        raise ValueError("boom: Priya Raman")

    monkeypatch.setattr(Engine, "check", broken)
    result = run_cli("check", "a.txt")
    assert result.exit_code == 2
    assert "internal error" in result.stdout and "Priya" not in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["check", "redact"])
def test_a_link_to_a_file_outside_the_folder_is_never_read(run_cli: Any, cwd_tmp: Path,
                                                           command: str) -> None:
    folder = cwd_tmp / "release"
    write(folder / "ok.txt", "The harbor opens on Monday.\n")
    private = write(cwd_tmp / "private.txt", "Priya Raman called about the SWORDFISH file.\n")
    (folder / "notes.txt").symlink_to(private)
    (folder / "gone.txt").symlink_to(cwd_tmp / "nowhere.txt")
    inside = folder / "again.txt"
    inside.symlink_to(folder / "ok.txt")  # a link within the folder is read
    args = ["-o", str(cwd_tmp / "out")] if command == "redact" else ["--format", "json"]
    result = run_cli(command, folder, *args)
    assert result.exit_code == 2
    assert "notes.txt" in result.stderr + result.stdout
    assert "a link to a file outside the folder" in result.stderr + result.stdout
    assert "a link to nothing" in result.stderr + result.stdout
    assert "SWORDFISH" not in result.stdout + result.stderr
    assert not (cwd_tmp / "out").exists()  # nothing of the release written
    if command == "check":
        report = json.loads(result.stdout)
        assert {Path(d["path"]).name for d in report["documents"]
                if d["verdict"] != "error"} == {"ok.txt", "again.txt"}


@pytest.mark.parametrize("link", ["folder", "dangling"])
def test_a_copy_is_never_written_through_a_link_in_the_output_folder(
        run_cli: Any, cwd_tmp: Path, link: str) -> None:
    write(cwd_tmp / "release" / "sub" / "memo.txt", "The harbor opens on Monday.\n")
    outside = cwd_tmp / "outside"
    outside.mkdir()
    (cwd_tmp / "out").mkdir()
    if link == "folder":
        (cwd_tmp / "out" / "sub").symlink_to(outside)
    else:
        (cwd_tmp / "out" / "sub").mkdir()
        (cwd_tmp / "out" / "sub" / "memo.txt").symlink_to(outside / "memo.txt")
    result = run_cli("redact", cwd_tmp / "release", "-o", cwd_tmp / "out", "--force")
    assert result.exit_code == 2
    assert "goes through a link" in result.stderr
    assert list(outside.iterdir()) == []


def test_a_file_name_that_is_not_utf8_with_a_log(run_cli: Any, cwd_tmp: Path) -> None:
    import os

    folder = cwd_tmp / "release"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("The minister met Priya Raman.\n")
    result = run_cli("redact", folder, "-o", cwd_tmp / "out", "--log", cwd_tmp / "logs")
    assert result.exit_code == 0, result.stderr
    log = json.loads((cwd_tmp / "logs" / os.fsdecode(b"caf\xe9.txt.redactions.json"))
                     .read_text("utf-8"))
    assert "\\xe9" in json.dumps(log) and "Priya" not in json.dumps(log)


def test_a_name_in_a_file_or_folder_name_is_not_published(run_cli: Any, cwd_tmp: Path) -> None:
    folder = cwd_tmp / "release"
    write(folder / "priya_raman" / "raman_cv.txt",
          "UNCLASSIFIED\n\nThe committee met Priya Raman on Monday.\n")
    write(folder / "port.txt", "UNCLASSIFIED\n\nThe port opens on Monday.\n")
    result = run_cli("redact", folder, "-o", cwd_tmp / "out", "--log", cwd_tmp / "logs")
    assert result.exit_code == 0, result.stderr
    written = sorted(str(p.relative_to(cwd_tmp)) for p in cwd_tmp.glob("[ol]*/**/*")
                     if p.is_file())
    assert written == ["logs/REDACTED_REDACTED/REDACTED_cv.txt.redactions.json",
                       "logs/port.txt.redactions.json",
                       "out/REDACTED_REDACTED/REDACTED_cv.txt", "out/port.txt"]
    assert "raman" not in json.dumps(json.loads(
        (cwd_tmp / "logs/REDACTED_REDACTED/REDACTED_cv.txt.redactions.json").read_text())).lower()
