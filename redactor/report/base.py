"""What every report format is given, and what it is: one run's results, rendered by one
function. A new format is a module that defines a `Reporter` and one entry in
`redactor/report/__init__.py`'s registry; the CLI's `--format` choices and help come from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from redactor.model import Action, Result
from redactor.policy.model import Policy


@dataclass(frozen=True)
class RunReport:
    """One check run, as every report sees it."""

    results: list[Result]
    policy_of: dict[str, Policy]  # the policy that governed each document, by its path
    fail_on: Action
    show_text: bool = False  # print the text of findings (off: CI logs are often public)
    color: bool = False  # terminal colours (the text report only)
    explain: bool = False  # how each finding was found (the text report only)


@dataclass(frozen=True)
class Reporter:
    name: str  # the --format value
    help: str  # for --format's help; empty for the formats that need no words
    render: Callable[[RunReport], str]
