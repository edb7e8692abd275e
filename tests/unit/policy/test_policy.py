"""policy: built-in packs, extends, discovery, and an error naming file, line and key for every
kind of mistake; the `redactor policy` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import write

from redactor.errors import PolicyError
from redactor.model import Action
from redactor.policy import builtin_packs, discover, load_policy, schema

ACTIONS = [a.value for a in Action]


def policy_file(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    return write(tmp_path / name, text)


def load_error(ref: Path | str) -> PolicyError:
    with pytest.raises(PolicyError) as err:
        load_policy(ref)
    return err.value


# ---------------------------------------------------------------- built-in packs


def test_builtin_packs() -> None:
    assert set(builtin_packs()) == {"default", "us-classification", "state-cable", "pii",
                                    "foia-stamps", "cui", "tlp", "uk-gscp", "nato-eu",
                                    "corporate"}


def test_default_policy() -> None:
    policy = load_policy()
    assert policy.name == "default"
    assert policy.levels == ("unclassified", "sbu", "confidential", "secret", "top-secret")
    rules = {r.id: r for r in policy.rules}
    assert rules["classified-document"].action is Action.BLOCK
    assert rules["sbu-portions"].action is Action.WITHHOLD
    assert rules["names"].action is Action.REDACT
    assert rules["no-web"].action is Action.WITHHOLD
    assert "PERSON" in policy.entity_types
    markings = {m.id: m for m in policy.markings}
    assert markings["sensitive-caption"].level == "sbu"
    assert markings["secret"].regex.search("S E C R E T")
    assert markings["confidential"].regex.search("C O N F I D E N T I A L")
    assert [Path(f).name for f in policy.files] == [
        "us-classification.yaml", "state-cable.yaml", "pii.yaml", "foia-stamps.yaml",
        "default.yaml"]


@pytest.mark.parametrize("pack", ["us-classification", "state-cable", "pii", "foia-stamps",
                                  "default"])
def test_each_pack_loads_by_name(pack: str) -> None:
    assert load_policy(pack).name == pack


def test_pii_pack_alone_has_no_levels_or_markings() -> None:
    pii = load_policy("pii")
    assert pii.levels == () and pii.markings == ()
    assert {r.id for r in pii.rules} == {"names", "protected-sources", "contact-details",
                                         "personal-identifiers"}


def test_extends_adds_and_overrides(tmp_path: Path) -> None:
    path = policy_file(tmp_path, """\
name: acme
extends: [default]
markings:
  - {id: acme-internal, where: [banner, phrase], level: sbu, words: [ACME INTERNAL]}
rules:
  - {id: names, when: {entity: PERSON}, action: flag, reason: review names,
     allow: [Hillary Clinton]}
disable_rules: [embassy-comments]
output:
  redaction: "[REMOVED {reason}]"
""")
    policy = load_policy(path)
    assert policy.name == "acme"
    rules = {r.id: r for r in policy.rules}
    assert rules["names"].action is Action.FLAG, "a rule with the same id overrides"
    assert rules["names"].allow == frozenset({"hillary clinton"})
    assert "embassy-comments" not in rules
    assert "classified-document" in rules
    assert any(m.id == "acme-internal" for m in policy.markings)
    assert policy.output.redaction == "[REMOVED {reason}]"
    assert str(path) in policy.files


def test_extends_a_relative_file(tmp_path: Path) -> None:
    policy_file(tmp_path, "name: base\nextends: [us-classification]\n", "base.yaml")
    child = policy_file(tmp_path / "sub", "name: child\nextends: [../base.yaml]\n")
    policy = load_policy(child)
    assert policy.name == "child" and "confidential" in policy.levels


def test_fingerprint_is_stable_and_changes_with_the_policy(tmp_path: Path) -> None:
    assert load_policy().fingerprint == load_policy().fingerprint
    path = policy_file(tmp_path, "name: x\nextends: [default]\ndisable_rules: [names]\n")
    assert load_policy(path).fingerprint != load_policy().fingerprint


# ---------------------------------------------------------------- errors: file, line, key

ERRORS: list[tuple[str, str, int, list[str]]] = [
    ("yaml-syntax", "name: x\nrules:\n  - {id: a, when: {entity: PERSON}, action: redact\n", 4,
     ["YAML syntax error"]),
    ("unknown-key", "name: x\nextends: [default]\nrulez: []\n", 3,
     ["unknown key 'rulez'", "rules"]),
    ("unknown-action",
     "name: x\nextends: [default]\nrules:\n  - id: web\n    when: {flag: no-internet}\n"
     "    action: withold\n", 6,
     ["rules[0].action", "'withold'", *ACTIONS, "withhold"]),
    ("undefined-marking",
     "name: x\nextends: [default]\nrules:\n  - id: r\n    when: {marking: top-secrett}\n"
     "    action: block\n", 5,
     ["rules[0].when.marking", "'top-secrett'", "top-secret"]),
    ("unknown-level",
     "name: x\nextends: [default]\nrules:\n  - id: r\n    when: {document_level: '>= ultra'}\n"
     "    action: block\n", 5,
     ["rules[0].when.document_level", "unknown level 'ultra'", "confidential"]),
    ("marking-level",
     "name: x\nextends: [default]\nmarkings:\n  - id: m\n    where: [banner]\n"
     "    words: [ACME]\n    level: secrett\n", 7,
     ["markings[0].level", "'secrett'"]),
    ("bad-regex",
     "name: x\nmarkings:\n  - id: m\n    where: [phrase]\n    patterns:\n      - 'ok'\n"
     "      - '(unclosed'\n", 7,
     ["markings[0].patterns[1]", "invalid regular expression"]),
    ("unknown-pack", "name: x\nextends:\n  - default\n  - us-clasification\n", 4,
     ["extends[1]", "'us-clasification'", "us-classification"]),
    # The alias (*base) is used on line 3, under the key `description`.
    ("alias", "name: x\nextends: &base [default]\ndescription: *base\n", 3,
     ["aliases", "description"]),
    ("entity-not-enabled",
     "name: x\nextends: [us-classification]\nrules:\n  - id: r\n    when: {entity: PERSON}\n"
     "    action: redact\n", 5,
     ["rules[0].when.entity", "'PERSON'", "entities.types"]),
    ("disable-unknown-rule", "name: x\nextends: [default]\ndisable_rules: [namez]\n", 3,
     ["disable_rules", "'namez'", "names"]),
    ("bad-template", "name: x\nextends: [default]\noutput:\n  redaction: '[GONE {who}]'\n", 4,
     ["output.redaction", "{who}"]),
    ("not-a-mapping", "- just\n- a list\n", 1, ["mapping"]),
    ("missing-name", "extends: [default]\n", 1, ["'name'"]),
    ("duplicate-key", "name: x\nname: y\n", 2, ["duplicate key 'name'"]),
]


@pytest.mark.parametrize(("text", "line", "needles"),
                         [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_policy_error_names_file_line_and_key(tmp_path: Path, text: str, line: int,
                                              needles: list[str]) -> None:
    path = policy_file(tmp_path, text)
    message = str(load_error(path))
    assert message.startswith(f"{path}:{line}: "), message
    for needle in needles:
        assert needle in message, f"{needle!r} missing from: {message}"


def test_extends_cycle(tmp_path: Path) -> None:
    a = policy_file(tmp_path, "name: a\nextends: [b.yaml]\n", "a.yaml")
    policy_file(tmp_path, "name: b\nextends: [default, a.yaml]\n", "b.yaml")
    message = str(load_error(a))
    assert "cycle" in message
    assert "a.yaml" in message and "b.yaml" in message


def test_extends_itself(tmp_path: Path) -> None:
    a = policy_file(tmp_path, "name: a\nextends: [a.yaml]\n", "a.yaml")
    assert "cycle" in str(load_error(a))


def test_missing_policy_file(tmp_path: Path) -> None:
    message = str(load_error(tmp_path / "nope.yaml"))
    assert "nope.yaml" in message and "not found" in message


def test_unknown_pack_name_suggests_the_nearest() -> None:
    message = str(load_error("defualt"))
    assert "'defualt'" in message and "Did you mean 'default'" in message


def test_error_in_an_extended_file_names_that_file(tmp_path: Path) -> None:
    policy_file(tmp_path, "name: base\nextends: [default]\nrules:\n  - id: r\n"
                "    when: {flag: nodis}\n    action: withold\n", "base.yaml")
    child = policy_file(tmp_path, "name: child\nextends: [base.yaml]\n", "child.yaml")
    message = str(load_error(child))
    assert message.startswith(f"{tmp_path / 'base.yaml'}:6: "), message


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    text = "name: x\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    assert "aliases" in str(load_error(policy_file(tmp_path, text)))


def test_python_tags_are_not_constructed(tmp_path: Path) -> None:
    text = "name: !!python/object/apply:os.system ['echo pwned']\n"
    err = load_error(policy_file(tmp_path, text))
    assert str(tmp_path) in str(err)


# ---------------------------------------------------------------- discovery


def test_discovery_walks_upward(tmp_path: Path) -> None:
    config = write(tmp_path / "project" / ".redactor.yaml", "name: p\nextends: [default]\n")
    doc = write(tmp_path / "project" / "docs" / "2024" / "memo.txt", "hello\n")
    assert discover(doc) == config
    assert discover(doc.parent) == config
    nearer = write(tmp_path / "project" / "docs" / ".redactor.yaml", "name: q\n")
    assert discover(doc) == nearer


def test_discovery_finds_nothing_outside(tmp_path: Path) -> None:
    write(tmp_path / "project" / ".redactor.yaml", "name: p\n")
    other = write(tmp_path / "elsewhere" / "memo.txt", "hello\n")
    found = discover(other)
    # /tmp and its parents hold no .redactor.yaml on the test machine; if one ever did, it must
    # at least not be the project's, which is not above `other`.
    assert found is None or found.parent not in other.parents or found == tmp_path
    assert found != tmp_path / "project" / ".redactor.yaml"


# ---------------------------------------------------------------- `redactor policy`


def test_policy_list(run_cli: Any) -> None:
    result = run_cli("policy", "list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert names == ["corporate", "cui", "default", "foia-stamps", "nato-eu", "pii",
                     "state-cable", "tlp", "uk-gscp", "us-classification"]
    assert "classified documents" in result.stdout.lower()


def test_policy_show_builtin(run_cli: Any, cwd_tmp: Path) -> None:
    result = run_cli("policy", "show", "default")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# effective policy 'default'")
    assert "levels: [unclassified, sbu, confidential, secret, top-secret]" in out
    assert re.search(r"id: sbu-portions.*# <built-in>/state-cable\.yaml:\d+", out)


def test_policy_show_uses_the_discovered_config(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / ".redactor.yaml", "name: here\nextends: [default]\ndisable_rules: [names]\n")
    result = run_cli("policy", "show")
    assert result.exit_code == 0
    assert "# effective policy 'here'" in result.stdout
    assert "id: names" not in result.stdout


def test_policy_validate_ok_and_bad(run_cli: Any, tmp_path: Path) -> None:
    good = policy_file(tmp_path, "name: good\nextends: [default]\n", "good.yaml")
    result = run_cli("policy", "validate", good)
    assert result.exit_code == 0
    assert f"{good}: ok" in result.stdout
    bad = policy_file(tmp_path, "name: bad\nextends: [default]\nrules:\n  - id: r\n"
                      "    when: {flag: nodis}\n    action: withold\n", "bad.yaml")
    result = run_cli("policy", "validate", good, bad)
    assert result.exit_code == 2
    assert f"{bad}:6: rules[0].action: 'withold' is not one of" in result.stderr
    assert result.stderr.count("\n") == 1, "one clear message"


def test_policy_schema_is_the_published_json_schema(run_cli: Any) -> None:
    result = run_cli("policy", "schema")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == schema()
    assert printed["$defs"]["rule"]["properties"]["action"]["enum"] == ACTIONS


def test_every_builtin_pack_validates_against_the_schema(run_cli: Any) -> None:
    result = run_cli("policy", "validate", *builtin_packs().values())
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(": ok") == len(builtin_packs())
