"""The generic parser: banner lines at the top and bottom, then paragraphs and headings."""

from __future__ import annotations

import re

from redactor.model import Block, BlockKind
from redactor.parse.structure import BlockIds, Line, parse_body
from redactor.policy.model import Policy

_BANNER_SCAN = 2  # banner lines are among the first and last two lines with text


def parse_generic(lines: list[Line], policy: Policy, markdown: bool = False) -> tuple[Block, ...]:
    ids = BlockIds()
    banner = policy.banner_regex
    texts = [ln for ln in lines if not ln.blank]
    edges = texts[:_BANNER_SCAN] + texts[-_BANNER_SCAN:]
    banners = {ln.index for ln in edges if banner is not None and _is_banner(ln, banner)}
    blocks: list[Block] = []
    run: list[Line] = []
    for line in lines:
        if line.index in banners:
            blocks.extend(parse_body(run, ids, None, markdown))
            run = []
            blocks.append(Block(ids.next(BlockKind.BANNER), BlockKind.BANNER, line.span))
        else:
            run.append(line)
    blocks.extend(parse_body(run, ids, None, markdown))
    return tuple(blocks)


def _is_banner(line: Line, banner: re.Pattern[str]) -> bool:
    """A short line that starts with a banner marking and is written in capitals."""
    text = line.text.strip()
    letters = [ch for ch in text if ch.isalpha()]
    capitals = bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    return len(text) <= 100 and capitals and bool(banner.match(line.text))
