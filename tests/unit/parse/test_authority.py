"""Classification authority and declassification lines (redactor/parse/authority.py): E.O. numbers,
Classified By (its position, never its name), reasons, DECL dates and events, exemption codes;
in the parse stage, the JSON report and the text report. Documents written here; one corpus
test."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from redactor.engine import Engine
from redactor.model import Action, Authority, Document, Result
from redactor.parse import find_authority, parse
from redactor.report.json import json_report
from redactor.report.text import text_report

CLASSIFIER = "Rowena Tillingham"  # a made-up classifier: must never reach the metadata

CABLE = f"""\
VZCZCXRO1234
DE RUEHLK #0808/01 2331200
ZNY CCCCC ZZH
O 211200Z AUG 08
FM AMEMBASSY LAKEHAVEN
TO RUEHC/SECSTATE WASHDC 5555

C O N F I D E N T I A L LAKEHAVEN 000808

SIPDIS

E.O. 12958: DECL: 08/21/2018
TAGS: PREL PGOV
SUBJECT: LAKEHAVEN: MINISTER PREVIEWS SUMMIT

Classified By: Ambassador {CLASSIFIER}, Reasons 1.4 (b), (d)

1. (C) The minister said the summit would go ahead.
"""


def authority(text: str) -> Authority:
    found = find_authority(text)
    assert found is not None
    return found


def test_cable_header_in_the_parse_stage(policy: Any) -> None:
    parsed = parse(Document("c.txt", CABLE, sha256="0" * 64, size=len(CABLE)), policy)
    assert parsed.layout == "cable"
    found = parsed.authority
    assert found is not None
    assert found.executive_order == "12958"
    assert found.declassify_on == "08/21/2018"
    assert found.classified_by
    assert found.classifier_position == "Ambassador"
    assert found.reasons == ("1.4(b)", "1.4(d)")
    assert found.exemptions == ()
    assert all(CLASSIFIER.split()[1] not in str(v) for v in vars(found).values())


@pytest.mark.parametrize(("line", "expected"), [
    ("E.O. 12958: DECL: 08/21/2018", "08/21/2018"),
    ("E.O. 12958: DECL: 2020/02/17", "2020/02/17"),
    ("E.O. 12958: DECL: OADR", "OADR"),
    ("EO 12958 DECL: 05/07/2017", "05/07/2017"),
    ("E.O. 12958: DECL:  5/7/2019 TAGS: PREL", "5/7/2019"),
    ("E.O. 12958: DECL: TWENTY YEARS", "TWENTY YEARS"),
    ("E.O. 12958: DECL: AFTER KOREAN UNIFICATION", "AFTER KOREAN UNIFICATION"),
    ("E.O. 12958: DECLASSIFY 11/29/2027", "11/29/2027"),
    ("E.O. 12958: 11/16/2029", "11/16/2029"),  # no DECL keyword
    ("Declassify on: 12/04/2029", "12/04/2029"),
    ("DECL ON: 25X1", "25X1"),
])
def test_declassification_dates_and_events(line: str, expected: str) -> None:
    assert authority(line + "\n").declassify_on == expected


@pytest.mark.parametrize(("line", "number"), [
    ("E.O. 12958: N/A", "12958"), ("E.O. 13526: DECL: 01/01/2035", "13526"),
    ("EO 12958 N/A", "12958"), ("E.o. 12958: DECL: 1/1/2019", "12958"),
    ("E.O. 11652: GDS", "11652"),
])
def test_executive_order_numbers(line: str, number: str) -> None:
    found = authority(line + "\n")
    assert found.executive_order == number
    if "N/A" in line:
        assert found.declassify_on is None


@pytest.mark.parametrize(("statement", "reasons"), [
    ("Classified By: Ambassador X Y, Reasons 1.4 (b), (d)", ("1.4(b)", "1.4(d)")),
    ("CLASSIFIED BY: DCM X Y; REASON: 1.4(B), (D)", ("1.4(b)", "1.4(d)")),
    ("Classified by Polcouns X Y for reasons 1.4 b and d.", ("1.4(b)", "1.4(d)")),
    ("Classified By: A/DCM X Y, Reason(s): 1.4 (B/D)", ("1.4(b)", "1.4(d)")),
    ("Classified By: Consul General X Y, reasons 1.4 ( b, d)", ("1.4(b)", "1.4(d)")),
    ("Classified By: Ambassador X Y:  1.4 (A), (B), (D)", ("1.4(a)", "1.4(b)", "1.4(d)")),
    ("CLASSIFIED BY AMBASSADOR X Y. REASONS 1.5 (B) AND (D).", ("1.5(b)", "1.5(d)")),
    ("Classified by: CDA X Y; Reason 1.4(B), 1.4(D)", ("1.4(b)", "1.4(d)")),
    ("Classified By: Ambassador X Y for reasons 1.4. (b\n& d).", ("1.4(b)", "1.4(d)")),
    ("Classified By: Political Counselor X Y, Reason: 1.4", ("1.4",)),
])
def test_reasons(statement: str, reasons: tuple[str, ...]) -> None:
    found = authority(statement + "\n")
    assert found.classified_by
    assert found.reasons == reasons


@pytest.mark.parametrize(("statement", "position"), [
    (f"Classified By: Ambassador {CLASSIFIER}, Reasons 1.4 (b), (d)", "Ambassador"),
    (f"CLASSIFIED BY: {CLASSIFIER}, DCM; REASON: 1.4(B)", "DCM"),
    (f"Classified by Political Counselor {CLASSIFIER} for reasons 1.4 (b)",
     "Political Counselor"),
    (f"CLASSIFIED BY POL/ECON CHIEF {CLASSIFIER.upper()}, REASON 1.4 (D)", "POL/ECON CHIEF"),
    (f"Classified By: {CLASSIFIER} for reasons 1.4 (b) and (d)", None),  # a name alone
    (f"1. (U) Classified by Charge d'Affaires {CLASSIFIER}, reason 1.4 (d)",
     "Charge d'Affaires"),
])
def test_the_classifier_position_never_the_name(statement: str, position: str | None) -> None:
    found = authority(statement + "\n")
    assert found.classified_by
    assert found.classifier_position == position
    printed = json.dumps([str(v) for v in vars(found).values()])
    for word in CLASSIFIER.split():
        assert word.lower() not in printed.lower()


def test_retroactive_classification_block_of_a_foia_release() -> None:
    text = ("Best regards,\n\n"
            "           Classified by DAS, A/GIS, DoS on 08/27/2015 \u2014 Class:\n"
            "Rowena\n"
            "           CONFIDENTIAL \u2014 Reason: 1.4(B), 1.4(D) \u2014 "
            "Declassify on: 12/04/2029\n")
    found = authority(text)
    assert found.classified_by
    assert found.classifier_position == "DAS, A/GIS, DoS"
    assert found.classification == "CONFIDENTIAL"
    assert found.reasons == ("1.4(b)", "1.4(d)")
    assert found.declassify_on == "12/04/2029"
    assert found.executive_order is None


@pytest.mark.parametrize(("text", "codes"), [
    ("DECLASSIFY ON: 25X1\n", ("25X1",)),
    ("Declassify on: 50X1-HUM\n", ("50X1-HUM",)),
    ("Approved for release 2005/01/01 : CIA-RDP80 25X1\n", ("25X1",)),
    ("Classified by X Y. Reasons: 1.5 (b, d, X6).\n", ("X6",)),
    ("Derived from: multiple sources 25X1, 25X6\n", ("25X1", "25X6")),
])
def test_exemption_codes(text: str, codes: tuple[str, ...]) -> None:
    assert authority(text).exemptions == codes


@pytest.mark.parametrize("text", [
    "The information was classified by the agency in 1990.\n",  # prose, no statement
    "The parliament declared the law void; the decline went on.\n",  # DECLARED, DECLINE
    "1. Nothing here at all.\n",
])
def test_no_authority(text: str) -> None:
    assert find_authority(text) is None


def test_the_routing_header_is_not_read(policy: Any) -> None:
    """A serial in the routing header is no date: nothing is read before the classification
    line of a telegram without authority lines."""
    text = CABLE.replace("E.O. 12958: DECL: 08/21/2018\n", "").replace(
        f"Classified By: Ambassador {CLASSIFIER}, Reasons 1.4 (b), (d)\n", "")
    text = text.replace("DE RUEHLK #0808/01 2331200", "DE RUEHLK #0808/01 2331200 DECL 25X1")
    parsed = parse(Document("c.txt", text, sha256="0" * 64, size=len(text)), policy)
    assert parsed.authority is None


def _results(policy: Any, tmp_path: Path) -> list[Result]:
    path = tmp_path / "cable.txt"
    path.write_text(CABLE, encoding="utf-8")
    engine = Engine.markings_only(policy)
    plan = engine.check(engine.read(path))
    return [Result(str(path), plan)]


def test_json_report_document_object(policy: Any, tmp_path: Path) -> None:
    results = _results(policy, tmp_path)
    report = json.loads(json_report(results, {results[0].path: policy}, Action.REDACT))
    assert report["report_version"] == 1
    found = report["documents"][0]["authority"]
    assert found == {"executive_order": "12958", "classified_by": True,
                     "classifier_position": "Ambassador", "classification": None,
                     "reasons": ["1.4(b)", "1.4(d)"], "declassify_on": "08/21/2018",
                     "exemptions": [], "lines": [12, 16]}
    assert CLASSIFIER.split()[1] not in json.dumps(found)


def test_text_report_line(policy: Any, tmp_path: Path) -> None:
    results = _results(policy, tmp_path)
    text = text_report(results, {results[0].path: policy}, Action.REDACT)
    assert ("  authority: E.O. 12958 · classified by Ambassador · reasons 1.4(b), 1.4(d) · "
            "declassify on 08/21/2018\n") in text
    assert CLASSIFIER.split()[1] not in text


def test_json_report_without_authority(policy: Any, tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("A short memo about the weather.\n", encoding="utf-8")
    engine = Engine.markings_only(policy)
    results = [Result(str(path), engine.check(engine.read(path)))]
    report = json.loads(json_report(results, {str(path): policy}, Action.REDACT))
    assert report["documents"][0]["authority"] is None
    assert "authority:" not in text_report(results, {str(path): policy}, Action.REDACT)


@pytest.mark.corpus
def test_real_cables(corpus: Path, policy: Any) -> None:
    """Every classified cable of a sample with a Classified By statement and a DECL date: the
    reasons are E.O. categories, the E.O. number is one of the orders, and no metadata value
    holds a word of the signature (the name layers' business, never the metadata's)."""
    with (corpus / "cables" / "MANIFEST.csv").open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["classification"].startswith(("CONFIDENTIAL", "SECRET"))]
    sample = rows[::25]
    counts = {"eo": 0, "classified_by": 0, "reasons": 0, "decl": 0, "position": 0}
    for row in sample:
        text = (corpus / "cables" / f"{row['id']}.txt").read_text(encoding="utf-8")
        parsed = parse(Document(row["id"], text, sha256="0" * 64, size=len(text)), policy)
        found = parsed.authority
        if found is None:
            continue
        counts["eo"] += found.executive_order is not None
        counts["classified_by"] += found.classified_by
        counts["reasons"] += bool(found.reasons)
        counts["decl"] += found.declassify_on is not None
        counts["position"] += found.classifier_position is not None
        assert found.executive_order in (None, "11652", "12065", "12958", "13292", "13526")
        for reason in found.reasons:
            assert reason[:3] in ("1.4", "1.5") and (len(reason) == 3 or reason[4] in "abcdefgh")
    n = len(sample)
    # Measured on the corpus: E.O. in nearly every classified cable, Classified By in most.
    assert counts["eo"] >= 0.9 * n
    assert counts["classified_by"] >= 0.6 * n
    assert counts["reasons"] >= 0.55 * n
    assert counts["decl"] >= 0.8 * n
    assert counts["position"] >= 0.5 * n
