"""Rule conditions (redactor/policy/conditions.py): each `when:` key is defined once, and the
published schema holds exactly the registry's conditions."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from redactor.policy.conditions import CONDITIONS, when_schema
from redactor.policy.load import schema, schema_file


def test_the_schema_is_made_from_the_registry() -> None:
    """The published schema's `when` object is the registry's (schema.json holds no copy of
    it), with every condition and nothing else."""
    assert set(json.loads(schema_file())["$defs"]["when"]) == {"$comment"}
    assert schema()["$defs"]["when"] == when_schema()
    assert schema()["$defs"]["when"]["properties"].keys() == CONDITIONS.keys()
    assert schema()["$defs"]["when"]["additionalProperties"] is False


def test_every_condition_names_a_subject_and_compiles_its_schema() -> None:
    for condition in CONDITIONS.values():
        assert condition.subject in ("finding", "portion", "document"), condition.key
        jsonschema.Draft202012Validator.check_schema(condition.schema)


@pytest.mark.parametrize("key", sorted(CONDITIONS))
def test_an_unknown_when_key_is_refused_by_name(tmp_path: Path, key: str) -> None:
    from redactor.errors import PolicyError
    from redactor.policy import load_policy

    policy = tmp_path / "p.yaml"
    policy.write_text(f"name: p\nextends: [default]\nrules:\n"
                      f"  - {{id: x, when: {{{key}x: 1}}, action: flag}}\n")
    with pytest.raises(PolicyError) as raised:
        load_policy(policy)
    assert f"unknown key '{key}x'" in str(raised.value)
