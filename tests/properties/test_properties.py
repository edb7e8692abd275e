"""The invariants of docs/architecture.md on generated documents: round trip, no residue, never in
place, deterministic. Documents are built from names, markings, paragraph structures, line
endings and encodings chosen by hypothesis; each example runs the real engine, so example counts
are modest."""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from helpers import NAMES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.cli import cli
from redactor.engine import Engine
from redactor.model import Action, Verdict
from redactor.release.rounds import redact

SENTENCES = (
    "{name} told the delegation that the talks would resume in June.",
    "According to {name}, the ministry has not yet approved the budget.",
    "The meeting was chaired by {name}, who asked for a written summary.",
    "Deputy Minister {name} said the port would reopen next week.",
    "The harbor authority expects more traffic after the new customs rules.",
    "Press coverage of the reform has been light and mostly favorable.",
    "Questions about the schedule go to {name} at the ministry.",
)
MARKS = (None, "U", "SBU", "SBU-N", "FOUO")
ENCODINGS = {"utf-8": b"", "utf-8-bom": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
             "utf-16-be": codecs.BOM_UTF16_BE}
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
CLI_SETTINGS = settings(SETTINGS, max_examples=20)


@dataclass(frozen=True)
class Generated:
    text: str
    data: bytes
    encoding: str
    suffix: str


@st.composite
def paragraph(draw: st.DrawFn, number: int | None) -> str:
    sentences = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=len(sentences),
                          max_size=len(sentences)))
    body = " ".join(s.format(name=n) for s, n in zip(sentences, names, strict=True))
    if draw(st.booleans()):  # wrap over two lines
        cut = body.find(" ", len(body) // 2)
        if cut > 0:
            body = body[:cut] + "\n" + body[cut + 1:]
    used = [n for s, n in zip(sentences, names, strict=True) if "{name}" in s]
    if draw(st.booleans()) and used:  # a second mention of a surname, possessive or capitals
        surname = used[0].split()[-1]
        body += " " + draw(st.sampled_from([f"{surname}'s office agreed.",
                                            f"{surname.upper()} DECLINED TO COMMENT.",
                                            f"{surname} left early."]))
    mark = draw(st.sampled_from(MARKS))
    prefix = ""
    if number is not None:
        prefix += draw(st.sampled_from(["", "\u00b6"])) + f"{number}. "
    if mark:
        prefix += f"({mark}) "
    return prefix + body


@st.composite
def documents(draw: st.DrawFn) -> Generated:
    cable = draw(st.booleans())
    count = draw(st.integers(min_value=1, max_value=4))
    numbered = cable or draw(st.booleans())
    paragraphs = [draw(paragraph(i + 1 if numbered else None)) for i in range(count)]
    if cable:
        captions = draw(st.sampled_from([[], ["SENSITIVE"], ["SIPDIS"], ["SENSITIVE", "SIPDIS"]]))
        head = ["VZCZCXRO1234", "RR RUEHC", "DE RUEHLK #0101/01 0101010", "ZNR UUUUU ZZH",
                "FM AMEMBASSY LAKEHAVEN", "TO RUEHC/SECSTATE WASHDC 0101", "",
                "UNCLAS LAKEHAVEN 000101", "", *captions, "", "E.O. 12958: N/A",
                "TAGS: PGOV PREL", "SUBJECT: HARBOR TALKS", ""]
        text = "\n".join(head) + "\n" + "\n\n".join(paragraphs) + "\n"
        if draw(st.booleans()):
            text += "\n" + draw(st.sampled_from(NAMES)).split()[-1].upper() + "\n"
    else:
        banner = draw(st.sampled_from([None, "FOR OFFICIAL USE ONLY", "UNCLASSIFIED"]))
        parts = ([banner] if banner else []) + paragraphs + ([banner] if banner else [])
        text = "\n\n".join(parts) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    codec = "utf-8" if encoding == "utf-8-bom" else encoding
    data = ENCODINGS[encoding] + text.encode(codec)
    return Generated(text, data, encoding, draw(st.sampled_from([".txt", ".md"])))


@contextmanager
def workdir() -> Iterator[Path]:
    previous = Path.cwd()
    with tempfile.TemporaryDirectory() as name:
        os.chdir(name)
        try:
            yield Path(name)
        finally:
            os.chdir(previous)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def at_or_above_redact(plan: Any) -> list[Any]:
    return [d for d in plan.decisions if d.allowed_by is None
            and d.action.rank >= Action.REDACT.rank]


@SETTINGS
@given(doc=documents())
def test_round_trip_and_no_residue(engine: Engine, doc: Generated) -> None:
    with workdir() as folder:
        source = folder / f"doc{doc.suffix}"
        source.write_bytes(doc.data)
        document = engine.read(source, source.name)
        assert document.text == doc.text
        plan = engine.check(document)
        if plan.verdict is Verdict.BLOCK:
            return
        redaction = redact(engine, plan)
        copy = redaction.rendered.text
        # Round trip: the copy, checked afresh with the same policy, has nothing >= redact.
        again = engine.check(engine.read(_write_copy(folder, copy, document), "copy"))
        left = at_or_above_redact(again)
        assert left == [], [(d.rule, copy[d.finding.span.start:d.finding.span.end]) for d in left]
        # No residue: no removed text is left in the copy (names in any mention included).
        for removal in redaction.rendered.removals:
            removed = doc.text[removal.span.start:removal.span.end]
            assert removed not in copy, f"{removed!r} left in the copy"
        for name in NAMES:  # a name found once is found (and removed) everywhere
            surname = name.split()[-1]
            if name in doc.text:
                assert surname not in copy and surname.upper() not in copy, surname
        assert len(copy.splitlines()) == len(doc.text.splitlines()), "layout kept"
        assert source.read_bytes() == doc.data, "never in place"


def _write_copy(folder: Path, text: str, document: Any) -> Path:
    from redactor.formats.text import encode

    path = folder / "copy.txt"
    path.write_bytes(encode(text, document))
    return path


@CLI_SETTINGS
@given(doc=documents())
def test_cli_never_in_place_no_residue_and_deterministic(shared_analyzer: object,
                                                         doc: Generated) -> None:
    with workdir() as folder:
        name = f"doc{doc.suffix}"
        (folder / name).write_bytes(doc.data)
        outputs = []
        for _ in range(2):
            report = invoke("check", name, "--format", "json")
            assert report.exit_code in (0, 1), report.output
            verdict = json.loads(report.stdout)["documents"][0]["verdict"]
            done = invoke("redact", name, "-o", "public" + doc.suffix, "--log", "log.json",
                          "--force")
            assert (folder / name).read_bytes() == doc.data, "the input is never modified"
            if verdict == "block":
                assert done.exit_code == 1
                assert sorted(p.name for p in folder.iterdir()) == [name]
                outputs.append((report.stdout, None, None))
                continue
            assert done.exit_code == 0, done.output
            copy = (folder / ("public" + doc.suffix)).read_bytes()
            log = (folder / "log.json").read_bytes()
            outputs.append((report.stdout, copy, log))
            assert copy.startswith(ENCODINGS[doc.encoding]), "same encoding and BOM"
            codec = "utf-8" if doc.encoding == "utf-8-bom" else doc.encoding
            copy_text = copy[len(ENCODINGS[doc.encoding]):].decode(codec)
            log_text = log.decode("utf-8")
            for row in json.loads(log_text)["removals"]:
                removed = doc.text[row["start"]:row["end"]]
                assert removed not in copy_text
                assert removed not in log_text, f"{removed!r} in the log"
            assert ("\r\n" in copy_text) == ("\r\n" in doc.text)
            recheck = invoke("check", "public" + doc.suffix)
            assert recheck.exit_code == 0, recheck.stdout
        assert outputs[0] == outputs[1], "byte-identical report, copy and log"


STYLES = st.sampled_from(["label", "blocks", "pseudonym"])


@settings(SETTINGS, max_examples=25)
@given(doc=documents(), style=STYLES, release_line=st.booleans())
def test_every_output_style_passes_verify(engine: Engine, doc: Generated, style: str,
                                          release_line: bool) -> None:
    """`verify` holds on every copy `redact` makes, whatever the output style: no removed text
    in any case or spacing, the copy re-checks clean, it is the original with only the logged
    removals replaced, and the log matches."""
    from dataclasses import replace as replaced

    from redactor.release import make_release
    from redactor.release.verify import verify

    output = replaced(engine.policy.output, style=style,
                      marking="[RELEASED {date}]" if release_line else None)
    styled = Engine(replaced(engine.policy, output=output), models=engine.models)
    with workdir() as folder:
        source = folder / f"doc{doc.suffix}"
        source.write_bytes(doc.data)
        plan = styled.check(styled.read(source, source.name))
        if plan.verdict is Verdict.BLOCK:
            return
        release = make_release(styled, plan, "copy", "2026-11-27")
        copy_path = folder / f"copy{doc.suffix}"
        copy_path.write_bytes(release.copy)
        result = verify(styled, plan.document, styled.read(copy_path, "copy"), release.copy,
                        json.loads(release.log))
        assert result.ok, [(c.name, c.detail, c.problems) for c in result.checks if not c.ok]
        assert source.read_bytes() == doc.data, "never in place"
