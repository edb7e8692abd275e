"""The result cache (redactor/cache/): same reports from the cache as without it, new results
after a policy or content change, nothing written with --no-cache, corrupt entries ignored, and
no document text in the cache."""

from __future__ import annotations

import gc
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import make_doc, write

from redactor.cache import FORMAT, Cache, _header
from redactor.engine import Engine
from redactor.model import Allowance, Document, Finding, FoundBy, Plan, Span
from redactor.options import CheckOptions
from redactor.policy import Policy, load_policy

# Written for these tests: invented people. The initial and the title are the evidence of the
# findings they lead to.
MEMO = """Subject: harbour visit

1. Deputy Minister Ilse Marrow met AMBASSADOR TEODOR VANTIC on Tuesday.
2. The minutes were sent to J. Pelloway (jpelloway@example.org) the next day.
3. Marrow will call Vantic again.
"""
SENSITIVE = ("Ilse", "Marrow", "Teodor", "TEODOR", "Vantic", "VANTIC", "Pelloway", "jpelloway")


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def hit(cache: Cache, document: Document, policy: Policy) -> Plan | None:
    """What a run finds in the cache for the document: written to a file (in the cache
    folder, where no entry is looked for) and looked up as check_paths does."""
    path = cache.folder / "documents" / document.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(document.text.encode(document.encoding))
    return cache.lookup(path, document.path, policy)


def test_cached_reports_are_the_uncached_reports(run_cli: Any, cwd_tmp: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write(cwd_tmp / "docs" / "memo.txt", MEMO)
    write(cwd_tmp / "docs" / "notice.txt", "The reading room opens at nine.\n")
    write(cwd_tmp / "docs" / "legacy.txt", MEMO.replace("Marrow", "Mårrów"), "cp1252")
    (cwd_tmp / "docs" / "bom.md").write_bytes(b"\xef\xbb\xbf" + MEMO.encode())
    uncached = {}
    for fmt in ("text", "json", "sarif"):
        result = run_cli("check", "docs", "--no-cache", "--format", fmt, "--explain")
        assert result.exit_code == 1
        uncached[fmt] = result.stdout
    assert not (cwd_tmp / ".redactor_cache").exists(), "--no-cache writes nothing"
    assert run_cli("check", "docs").exit_code == 1  # fills the cache
    cache = cwd_tmp / ".redactor_cache"
    assert len(entries(cache / f"v{FORMAT}")) == 4
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")

    def never(self: Engine, document: Document) -> None:
        raise AssertionError("checked again although cached")

    monkeypatch.setattr(Engine, "check", never)
    for fmt in ("text", "json", "sarif"):
        result = run_cli("check", "docs", "--format", fmt, "--explain")
        assert result.exit_code == 1
        assert result.stdout == uncached[fmt]


def cued(plan: Plan) -> Plan:
    """The plan with its first two names found after a title and an initial, as the title and
    initials layers find them: their evidence is the document's `AMBASSADOR` and `J.`."""
    text = plan.document.text
    title, initial = text.index("AMBASSADOR"), text.index("J.")
    evidence = iter([(FoundBy.TITLE_CUE, Span(title, title + 10)),
                     (FoundBy.INITIALS, Span(initial, initial + 2))])
    changed: dict[Finding, Finding] = {}
    for finding in plan.findings:
        if finding.entity_type == "PERSON" and (cue := next(evidence, None)):
            changed[finding] = replace(finding, found_by=cue[0], evidence=(cue[1],))
    findings = tuple(changed.get(f, f) for f in plan.findings)
    decisions = tuple(replace(d, finding=changed.get(d.finding, d.finding))
                      for d in plan.decisions)
    return replace(plan, findings=findings, decisions=decisions)


def test_the_cache_holds_no_document_text(engine: Engine, tmp_path: Path) -> None:
    document = make_doc(MEMO, "memo.txt")
    plan = cued(engine.check(document))
    assert sum(bool(f.evidence) for f in plan.findings) == 2
    cache = Cache(tmp_path, CheckOptions(max_bytes=1_000_000))
    assert cache.put(document, engine.policy, plan)
    data = b"".join(p.read_bytes() for p in entries(tmp_path))
    for word in (*SENSITIVE, "Ambassador", "AMBASSADOR", "Minister", "harbour", "J."):
        assert word.encode() not in data, word
    assert hit(cache, document, engine.policy) == plan


def test_the_cache_holds_no_wording(engine: Engine, tmp_path: Path) -> None:
    """Explanations and reasons are put into words at report time: an entry holds ids and
    spans, never the sentences (nor the policy's reasons, read back from the policy)."""
    document = make_doc(MEMO, "memo.txt")
    cache = Cache(tmp_path, CheckOptions(max_bytes=1_000_000))
    assert cache.put(document, engine.policy, engine.check(document))
    data = b"".join(p.read_bytes() for p in entries(tmp_path))
    for wording in (b"after the title", b"found by", b"same name", b"(b)(6)", b"allow-list"):
        assert wording not in data, wording


def test_a_plan_with_a_baseline_acceptance_is_not_cached(engine: Engine, tmp_path: Path) -> None:
    """A baseline accepts findings of one run, not of the document: such a plan is never an
    entry (the run applies its baseline after the cache)."""
    document = make_doc(MEMO, "memo.txt")
    plan = engine.check(document)
    first = plan.decisions[0]
    accepted = replace(first, allowed_by=Allowance(first.rule, baseline="reviewed (reviewer A)"))
    plan = replace(plan, decisions=(accepted, *plan.decisions[1:]))
    cache = Cache(tmp_path, CheckOptions(max_bytes=1_000_000))
    assert not cache.put(document, engine.policy, plan)
    assert not entries(tmp_path)


ALLOWING = """\
name: officials
extends: [default]
cues:
  - {id: protect, phrases: [strictly protect], scope: paragraph}
rules:
  - id: names
    when: {entity: PERSON}
    action: redact
    reason: (b)(6)
    replacement: "[NAME]"
    allow: [Ilse Marrow, Teodor Vantic]
"""


def test_every_decision_comes_back_as_it_was(engine: Engine, tmp_path: Path) -> None:
    """Allow-list decisions (no replacement), protected ones (a cue, another mention), a
    rule's own replacement: the cache gives back the very plan."""
    policy = load_policy(write(tmp_path / "p.yaml", ALLOWING))
    checker = Engine(policy, models=engine.models)
    document = make_doc(MEMO + "4. Marrow (strictly protect) called again.\n", "memo.txt")
    plan = checker.check(document)
    kinds = {(d.action, d.allowed_by is not None, d.protected_by is not None,
              d.replacement is not None) for d in plan.decisions if d.rule == "names"}
    assert {("allow", True, False, False), ("redact", False, True, True)} <= kinds
    cache = Cache(tmp_path / "cache", CheckOptions(max_bytes=1_000_000))
    assert cache.put(document, policy, plan)
    assert hit(cache, document, policy) == plan


def test_a_policy_or_content_change_is_a_miss(engine: Engine, tmp_path: Path) -> None:
    document = make_doc(MEMO, "memo.txt")
    cache = Cache(tmp_path, CheckOptions(max_bytes=1_000_000))
    cache.put(document, engine.policy, engine.check(document))
    assert hit(cache, document, engine.policy) is not None
    assert hit(cache, make_doc(MEMO, "elsewhere/memo.txt"), engine.policy) is not None
    assert hit(cache, document, load_policy("pii")) is None
    assert hit(cache, make_doc(MEMO.replace("Tuesday", "Friday")), engine.policy) is None
    for other in (Cache(tmp_path, CheckOptions(layout="generic", max_bytes=1_000_000)),
                  Cache(tmp_path, CheckOptions(max_bytes=999_999)),
                  Cache(tmp_path, CheckOptions(max_bytes=1_000_000, encoding="latin-1"))):
        assert hit(other, document, engine.policy) is None


def test_a_policy_file_change_is_a_miss_on_the_command_line(
        run_cli: Any, cwd_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(cwd_tmp / "memo.txt", MEMO)
    policy = write(cwd_tmp / "policy.yaml", "name: mine\nextends: [default]\n")
    assert run_cli("check", "memo.txt", "--policy", policy).exit_code == 1
    assert len(entries(cwd_tmp / ".redactor_cache")) == 1
    write(policy, "name: changed\nextends: [default]\n")
    assert run_cli("check", "memo.txt", "--policy", policy).exit_code == 1
    assert len(entries(cwd_tmp / ".redactor_cache")) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "altered", "other-key",
                                    "foreign-offsets", "bad-index", "span-outside",
                                    "span-reversed", "span-odd", "span-float"])
def test_a_corrupt_entry_is_ignored(engine: Engine, tmp_path: Path, damage: str) -> None:
    document = make_doc(MEMO, "memo.txt")
    cache = Cache(tmp_path, CheckOptions(max_bytes=1_000_000))
    cache.put(document, engine.policy, engine.check(document))
    [entry] = entries(tmp_path)
    header, body = entry.read_text().split("\n", 1)
    _, _, key, _ = header.split()

    def signed(new_body: str) -> str:  # damage that the checksum line does not catch
        return _header(key, new_body.encode()).decode() + "\n" + new_body

    if damage == "garbage":
        entry.write_bytes(b"\x00\xff not json")
    elif damage == "truncated":
        entry.write_text(header + "\n" + body[: len(body) // 2])
    elif damage == "altered":
        entry.write_text(header + "\n" + body.replace('"redact"', '"allow"'))
    elif damage == "other-key":
        entry.write_text(header.replace(key, "0" * 64) + "\n" + body)
    elif damage == "foreign-offsets":
        entry.write_text(signed(re.sub(r"\[\d+,\d+\]", "[99990,99999]", body)))
    elif damage == "bad-index":
        entry.write_text(signed(body.replace('"strings":[', '"strings":[[[1,2,3]],')))
    else:  # a span table that does not fit the document
        bad = {"span-outside": "0,99999,", "span-reversed": "5,2,", "span-odd": "1,",
               "span-float": "0.5,2,"}[damage]
        assert '"spans":[' in body
        entry.write_text(signed(body.replace('"spans":[', '"spans":[' + bad)))
    assert hit(cache, document, engine.policy) is None


def test_a_corrupt_entry_is_recomputed_by_check(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "memo.txt", MEMO)
    first = run_cli("check", "memo.txt", "--format", "json")
    [entry] = entries(cwd_tmp / ".redactor_cache")
    entry.write_text('redactor-cache 1 nonsense\n{}')
    again = run_cli("check", "memo.txt", "--format", "json")
    assert again.exit_code == first.exit_code == 1 and again.stdout == first.stdout


def test_cache_dir_option_and_unwritable_cache(run_cli: Any, cwd_tmp: Path) -> None:
    write(cwd_tmp / "memo.txt", MEMO)
    assert run_cli("check", "memo.txt", "--cache-dir", "elsewhere").exit_code == 1
    assert entries(cwd_tmp / "elsewhere") and not (cwd_tmp / ".redactor_cache").exists()
    blocker = write(cwd_tmp / "a-file", "x")
    result = run_cli("check", "memo.txt", "--cache-dir", blocker / "cache")
    assert result.exit_code == 1  # a cache that cannot be written never fails the run


def test_a_run_of_cache_hits_starts_no_worker(run_cli: Any, cwd_tmp: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import MEMO, SBU_CABLE

    import redactor.run

    for i in range(3):
        write(cwd_tmp / "docs" / f"cable{i}.txt", SBU_CABLE.replace("000777", f"00077{i}"))
        write(cwd_tmp / "docs" / f"memo{i}.md", MEMO + f"\nRef {i}.\n")
    first = run_cli("check", "docs", "--jobs", "1", "--format", "json")

    def no_workers(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a worker was started for cache hits")

    monkeypatch.setattr(redactor.run, "_in_workers", no_workers)
    again = run_cli("check", "docs", "--jobs", "2", "--format", "json")
    assert again.exit_code == first.exit_code == 1
    assert again.stdout == first.stdout


@pytest.mark.parametrize("enabled", [True, False])
def test_answering_from_the_cache_leaves_the_collector_as_it_was(
        run_cli: Any, cwd_tmp: Path, enabled: bool) -> None:
    write(cwd_tmp / "memo.txt", MEMO)
    assert run_cli("check", "memo.txt").exit_code == 1  # fills the cache
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert run_cli("check", "memo.txt").exit_code == 1
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_only_a_run_that_asks_freezes_what_the_cache_answered(engine: Engine,
                                                              cwd_tmp: Path) -> None:
    from redactor.options import DEFAULT_MAX_BYTES, CheckOptions
    from redactor.run import check_paths

    write(cwd_tmp / "memo.txt", MEMO)
    options = CheckOptions(max_bytes=DEFAULT_MAX_BYTES)
    cache = Cache(cwd_tmp / "cache", CheckOptions(max_bytes=DEFAULT_MAX_BYTES))
    check_paths(("memo.txt",), options, cache=cache)  # fills the cache
    gc.unfreeze()
    [hit], _ = check_paths(("memo.txt",), options, cache=cache)
    assert hit.plan is not None and gc.get_freeze_count() == 0
    check_paths(("memo.txt",), options, cache=cache, freeze=True)
    assert gc.get_freeze_count() > 0
