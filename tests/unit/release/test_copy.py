"""render: the redacted copy keeps the layout; the log says what was removed, never the text."""

from __future__ import annotations

import json

import pytest
from helpers import BANNERED, MEMO, SBU_CABLE, make_doc

from redactor.engine import Engine
from redactor.errors import RedactorError
from redactor.model import Action, Verdict
from redactor.release.log import redaction_log
from redactor.release.rounds import Redaction
from redactor.release.rounds import redact as redact_plan


def redact(engine: Engine, text: str, path: str = "doc.txt") -> Redaction:
    return redact_plan(engine, engine.check(make_doc(text, path)))


@pytest.mark.parametrize("text", [SBU_CABLE, MEMO, BANNERED], ids=["cable", "memo", "banner"])
def test_same_number_of_lines_and_untouched_lines_unchanged(engine: Engine, text: str) -> None:
    copy = redact(engine, text).rendered.text
    before, after = text.split("\n"), copy.split("\n")
    assert len(after) == len(before)
    assert copy != text
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    removed_lines = {i for i, line in enumerate(after) if "[" in line and "]" in line}
    for i in changed:
        assert i in removed_lines or after[i] == "", f"line {i + 1} changed without a label"


def test_withheld_paragraphs_keep_number_and_portion_mark(engine: Engine) -> None:
    lines = redact(engine, SBU_CABLE).rendered.text.split("\n")
    assert "2. (SBU) [PARAGRAPH WITHHELD (b)(6) - rule sbu-portions]" in lines
    assert "4. (SBU-N) [PARAGRAPH WITHHELD (b)(6) - rule sbu-portions]" in lines
    assert ("1. (U) [PARAGRAPH WITHHELD SBU handling - not for public Internet - rule no-web]"
            in lines)
    assert "SUBJECT: [SUBJECT WITHHELD (b)(6) - rule sbu-portions]" in lines
    assert "\u00b63. (U) The bill was introduced in March. Press coverage has been" in lines
    assert "LAKEHAVEN 00000777  002 OF 002" in lines, "page lines stay"
    assert "UNCLAS SECTION 01 OF 02 LAKEHAVEN 000777" in lines
    assert "[MARKING REMOVED]" in lines
    assert "[REDACTED (b)(6)]" in lines, "the signature, with its reason"


def test_page_line_inside_a_withheld_paragraph_stays(engine: Engine) -> None:
    text = SBU_CABLE.replace(
        "May 2 that the port reform bill would not pass before the summer\n",
        "May 2 that the port reform bill would not pass before the summer\n"
        "LAKEHAVEN 00000777  001.2 OF 002\n")
    copy = redact(engine, text).rendered.text
    assert "LAKEHAVEN 00000777  001.2 OF 002" in copy.split("\n")
    assert "port reform bill" not in copy


def test_every_removal_is_labelled_with_its_reason(engine: Engine) -> None:
    redaction = redact(engine, MEMO)
    for removal in redaction.rendered.removals:
        assert removal.decision.reason in removal.replacement
    assert redaction.rendered.text.count("[REDACTED (b)(6)]") >= 5


def test_crlf_copy(engine: Engine) -> None:
    text = MEMO.replace("\n", "\r\n")
    copy = redact(engine, text).rendered.text
    assert copy.count("\r\n") == text.count("\r\n")
    assert copy.replace("\r\n", "").count("\n") == 0


def test_redaction_log_fields_and_no_removed_text(engine: Engine) -> None:
    redaction = redact(engine, SBU_CABLE)
    log = json.loads(redaction_log(redaction, engine.policy, "out.txt", "0" * 64))
    assert log["log_version"] == 2
    assert log["document"]["level"] == "sbu"
    assert log["document"]["verdict"] == Verdict.REDACT.value
    assert log["output"] == {"path": "out.txt", "sha256": "0" * 64, "style": "label",
                             "release_date": None}
    rows = log["removals"]
    assert len(rows) == len(redaction.rendered.removals) == log["summary"]["removals"]
    for row in rows:
        assert set(row) >= {"rule", "reason", "kind", "line", "column", "start", "end", "length",
                            "action", "block", "paragraph", "replacement"}
        assert row["length"] == row["end"] - row["start"] > 0
        assert "text" not in row
    raw = redaction_log(redaction, engine.policy, "out.txt", "0" * 64)
    for removal in redaction.rendered.removals:
        removed = SBU_CABLE[removal.span.start:removal.span.end]
        assert removed not in raw, f"removed text {removed!r} is in the log"
    for name in ("Kellingworth", "HARDCASTLE", "Hardcastle", "coalition"):
        assert name not in raw


def test_blocked_document_cannot_be_redacted(engine: Engine) -> None:
    from helpers import SECRET_CABLE

    plan = engine.check(make_doc(SECRET_CABLE))
    with pytest.raises(RedactorError) as err:
        redact_plan(engine, plan)
    assert err.value.code == "blocked"


def test_recheck_of_the_copy_is_clean(engine: Engine) -> None:
    redaction = redact(engine, SBU_CABLE)
    assert redaction.recheck.verdict in (Verdict.RELEASABLE, Verdict.REVIEW)
    again = engine.check(make_doc(redaction.rendered.text))
    strongest = again.strongest
    assert strongest is None or strongest.rank < Action.REDACT.rank


def test_a_json_report_line_with_a_file_name_that_is_not_utf8() -> None:
    # Linux hands such a name to Python with a lone surrogate, which orjson refuses.
    from redactor.report.json import one_item_a_line

    name = "caf\udce9.txt"
    report = json.loads(one_item_a_line({"summary": {}}, "documents", [{"path": name}, {}]))
    assert report["documents"] == [{"path": name}, {}]


# ----------------------------------------------------------- spellings of a removed name


def test_a_removed_name_is_searched_in_lower_case_in_prose_too(engine: Engine) -> None:
    # A lower-case spelling the model does not find is still the name: a leak if kept (an
    # ordinary word removed is collateral, shown in the report as a same-text finding).
    text = ("UNCLASSIFIED\n\nSUBJECT: Trade talks\n\n1. The Ambassador met Mr. Okonjiwe on "
            "Monday to discuss the tariff schedule.\n\n2. The okonjiwe draft is with ECON.\n")
    plan = engine.check(make_doc(text))
    lower = text.index("okonjiwe")
    assert any(d.target.start == lower and d.finding.found_by == "same-text"
               for d in plan.decisions)
    assert "okonjiwe" not in redact_plan(engine, plan).rendered.text.casefold()


def test_a_name_in_a_user_id_goes_whole(engine: Engine) -> None:
    # `Okonjiwe` removed: its spelling in the user id takes the whole id with it, never
    # `dara.[REDACTED]`, which leaves half of the name beside the removal.
    text = ("UNCLASSIFIED\n\nSUBJECT: Trade talks\n\n1. The Ambassador met Mr. Okonjiwe on "
            "Monday to discuss the tariff schedule.\n\n2. Send the draft to dara.okonjiwe "
            "and to econ_okonjiwe2 by Friday.\n")
    plan = engine.check(make_doc(text))
    targets = {text[d.target.start:d.target.end] for d in plan.decisions
               if d.finding.found_by == "same-text"}
    assert targets == {"dara.okonjiwe", "econ_okonjiwe2"}
    copy = redact_plan(engine, plan).rendered.text
    assert "dara" not in copy and "econ_" not in copy and "okonjiwe" not in copy.casefold()


def test_check_reports_the_other_spellings_of_a_removed_name(engine: Engine) -> None:
    # The routing header is never read for names: only the same-text pass finds the name there.
    text = SBU_CABLE.replace("INFO RUCNCIS/NORTHERN COLLECTIVE",
                             "INFO RUCNCIS/NORTHERN COLLECTIVE KELLINGWORTH")
    plan = engine.check(make_doc(text, "cable.txt"))
    header = text.index("KELLINGWORTH")
    same = [d for d in plan.decisions if d.finding.found_by == "same-text"]
    assert [(d.target.start, d.action) for d in same] == [(header, Action.REDACT)]
    assert text[same[0].finding.source.start:same[0].finding.source.end] == "Kellingworth"
    rendered = redact_plan(engine, plan)
    assert rendered.rounds == 1, "nothing left for the rounds: check found it"
