"""The join link, its QR code for the projector, and whether a code can be joined."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ElementTree

import pytest
import segno

from workshops.joining import CLOSED, QUIET_ZONE, UNKNOWN, JoinError, check_joinable, join_url, qr_svg
from workshops.organisations import Workshop

SVG = "{http://www.w3.org/2000/svg}"
URL = "https://maturity.example.org/join?code=ABC234"


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("https://maturity.example.org", URL),
        ("https://maturity.example.org/", URL),
        (" https://maturity.example.org ", URL),
        ("http://localhost:8501", "http://localhost:8501/join?code=ABC234"),
        ("https://example.org/training/", "https://example.org/training/join?code=ABC234"),
    ],
)
def test_the_join_link(base: str, url: str) -> None:
    assert join_url(base, "ABC234") == url


@pytest.mark.parametrize(
    "base",
    [
        "ftp://example.org",
        "javascript:alert(1)",
        "example.org",
        "https://",
        "https://example.org/?a=1",
        "https://x/#top",
    ],
)
def test_the_base_must_be_an_http_address(base: str) -> None:
    with pytest.raises(ValueError, match="the site's address"):
        join_url(base, "ABC234")


@pytest.mark.parametrize("code", ["abc234", "ABC23", "ABC2O4", "ABC234&admin=1"])
def test_the_code_must_be_canonical(code: str) -> None:
    with pytest.raises(ValueError, match="is not a join code"):
        join_url("https://example.org", code)


def test_the_svg_is_standalone_and_dark_on_light() -> None:
    svg = qr_svg(URL)
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == root.get("height")
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    lower = svg.lower()
    for forbidden in ("<script", "href", "<image", "url(", "http://www.w3.org/1999/xlink", "<?xml", "on"):
        if forbidden == "on":  # no event handler attributes
            assert not re.search(r"\son\w+=", lower)
        else:
            assert forbidden not in lower
    paths = root.findall(f".//{SVG}path")
    assert {path.get("fill") for path in paths if path.get("fill")} == {"#fff"}
    assert {path.get("stroke") for path in paths if path.get("stroke")} == {"#000"}


def test_the_size_grows_with_the_scale() -> None:
    sizes = [int(ElementTree.fromstring(qr_svg(URL, scale=scale)).get("width", "0")) for scale in (4, 12, 20)]
    modules = segno.make_qr(URL, error="m", boost_error=True).symbol_size(scale=1, border=QUIET_ZONE)[0]
    assert sizes == [modules * 4, modules * 12, modules * 20]
    assert sizes[1] >= 400  # big enough to read from the back of a room


def test_a_title_is_escaped() -> None:
    root = ElementTree.fromstring(qr_svg(URL, title="Join <now> & scan"))
    assert root.findtext(f"{SVG}title") == "Join <now> & scan"


def test_scale_must_be_positive() -> None:
    with pytest.raises(ValueError, match="scale"):
        qr_svg(URL, scale=0)


def drawn_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (row, column) of segno's SVG: horizontal strokes of one module's height."""
    root = ElementTree.fromstring(svg)
    path = next(p for p in root.iter(f"{SVG}path") if p.get("stroke"))
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s+(-?[\d.]+))?", path.get("d", "")):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            length = int(float(first))
            dark.update((int(y), int(x) + step) for step in range(length))
            x += length
    return dark


def test_the_svg_draws_the_qr_code_of_the_link() -> None:
    """No QR decoder is installed: compare the drawn modules with segno's matrix for the URL, quiet
    zone included, and check segno's own reading of the payload."""
    code = segno.make_qr(URL, error="m", boost_error=True)
    expected = {
        (row + QUIET_ZONE, column + QUIET_ZONE)
        for row, line in enumerate(code.matrix)
        for column, value in enumerate(line)
        if value
    }
    assert drawn_modules(qr_svg(URL)) == expected
    assert not code.is_micro
    assert code.error in ("M", "Q", "H")


def test_a_decoder_reads_the_link_back() -> None:
    import zxingcpp
    from PIL import Image as pil

    code = segno.make_qr(URL, error="m", boost_error=True)
    image = pil.new("L", (len(code.matrix) + 8, len(code.matrix) + 8), 255)
    for row, column in drawn_modules(qr_svg(URL)):
        image.putpixel((column, row), 0)
    image = image.resize((image.width * 8, image.height * 8), pil.NEAREST)
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [URL]


def workshop(open: bool) -> Workshop:
    return Workshop("Kick-off", 1, datetime.date(2026, 12, 3), "en", "quick", "ABC234", open)


def test_an_open_workshop_can_be_joined() -> None:
    assert check_joinable(workshop(True)) == workshop(True)


@pytest.mark.parametrize(
    ("found", "reason", "message"),
    [
        (None, UNKNOWN, "No workshop has this code; check it with your trainer."),
        (workshop(False), CLOSED, "This workshop is closed; ask your trainer to reopen it."),
    ],
)
def test_an_unknown_or_closed_code_says_so(found: Workshop | None, reason: str, message: str) -> None:
    with pytest.raises(JoinError) as caught:
        check_joinable(found)
    assert (caught.value.reason, str(caught.value)) == (reason, message)
