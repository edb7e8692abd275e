"""The options that change what a check finds: one object, from the command line to every
engine, worker and cache key (the five `--policy`, `--format-hint`, `--max-file-size`,
`--encoding` and `--timeout` options of every command that checks documents)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redactor.timelimit import DEFAULT_TIMEOUT

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # --max-file-size


@dataclass(frozen=True)
class CheckOptions:
    """How documents are checked (picklable: workers get it to build the same engines)."""

    policy_ref: str | None = None  # a built-in pack or a policy file; None: .redactor.yaml
    layout: str = "auto"  # auto | cable | generic
    max_bytes: int = DEFAULT_MAX_BYTES  # larger files are an error
    encoding: str | None = None  # decode with this codec instead of detecting it
    timeout: float = DEFAULT_TIMEOUT  # seconds a document, per TIMEOUT_CHARS (0: no limit)

    def cache_key(self) -> dict[str, Any]:
        """The options that change a document's result, for the result cache's key (the
        policy enters it by its fingerprint; the time limit changes no result)."""
        return {"layout": self.layout, "max_bytes": self.max_bytes, "encoding": self.encoding}
