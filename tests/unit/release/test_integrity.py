"""Issue 5: a release copy that can be trusted — output styles, the release line, the same
text removed everywhere, the CSV index, folder runs, and refusals before any work."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import MEMO, SBU_CABLE, SECRET_CABLE, make_doc, write

from redactor.detect.names.model_text import end_before_case_change
from redactor.detect.names.words import after_place_prefix, headline_not_name, ordinary_words
from redactor.engine import Engine
from redactor.model import Action
from redactor.policy.model import Policy
from redactor.release import make_release
from redactor.release.verify import verify


def styled(engine: Engine, **output: Any) -> Engine:
    policy: Policy = replace(engine.policy, output=replace(engine.policy.output, **output))
    return Engine(policy, models=engine.models)


def released(engine: Engine, text: str, date: str | None = None) -> tuple[str, dict[str, Any]]:
    plan = engine.check(make_doc(text))
    release = make_release(engine, plan, "out.txt", date)
    return release.copy.decode("utf-8"), json.loads(release.log)


def verified(engine: Engine, text: str, date: str | None = None) -> str:
    """The copy, after checking that `verify` holds on it with its log."""
    plan = engine.check(make_doc(text))
    release = make_release(engine, plan, "out.txt", date)
    copy = make_doc(release.copy.decode("utf-8"), "out.txt")
    result = verify(engine, plan.document, copy, release.copy, json.loads(release.log))
    assert result.ok, [(c.name, c.detail, c.problems) for c in result.checks if not c.ok]
    return copy.text


# ------------------------------------------------------------------------------ styles

def test_label_style_is_the_default(engine: Engine) -> None:
    copy = verified(engine, SBU_CABLE)
    assert "[REDACTED (b)(6)]" in copy and "Kellingworth" not in copy


def test_blocks_keep_every_line_length(engine: Engine) -> None:
    blocks = styled(engine, style="blocks")
    copy = verified(blocks, SBU_CABLE)
    assert [len(line) for line in copy.split("\n")] == [len(line) for line in
                                                        SBU_CABLE.split("\n")]
    assert "\u2588" in copy and "Kellingworth" not in copy and "[REDACTED" not in copy
    assert "2. (SBU) \u2588" in copy, "a withheld portion keeps its number and portion mark"


def test_blocks_with_a_character_the_encoding_cannot_hold_is_a_clear_error(
        engine: Engine) -> None:
    from redactor.errors import RedactorError

    blocks = styled(engine, style="blocks")
    plan = blocks.check(make_doc(MEMO, encoding="ascii"))
    with pytest.raises(RedactorError) as error:
        make_release(blocks, plan, "out.txt")
    assert error.value.code == "encoding" and "output.block" in error.value.hint


def test_pseudonyms_keep_who_is_who(engine: Engine) -> None:
    text = ("Marta Kellingworth met Tomas Lindqvist in June.\n\n"
            "Kellingworth said Lindqvist would call Marta Kellingworth's office.\n")
    copy = verified(styled(engine, style="pseudonym"), text)
    assert copy.count("[PERSON-1]") == 3 and copy.count("[PERSON-2]") == 2, copy
    assert "Kellingworth" not in copy and "Lindqvist" not in copy


def test_pseudonyms_can_be_shared_by_a_run(engine: Engine) -> None:
    from redactor.release.copy import Pseudonyms

    pseudo = styled(engine, style="pseudonym")
    shared = Pseudonyms()
    copies = []
    for text in ("Tomas Lindqvist met Marta Kellingworth.\n",
                 "Marta Kellingworth called back.\n"):
        plan = pseudo.check(make_doc(text))
        copies.append(make_release(pseudo, plan, "o.txt", None, shared).copy.decode())
    assert copies == ["[PERSON-1] met [PERSON-2].\n", "[PERSON-2] called back.\n"]


def test_release_line_replaces_banners_with_the_given_date(engine: Engine) -> None:
    line = styled(engine, marking="[RELEASED {date} UNDER {policy} POLICY]")
    copy = verified(line, SBU_CABLE, "2026-11-27")
    assert "[RELEASED 2026-11-27 UNDER default POLICY]" in copy
    assert "\nSENSITIVE\n" not in copy


def test_release_line_without_a_date_is_refused(engine: Engine) -> None:
    from redactor.errors import UsageError

    line = styled(engine, marking="[RELEASED {date}]")
    with pytest.raises(UsageError, match="release-date"):
        make_release(line, line.check(make_doc(SBU_CABLE)), "out.txt")


@pytest.mark.parametrize("output, message", [
    ({"style": "shades"}, "style"),
    ({"block": " "}, "output.block"),
    ({"pseudonym": "[{name}]"}, "unknown field"),
    ({"marking": "RELEASED {date}"}, "must start with"),
])
def test_bad_output_sections_are_policy_errors(run_cli: Any, cwd_tmp: Path,
                                               output: dict[str, str], message: str) -> None:
    policy = {"name": "styled", "extends": ["default"], "output": output}
    write(cwd_tmp / "p.yaml", json.dumps(policy))
    write(cwd_tmp / "memo.txt", MEMO)
    result = run_cli("redact", "memo.txt", "-o", "out.txt", "--policy", "p.yaml")
    assert result.exit_code == 2 and message in result.stderr
    assert not (cwd_tmp / "out.txt").exists()


# ------------------------------------------------------------------- the same text everywhere

def test_a_removed_name_is_removed_in_every_spelling(engine: Engine) -> None:
    # The routing header is hidden from the model and from propagation; the name withheld in
    # paragraphs 2 and 4 must not survive there.
    text = SBU_CABLE.replace("INFO RUCNCIS/NORTHERN COLLECTIVE",
                             "INFO RUCNCIS/NORTHERN COLLECTIVE KELLINGWORTH")
    plan = engine.check(make_doc(text))
    release = make_release(engine, plan, "out.txt")
    assert "kellingworth" not in release.copy.decode().lower()
    how = {r.decision.finding.found_by for r in release.redaction.rendered.removals}
    assert "same-text" in how
    verified(engine, text)


REPEATED = """UNCLASSIFIED

SUBJECT: The harbor board will close the eastern dock in May

1. (SBU) The harbor board will close the eastern dock in May. The decision is not public.

2. (U) Local papers expect that the harbor board will close the eastern dock in May, and
the mayor agrees.

3. (U) The decision is not public yet.
"""


def test_a_withheld_sentence_repeated_elsewhere_goes_too(engine: Engine) -> None:
    """A sentence of a withheld portion, repeated in the SUBJECT line or a released paragraph
    (even across a line break, without its full stop), gives the portion away."""
    plan = engine.check(make_doc(REPEATED))
    copy = make_release(engine, plan, "out.txt").copy.decode()
    assert "eastern dock" not in copy and "eastern\ndock" not in copy
    assert "the mayor agrees" in copy  # the rest of the paragraph stays
    assert "The decision is not public yet" in copy  # five words: ordinary prose
    verified(engine, REPEATED)


def test_words_the_document_writes_in_lower_case_are_not_spread_as_names(
        engine: Engine) -> None:
    text = ("Firm Opposition to President Bush-Kadeer Meeting\n\n"
            "The meeting was postponed. No meeting is planned.\n")
    copy = verified(engine, text)
    assert copy.count("meeting") == 2


def test_helpers_for_ordinary_words_headlines_and_places() -> None:
    assert "meeting" in ordinary_words("The Meeting and the meeting.")
    assert headline_not_name("Virginia Man Arrested for Plotting Attacks")
    assert not headline_not_name("Juan de la Cruz") and not headline_not_name("justin bieber")
    assert not headline_not_name("Dona ld A. Blome")  # a name broken by a stray space
    assert after_place_prefix("FM AMEMBASSY SAN JOSE", 17)
    assert after_place_prefix("flights to Sao Paulo", len("flights to Sao "))
    assert not after_place_prefix("met Jose Echandi", 4)


def test_a_name_stops_before_the_next_header_field() -> None:
    text = "To: Mills, Cheryl D\nSubject: Re: Yemen\n"
    start = text.index("Cheryl")
    assert end_before_case_change(text, start, text.index("Subject") + 7) == text.index("\n")


# ---------------------------------------------------------------------------- CSV index

def test_csv_index_has_the_vaughn_columns_and_no_removed_text(run_cli: Any,
                                                              cwd_tmp: Path) -> None:
    write(cwd_tmp / "cable.txt", SBU_CABLE)
    result = run_cli("redact", "cable.txt", "-o", "public.txt", "--log-csv", "index.csv")
    assert result.exit_code == 0, result.output
    data = (cwd_tmp / "index.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows and list(rows[0]) == ["document", "n", "line", "column", "paragraph", "action",
                                      "rule", "reason", "kind", "entity_type", "length"]
    assert {r["document"] for r in rows} == {"cable.txt"}
    assert any(r["paragraph"] == "2" and r["action"] == "withhold" for r in rows)
    for name in ("Kellingworth", "KELLINGWORTH", "HARDCASTLE"):
        assert name not in data


def test_csv_cells_cannot_run_as_formulas() -> None:
    from redactor.release.log import csv_index

    log = {"document": {"path": "=HYPERLINK(1)"},
           "removals": [{"n": 1, "reason": "@cmd", "rule": "-x", "line": 1}]}
    row = next(csv.DictReader(io.StringIO(csv_index([log]))))
    assert row["document"] == "'=HYPERLINK(1)" and row["reason"] == "'@cmd"
    assert row["rule"] == "'-x"


# --------------------------------------------------------------------------- folder runs

def folder_of_documents(root: Path) -> Path:
    docs = root / "docs"
    write(docs / "cable.txt", SBU_CABLE)
    write(docs / "memos" / "memo.md", MEMO)
    write(docs / ".hidden.txt", "Marta Kellingworth\n")
    return docs


def test_a_folder_is_redacted_into_a_mirror_tree(run_cli: Any, cwd_tmp: Path) -> None:
    docs = folder_of_documents(cwd_tmp)
    result = run_cli("redact", docs, "-o", "public", "--log", "logs", "--log-csv", "index.csv")
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(cwd_tmp)) for p in (cwd_tmp / "public").rglob("*")
                  if p.is_file()) == ["public/cable.txt", "public/memos/memo.md"]
    assert (cwd_tmp / "logs" / "memos" / "memo.md.redactions.json").is_file()
    assert (cwd_tmp / "logs" / "cable.txt.redactions.json").is_file()
    index = (cwd_tmp / "index.csv").read_text()
    documents = {r["document"] for r in csv.DictReader(io.StringIO(index))}
    assert documents == {str(docs / "cable.txt"), str(docs / "memos" / "memo.md")}
    for copy in (cwd_tmp / "public").rglob("*.*"):
        assert "Kellingworth" not in copy.read_text()
    verified_copy = run_cli("verify", docs / "cable.txt", "public/cable.txt", "--log",
                            "logs/cable.txt.redactions.json")
    assert verified_copy.exit_code == 0, verified_copy.output


def test_a_blocked_document_gets_no_copy_and_exit_1(run_cli: Any, cwd_tmp: Path) -> None:
    docs = folder_of_documents(cwd_tmp)
    write(docs / "secret.txt", SECRET_CABLE)
    result = run_cli("redact", docs, "-o", "public")
    assert result.exit_code == 1
    assert "BLOCKED" in result.stderr and "secret.txt" in result.stderr
    assert not (cwd_tmp / "public" / "secret.txt").exists()
    assert (cwd_tmp / "public" / "cable.txt").exists()


def test_one_unreadable_document_means_nothing_is_written(run_cli: Any, cwd_tmp: Path) -> None:
    docs = folder_of_documents(cwd_tmp)
    (docs / "broken.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    result = run_cli("redact", docs, "-o", "public")
    assert result.exit_code == 2 and "broken.txt" in result.stderr
    assert not (cwd_tmp / "public").exists()


@pytest.mark.parametrize("where", ["docs/public", "docs"])
def test_output_inside_the_input_folder_is_refused(run_cli: Any, cwd_tmp: Path,
                                                   where: str) -> None:
    folder_of_documents(cwd_tmp)
    before = sorted(p for p in cwd_tmp.rglob("*"))
    result = run_cli("redact", "docs", "-o", where)
    assert result.exit_code == 2 and "input" in result.stderr
    assert sorted(p for p in cwd_tmp.rglob("*")) == before


def test_a_log_path_equal_to_an_input_is_refused(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "memo.txt", MEMO)
    result = run_cli("redact", "memo.txt", "-o", "out.txt", "--log-csv", "memo.txt")
    assert result.exit_code == 2 and not (cwd_tmp / "out.txt").exists()
    assert (cwd_tmp / "memo.txt").read_text() == MEMO


def test_existing_copies_are_refused_before_any_work(run_cli: Any, cwd_tmp: Path) -> None:
    docs = folder_of_documents(cwd_tmp)
    write(cwd_tmp / "public" / "memos" / "memo.md", "earlier copy\n")
    result = run_cli("redact", docs, "-o", "public")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert not (cwd_tmp / "public" / "cable.txt").exists()
    assert (cwd_tmp / "public" / "memos" / "memo.md").read_text() == "earlier copy\n"
    assert run_cli("redact", docs, "-o", "public", "--force").exit_code == 0


def test_a_destination_that_cannot_be_written_fails_first(run_cli: Any, cwd_tmp: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import redactor.destinations
    from redactor.detect.presidio import PresidioModel

    write(cwd_tmp / "memo.txt", MEMO)
    (cwd_tmp / "locked").mkdir()
    started: list[str] = []
    real_access = os.access
    # Tests run as root in CI, where chmod cannot make a folder unwritable: the check is
    # os.access, so it is what is made to say no.
    monkeypatch.setattr(redactor.destinations.os, "access", lambda path, mode: (
        False if Path(path).name == "locked" else real_access(path, mode)))
    monkeypatch.setattr(PresidioModel, "build",
                        lambda spec: started.append(spec.model))  # no work may start
    result = run_cli("redact", "memo.txt", "-o", "locked/out.txt")
    assert result.exit_code == 2 and "not writable" in result.stderr
    assert started == [] and not (cwd_tmp / "locked" / "out.txt").exists()


def test_pseudonyms_across_a_run_from_the_command_line(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "docs" / "a.txt", "Tomas Lindqvist met Marta Kellingworth.\n")
    write(cwd_tmp / "docs" / "b.txt", "Marta Kellingworth called back.\n")
    write(cwd_tmp / "p.yaml", "name: pseudo\nextends: [default]\noutput: {style: pseudonym}\n")
    result = run_cli("redact", "docs", "-o", "public", "--policy", "p.yaml",
                     "--pseudonyms", "run")
    assert result.exit_code == 0, result.output
    assert (cwd_tmp / "public" / "b.txt").read_text() == "[PERSON-2] called back.\n"


# ------------------------------------------------------------------ atomic writes, killed

KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from redactor.atomic import write_all
    real_fsync = os.fsync
    def slow_fsync(fd):
        real_fsync(fd)
        print("writing", flush=True)
        time.sleep(60)
    os.fsync = slow_fsync
    write_all({Path(sys.argv[1]): b"x" * 5_000_000, Path(sys.argv[2]): b"y" * 10})
""")


def test_a_writer_killed_mid_write_leaves_no_partial_file(tmp_path: Path) -> None:
    copy, log = tmp_path / "copy.txt", tmp_path / "log.json"
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(copy), str(log)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "writing\n"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not copy.exists() and not log.exists(), "neither target appears"
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert all(name.startswith(".copy.txt.") and name.endswith(".tmp") for name in leftovers)


def test_redact_killed_at_any_moment_writes_all_or_nothing(tmp_path: Path) -> None:
    source = write(tmp_path / "memo.txt", MEMO)
    command = [sys.executable, "-m", "redactor", "redact", str(source), "-o",
               str(tmp_path / "out.txt"), "--log", str(tmp_path / "log.json")]
    finished = subprocess.run(command, capture_output=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    expected = {p: p.read_bytes() for p in (tmp_path / "out.txt", tmp_path / "log.json")}
    for delay in (0.3, 0.8, 1.5, 2.5):
        for path in expected:
            path.unlink(missing_ok=True)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        present = {p: p.read_bytes() for p in expected if p.exists()}
        assert present in ({}, expected), f"partial output after {delay} s"


def test_actions_are_still_logged_per_removal(engine: Engine) -> None:
    _, log = released(engine, SBU_CABLE)
    assert {r["action"] for r in log["removals"]} <= {a.value for a in Action}
    assert log["output"]["style"] == "label"


def test_a_folder_run_leaves_out_what_the_policy_excludes(run_cli: Any, cwd_tmp: Path) -> None:
    docs = folder_of_documents(cwd_tmp)
    write(docs / "drafts" / "draft.txt", "Marta Kellingworth's draft.\n")
    write(docs / ".redactor.yaml", "name: here\nextends: [default]\n"
                                   "files: {exclude: [drafts/]}\n")
    result = run_cli("redact", docs, "-o", "public")
    assert result.exit_code == 0, result.output
    assert (cwd_tmp / "public" / "cable.txt").exists()
    assert not (cwd_tmp / "public" / "drafts").exists()


def test_verify_takes_the_folders_redact_wrote(run_cli: Any, cwd_tmp: Path) -> None:
    docs = folder_of_documents(cwd_tmp)
    write(docs / "secret.txt", SECRET_CABLE)
    assert run_cli("redact", docs, "-o", "public", "--log", "logs").exit_code == 1  # blocked
    result = run_cli("verify", docs, "public", "--log", "logs")
    assert result.exit_code == 0, result.output
    assert "no copy: the policy blocks this document" in result.output
    assert "3 of 3 document(s) verified" in result.output
    assert "(2 copies, 1 blocked with no copy)" in result.output
    write(cwd_tmp / "public" / "notes.txt", "left over\n")
    stray = run_cli("verify", docs, "public", "--log", "logs")
    assert stray.exit_code == 1 and "copy of no document" in stray.output
    (cwd_tmp / "public" / "notes.txt").unlink()
    (cwd_tmp / "public" / "cable.txt").unlink()
    missing = run_cli("verify", docs, "public", "--log", "logs")
    assert missing.exit_code == 1 and "no copy at" in missing.output


def test_overlapping_withheld_portions_become_one_removal() -> None:
    from redactor.model import Finding, FindingKind, Span
    from redactor.release.copy import _unique

    def withhold(start: int, end: int) -> Any:
        from redactor.model import Decision

        finding = Finding(kind=FindingKind.PORTION, label="SBU", span=Span(start, start + 1))
        return Decision("sbu-portions", Action.WITHHOLD, "(b)(6)", finding, Span(start, end))

    merged = _unique([withhold(1681, 1702), withhold(1680, 1685), withhold(1690, 1695),
                      withhold(1800, 1810)])
    assert [d.target for d in merged] == [Span(1680, 1702), Span(1800, 1810)]
