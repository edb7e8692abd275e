"""Names near a source-protection cue: `when: {near_cue: ...}` and the `protected-sources` rule.

The names are put where the model cannot miss them; every sentence is invented here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_doc, write

from redactor.engine import Engine
from redactor.errors import PolicyError
from redactor.model import Action, Plan
from redactor.policy import load_policy


def plan_of(engine: Engine, text: str) -> Plan:
    return engine.check(make_doc(text, "memo.txt"))


def flagged(plan: Plan) -> list[str]:
    text = plan.document.text
    return [text[d.finding.span.start:d.finding.span.end] for d in plan.decisions
            if d.rule == "protected-sources" and d.action is Action.FLAG]


def test_a_name_in_the_sentence_of_an_explicit_cue_is_flagged(engine: Engine) -> None:
    text = ("Memo\n\nAmbassador John Harwick told us the cranes are idle (strictly protect). "
            "The ferry runs late.\n")
    plan = plan_of(engine, text)
    assert flagged(plan) == ["John Harwick"]
    # the name itself is still redacted by the names rule
    assert any(d.rule == "names" and d.action is Action.REDACT for d in plan.decisions)


def test_the_verb_protect_is_no_source_cue(engine: Engine) -> None:
    text = "Memo\n\nMinister Anna Kowalczyk will visit on Monday to protect the fishing fleet.\n"
    assert flagged(plan_of(engine, text)) == []


def test_another_mention_of_a_protected_name_is_flagged_too(engine: Engine) -> None:
    text = ("Memo\n\nAmbassador John Harwick spoke to us (please protect).\n\n"
            "Later that week Harwick met the press.\n")
    assert flagged(plan_of(engine, text)) == ["John Harwick", "Harwick"]


def test_a_cue_in_another_sentence_does_not_reach_the_name(engine: Engine) -> None:
    text = ("Memo\n\nAmbassador John Harwick spoke about the port. Another contact, who asked "
            "not to be named, added details (strictly protect).\n")
    assert flagged(plan_of(engine, text)) == []


@pytest.mark.parametrize(("value", "message"), [
    ("source-protektion", "no cue 'source-protektion'"),  # not defined: did you mean …
    ("[Not An Id]", "near_cue"),  # not an id: refused by the schema
])
def test_near_cue_must_name_a_defined_cue(tmp_path: Path, value: str, message: str) -> None:
    policy = write(tmp_path / "p.yaml", f"""\
name: p
extends: [default]
rules:
  - id: sources
    when: {{entity: PERSON, near_cue: {value}}}
    action: flag
""")
    with pytest.raises(PolicyError) as caught:
        load_policy(policy)
    assert message in str(caught.value)
    if "no cue" in message:
        assert "source-protection" in str(caught.value)  # did you mean
