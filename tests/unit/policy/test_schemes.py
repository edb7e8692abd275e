"""Marking schemes as built-in packs: CUI, TLP 2.0, UK GSCP, NATO/EU and corporate
labels, each checked on the team's example documents in examples/schemes/ and on short
documents written here; shared words (SECRET, CONFIDENTIAL, RESTRICTED) resolved by the pack
the policy selects; and a new scheme added by YAML alone, end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import REPO, write

from redactor.cli import cli
from redactor.policy import load_policy

EXAMPLES = REPO / "examples" / "schemes"
PACKS = ("cui", "tlp", "uk-gscp", "nato-eu", "corporate")


def invoke(*args: str | Path) -> Any:
    """The CLI in-process. The scheme packs turn on no entity types, so no model is loaded."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def check(policy: str | Path, path: Path) -> dict[str, Any]:
    """The JSON report of one document, with a summary of its decisions: `rules` maps each
    rule that decided something to its strongest action, `marks` the marking ids found."""
    result = invoke("check", "--policy", policy, "--format", "json", path)
    assert result.exit_code in (0, 1), result.output
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["errors"] == []
    order = ["allow", "flag", "redact", "withhold", "block"]
    rules: dict[str, str] = {}
    for finding in doc["findings"]:
        if finding["rule"]:
            before = rules.get(finding["rule"], "allow")
            rules[finding["rule"]] = max(before, finding["action"], key=order.index)
    doc["rules"] = rules
    doc["marks"] = {m["id"] for m in doc["markings"]}
    doc["exit_code"] = result.exit_code
    return doc


def check_text(policy: str | Path, text: str, tmp_path: Path, name: str = "doc.txt") -> Any:
    return check(policy, write(tmp_path / name, text))


def roundtrip(policy: str, path: Path, tmp_path: Path) -> str:
    """Redact, then check the copy with the same policy: nothing at or above redact is left."""
    out = tmp_path / f"{path.stem}.public{path.suffix}"
    result = invoke("redact", "--policy", policy, path, "-o", out)
    assert result.exit_code == 0, result.output
    assert check(policy, out)["verdict"] in ("releasable", "review")
    return out.read_text("utf-8")


# ------------------------------------------------------------------ the packs themselves


@pytest.mark.parametrize("pack", PACKS)
def test_pack_is_listed_shown_and_valid(pack: str) -> None:
    listed = invoke("policy", "list")
    assert listed.exit_code == 0 and any(line.split()[0] == pack
                                         for line in listed.stdout.splitlines() if line.strip())
    validated = invoke("policy", "validate", REPO / "policies" / f"{pack}.yaml")
    assert validated.exit_code == 0 and "ok" in validated.stdout
    shown = invoke("policy", "show", pack)
    assert shown.exit_code == 0 and f"<built-in>/{pack}.yaml" in shown.stdout
    policy = load_policy(pack)
    assert policy.name == pack and policy.rules and policy.markings
    for marking in policy.markings:
        assert marking.level is None or marking.level in policy.levels


def test_packs_are_not_in_the_default() -> None:
    default = load_policy()
    assert not {"cui", "tlp", "uk-gscp", "nato-eu", "corporate"} & {
        Path(f).stem for f in default.files}
    assert "uk-secret" not in {m.id for m in default.markings}


def test_a_pack_extends_with_pii(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path / "mine.yaml", "name: mine\nextends: [cui, pii]\n"))
    rules = {r.id for r in policy.rules}
    assert {"cui-portions", "cui-specified-document", "names", "classified-document"} <= rules
    assert "PERSON" in policy.entity_types
    assert policy.levels == ("unclassified", "sbu", "cui", "cui-specified", "confidential",
                             "secret", "top-secret")


# ------------------------------------------------------- the team's example documents


@pytest.mark.parametrize(("pack", "name", "verdict", "level", "rules"), [
    ("cui", "cui-grant-review.txt", "redact", "cui",
     {"cui-portions": "withhold", "cui-designation": "withhold",
      "superseded-markings": "redact"}),
    ("tlp", "tlp-clear-advisory.md", "releasable", "clear", {}),
    ("tlp", "tlp-amber-incident.md", "block", "amber-strict", {"tlp-amber-strict": "block"}),
    ("uk-gscp", "uk-official-sensitive-minute.txt", "redact", "official-sensitive",
     {"official-sensitive-portions": "withhold", "uk-superseded-markings": "redact",
      "uk-caveats": "redact"}),
    ("uk-gscp", "uk-secret-note.txt", "block", "secret",
     {"uk-classified-document": "block", "uk-caveats": "redact"}),
    ("nato-eu", "nato-restricted-summary.txt", "block", "restricted",
     {"classified-document": "block", "classified-portions": "withhold", "not-public": "flag"}),
    ("nato-eu", "eu-limite-agenda.txt", "review", "unclassified", {"not-public": "flag"}),
    ("corporate", "corporate-internal-note.md", "review", "internal", {"internal": "flag"}),
    ("corporate", "corporate-confidential-plan.md", "block", "confidential",
     {"confidential": "block"}),
])
def test_example_documents(pack: str, name: str, verdict: str, level: str,
                           rules: dict[str, str]) -> None:
    doc = check(pack, EXAMPLES / name)
    assert (doc["verdict"], doc["level"]) == (verdict, level)
    assert {rule: doc["rules"].get(rule) for rule in rules} == rules


def test_examples_check_with_the_default_policy() -> None:
    """README's first command walks examples/, schemes/ too: every document checks (no error),
    and the run still exits 1."""
    result = invoke("check", "--format", "json", "--policy", "us-classification",
                    REPO / "examples")
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    names = {Path(d["path"]).name for d in report["documents"]}
    assert {p.name for p in EXAMPLES.iterdir()} <= names
    assert all(d["verdict"] != "error" for d in report["documents"])


@pytest.mark.parametrize(("pack", "name"), [
    ("cui", "cui-grant-review.txt"), ("uk-gscp", "uk-official-sensitive-minute.txt")])
def test_example_round_trip(pack: str, name: str, tmp_path: Path) -> None:
    copy = roundtrip(pack, EXAMPLES / name, tmp_path)
    assert "[MARKING REMOVED]" in copy and "WITHHELD" in copy
    assert "(U) Subject" in copy or "(O) The next meeting" in copy  # uncontrolled text stays
    assert "litigation" not in copy and "medical" not in copy
    assert "Dana Whitcombe" not in copy  # the CUI point of contact goes with the indicator


# ------------------------------------------------------------------------------ CUI


def test_cui_specified_banner_blocks(tmp_path: Path) -> None:
    doc = check_text("cui", "CUI//SP-PRVCY//FEDCON\n\n1. (CUI//SP-PRVCY) Claimant records.\n\n"
                     "CUI//SP-PRVCY//FEDCON\n", tmp_path)
    assert (doc["verdict"], doc["level"]) == ("block", "cui-specified")
    assert doc["rules"]["cui-specified-document"] == "block"
    assert doc["rules"]["limited-dissemination-controls"] == "redact"
    assert {"cui-banner", "cui-specified", "ldc-fedcon", "portion-cui"} <= doc["marks"]


def test_cui_specified_portion_under_a_basic_banner_blocks(tmp_path: Path) -> None:
    doc = check_text("cui", "CUI\n\n1. (U) Open text.\n\n2. (CUI//SP-EXPT) Export data.\n",
                     tmp_path)
    assert doc["level"] == "cui" and doc["verdict"] == "block"
    assert doc["rules"]["under-marked-cui-specified"] == "block"


def test_cui_legacy_and_classified(tmp_path: Path) -> None:
    legacy = check_text("cui", "1. (U) Open.\n\n2. (U//FOUO) Internal figures.\n\n"
                        "3. (LES) Case notes.\n", tmp_path)
    assert legacy["rules"] == {"legacy-controlled-portions": "withhold"}
    secret = check_text("cui", "SECRET\n\n1. (S) Text.\n\nSECRET\n", tmp_path, "s.txt")
    assert secret["verdict"] == "block" and secret["rules"]["classified-document"] == "block"


def test_cui_controlled_needs_the_banner_form(tmp_path: Path) -> None:
    doc = check_text("cui", "CONTROLLED BURN SCHEDULE\n\nThe burn starts at dawn.\n", tmp_path)
    assert doc["verdict"] == "releasable" and doc["level"] is None
    doc = check_text("cui", "CONTROLLED\n\nThe burn starts at dawn.\n", tmp_path, "c.txt")
    assert doc["level"] == "cui" and doc["rules"]["cui-portions"] == "withhold"


# ------------------------------------------------------------------------------ TLP


@pytest.mark.parametrize(("label", "level", "rule"), [
    ("TLP:CLEAR", "clear", None),
    ("TLP:WHITE", "clear", None),
    ("TLP:GREEN", "green", "tlp-green"),
    ("TLP:AMBER", "amber", "tlp-amber"),
    ("TLP: AMBER+STRICT", "amber-strict", "tlp-amber-strict"),
    ("TLP:RED", "red", "tlp-red"),
])
def test_tlp_labels(label: str, level: str, rule: str | None, tmp_path: Path) -> None:
    doc = check_text("tlp", f"{label}\n\nA short advisory.\n\n{label}\n", tmp_path)
    assert doc["level"] == level
    assert doc["rules"] == ({rule: "block"} if rule else {})
    assert doc["verdict"] == ("block" if rule else "releasable")


def test_tlp_label_in_the_text(tmp_path: Path) -> None:
    mail = check_text("tlp", "From: soc@example.org\nSubject: [tlp:red] indicators\n\n"
                      "The list is attached.\n", tmp_path)
    assert (mail["level"], mail["verdict"]) == ("red", "block")
    mixed = check_text("tlp", "TLP:CLEAR\n\nThe patch is out.\n\nTLP:AMBER Two customers "
                       "were affected.\n\nUpdate now.\n\nTLP:CLEAR\n", tmp_path, "m.txt")
    assert mixed["level"] == "clear"
    assert mixed["rules"] == {"tlp-labelled-portions": "withhold"}
    assert mixed["verdict"] == "redact"


# --------------------------------------------------------------------------- UK GSCP


@pytest.mark.parametrize(("banner", "level", "verdict"), [
    ("OFFICIAL", "official", "releasable"),
    ("UNCLASSIFIED", "official", "releasable"),
    ("OFFICIAL-SENSITIVE", "official-sensitive", "redact"),
    ("OFFICIAL \u2013 SENSITIVE COMMERCIAL", "official-sensitive", "redact"),
    ("RESTRICTED", "official-sensitive", "redact"),
    ("CONFIDENTIAL", "confidential", "block"),
    ("SECRET", "secret", "block"),
    ("TOP SECRET - UK / US EYES ONLY", "top-secret", "block"),
])
def test_uk_levels(banner: str, level: str, verdict: str, tmp_path: Path) -> None:
    doc = check_text("uk-gscp", f"{banner}\n\nThe estates plan.\n\n{banner}\n", tmp_path)
    assert (doc["level"], doc["verdict"]) == (level, verdict)
    if verdict == "redact":
        assert doc["rules"]["official-sensitive-portions"] == "withhold"
    if verdict == "block":
        assert doc["rules"]["uk-classified-document"] == "block"


def test_uk_classification_line_in_an_email(tmp_path: Path) -> None:
    doc = check_text("uk-gscp", "OFFICIAL\n\nClassification: OFFICIAL-SENSITIVE\nThe staff "
                     "survey results by team.\n\nThe meeting moves to Tuesday.\n\nOFFICIAL\n",
                     tmp_path)
    assert doc["level"] == "official"
    assert doc["rules"] == {"official-sensitive-labels": "withhold"}
    secret = check_text("uk-gscp", "Classification: SECRET\n\nText.\n", tmp_path, "s.txt")
    assert (secret["level"], secret["verdict"]) == ("secret", "block")


# -------------------------------------------------------------------------- NATO / EU


@pytest.mark.parametrize(("banner", "level", "mark"), [
    ("NATO RESTRICTED", "restricted", "nato-restricted"),
    ("NATO CONFIDENTIAL", "confidential", "nato-confidential"),
    ("NATO SECRET", "secret", "nato-secret"),
    ("COSMIC TOP SECRET", "top-secret", "cosmic-top-secret"),
    ("RESTREINT UE/EU RESTRICTED", "restricted", "eu-restricted"),
    ("CONFIDENTIEL UE/EU CONFIDENTIAL", "confidential", "eu-confidential"),
    ("SECRET UE/EU SECRET", "secret", "eu-secret"),
    ("TR\u00c8S SECRET UE/EU TOP SECRET", "top-secret", "eu-top-secret"),
])
def test_nato_eu_levels(banner: str, level: str, mark: str, tmp_path: Path) -> None:
    doc = check_text("nato-eu", f"{banner}\n\nThe plan.\n\n{banner}\n", tmp_path)
    assert (doc["level"], doc["verdict"]) == (level, "block")
    assert mark in doc["marks"] and doc["rules"]["classified-document"] == "block"


def test_nato_unclassified_portions_and_special_categories(tmp_path: Path) -> None:
    doc = check_text("nato-eu", "NATO UNCLASSIFIED\n\n1. (NU) Agenda.\n\n"
                     "NATO UNCLASSIFIED\n", tmp_path)
    assert (doc["level"], doc["verdict"]) == ("unclassified", "review")
    assert doc["rules"] == {"not-public": "flag"}
    under = check_text("nato-eu", "NATO UNCLASSIFIED\n\n1. (NU) Agenda.\n\n2. (NS-A) Yields."
                       "\n\nNATO UNCLASSIFIED\n", tmp_path, "u.txt")
    assert under["verdict"] == "block"
    assert under["rules"]["under-marked-classified"] == "block"
    assert under["rules"]["special-categories"] == "flag"
    listed = check_text("nato-eu", "Options:\n\n(A) wait\n\n(B) act\n", tmp_path, "l.txt")
    assert listed["rules"] == {}, "a list item (A) is not ATOMAL"


# -------------------------------------------------------------------------- corporate


@pytest.mark.parametrize(("label", "level", "rule", "action"), [
    ("Public", "public", None, None),
    ("Sensitivity: General", "internal", "internal", "flag"),
    ("INTERNAL USE ONLY", "internal", "internal", "flag"),
    ("Company Confidential - Acme Ltd", "confidential", "confidential", "block"),
    ("**Confidential**", "confidential", "confidential", "block"),
    ("C O N F I D E N T I A L", "confidential", "confidential", "block"),
    ("Highly Confidential", "highly-confidential", "highly-confidential", "block"),
    ("Classification: Restricted", "highly-confidential", "highly-confidential", "block"),
])
def test_corporate_labels(label: str, level: str, rule: str | None, action: str | None,
                          tmp_path: Path) -> None:
    doc = check_text("corporate", f"{label}\n\nQuarterly figures for the board.\n", tmp_path,
                     "doc.md")
    assert doc["level"] == level
    assert doc["rules"] == ({rule: action} if rule else {})


def test_corporate_words_in_sentences_are_not_labels(tmp_path: Path) -> None:
    doc = check_text("corporate", "Board notes\n\nThe supplier asked us to keep the figures "
                     "confidential. Public holidays are unchanged; internal audit starts in "
                     "May.\n", tmp_path)
    assert (doc["level"], doc["verdict"]) == (None, "releasable")
    privileged = check_text("corporate", "PRIVILEGED & CONFIDENTIAL\n\nAdvice on the lease.\n",
                            tmp_path, "p.txt")
    assert privileged["rules"]["privileged"] == "block"


# ------------------------------------------------------------------------ shared words


SHARED = "{word}\n\nNotes on the harbour project.\n\n{word}\n"


@pytest.mark.parametrize(("word", "pack", "mark", "level", "rule", "verdict"), [
    ("SECRET", "us-classification", "secret", "secret", "classified-document", "block"),
    ("SECRET", "uk-gscp", "uk-secret", "secret", "uk-classified-document", "block"),
    ("SECRET", "nato-eu", "secret", "secret", "classified-document", "block"),
    ("SECRET", "corporate", None, None, None, "releasable"),
    ("CONFIDENTIAL", "us-classification", "confidential", "confidential",
     "classified-document", "block"),
    ("CONFIDENTIAL", "corporate", "label-confidential", "confidential", "confidential",
     "block"),
    ("CONFIDENTIAL", "uk-gscp", "uk-legacy-confidential", "confidential",
     "uk-classified-document", "block"),
    ("RESTRICTED", "us-classification", None, None, None, "releasable"),
    ("RESTRICTED", "nato-eu", "restricted", "restricted", "classified-document", "block"),
    ("RESTRICTED", "uk-gscp", "uk-legacy-protect", "official-sensitive",
     "official-sensitive-portions", "redact"),
    ("RESTRICTED", "corporate", "label-highly-confidential", "highly-confidential",
     "highly-confidential", "block"),
])
def test_shared_words_resolve_by_the_selected_scheme(
        word: str, pack: str, mark: str | None, level: str | None, rule: str | None,
        verdict: str, tmp_path: Path) -> None:
    doc = check_text(pack, SHARED.format(word=word), tmp_path)
    assert (doc["level"], doc["verdict"]) == (level, verdict)
    if mark is not None:
        assert mark in doc["marks"]
    if rule is not None:
        assert rule in doc["rules"]
    reasons = {f["reason"] for f in doc["findings"] if f["rule"] == rule}
    if pack == "us-classification" and rule:
        assert reasons == {"(b)(1)"}
    elif rule:
        assert "(b)(1)" not in reasons, "the scheme's own reason, not the U.S. one"


# ---------------------------------------------------------------- a scheme by YAML alone


PAP = """\
# Permissible Actions Protocol (PAP): what a recipient may do with the information.
name: pap
version: "1"
description: PAP labels - only PAP:CLEAR may be published.
levels: [clear, green, amber, red]
markings:
  - {id: pap-clear, where: [banner, phrase], level: clear,
     patterns: ['(?<![\\w-])PAP:(?:CLEAR|WHITE)(?![\\w-])']}
  - {id: pap-green, where: [banner, phrase], level: green,
     patterns: ['(?<![\\w-])PAP:GREEN(?![\\w-])']}
  - {id: pap-amber, where: [banner, phrase], level: amber,
     patterns: ['(?<![\\w-])PAP:AMBER(?![\\w-])']}
  - {id: pap-red, where: [banner, phrase], level: red,
     patterns: ['(?<![\\w-])PAP:RED(?![\\w-])']}
rules:
  - id: pap-red
    when: {document_level: red}
    action: block
    reason: PAP:RED - non-detectable actions only, never published
  - id: pap-amber
    when: {document_level: amber}
    action: block
    reason: PAP:AMBER - passive actions only, not published
  - id: pap-green-paragraph
    when: {marking_level: green, where: [phrase], document_level: "< green"}
    action: withhold
    reason: PAP:GREEN paragraph in a PAP:CLEAR document
  - id: pap-green
    when: {document_level: green}
    action: flag
    reason: PAP:GREEN - active actions allowed, confirm before publishing
"""


def test_a_scheme_added_by_yaml_alone(tmp_path: Path) -> None:
    pack = write(tmp_path / "pap.yaml", PAP)
    validated = invoke("policy", "validate", pack)
    assert validated.exit_code == 0, validated.output
    assert "4 levels, 4 markings" in validated.stdout
    red = write(tmp_path / "red.txt", "PAP:RED\n\nBlocklist of the hosts.\n\nPAP:RED\n")
    green = write(tmp_path / "green.txt", "PAP:GREEN\n\nScan the range.\n")
    clear = write(tmp_path / "clear.txt", "PAP:CLEAR\n\nThe hosts are listed below.\n\n"
                  "PAP:GREEN The scanner's address.\n\nEnd of note.\n\nPAP:CLEAR\n")
    assert invoke("check", "--policy", pack, red).exit_code == 1
    reports = {name: check(pack, path) for name, path in
               (("red", red), ("green", green), ("clear", clear))}
    assert (reports["red"]["level"], reports["red"]["verdict"]) == ("red", "block")
    assert (reports["green"]["level"], reports["green"]["verdict"]) == ("green", "review")
    assert reports["green"]["exit_code"] == 0
    assert reports["clear"]["rules"] == {"pap-green-paragraph": "withhold"}
    out = tmp_path / "clear.public.txt"
    assert invoke("redact", "--policy", pack, clear, "-o", out).exit_code == 0
    copy = out.read_text("utf-8")
    assert "scanner" not in copy and "The hosts are listed below." in copy
    assert check(pack, out)["verdict"] == "releasable"
    # A policy file next to the documents picks the scheme without --policy.
    write(tmp_path / ".redactor.yaml", "name: here\nextends: [./pap.yaml]\n")
    result = CliRunner().invoke(cli, ["check", str(red)], catch_exceptions=False)
    assert result.exit_code == 1 and "pap-red" in result.stdout
