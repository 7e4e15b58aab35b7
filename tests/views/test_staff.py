"""views/staff.py and views/state.py outside a page: the client address the login throttle counts, and
the site address resume links are built on."""

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


@pytest.mark.parametrize(
    ("url", "base_path", "site"),
    [
        ("http://host:8611/workshop-results?w=1&t=abc", "", "http://host:8611"),
        ("https://example.org/room?t=abc", "", "https://example.org"),
        ("http://host/no-such-page", "", "http://host"),
        ("https://example.org/smm/results?t=abc", "/smm/", "https://example.org/smm"),
        ("", "", "http://localhost:8501"),
    ],
)
def test_the_site_address_of_a_resume_link_is_the_root_whatever_the_page(
    monkeypatch: pytest.MonkeyPatch, url: str, base_path: str, site: str
) -> None:
    from views import state

    monkeypatch.setattr(st, "context", SimpleNamespace(url=url))
    monkeypatch.setattr(st, "get_option", lambda name: base_path if name == "server.baseUrlPath" else None)
    assert state.site_url() == site
    assert state.resume_url("abc") == f"{site}/?t=abc"
