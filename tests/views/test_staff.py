"""views/staff.py outside a page: the client address the login throttle counts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import streamlit as st

from views import staff


def context(ip: str | None, headers: dict[str, str]) -> SimpleNamespace:
    return SimpleNamespace(ip_address=ip, headers=headers)


@pytest.mark.parametrize(
    ("ip", "headers", "counted"),
    [
        ("203.0.113.9", {}, "203.0.113.9"),  # a browser connecting straight to the site
        ("203.0.113.9", {"X-Real-IP": "198.51.100.1"}, "203.0.113.9"),  # a header from outside is ignored
        (None, {"X-Real-IP": " 198.51.100.1 "}, "198.51.100.1"),  # through the local nginx
        (None, {}, None),  # this machine, no proxy: only the account is throttled
    ],
)
def test_the_address_the_throttle_counts(
    monkeypatch: pytest.MonkeyPatch, ip: str | None, headers: dict[str, str], counted: str | None
) -> None:
    monkeypatch.setattr(st, "context", context(ip, headers))
    assert staff.client_address() == counted
