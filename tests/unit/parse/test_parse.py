"""parse: the telegram layout and the generic layout, with offsets into the text."""

from __future__ import annotations

import itertools

import pytest
from helpers import BANNERED, CONFIDENTIAL_CABLE, MEMO, SBU_CABLE, SECRET_CABLE, make_doc

from redactor.model import BlockKind, ParsedDocument
from redactor.parse import parse
from redactor.parse.cable import looks_like_cable
from redactor.policy.model import Policy


def parsed_of(text: str, policy: Policy, hint: str = "auto",
              path: str = "doc.txt") -> ParsedDocument:
    return parse(make_doc(text, path), policy, hint)


def text_of(parsed: ParsedDocument, block_id: str) -> str:
    block = next(b for b in parsed.blocks if b.id == block_id)
    return parsed.document.text[block.span.start:block.span.end]


def kinds(parsed: ParsedDocument, kind: BlockKind) -> list[str]:
    text = parsed.document.text
    return [text[b.span.start:b.span.end] for b in parsed.blocks if b.kind is kind]


def test_cable_is_recognised_and_plain_text_is_not(policy: Policy) -> None:
    assert looks_like_cable(SBU_CABLE)
    assert not looks_like_cable(MEMO)
    assert parsed_of(SBU_CABLE, policy).layout == "cable"
    assert parsed_of(MEMO, policy).layout == "generic"


def test_cable_layout(policy: Policy) -> None:
    parsed = parsed_of(SBU_CABLE, policy)
    routing = kinds(parsed, BlockKind.ROUTING)
    assert len(routing) == 1
    assert routing[0].startswith("VZCZCXRO4821") and routing[0].endswith("NORTHERN COLLECTIVE")
    assert kinds(parsed, BlockKind.BANNER) == ["UNCLAS SECTION 01 OF 02 LAKEHAVEN 000777"]
    assert kinds(parsed, BlockKind.CAPTION) == ["SENSITIVE", "SIPDIS"]
    fields = {b.field_name: parsed.document.text[b.span.start:b.span.end]
              for b in parsed.blocks if b.kind is BlockKind.FIELD}
    assert fields["E.O."] == "E.O. 12958: N/A"
    assert fields["TAGS"] == "TAGS: PGOV PREL ECON"
    assert fields["SUBJECT"] == "SUBJECT: LAKEHAVEN: PORT REFORM BILL STALLS IN PARLIAMENT"
    assert fields["REF"] == "REF: A. STATE 11111\n     B. LAKEHAVEN 222", "REF runs over lines"
    assert kinds(parsed, BlockKind.PAGE) == ["LAKEHAVEN 00000777  002 OF 002"]
    assert kinds(parsed, BlockKind.SIGNATURE) == ["HARDCASTLE"]
    paragraphs = [b for b in parsed.blocks if b.kind is BlockKind.PARAGRAPH]
    assert [b.number for b in paragraphs] == ["1", "2", "3", "4", "5"]
    assert [b.portion_mark.label if b.portion_mark else None for b in paragraphs] == [
        "U", "SBU", "U", "SBU-N", "U"]
    assert [b.id for b in paragraphs] == ["\u00b61", "\u00b62", "\u00b63", "\u00b64", "\u00b65"]


def test_blocks_carry_offsets_into_the_text(policy: Policy) -> None:
    parsed = parsed_of(SBU_CABLE, policy)
    text = SBU_CABLE
    spans = [b.span for b in parsed.blocks]
    assert spans == sorted(spans, key=lambda s: s.start)
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start, "blocks do not overlap"
    two = next(b for b in parsed.blocks if b.id == "\u00b62")
    assert text[two.span.start:two.span.end].startswith("2. (SBU) Summary:")
    assert text[two.span.start:two.span.end].endswith("End Summary.")
    assert two.body is not None and text[two.body.start:].startswith("Summary: Deputy")
    assert two.portion_mark is not None
    assert text[two.portion_mark.span.start:two.portion_mark.span.end] == "SBU"
    for block in parsed.blocks:  # line ends are never inside a block's last character
        assert not text[block.span.start:block.span.end].endswith(("\n", "\r"))


def test_pilcrow_paragraph(policy: Policy) -> None:
    parsed = parsed_of(SBU_CABLE, policy)
    assert text_of(parsed, "\u00b63").startswith("\u00b63. (U) The bill")


def test_notes_and_comments(policy: Policy) -> None:
    parsed = parsed_of(SBU_CABLE, policy)
    asides = {a.kind: SBU_CABLE[a.span.start:a.span.end] for a in parsed.asides}
    assert asides["note"] == "[NOTE:\nThe coalition holds 61 of 120 seats. END NOTE.]"
    assert asides["comment"] == "[COMMENT: The\ndelay suits the harbor operators. END COMMENT.]"


def test_classification_line_letter_spaced(policy: Policy) -> None:
    parsed = parsed_of(CONFIDENTIAL_CABLE, policy)
    assert kinds(parsed, BlockKind.BANNER) == ["C O N F I D E N T I A L LAKEHAVEN 000515"]


def test_secret_cable_classified_by_and_subject(policy: Policy) -> None:
    parsed = parsed_of(SECRET_CABLE, policy)
    assert kinds(parsed, BlockKind.BANNER) == ["S E C R E T LAKEHAVEN 000912"]
    assert kinds(parsed, BlockKind.CAPTION) == ["NOFORN", "SIPDIS"]
    fields = {b.field_name: SECRET_CABLE[b.span.start:b.span.end]
              for b in parsed.blocks if b.kind is BlockKind.FIELD}
    assert fields["CLASSIFIED BY"].startswith("Classified By: Ambassador Jonas Whitfield")
    assert fields["SUBJECT"] == "SUBJECT: (S) NAVAL COOPERATION TALKS"
    assert fields["E.O."] == "E.O. 12958: DECL: 07/19/2019"


CABLE_HEAD = """\
VZCZCXRO1000
FM AMEMBASSY LAKEHAVEN
TO RUEHC/SECSTATE WASHDC 1000

UNCLAS LAKEHAVEN 000100

E.O. 12958: N/A
TAGS: PGOV
SUBJECT: PORTION MARKS

"""


@pytest.mark.parametrize(("line", "number", "label"), [
    ("1. (U) The port is open.", "1", "U"),
    ("2. (SBU) The port is open.", "2", "SBU"),
    ("3. (C) The port is open.", "3", "C"),
    ("4. (S//NF) The port is open.", "4", "S//NF"),
    ("5. (C/NF) The port is open.", "5", "C/NF"),
    ("6. (SBU-N) The port is open.", "6", "SBU-N"),
    ("7. C) The port is open.", "7", "C"),
    ("8.(SBU) The port is open.", "8", "SBU"),
    ("\u00b69. (U) The port is open.", "9", "U"),
    ("\u00b6 10. (SBU) The port is open.", "10", "SBU"),
    ("2a. (C) The port is open.", "2a", "C"),
    ("11. The port is open.", "11", None),
    ("12. (C - ENTIRE TEXT) The port is open.", "12", "C - ENTIRE TEXT"),
])
def test_portion_mark_variants(policy: Policy, line: str, number: str, label: str | None) -> None:
    text = CABLE_HEAD + line + "\n"
    parsed = parsed_of(text, policy)
    assert parsed.layout == "cable"
    (para,) = [b for b in parsed.blocks if b.kind is BlockKind.PARAGRAPH]
    assert para.number == number
    assert (para.portion_mark.label if para.portion_mark else None) == label
    assert para.body is not None
    assert text[para.body.start:para.body.end] == "The port is open."


def test_page_line_inside_a_paragraph_is_a_hole(policy: Policy) -> None:
    text = CABLE_HEAD + ("1. (SBU) The minister spoke at length about the\n"
                         "LAKEHAVEN 00000100  002 OF 003\n"
                         "harbor and the new customs rules.\n")
    parsed = parsed_of(text, policy)
    (para,) = [b for b in parsed.blocks if b.kind is BlockKind.PARAGRAPH]
    assert text[para.span.start:para.span.end].endswith("new customs rules.")
    assert [text[h.start:h.end] for h in para.holes] == ["LAKEHAVEN 00000100  002 OF 003"]


def test_generic_layout_banners_and_paragraphs(policy: Policy) -> None:
    parsed = parsed_of(BANNERED, policy)
    assert parsed.layout == "generic"
    assert kinds(parsed, BlockKind.BANNER) == ["FOR OFFICIAL USE ONLY"] * 2
    paragraphs = [b for b in parsed.blocks if b.kind is BlockKind.PARAGRAPH]
    assert [b.portion_mark.label if b.portion_mark else None for b in paragraphs] == [
        "U", "FOUO"]
    assert kinds(parsed, BlockKind.HEADING) == ["BUDGET REVIEW"]


def test_a_page_banner_line_that_goes_on_in_lower_case_is_a_banner(policy: Policy) -> None:
    text = ("   UNCLASSIFIED Agency of Examples Case No. X-2031-0042 Doc No. Q123 Date: 01/02/31\n"
            "\nFrom: Someone\nSubject: Harbour schedule\n\nThe ferry leaves at nine.\n")
    parsed = parsed_of(text, policy)
    assert kinds(parsed, BlockKind.BANNER) == [text.splitlines()[0]]


def test_a_stamp_alone_on_a_line_is_a_banner_anywhere(policy: Policy) -> None:
    text = ("From: Someone\nSubject: Harbour schedule\n\nThe ferry leaves at nine.\n\n"
            "                         CONFIDENTIAL\n\nThe pier is closed on Sundays.\n\n"
            "More text follows here.\n\nAnd the last paragraph.\n")
    parsed = parsed_of(text, policy)
    assert kinds(parsed, BlockKind.BANNER) == ["                         CONFIDENTIAL"]


def test_a_marking_word_in_running_text_is_no_banner(policy: Policy) -> None:
    text = ("From: Someone\n\nThe file was CONFIDENTIAL until May.\n\nSecret plans, said nobody.\n"
            "\nconfidential\n\nThe end of the memo, with nothing else.\n\nSigned, the clerk.\n")
    parsed = parsed_of(text, policy)
    assert kinds(parsed, BlockKind.BANNER) == []


def test_generic_paragraphs_are_split_on_blank_lines(policy: Policy) -> None:
    parsed = parsed_of(MEMO, policy)
    paragraphs = kinds(parsed, BlockKind.PARAGRAPH)
    assert len(paragraphs) == 3  # the title line is a paragraph of its own
    assert paragraphs[0] == "Facilities planning notes"
    assert paragraphs[1].startswith("The committee met") and paragraphs[1].endswith("month.")


def test_markdown_headings(policy: Policy) -> None:
    text = "# Notes\n\nThe plan is ready.\n\n## Next steps\n\nWe meet again in April.\n"
    parsed = parsed_of(text, policy, path="notes.md")
    assert kinds(parsed, BlockKind.HEADING) == ["# Notes", "## Next steps"]


@pytest.mark.parametrize("hint", ["cable", "generic"])
def test_format_hint_forces_the_layout(policy: Policy, hint: str) -> None:
    for text in (SBU_CABLE, MEMO):
        assert parsed_of(text, policy, hint).layout == hint


def test_format_hint_generic_on_a_cable_has_no_routing_or_fields(policy: Policy) -> None:
    parsed = parsed_of(SBU_CABLE, policy, "generic")
    found = {b.kind for b in parsed.blocks}
    assert BlockKind.ROUTING not in found and BlockKind.FIELD not in found


def test_crlf_spans_exclude_the_carriage_return(policy: Policy) -> None:
    text = SBU_CABLE.replace("\n", "\r\n")
    parsed = parsed_of(text, policy)
    lf = parsed_of(SBU_CABLE, policy)
    assert [(b.id, b.kind) for b in parsed.blocks] == [(b.id, b.kind) for b in lf.blocks]
    for block in parsed.blocks:
        assert "\r" not in text[block.span.end - 1:block.span.end]


CLASSIFICATION_HEAD = """\
VZCZCXRO1000
FM AMEMBASSY LAKEHAVEN
TO RUEHC/SECSTATE WASHDC 1000

{line}

E.O. 12958: N/A
TAGS: PGOV
SUBJECT: THE FERRY SCHEDULE

1. The ferry leaves at nine.
"""


@pytest.mark.parametrize(("line", "level"), [
    ("UNCLAS LAKEHAVEN 000100", "unclassified"),
    ("UNCLAS EFTO LAKEHAVEN 000100", "unclassified"),
    ("UNCLAS SECTION 01 OF 02 LAKEHAVEN 000100", "unclassified"),
    ("unclas lakehaven 000100", "unclassified"),
    ("LIMITED OFFICIAL USE LAKEHAVEN 000100", "sbu"),
    ("C O N F I D E N T I A L LAKEHAVEN 000100", "confidential"),
    ("CONFIDENTIAL LAKEHAVEN 000100", "confidential"),
    ("S E C R E T  SECTION 01 OF 03 LAKEHAVEN 000100", "secret"),
    ("SECRET NOFORN LAKEHAVEN 000100", "secret"),
])
def test_classification_line_forms_give_the_level(policy: Policy, line: str, level: str) -> None:
    from redactor.engine import Engine

    engine = Engine.markings_only(policy)
    plan = engine.check(make_doc(CLASSIFICATION_HEAD.format(line=line), "cable.txt"))
    assert plan.parsed.layout == "cable"
    assert plan.level == level, line


# A web page of a cable: menus and a table of its metadata before the telegram. Each menu
# entry is a line; there are more than the first 6,000 characters a telegram is looked for in.
MENUS = "".join(f"Browse by tag\n\n{tag}\n\n/tag/{tag}_0.html\n\n" for tag in
                ("".join(t) for t in itertools.islice(itertools.product("ABCDEFGH", repeat=4),
                                                      400)))


@pytest.mark.parametrize("cable", [SBU_CABLE, SECRET_CABLE,
                                   SECRET_CABLE[SECRET_CABLE.index("\n\n") + 2:]])
def test_a_telegram_after_a_preamble_is_parsed_as_one(policy: Policy, cable: str) -> None:
    parsed = parsed_of(MENUS + "Reference ID\nCreated\n\n" + cable, policy)
    assert len(MENUS) > 6000 and parsed.layout == "cable"
    banners = kinds(parsed, BlockKind.BANNER)
    alone = parsed_of(cable, policy)
    assert banners[-len(kinds(alone, BlockKind.BANNER)):] == kinds(alone, BlockKind.BANNER)
    ids = [b.id for b in parsed.blocks]
    assert len(ids) == len(set(ids)), "preamble and telegram blocks have distinct ids"
    assert parsed.blocks[0].span.start < len(MENUS)  # the preamble is parsed, not dropped


def test_a_memo_that_mentions_telegram_words_late_is_not_a_telegram(policy: Policy) -> None:
    text = MENUS + MEMO + "\nThe cable said SIPDIS on its second line.\n"
    assert parsed_of(text, policy).layout == "generic"
