"""The e-mail format: a MIME message is read as its reader sees it — headers decoded (RFC
2047), every text part decoded from base64 or quoted-printable and its charset, HTML parts as
pages, forwarded messages with their own headers — and the copy keeps nothing removed in any
of them, in any encoding."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from helpers import NAMES, read_document

from redactor import formats
from redactor.engine import Engine
from redactor.errors import InputError
from redactor.model import Document
from redactor.release import make_release
from redactor.release.verify import verify

BODY = (f"UNCLASSIFIED\n\n(U) Ambassador {NAMES[1]} will meet the delegation on Tuesday.\n\n"
        "(SBU) The visa backlog will not clear before March.\n\nRegards\n")


def _message(cte: str = "base64") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{NAMES[0]} <kellingworth@example.org>"
    message["To"] = "=?utf-8?q?Ingrid_Halvorsen?= <ih@example.org>"
    message["Subject"] = "Visit"
    message["Date"] = "Tue, 01 Dec 2026 10:00:00 +0000"
    message.set_content(BODY, cte=cte)
    return message


def _bytes(message: EmailMessage) -> bytes:
    """The message's bytes with fixed boundaries (the library draws random ones, which the
    message's headers show: the test must read the same text every time)."""
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"boundary-{number}")
    return bytes(message)


def _read(tmp_path: Path, data: bytes, name: str = "note.eml") -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, name)


def _all_text(data: bytes) -> str:
    """Every header and decoded part of a message: what any mail reader could show."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    shown = [f"{k}: {v}" for part in message.walk() for k, v in part.items()]
    shown += [str(part.get_content()) for part in message.walk() if not part.is_multipart()
              and part.get_content_maintype() == "text"]
    return "\n".join(shown)


@pytest.mark.parametrize("cte", ["base64", "quoted-printable", "8bit"])
def test_every_transfer_encoding_is_decoded(tmp_path: Path, cte: str) -> None:
    doc = _read(tmp_path, _bytes(_message(cte)))
    assert doc.format == "email"
    assert NAMES[1] in doc.text and "(SBU) The visa backlog" in doc.text
    assert f"From: {NAMES[0]} <kellingworth@example.org>" in doc.text
    assert "To: Ingrid Halvorsen <ih@example.org>" in doc.text  # RFC 2047, decoded


def test_a_quoted_printable_soft_break_does_not_cut_a_name(tmp_path: Path) -> None:
    first, last = NAMES[1].split()
    raw = (f"From: a@example.org\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable"
           f"\n\n(U) Ambassador {first} {last[:3]}=\n{last[3:]} arrives on Tuesday.\n")
    assert NAMES[1] in _read(tmp_path, raw.encode()).text


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_the_copy_keeps_nothing_removed_in_any_part_or_header(engine: Engine, tmp_path: Path,
                                                               cte: str) -> None:
    message = _message(cte)
    message.add_alternative(f"<p>UNCLASSIFIED</p><p>(U) Ambassador {NAMES[1]} will meet "
                            "us.</p><p>(SBU) The visa backlog will not clear.</p>",
                            subtype="html", cte=cte)
    original = _read(tmp_path, _bytes(message))
    release = make_release(engine, engine.check(original), "note.eml")
    shown = _all_text(release.copy)
    for gone in (NAMES[0], NAMES[1], "Ingrid", "kellingworth@", "visa backlog"):
        assert gone not in shown and gone.encode() not in release.copy
    assert "will meet the delegation" in shown  # the (U) text stays
    copy = formats.EMAIL.reread(release.copy, original)
    assert copy.text.startswith(release.redaction.rendered.text)
    assert verify(engine, original, copy, release.copy).ok


def test_a_forwarded_message_is_read_with_its_headers(tmp_path: Path) -> None:
    outer = _message("7bit")
    outer.clear_content()
    outer.set_content("See below.\n")
    outer.add_attachment(_message("base64"))  # message/rfc822
    doc = _read(tmp_path, _bytes(outer))
    assert doc.text.count(f"From: {NAMES[0]}") == 2 and NAMES[1] in doc.text


def test_a_text_attachment_is_read_and_its_file_name_too(engine: Engine, tmp_path: Path) -> None:
    message = _message("7bit")
    message.add_attachment("Notes of the meeting.\n", filename=f"{NAMES[1]} notes.txt")
    doc = _read(tmp_path, _bytes(message))
    assert f"{NAMES[1]} notes.txt" in doc.text and "Notes of the meeting" in doc.text
    release = make_release(engine, engine.check(doc), "note.eml")
    assert NAMES[1].split()[1].encode() not in release.copy


def test_an_attachment_no_format_reads_is_refused(tmp_path: Path) -> None:
    message = _message()
    message.add_attachment(b"%PDF-1.4 ...", maintype="application", subtype="pdf",
                           filename="minutes.pdf")
    with pytest.raises(InputError, match=r"minutes\.pdf") as raised:
        _read(tmp_path, _bytes(message))
    assert raised.value.code == "unsupported"


def test_the_preamble_is_not_published(engine: Engine, tmp_path: Path) -> None:
    message = _message()
    message.add_alternative("<p>(U) x</p>", subtype="html")
    message.preamble = f"Hidden words about {NAMES[6]}"
    original = _read(tmp_path, _bytes(message))
    release = make_release(engine, engine.check(original), "note.eml")
    assert b"Hidden words" not in release.copy
