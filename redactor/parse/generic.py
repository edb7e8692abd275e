"""The generic parser: banner lines at the top and bottom, then paragraphs and headings."""

from __future__ import annotations

import re

from redactor.model import Block, BlockKind
from redactor.parse.structure import BlockIds, Line, parse_body
from redactor.policy.model import Policy

_BANNER_SCAN = 2  # banner lines are among the first and last two lines with text


def parse_generic(lines: list[Line], policy: Policy, markdown: bool = False,
                  ids: BlockIds | None = None) -> tuple[Block, ...]:
    ids = ids if ids is not None else BlockIds()
    banner = policy.banner_regex
    texts = [ln for ln in lines if not ln.blank]
    edges = texts[:_BANNER_SCAN] + texts[-_BANNER_SCAN:]
    banners = {ln.index for ln in edges if banner is not None and _is_banner(ln, banner)}
    # A line that is a banner marking and nothing else is a banner wherever it stands: a page
    # stamp (`CONFIDENTIAL` mid-document, the original classification of a released e-mail).
    banners |= {ln.index for ln in texts if banner is not None and _is_stamp(ln, banner)}
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
    """A short line that starts with a banner marking written in capitals: alone or in a line
    in capitals (`SECRET//NOFORN`), or heading a page line of other words (`UNCLASSIFIED U.S.
    Department of State Case No. F-2014-20439`, a released e-mail's page banner)."""
    text = line.text.strip()
    match = banner.match(line.text)
    return len(text) <= 120 and match is not None and _in_capitals(match.group())


def _is_stamp(line: Line, banner: re.Pattern[str]) -> bool:
    text = line.text.strip()
    match = banner.fullmatch(text)
    return match is not None and _in_capitals(text)


def _in_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
