"""Shared fixtures: the network guard, one engine per session, the corpus location.

The network guard is installed when pytest configures itself, before any test module (or
the libraries they import) is collected, and stays for the whole run: any dependency that
tries to open a connection fails the build (docs/architecture.md, Invariants: no network).
It raises a RuntimeError, not an OSError, so that a library with an "offline fallback" cannot
swallow it.
"""

from __future__ import annotations

import gc
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import CORPUS, REPO  # noqa: F401 (REPO: for the tests that import it from here)


class NetworkBlockedError(RuntimeError):
    """Raised by the guard when code under test tries to open a network connection."""


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise NetworkBlockedError(f"network connection attempted during the tests: {args[1:]!r}")


def _refuse_create(*args: Any, **kwargs: Any) -> Any:
    raise NetworkBlockedError(f"network connection attempted during the tests: {args!r}")


_GUARD = pytest.MonkeyPatch()


def pytest_configure(config: pytest.Config) -> None:
    _GUARD.setattr(socket.socket, "connect", _refuse)
    _GUARD.setattr(socket.socket, "connect_ex", _refuse)
    _GUARD.setattr(socket, "create_connection", _refuse_create)
    _GUARD.setattr(socket, "getaddrinfo", _refuse_create)  # no DNS look-ups either
    _GUARD.setattr(socket, "gethostbyname", _refuse_create)


def pytest_unconfigure(config: pytest.Config) -> None:
    _GUARD.undo()


# ------------------------------------------------------------------------ the engine


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """A check run answered from the cache freezes what it built (redactor/run.py), which
    is right for a process that ends with the run; in the one pytest process, each test's
    objects are let go of, as usual."""
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def policy() -> Any:
    from redactor.policy import load_policy

    return load_policy()


@pytest.fixture(scope="session")
def analyzer(policy: Any) -> object:
    """Presidio on the offline spaCy model: loaded once per session (~2 s)."""
    from redactor.detect.presidio import build_analyzer

    return build_analyzer(policy.model)


@pytest.fixture(scope="session")
def models(policy: Any, analyzer: object) -> Any:
    """The session's model pool, holding the analyzer."""
    from redactor.detect import ModelPool
    from redactor.detect.presidio import PresidioModel

    return ModelPool({PresidioModel(policy.model): analyzer})


@pytest.fixture(scope="session")
def engine(policy: Any, models: Any) -> Any:
    from redactor.engine import Engine

    return Engine(policy, models=models)


@pytest.fixture
def shared_analyzer(analyzer: object, monkeypatch: pytest.MonkeyPatch) -> object:
    """CLI invocations build their own engines; let them reuse the session's analyzer instead
    of loading the spaCy model again on every invocation (the engine itself is still built
    per invocation, from the policy the command line names)."""
    from redactor.detect.presidio import PresidioModel

    monkeypatch.setattr(PresidioModel, "build", lambda spec: analyzer)
    return analyzer


@pytest.fixture
def run_cli(shared_analyzer: object) -> Callable[..., Any]:
    """Invoke the click command line in-process; returns click's Result."""
    from click.testing import CliRunner

    from redactor.cli import cli

    def run(*args: str | Path) -> Any:
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "cables").is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (expected ../shared/corpus next to "
                    "the repository); corpus tests need it")
    return CORPUS


@pytest.fixture
def cwd_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run in an empty folder, so no .redactor.yaml of the checkout is discovered."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow (corpus-wide) tests run when asked for: `-m slow` or REDACTOR_FULL_CORPUS=1."""
    import os

    if os.environ.get("REDACTOR_FULL_CORPUS") == "1" or "slow" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="slow corpus-wide test: run with -m slow or "
                                   "REDACTOR_FULL_CORPUS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
