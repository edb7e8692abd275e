"""The text format: bytes → Document. Encodings, BOMs, line endings kept, and every unreadable
input is an InputError naming the file (never a silent skip, never a silent guess)."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest
from helpers import SBU_CABLE, make_doc, read_document

from redactor.engine import Engine
from redactor.errors import InputError
from redactor.formats.text import encode
from redactor.options import DEFAULT_MAX_BYTES, CheckOptions
from redactor.release.rounds import redact

ENGLISH = ("The committee met on Tuesday and agreed the budget for the spring term.\n"
           "Minutes were taken by the secretary and circulated the next day.\n")
# Western European text whose accented letters differ between cp1252/latin-1 and cp1250.
WESTERN = ("The delegation from M\u00fcnchen arrived on Tuesday. Herr M\u00fcller and the "
           "se\u00f1ora from Espa\u00f1a met the mayor of Malm\u00f6.\nThe na\u00efve plan for "
           "the fa\u00e7ade at the caf\u00e9 was dropped, for now, they said.\n")


def read_bytes(tmp_path: Path, data: bytes, name: str = "doc.txt", **kwargs: object) -> object:
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, **kwargs)  # type: ignore[arg-type]


def test_utf8(tmp_path: Path) -> None:
    data = ("Caf\u00e9 \u00b6 2. " + ENGLISH).encode("utf-8")
    doc = read_bytes(tmp_path, data)
    assert doc.text == "Caf\u00e9 \u00b6 2. " + ENGLISH
    assert (doc.encoding, doc.source.bom) == ("utf-8", False)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    assert encode(doc.text, doc) == data


@pytest.mark.parametrize(("codec", "bom", "expected"), [
    ("utf-8", codecs.BOM_UTF8, "utf-8"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_byte_order_marks(tmp_path: Path, codec: str, bom: bytes, expected: str) -> None:
    text = "Caf\u00e9 notes\n" + ENGLISH
    data = bom + text.encode(codec)
    doc = read_bytes(tmp_path, data)
    assert doc.text == text, "the BOM is not part of the text"
    assert doc.encoding == expected
    assert doc.source.bom is True
    assert encode(doc.text, doc) == data, "written back with the same codec and BOM"


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_western_single_byte_text_is_decoded_correctly(tmp_path: Path, codec: str) -> None:
    data = WESTERN.encode(codec)
    doc = read_bytes(tmp_path, data)
    assert doc.text == WESTERN, f"decoded as {doc.encoding}"
    assert encode(doc.text, doc) == data


def test_cp1252_punctuation(tmp_path: Path) -> None:
    text = ("The committee met at the caf\u00e9 \u2014 the \u201cannex\u201d was closed, and "
            "it\u2019s settled.\n" + ENGLISH)
    doc = read_bytes(tmp_path, text.encode("cp1252"))
    assert doc.text == text
    assert doc.encoding != "utf-8"


def test_crlf_is_kept_in_the_text_and_in_the_redacted_copy(engine: Engine, tmp_path: Path) -> None:
    data = SBU_CABLE.replace("\n", "\r\n").encode("utf-8")
    doc = read_bytes(tmp_path, data)
    assert doc.text.count("\r\n") == SBU_CABLE.count("\n")
    copy = redact(engine, engine.check(doc)).rendered.text
    assert copy != doc.text, "something was redacted"
    assert copy.count("\r\n") == copy.count("\n") == doc.text.count("\n")
    assert "\r" not in copy.replace("\r\n", "")


def test_binary_file(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InputError) as err:
        read_bytes(tmp_path, data, "picture.txt")
    assert err.value.code == "unsupported"  # by its content: a PNG, whatever its name
    assert "picture.txt" in str(err.value)
    assert "a PNG image" in str(err.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  \n"], ids=["empty", "whitespace"])
def test_empty_and_whitespace_only(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError) as err:
        read_bytes(tmp_path, data, "blank.txt")
    assert err.value.code == "empty"
    assert "blank.txt" in str(err.value) and "empty" in str(err.value)


def test_whitespace_only_utf16(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_bytes(tmp_path, codecs.BOM_UTF16_LE + "  \n \n".encode("utf-16-le"))
    assert err.value.code == "empty"


def test_truncated_utf8(tmp_path: Path) -> None:
    data = (ENGLISH + "Caf\u00e9").encode("utf-8")[:-1]
    with pytest.raises(InputError) as err:
        read_bytes(tmp_path, data, "cut.txt")
    assert err.value.code == "truncated"
    assert "cut.txt" in str(err.value)


def test_over_size_limit_is_configurable(tmp_path: Path) -> None:
    data = ENGLISH.encode()
    with pytest.raises(InputError) as err:
        read_bytes(tmp_path, data, "big.txt", max_bytes=len(data) - 1)
    assert err.value.code == "too-large"
    assert "big.txt" in str(err.value) and "--max-file-size" in str(err.value)
    assert read_bytes(tmp_path, data, "big.txt", max_bytes=len(data)).text == ENGLISH


def test_default_size_limit_is_documented_five_mebibytes(tmp_path: Path) -> None:
    assert DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.write(b"a line of text\n" * (DEFAULT_MAX_BYTES // 15 + 1))
    with pytest.raises(InputError) as err:
        read_document(path)
    assert err.value.code == "too-large"


def test_unknown_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_bytes(tmp_path, ENGLISH.encode(), encoding="klingon-8")
    assert err.value.code == "undecodable"
    assert "klingon-8" in str(err.value)


def test_forced_encoding_that_does_not_fit(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_bytes(tmp_path, WESTERN.encode("latin-1"), encoding="utf-8")
    assert err.value.code == "undecodable"
    assert "utf-8" in str(err.value)


def test_forced_encoding_is_used(tmp_path: Path) -> None:
    doc = read_bytes(tmp_path, WESTERN.encode("latin-1"), encoding="latin-1")
    assert doc.text == WESTERN
    assert doc.encoding == "latin-1"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_document(tmp_path / "nope.txt")
    assert err.value.code == "not-found"
    assert "nope.txt" in str(err.value)


def test_engine_passes_its_limit_and_encoding(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(WESTERN.encode("latin-1"))
    limited = Engine(engine.policy, CheckOptions(max_bytes=10), engine.models)
    with pytest.raises(InputError):
        limited.read(path)
    forced = Engine(engine.policy, CheckOptions(encoding="latin-1"), engine.models)
    assert forced.read(path).text == WESTERN


def test_make_doc_helper_matches_reader(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    assert read_document(path, display="doc.txt") == make_doc(ENGLISH)


ASCII_MEMO = "Meeting with Harriet Okonkwo and Tomas Lindqvist about the budget!\n" * 2


@pytest.mark.parametrize("how", ["stray byte-order mark", "--encoding utf-16-le"])
def test_8bit_text_read_as_utf16_is_refused(tmp_path: Path, how: str) -> None:
    # It decodes without error into characters that hide every name: it must not pass.
    data = ASCII_MEMO.encode("ascii")
    assert len(data) % 2 == 0
    path = tmp_path / "memo.txt"
    if how == "stray byte-order mark":
        path.write_bytes(codecs.BOM_UTF16_LE + data)
        encoding = None
    else:
        path.write_bytes(data)
        encoding = "utf-16-le"
    with pytest.raises(InputError, match="8-bit text"):
        read_document(path, encoding=encoding)


CHINESE_MEMO = "会议记录：张伟和李娜讨论了预算。今天天气很好。\n" * 3


@pytest.mark.parametrize("text", [ASCII_MEMO, CHINESE_MEMO])
def test_real_utf16_text_is_read(tmp_path: Path, text: str) -> None:
    path = tmp_path / "memo.txt"
    path.write_bytes(text.encode("utf-16"))
    assert read_document(path).text == text
