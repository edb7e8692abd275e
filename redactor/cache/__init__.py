"""The result cache: an unchanged document under an unchanged policy is not checked again.

An entry is keyed on the sha256 of the document's bytes, the file's format, the effective
policy's fingerprint, redactor's version and a digest of its own source, the versions of what
the detectors and the format use under that policy (each declares its models and libraries:
redactor/detect/base.py, redactor/formats/base.py), and the options that change results
(layout, encoding, size limit). Anything else that changes gives another key; an entry that
cannot be read, parsed or checked is ignored and the document is checked again. Each entry's
first line holds its key and the sha256 of the rest, checked on every read: a truncated,
altered or misplaced entry is a miss.

The cache holds no text of the documents and no wording: an entry stores where each finding
is and what it is (offsets, kinds, labels, levels, rule ids, the spans of its evidence) —
explanations and reasons are put into words from those and from the policy when a report is
written. What entry.py stores as strings are identifiers and the labels of marks; every word
of them that also occurs in the document is stored as the offsets of that word, never as the
word, so that not even a paragraph number or a portion mark's label is in the clear. The
document's structure (blocks, portion marks, classification authority) is stored the same
way, so a hit needs no parsing.

Folder: `.redactor_cache` in the current directory by default (like ruff's `.ruff_cache`),
with a `.gitignore` holding `*` and a CACHEDIR.TAG so backup tools skip it. Entries are
written atomically; concurrent runs can share a folder.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from functools import cache as memoize
from pathlib import Path
from typing import Any

import orjson

from redactor import __version__, detect, fold, formats
from redactor.atomic import write_all
from redactor.cache.entry import FORMAT, CorruptEntry, decode_plan, encode_plan, text_sha256
from redactor.files import read_regular
from redactor.model import Document, Plan
from redactor.options import CheckOptions
from redactor.policy.model import Policy

DEFAULT_DIR = ".redactor_cache"
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by redactor.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")
class Cache:
    def __init__(self, folder: Path, options: CheckOptions) -> None:
        self.folder = folder
        self.options = options.cache_key()
        self.max_bytes = options.max_bytes
        self._ready = False
        self._libraries: dict[str, dict[str, str]] = {}  # by policy fingerprint

    def _versions(self, policy: Policy) -> dict[str, str]:
        """What the detectors use under the policy, with their installed versions."""
        if policy.fingerprint not in self._libraries:
            self._libraries[policy.fingerprint] = detect.libraries(policy)
        return self._libraries[policy.fingerprint]

    def key(self, document: Document, policy: Policy) -> str:
        return self._key(document.sha256, formats.format_named(document.format), policy)

    def _key(self, sha256: str, file_format: formats.Format, policy: Policy) -> str:
        # The file's format (the one its content chose): it reads the bytes (a Markdown
        # document is parsed as Markdown, an HTML page as HTML).
        parts = {"format": FORMAT, "tool": tool_fingerprint(), "content": sha256,
                 "policy": policy.fingerprint, "file_format": file_format.name,
                 "libraries": {**self._versions(policy),
                               **{n: detect.version_of(n) for n in file_format.libraries},
                               **{n: detect.version_of(n) for n in fold.LIBRARIES}},
                 "unicode": unicodedata.unidata_version,  # what the folds read characters as
                 **self.options}
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def lookup(self, path: Path, display: str, policy: Policy) -> Plan | None:
        """The cached plan of the file, without reading it as its format's `load` does: the
        bytes are hashed and, on a hit, read as the format recorded when the entry was written
        (for text: the codec, without detecting it again); the text must then have the
        recorded sha256. Anything else (too large, unreadable, no entry, another text) is
        None, and the file is read the usual way."""
        try:
            limit = self.max_bytes
            if path.stat().st_size > limit:
                return None
            data = read_regular(path, limit)  # a FIFO is not waited for
            if len(data) > limit:
                return None
            sha256 = hashlib.sha256(data).hexdigest()
            file_format = formats.format_of(data, display, display)
            entry = self._entry(self._key(sha256, file_format, policy))
            if entry is None:
                return None
            format_name, record, recorded_sha256 = entry["document"]
            document = formats.format_named(format_name).reload(data, display, record)
            if text_sha256(document.text) != recorded_sha256:
                return None
            return decode_plan(entry, document, policy)
        except Exception:  # unreadable, corrupt: the usual path decides
            return None

    def _entry(self, key: str) -> dict[str, Any] | None:
        try:
            header, _, body = self._path(key).read_bytes().partition(b"\n")
        except OSError:
            return None
        if header != _header(key, body):  # another key, truncated, altered
            return None
        data = orjson.loads(body)
        return data if isinstance(data, dict) else None

    def _path(self, key: str) -> Path:
        return self.folder / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def put(self, document: Document, policy: Policy, plan: Plan) -> bool:
        """Store the plan; False when it is not stored (see the module doc, or a write error:
        the cache is an optimisation, never a reason to fail a run)."""
        key = self.key(document, policy)
        try:
            entry = encode_plan(plan)
            record = formats.format_named(document.format).record(document)
            entry["document"] = [document.format, record, text_sha256(document.text)]
        except CorruptEntry:
            return False
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            body = orjson.dumps(entry)
            write_all({path: _header(key, body) + b"\n" + body})
        except (OSError, TypeError):  # TypeError: a string orjson cannot write (a surrogate)
            return False
        return True

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "# created by redactor\n*\n"),
                           ("CACHEDIR.TAG", CACHEDIR_TAG)):
            marker = self.folder / name
            if not marker.exists():
                write_all({marker: text.encode("utf-8")})
        self._ready = True


def _header(key: str, body: bytes) -> bytes:
    """An entry's first line: its key and the sha256 of the rest, checked on every read."""
    return f"redactor-cache {FORMAT} {key} {hashlib.sha256(body).hexdigest()}".encode()


@memoize
def tool_fingerprint() -> str:
    """redactor's version and a digest of its source (a development tree changes without a
    new version)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*")):
        if source.is_file() and source.suffix in (".py", ".yaml", ".json", ".txt"):
            digest.update(str(source.relative_to(package)).encode() + b"\0")
            digest.update(source.read_bytes())
    return digest.hexdigest()
