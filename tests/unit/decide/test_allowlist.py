"""Allow-lists from files (`allow_file`), and protection cues that no allow-list overrides.

Names are put where the model cannot miss them ("Ambassador John Smith met the press").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import make_doc, write

from redactor.engine import Engine
from redactor.errors import PolicyError
from redactor.model import Action, Decision, Plan, Span, Verdict
from redactor.parse.sentences import sentences_in
from redactor.policy import load_policy
from redactor.policy.model import normalise_name
from redactor.report.explanations import protection

RULE = """\
name: officials
extends: [default]
rules:
  - id: names
    when: {entity: PERSON}
    action: redact
    reason: (b)(6)
    allow_file: officials.txt
"""
OFFICIALS = """\
# Public officials whose names are released as they stand.
John Smith

Maria Lopez   # the trade minister
"""


def engine_for(engine: Engine, policy_path: Path) -> Engine:
    policy = load_policy(policy_path)
    return Engine(policy, models=engine.models)


@pytest.fixture
def officials(engine: Engine, tmp_path: Path) -> Engine:
    write(tmp_path / "officials.txt", OFFICIALS)
    return engine_for(engine, write(tmp_path / "policy.yaml", RULE))


def name_decisions(plan: Plan, needle: str) -> list[Decision]:
    text = plan.document.text
    found = [d for d in plan.decisions if d.rule == "names"
             and normalise_name(text[d.finding.span.start:d.finding.span.end])
             == normalise_name(needle)]
    assert found, f"{needle!r} was not found as a name"
    return found


# ------------------------------------------------------------------------- loading


def test_allow_file_is_read_relative_to_the_policy(tmp_path: Path, cwd_tmp: Path) -> None:
    folder = tmp_path / "office" / "policies"
    write(folder / "officials.txt", OFFICIALS)
    policy = load_policy(write(folder / "p.yaml", RULE))
    rule = next(r for r in policy.rules if r.id == "names")
    (allowed,) = rule.allow_files
    assert allowed.names == frozenset({"john smith", "maria lopez"})  # comments, blanks gone
    assert allowed.path == str((folder / "officials.txt").resolve())
    assert str(rule.allowed_by("maria lopez")) == "allow-list of rule names (officials.txt)"
    assert rule.allowed_by("smith") is None


def test_allow_file_under_extends_is_relative_to_the_file_that_names_it(tmp_path: Path,
                                                                          cwd_tmp: Path) -> None:
    write(tmp_path / "shared" / "officials.txt", "John Smith\n")
    write(tmp_path / "shared" / "base.yaml", RULE)
    child = write(tmp_path / "team" / "p.yaml",
                  "name: team\nextends: [../shared/base.yaml]\n")
    rule = next(r for r in load_policy(child).rules if r.id == "names")
    assert rule.allow_files[0].path == str((tmp_path / "shared" / "officials.txt").resolve())
    assert "john smith" in rule.allow_files[0].names


def test_allow_file_list_bom_and_crlf(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "\ufeffJohn Smith\r\n#Maria Lopez\r\n")
    write(tmp_path / "b.txt", "  Jane   Doe  \n")
    policy = load_policy(write(tmp_path / "p.yaml", RULE.replace(
        "allow_file: officials.txt", "allow_file: [a.txt, b.txt]")))
    rule = next(r for r in policy.rules if r.id == "names")
    assert [a.names for a in rule.allow_files] == [frozenset({"john smith"}),
                                                   frozenset({"jane doe"})]


def test_a_changed_allow_file_changes_the_fingerprint(tmp_path: Path) -> None:
    write(tmp_path / "officials.txt", "John Smith\n")
    path = write(tmp_path / "p.yaml", RULE)
    before = load_policy(path).fingerprint
    write(tmp_path / "elsewhere" / "officials.txt", "John Smith\n")
    moved = load_policy(write(tmp_path / "elsewhere" / "p.yaml", RULE)).fingerprint
    assert moved == before  # the same policy and list in another folder
    write(tmp_path / "officials.txt", "John Smith\nJane Doe\n")
    assert load_policy(path).fingerprint != before


def _error(tmp_path: Path) -> PolicyError:
    with pytest.raises(PolicyError) as err:
        load_policy(tmp_path / "p.yaml")
    return err.value


def test_missing_allow_file_is_a_policy_error(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", RULE)
    message = str(_error(tmp_path))
    assert f"{tmp_path / 'p.yaml'}:8:" in message  # the policy file and the line of the key
    assert "rules[0].allow_file" in message
    assert str(tmp_path / "officials.txt") in message and "cannot be read" in message


def test_allow_file_that_is_not_utf8(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", RULE)
    (tmp_path / "officials.txt").write_bytes(b"John Smith\nJos\xe9 Mart\xednez\n")
    message = str(_error(tmp_path))
    assert f"{tmp_path / 'officials.txt'}:2: not UTF-8 text" in message


def test_allow_file_that_is_too_big(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", RULE)
    (tmp_path / "officials.txt").write_bytes(b"John Smith\n" * 100_000)
    assert "larger than 1,048,576 bytes" in str(_error(tmp_path))


def test_allow_file_that_is_binary(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", RULE)
    (tmp_path / "officials.txt").write_bytes(b"John Smith\n\x00\x01\x02\n")
    assert "officials.txt:2: control characters" in str(_error(tmp_path))


def test_missing_allow_file_exits_2_naming_it(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "p.yaml", RULE)
    write(cwd_tmp / "d.txt", "Ambassador John Smith met the press on Monday.\n")
    for args in (("check", "d.txt", "--policy", "p.yaml"),
                 ("redact", "d.txt", "-o", "out.txt", "--policy", "p.yaml"),
                 ("policy", "validate", "p.yaml")):
        result = run_cli(*args)
        assert result.exit_code == 2
        assert "p.yaml:8: rules[0].allow_file: allow file" in result.stderr
        assert "officials.txt" in result.stderr
    assert not (cwd_tmp / "out.txt").exists()


def test_schema_refuses_a_bad_cue(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", "name: p\ncues:\n  - {id: protect, phrases: [protect], "
                               "scope: page}\n")
    assert "cues[0].scope" in str(_error(tmp_path))
    write(tmp_path / "p.yaml", "name: p\ncues:\n  - {id: comment, phrases: [protect]}\n")
    assert "'comment' is reserved" in str(_error(tmp_path))


def test_policy_show_prints_cues_and_resolved_allow_files(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "pol" / "officials.txt", OFFICIALS)
    write(cwd_tmp / "pol" / "p.yaml", RULE)
    shown = run_cli("policy", "show", "pol/p.yaml").stdout
    assert "cues:\n  - {id: protect," in shown
    assert str((cwd_tmp / "pol" / "officials.txt").resolve()) in shown
    write(cwd_tmp / "elsewhere" / "shown.yaml", shown)  # still valid where it is saved
    result = run_cli("policy", "validate", cwd_tmp / "elsewhere" / "shown.yaml")
    assert result.exit_code == 0, result.stderr
    assert "2 names in allow files" in result.stdout


# ------------------------------------------------------------------------- matching


def test_allowed_name_is_let_through(officials: Engine) -> None:
    plan = officials.check(make_doc("Ambassador John Smith met the press on Monday.\n"))
    (decision,) = name_decisions(plan, "John Smith")
    assert decision.action is Action.ALLOW
    assert str(decision.allowed_by) == "allow-list of rule names (officials.txt)"
    assert decision.protected_by is None
    assert plan.verdict is Verdict.RELEASABLE


def test_case_whitespace_and_possessive_do_not_matter(officials: Engine) -> None:
    text = "AMBASSADOR JOHN  SMITH addressed the council.\n\nThe press liked John Smith's speech.\n"
    plan = officials.check(make_doc(text))
    names = [d for d in plan.decisions if d.rule == "names"]
    assert names and all(d.action is Action.ALLOW for d in names)


def test_a_surname_alone_or_another_first_name_is_not_allowed(officials: Engine) -> None:
    """Conservative: `Smith` may be another Smith, and `Jane Smith` is another person."""
    text = ("Ambassador John Smith met the press on Monday.\n\n"
            "Ambassador Jane Smith met the minister later. Smith asked for a meeting.\n")
    plan = officials.check(make_doc(text))
    assert {d.action for d in name_decisions(plan, "John Smith")} == {Action.ALLOW}
    assert {d.action for d in name_decisions(plan, "Jane Smith")} == {Action.REDACT}
    assert {d.action for d in name_decisions(plan, "Smith")} == {Action.REDACT}


def test_normalise_name() -> None:
    assert normalise_name("  John\n Smith\u2019s ") == "john smith"
    assert normalise_name("JONES'") == "jones"
    assert normalise_name("Ｊｏｈｎ") == "john"  # NFKC: full-width letters
    assert normalise_name("O\u2019Brien") == "o'brien"


def test_deny_list_beats_the_allow_list(engine: Engine, tmp_path: Path) -> None:
    write(tmp_path / "officials.txt", OFFICIALS)
    path = write(tmp_path / "policy.yaml", RULE + "entities:\n  types:\n"
                 "    PERSON: {threshold: 0.5, deny: [John Smith]}\n")
    denying = engine_for(engine, path)
    plan = denying.check(make_doc("Ambassador John Smith met the press.\n"))
    (decision,) = name_decisions(plan, "John Smith")
    assert decision.action is Action.REDACT
    assert protection(decision, plan.document, denying.policy) == \
        "on the policy's deny-list of PERSON"


# ------------------------------------------------------------------- protection cues


def test_strictly_protect_in_the_paragraph_overrides_the_allow_list(officials: Engine) -> None:
    text = ("Ambassador Maria Lopez opened the session on trade.\n\n"
            "Later, Ambassador John Smith (strictly protect) told us\n"
            "that the talks had failed.\n")
    plan = officials.check(make_doc(text))
    (smith,) = name_decisions(plan, "John Smith")
    assert smith.action is Action.REDACT and smith.allowed_by is None
    assert protection(smith, plan.document, officials.policy) == \
        'protection cue "strictly protect" on line 3'
    assert {d.action for d in name_decisions(plan, "Maria Lopez")} == {Action.ALLOW}
    assert plan.verdict is Verdict.REDACT


@pytest.mark.parametrize("cue", ["(protect)", "(PROTECT)", "please protect", "Protect source",
                                 "strictly\nprotect", "(strictly protect throughout)"])
def test_cue_phrases_any_case_and_spacing(officials: Engine, cue: str) -> None:
    text = f"Ambassador John Smith met the press on Monday {cue} and left.\n"
    (decision,) = name_decisions(officials.check(make_doc(text)), "John Smith")
    assert decision.action is Action.REDACT and decision.protected_by


def test_cue_words_inside_other_words_are_not_cues(officials: Engine) -> None:
    text = "Ambassador John Smith visited the protected area and the protection unit.\n"
    plan = officials.check(make_doc(text))
    assert {d.action for d in name_decisions(plan, "John Smith")} == {Action.ALLOW}
    assert not [f for f in plan.findings if f.label == "protect"]


def test_a_cue_protects_every_mention_of_the_name(officials: Engine) -> None:
    """A name protected in one paragraph is not released in another."""
    text = ("Ambassador John Smith met the press on Monday.\n\n"
            "The minister's adviser, Smith (protect), disagreed.\n")
    plan = officials.check(make_doc(text))
    (first,) = [d for d in name_decisions(plan, "John Smith")]
    assert first.action is Action.REDACT
    assert protection(first, plan.document, officials.policy) == \
        'protection cue "(protect)" on line 3 (the same name, line 3, column 25)'


SCOPED = RULE + """\
cues:
  - id: protect
    scope: sentence
    phrases: [strictly protect, protect]
"""
TWO_SENTENCES = ("Ambassador John Smith opened the session on Monday. Mr. Haddad said that "
                 "Ambassador Maria Lopez (strictly protect) spoke next.\n")


def test_sentence_scope_protects_only_the_cue_sentence(engine: Engine, tmp_path: Path) -> None:
    write(tmp_path / "officials.txt", OFFICIALS)
    scoped = engine_for(engine, write(tmp_path / "p.yaml", SCOPED))
    plan = scoped.check(make_doc(TWO_SENTENCES))
    assert {d.action for d in name_decisions(plan, "John Smith")} == {Action.ALLOW}
    assert {d.action for d in name_decisions(plan, "Maria Lopez")} == {Action.REDACT}


def test_paragraph_scope_protects_the_whole_paragraph(officials: Engine) -> None:
    plan = officials.check(make_doc(TWO_SENTENCES))
    assert {d.action for d in name_decisions(plan, "John Smith")} == {Action.REDACT}
    assert {d.action for d in name_decisions(plan, "Maria Lopez")} == {Action.REDACT}


def test_a_cue_sentence_of_its_own_speaks_for_the_sentence_before(engine: Engine,
                                                                 tmp_path: Path) -> None:
    write(tmp_path / "officials.txt", OFFICIALS)
    scoped = engine_for(engine, write(tmp_path / "p.yaml", SCOPED))
    text = ("Ambassador Maria Lopez chaired. Ambassador John Smith said the talks failed. "
            "(Strictly protect.) The minister agreed.\n")
    plan = scoped.check(make_doc(text))
    assert {d.action for d in name_decisions(plan, "John Smith")} == {Action.REDACT}
    assert {d.action for d in name_decisions(plan, "Maria Lopez")} == {Action.ALLOW}


def test_sentences_do_not_end_after_titles_or_initials() -> None:
    text = "Mr. J. Smith met Dr. Lopez at 5 p.m. on Monday. They spoke! Then? Done."
    spans = sentences_in(text, Span(0, len(text)))
    assert [text[s.start:s.end].strip() for s in spans] == [
        "Mr. J. Smith met Dr. Lopez at 5 p.m. on Monday.", "They spoke!", "Then?", "Done."]


def test_redact_keeps_the_allowed_name_and_removes_the_protected_one(
        run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "officials.txt", OFFICIALS)
    write(cwd_tmp / "p.yaml", RULE)
    write(cwd_tmp / "d.txt", "Ambassador Maria Lopez opened the session.\n\n"
                             "Ambassador John Smith (strictly protect) said the talks failed.\n")
    result = run_cli("redact", "d.txt", "-o", "out.txt", "--policy", "p.yaml")
    assert result.exit_code == 0, result.stderr
    copy = (cwd_tmp / "out.txt").read_text()
    assert "Maria Lopez" in copy and "Smith" not in copy
    assert run_cli("check", "out.txt", "--policy", "p.yaml").exit_code == 0


def test_reports_explain_the_protection_without_the_name(run_cli: Any, cwd_tmp: Path) -> None:
    import json

    write(cwd_tmp / "officials.txt", OFFICIALS)
    write(cwd_tmp / "p.yaml", RULE)
    write(cwd_tmp / "d.txt", "Ambassador Maria Lopez opened the session.\n\n"
                             "Ambassador John Smith (strictly protect) said the talks failed.\n")
    text = run_cli("check", "d.txt", "--policy", "p.yaml", "--explain").stdout
    assert ('allow-list not applied: protection cue "strictly protect" on line 3') in text
    assert "allow, on the allow-list of rule names (officials.txt)" in text
    assert '"strictly protect", protects its paragraph' in text
    report = json.loads(run_cli("check", "d.txt", "--policy", "p.yaml", "--format",
                                "json").stdout)
    document = report["documents"][0]
    protected = [f for f in document["findings"] if f["protected_by"]]
    assert [f["line"] for f in protected] == [3]
    where = {"start": 67, "end": 83, "line": 3, "column": 24, "block": "paragraph-2"}
    assert sorted(document["cues"], key=lambda c: c["id"]) == [
        {"id": "protect", "phrase": "strictly protect", "scope": "paragraph", **where},
        {"id": "source-protection", "phrase": "strictly protect", "scope": "sentence", **where}]
    for out in (text, json.dumps(report)):
        assert "Smith" not in out and "Lopez" not in out


def test_the_policy_files_in_a_checked_folder_are_not_documents(run_cli: Any,
                                                                 cwd_tmp: Path) -> None:
    # An allow file (and a policy named with --policy) beside the documents is listed as not
    # checked, and `redact` does not publish it.
    write(cwd_tmp / "docs" / ".redactor.yaml", RULE)
    write(cwd_tmp / "docs" / "officials.txt", OFFICIALS)
    write(cwd_tmp / "docs" / "memo.txt", "Meeting with John Smith and Harriet Okonkwo.\n")
    result = run_cli("check", "docs", "--format", "json", "--no-cache")
    documents = {d["path"]: d for d in json.loads(result.stdout)["documents"]}
    assert "a file of the policy" in documents["docs/officials.txt"]["skipped"]
    assert result.exit_code == 1 and documents["docs/memo.txt"]["verdict"] == "redact"
    assert run_cli("redact", "docs", "-o", "out").exit_code == 0
    assert sorted(p.name for p in (cwd_tmp / "out").iterdir()) == ["memo.txt"]
    write(cwd_tmp / "docs" / "policy.yaml", RULE)
    result = run_cli("check", "docs", "--policy", "docs/policy.yaml", "--no-cache")
    assert result.exit_code == 1, result.stdout  # not an unsupported .yaml document (exit 2)
