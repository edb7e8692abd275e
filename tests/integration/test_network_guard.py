"""The suite runs with network connections blocked (conftest.py): prove the guard is active, and
that checking and redacting work without the network (docs/architecture.md, Invariants)."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from conftest import NetworkBlockedError
from helpers import MEMO, make_doc

from redactor.engine import Engine
from redactor.release.rounds import redact


def test_socket_connect_is_blocked() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, \
            pytest.raises(NetworkBlockedError):
        sock.connect(("127.0.0.1", 9))


def test_create_connection_is_blocked() -> None:
    with pytest.raises(NetworkBlockedError):
        socket.create_connection(("example.org", 443), timeout=1)


def test_dns_is_blocked() -> None:
    with pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("example.org", 443)


def test_http_is_blocked() -> None:
    with pytest.raises(NetworkBlockedError):
        urllib.request.urlopen("http://example.org/", timeout=1)


def test_engine_checks_and_redacts_offline(engine: Engine) -> None:
    plan = engine.check(make_doc(MEMO))
    copy = redact(engine, plan).rendered.text
    assert "priya.raman@example.org" not in copy
