"""Name detection mechanisms beyond the model, each on sentences written here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from redactor.detect.names.model_text import title_case_capital_lines
from redactor.engine import Engine
from redactor.model import BlockKind, Document
from redactor.report.explanations import explanation


def doc(text: str) -> Document:
    return Document(path="t.txt", text=text, sha256="0", size=len(text))


def persons(engine: Engine, text: str) -> list[str]:
    plan = engine.check(doc(text))
    return [text[f.span.start:f.span.end] for f in plan.findings if f.entity_type == "PERSON"]


CABLE = """\
UNCLAS SECTION 01 OF 01 LAKEHAVEN 000321

SIPDIS

E.O. 12958: DECL: 01/02/2019
TAGS: PREL KDOD PGOV
SUBJECT: LAKEHAVEN: MINISTER VOLKONSKY VISITS THE PORT

Classified By: AMBASSADOR OLIVER BRANDT FOR REASONS 1.4 (B) AND (D)

1. (U) The minister toured the port on Monday. Volkonsky said the CBE would
report on the MANPADS question. The CBE meets again in June to count the MANPADS.
The embassy will follow up.
WHITFIELD
"""


def test_capital_lines_are_title_cased_for_the_model_only() -> None:
    text = "SUBJECT: MINISTER VOLKONSKY VISITS\nThe port is OPEN today.\n"
    cased = title_case_capital_lines(text)
    assert cased == "Subject: Minister Volkonsky Visits\nThe port is OPEN today.\n"
    assert len(cased) == len(text)


def test_names_in_capital_lines_are_found(engine: Engine) -> None:
    found = persons(engine, CABLE)
    assert any("VOLKONSKY" in name for name in found)
    assert any("BRANDT" in name for name in found)


def test_a_signature_right_after_the_last_sentence_is_a_name(engine: Engine) -> None:
    plan = engine.check(doc(CABLE))
    signature = [b for b in plan.parsed.blocks if b.kind is BlockKind.SIGNATURE]
    assert [CABLE[b.span.start:b.span.end] for b in signature] == ["WHITFIELD"]
    assert "WHITFIELD" in persons(engine, CABLE)


def test_codes_are_not_names_and_acronyms_are_not_spread(engine: Engine) -> None:
    plan = engine.check(doc(CABLE))
    found = {CABLE[f.span.start:f.span.end]: explanation(f, plan.document, engine.policy)
             for f in plan.findings if f.entity_type == "PERSON"}
    for code in ("DECL", "KDOD", "PREL"):  # E.O. and TAGS lines are codes
        assert code not in found, code
    for acronym in ("CBE", "MANPADS"):  # a model slip on an acronym stays where it is
        assert "same name" not in found.get(acronym, ""), acronym


def test_common_words_are_not_spread_from_a_name(engine: Engine) -> None:
    found = persons(engine, "Will Patterson chaired the meeting. Will it rain? WE WILL MEET "
                            "on Monday. Patterson agreed.\n")
    assert "Patterson" in found and "WILL" not in found


def test_a_capitalised_word_after_a_title_is_a_name(engine: Engine) -> None:
    text = ("The Deputy Foreign Minister Zhorabek spoke first. Later, A/S Quillfeather and "
            "Ambassador Nordqvist joined Mr. Haddad-Oyelaran for lunch.\n")
    found = persons(engine, text)
    for name in ("Zhorabek", "Quillfeather", "Nordqvist", "Haddad-Oyelaran"):
        assert any(name in f for f in found), name


def test_titles_followed_by_offices_name_nobody(engine: Engine) -> None:
    text = ("The Minister of Foreign Affairs met the Secretary General of the Assembly and "
            "the Deputy Chief of Mission in February.\n")
    found = persons(engine, text)
    for word in ("Foreign", "Affairs", "General", "Assembly", "Chief", "Mission", "February"):
        assert not any(word in f for f in found), (word, found)


def test_a_run_of_capitals_in_a_mixed_line_is_read_as_a_name(engine: Engine) -> None:
    text = ("UNCLAS LAKEHAVEN 000123\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: PORT\n\n"
            "Classified By: AMBASSADOR OLIVER BRANDT, for reasons 1.4 (b) and (d)\n\n"
            "1. (U) The port opened on Monday.\n")
    assert any("BRANDT" in f for f in persons(engine, text))


def test_a_lone_surname_in_capitals_ends_a_telegram(engine: Engine) -> None:
    text = ("UNCLAS LAKEHAVEN 000123\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: PORT\n\n"
            "1. (U) The port opened on Monday. Contact: XXXXXXXXXXXX\nQUILLFEATHER\n")
    plan = engine.check(doc(text))
    assert [b.kind for b in plan.parsed.blocks][-1] is BlockKind.SIGNATURE
    assert "QUILLFEATHER" in persons(engine, text)


def test_deny_listed_names_are_found_where_the_model_does_not_see_them(
        run_cli: Any, cwd_tmp: Path) -> None:
    folder = cwd_tmp
    (folder / "p.yaml").write_text(
        "name: p\nextends: [default]\nentities:\n  types:\n"
        "    PERSON: {threshold: 0.5, deny: [Bluefin, Grey Heron]}\n")
    (folder / "d.txt").write_text("The source known as bluefin met the GREY\nHERON crew.\n")
    result = run_cli("redact", "d.txt", "-o", "out.txt", "--policy", "p.yaml")
    assert result.exit_code == 0
    copy = (folder / "out.txt").read_text()
    assert "bluefin" not in copy.lower() and "heron" not in copy.lower()
    shown = run_cli("policy", "show", "p.yaml").stdout
    assert "deny: [Bluefin, Grey Heron]" in shown
