"""detect: markings by where they stand, placeholders, and entities on sentences we wrote."""

from __future__ import annotations

from helpers import BANNERED, MEMO, SBU_CABLE, make_doc

from redactor.detect import EXISTING_REDACTION, find_placeholders
from redactor.engine import Engine
from redactor.model import Finding, FindingKind
from redactor.parse import parse


def findings_of(engine: Engine, text: str, path: str = "doc.txt",
                hint: str = "auto") -> tuple[Finding, ...]:
    parsed = parse(make_doc(text, path), engine.policy, hint)
    return engine.pipeline.detect(parsed)


def surface(text: str, finding: Finding) -> str:
    return text[finding.span.start:finding.span.end]


def markings(engine: Engine, text: str) -> set[tuple[str, str | None, str]]:
    return {(f.label, f.where, surface(text, f)) for f in findings_of(engine, text)
            if f.kind in (FindingKind.MARKING, FindingKind.PORTION)}


def persons(engine: Engine, text: str, path: str = "doc.txt") -> list[str]:
    return [surface(text, f) for f in findings_of(engine, text, path)
            if f.entity_type == "PERSON"]


def test_cable_markings_by_where(engine: Engine) -> None:
    found = markings(engine, SBU_CABLE)
    assert {
        ("security-line-u", "header", "ZNR UUUUU"),
        ("unclassified", "banner", "UNCLAS"),
        ("sensitive-caption", "caption", "SENSITIVE"),
        ("sipdis", "caption", "SIPDIS"),
        ("sbu-phrase", "phrase", "Sensitive but unclassified"),
        ("not-for-internet", "phrase", "Not for public Internet"),
        ("portion-sbu", "portion", "SBU"),
        ("portion-u", "portion", "U"),
        ("portion-noforn-letter", "portion", "N"),
    } <= found
    # SENSITIVE inside "Sensitive but unclassified" in a paragraph is no caption.
    assert sum(1 for m in found if m[0] == "sensitive-caption") == 1


def test_portion_findings_carry_level_flags_and_block(engine: Engine) -> None:
    found = [f for f in findings_of(engine, SBU_CABLE) if f.kind is FindingKind.PORTION]
    by_block = {(f.block_id, f.label): f for f in found}
    assert by_block[("\u00b62", "portion-sbu")].level == "sbu"
    assert by_block[("\u00b64", "portion-sbu")].level == "sbu"
    assert by_block[("\u00b64", "portion-noforn-letter")].flags == ("noforn",)
    assert by_block[("\u00b61", "portion-u")].level == "unclassified"


def test_marking_words_in_running_text_are_not_banners(engine: Engine) -> None:
    text = ("The secret of the harbor's success is its confidential pricing.\n\n"
            "Top secret plans were not discussed; nobody said SECRET aloud.\n")
    assert {m[0] for m in markings(engine, text)} == set()


def test_letter_references_are_not_portion_marks(engine: Engine) -> None:
    text = ("VZCZCXRO1000\nFM AMEMBASSY LAKEHAVEN\n\nUNCLAS LAKEHAVEN 000100\n\n"
            "E.O. 12958: N/A\nTAGS: PGOV\nSUBJECT: REFERENCES\n\n"
            "REF: A) STATE 1 B) STATE 2 C) STATE 3\n\n"
            "1. (U) See reason(s) in ref C) and para 1.4 (b) and (d).\n")
    portions = {(m[0], m[2]) for m in markings(engine, text) if m[1] == "portion"}
    assert portions == {("portion-u", "U")}


def test_generic_banner_markings(engine: Engine) -> None:
    found = markings(engine, BANNERED)
    assert ("fouo", "banner", "FOR OFFICIAL USE ONLY") in found
    assert ("portion-fouo", "portion", "FOUO") in found
    assert ("portion-u", "portion", "U") in found


def test_placeholders_are_recognised_and_never_entities(engine: Engine) -> None:
    text = ("Minutes of the meeting.\n\n"
            "The chair, [REDACTED (b)(6)], thanked XXXXXXXXXXXX for the report.\n\n"
            "[PARAGRAPH WITHHELD (b)(6) - rule sbu-portions]\n")
    assert [text[s.start:s.end] for s in find_placeholders(text, engine.policy)] == [
        "[REDACTED (b)(6)]", "XXXXXXXXXXXX", "[PARAGRAPH WITHHELD (b)(6) - rule sbu-portions]"]
    found = findings_of(engine, text)
    existing = [surface(text, f) for f in found if f.label == EXISTING_REDACTION]
    assert len(existing) == 3
    for f in found:
        if f.kind is FindingKind.ENTITY:
            assert not any(f.span.overlaps(p) for p in find_placeholders(text, engine.policy))


def test_names_email_and_phone(engine: Engine) -> None:
    found = findings_of(engine, MEMO, "memo.md")
    by_type: dict[str, list[str]] = {}
    for f in found:
        if f.kind is FindingKind.ENTITY:
            by_type.setdefault(f.entity_type or "", []).append(surface(MEMO, f))
    assert "priya.raman@example.org" in by_type["EMAIL_ADDRESS"]
    assert "555-201-7788" in by_type["PHONE_NUMBER"]
    people = by_type["PERSON"]
    assert people.count("Priya Raman") == 2
    assert "Tomas Lindqvist" in people
    assert "Lindqvist" in people, "the surname alone, found through the full name"
    for f in found:
        if f.kind is FindingKind.ENTITY:
            assert 0 < f.score <= 1 and f.block_id is not None


def test_a_name_found_once_is_found_everywhere(engine: Engine) -> None:
    text = ("Elena Markovic opened the session on trade.\n\n"
            "MARKOVIC'S DELEGATION\n\n"
            "The proposal was Markovic's own, and Markovic defended it.\n\n"
            "Nobody used markovic as a plain word.\n")
    people = persons(engine, text)
    assert "Elena Markovic" in people
    assert people.count("Markovic") == 2
    assert "MARKOVIC" in people
    assert "markovic" not in people, "lower case is an ordinary word"


def test_honorifics_are_not_propagated_as_names(engine: Engine) -> None:
    text = ("Deputy Minister Rafael Quintero met the mission.\n\n"
            "The Deputy Minister later left for the airport.\n")
    people = persons(engine, text)
    assert any("Quintero" in p for p in people)
    assert "Deputy" not in people and "Minister" not in people


def test_no_names_in_routing_header_or_page_lines(engine: Engine) -> None:
    found = findings_of(engine, SBU_CABLE)
    routing_end = SBU_CABLE.index("\n\nUNCLAS")
    page = SBU_CABLE.index("LAKEHAVEN 00000777")
    for f in found:
        if f.kind is FindingKind.ENTITY:
            assert f.span.start > routing_end
            assert not page <= f.span.start < page + 30


def test_cable_names_and_signature(engine: Engine) -> None:
    people = persons(engine, SBU_CABLE)
    assert "Marta Kellingworth" in people
    assert "Kellingworth" in people
    assert "HARDCASTLE" in people, "the signature line is the sender's name"


def test_asides_are_cues(engine: Engine) -> None:
    cues = {f.label for f in findings_of(engine, SBU_CABLE) if f.kind is FindingKind.CUE}
    assert {"note", "comment"} <= cues


def test_findings_are_in_text_order(engine: Engine) -> None:
    found = findings_of(engine, SBU_CABLE)
    assert [f.span.start for f in found] == sorted(f.span.start for f in found)


def test_numeric_personal_data(engine: Engine) -> None:
    """Phone numbers, SSNs, card numbers and IP addresses hold no letters; they are personal
    data all the same (the pii pack enables them), so each must be covered by a finding."""
    text = ("The applicant gave SSN 078-05-1120 and card 4111 1111 1111 1111.\n"
            "Call (212) 555-0147 at the office. The server is 192.168.10.24.\n")
    spans = [f.span for f in findings_of(engine, text) if f.kind is FindingKind.ENTITY]
    for value in ("078-05-1120", "4111 1111 1111 1111", "555-0147", "192.168.10.24"):
        start = text.index(value)
        covered = any(s.start <= start and start + len(value) <= s.end for s in spans)
        assert covered, f"{value} is not found"
