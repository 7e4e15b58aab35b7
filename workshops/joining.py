"""The join link and its QR code, and whether a workshop can be joined.

`join_url` builds "{base}/join?code=ABC234" from the site's public address (http or https, no
query or fragment). `qr_svg` draws the link as a QR code with segno, for a projector: a full QR
code (never a Micro QR, which many phone cameras do not read), error correction M or better, large
modules, the 4-module quiet zone the standard asks for, dark on light; a standalone SVG (with its
namespace, width, height and viewBox, so it scales) without scripts or external references.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import segno

from workshops.codes import is_code
from workshops.organisations import Workshop

JOIN_PATH = "join"
QUIET_ZONE = 4  # modules, ISO/IEC 18004

UNKNOWN = "unknown"
CLOSED = "closed"


class JoinError(ValueError):
    """A code that no open workshop has; `reason` is UNKNOWN or CLOSED."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


def check_joinable(workshop: Workshop | None) -> Workshop:
    """The workshop a code found, or JoinError when there is none or it is closed."""
    if workshop is None:
        raise JoinError(UNKNOWN, "No workshop has this code; check it with your trainer.")
    if not workshop.open:
        raise JoinError(CLOSED, "This workshop is closed; ask your trainer to reopen it.")
    return workshop


def join_url(base_url: str, code: str) -> str:
    """The link a participant opens to join; ValueError for a base that is not http(s) or a bad code."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the site's address must start with http:// or https:// and name a host: '{base_url}'")
    if parts.query or parts.fragment:
        raise ValueError(f"the site's address cannot have a query or a fragment: '{base_url}'")
    if not is_code(code):
        raise ValueError(f"'{code}' is not a join code")
    base = base_url.strip().rstrip("/")
    return f"{base}/{JOIN_PATH}?{urlencode({'code': code})}"


def qr_svg(url: str, scale: int = 12, dark: str = "#000000", light: str = "#ffffff", title: str | None = None) -> str:
    """The QR code of `url` as SVG text, `scale` pixels per module (12 makes a 45-module code 636
    pixels wide; the page may draw it larger, the viewBox keeps it sharp)."""
    if scale < 1:
        raise ValueError(f"scale is pixels per module, at least 1: {scale}")
    code = segno.make_qr(url, error="m", boost_error=True)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        dark=dark,
        light=light,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="join-qr",
        lineclass=None,
        omitsize=True,
        nl=False,
        encoding="utf-8",
    )
    svg = buffer.getvalue().decode("utf-8")
    # omitsize gives the viewBox; put the pixel size back so the SVG also has a natural size.
    side = (code.symbol_size(scale=1, border=QUIET_ZONE)[0]) * scale
    return svg.replace("<svg ", f'<svg width="{side}" height="{side}" ', 1)
