"""Which spaCy pipelines a policy may name as its model. spaCy loads a model by importing the
package of that name and calling it, so a policy that could name any package could make
redactor import it: the model must be an installed spaCy pipeline package, as the file system
shows it (a `meta.json` with a language and a pipeline, beside a folder holding its
`config.cfg`), found without importing anything."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

_PACKAGE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")


def model_problem(name: str) -> str | None:
    """Why `name` cannot be the model (None: it is an installed spaCy pipeline)."""
    if not isinstance(name, str) or not _PACKAGE_NAME.fullmatch(name):
        return "is not the name of a spaCy pipeline package (letters, digits, underscores)"
    spec = importlib.util.find_spec(name)  # a top-level name: nothing is imported
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if not locations:
        return "is not installed"
    folder = Path(locations[0])
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "is not a spaCy pipeline package (it has no meta.json)"
    has_config = any((sub / "config.cfg").is_file() for sub in folder.iterdir() if sub.is_dir())
    if not isinstance(meta, dict) or "lang" not in meta or "pipeline" not in meta \
            or not has_config:
        return "is not a spaCy pipeline package (its meta.json and config.cfg are not a model's)"
    return None
