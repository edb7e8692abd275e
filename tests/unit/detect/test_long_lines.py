"""A long line costs time in proportion to its length: no name layer reads a line once per
character. Each of these took 30-55 s before its layer was bounded (a regex that re-read a
run of spaces from every space, a lookahead that captured the rest of the line at each
title); each now takes well under a second or two. The bound is generous so that a slow
machine does not fail it; a quadratic layer does."""

from __future__ import annotations

import time
from typing import Any

import pytest
from helpers import make_doc

BOUND = 15.0  # seconds

LONG_LINES = {
    # halves: `Surname,` looked for before a finding, after a run of spaces
    "spaces-before-a-name": "UNCLASSIFIED\n\nThe minister met" + " " * 100_000
    + "Corwin Haltzer said.\n",
    # titles: a title with a post, many times on one line
    "titles-with-posts": "UNCLASSIFIED\n\n" + "Ambassador to the Policy " * 4_000 + "\n",
    # clearances: an extension looked for from every space of a drafting line
    "a-drafting-line-of-spaces": "UNCLASSIFIED\n\nDrafted: A" + " " * 100_000 + "b\n",
}


@pytest.mark.parametrize("name", sorted(LONG_LINES))
def test_a_long_line_is_read_in_linear_time(engine: Any, name: str) -> None:
    started = time.perf_counter()
    engine.check(make_doc(LONG_LINES[name]))
    assert time.perf_counter() - started < BOUND
