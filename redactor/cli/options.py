"""Options shared by the commands: the five that say how documents are checked, gathered into
one `CheckOptions` (redactor/options.py) before the command sees them."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

import click

from redactor.model import Action
from redactor.options import DEFAULT_MAX_BYTES, CheckOptions
from redactor.parse import LAYOUTS
from redactor.timelimit import DEFAULT_TIMEOUT, MAX_TIMEOUT

F = TypeVar("F", bound=Callable[..., Any])
FAIL_ON = [a.value for a in Action if a is not Action.ALLOW]
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def with_options(func: F, options: list[Decorator]) -> F:
    """`func` with the click options applied, listed in --help in the order given."""
    decorated: Callable[..., Any] = func
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[return-value]


def _seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if math.isnan(value):  # FloatRange lets NaN through: it compares false with both bounds
        raise click.BadParameter("give a number of seconds (0: no limit)")
    return value


ENGINE_OPTIONS: list[Decorator] = [
    click.option("--policy", "-p", "policy", metavar="NAME|FILE",
                 help="Built-in pack name or policy file. Default: the nearest "
                      ".redactor.yaml above each path, else the built-in 'default'."),
    click.option("--format-hint", type=click.Choice(LAYOUTS), default="auto",
                 show_default=True, help="Document layout: telegram (cable) or generic text."),
    click.option("--max-file-size", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
                 show_default=True, metavar="BYTES",
                 help="Larger files are an error (exit 2), never skipped."),
    click.option("--encoding", metavar="CODEC",
                 help="Decode input with this codec instead of detecting it."),
    click.option("--timeout", type=click.FloatRange(min=0, max=MAX_TIMEOUT),
                 default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
                 callback=_seconds,
                 help="Time allowed to check a document, for every 100,000 characters "
                      "of it (and at least once); past it the run stops with exit 2, "
                      "naming the document (a policy pattern that backtracks "
                      "catastrophically). 0: no limit."),
]


def engine_options(func: F) -> F:
    """The options of every command that checks documents, given to the command as one
    `options: CheckOptions` argument."""

    @functools.wraps(func)
    def gathered(*args: Any, policy: str | None, format_hint: str, max_file_size: int,
                 encoding: str | None, timeout: float, **kwargs: Any) -> Any:
        options = CheckOptions(policy, format_hint, max_file_size, encoding, timeout)
        return func(*args, options=options, **kwargs)

    return with_options(gathered, ENGINE_OPTIONS)  # type: ignore[return-value]
