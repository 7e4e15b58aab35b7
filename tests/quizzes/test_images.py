"""quizzes.images: only verified raster bytes are kept as pictures."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

import i18n
from quizzes import images
from quizzes.model import Image
from tests.quizzes.test_gift import assert_all_translated, pseudo_language  # noqa: F401 - a fixture
from tests.test_i18n import write_catalogue

PNG = (Path(__file__).parent / "fixtures" / "moodle-xml" / "pics" / "dot.png").read_bytes()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L" + b"\x00" * 20
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def test_the_type_comes_from_the_bytes() -> None:
    assert images.sniff(PNG) == "image/png"
    assert images.sniff(JPEG) == "image/jpeg"
    assert images.sniff(GIF) == "image/gif"
    assert images.sniff(WEBP) == "image/webp"
    assert images.sniff(b"RIFF\x1a\x00\x00\x00WAVEfmt ") == ""  # RIFF, but a sound
    assert images.sniff(b"%PDF-1.7") == ""
    for data in (PNG, JPEG, GIF, WEBP):
        assert images.image_problem(data) == ""


def test_svg_is_refused_with_the_reason_whatever_it_claims() -> None:
    for problem in (
        images.image_problem(SVG),
        images.image_problem(b"<svg onload='alert(1)'/>"),
        images.image_problem(b"\xef\xbb\xbf  <svg/>"),
        images.image_problem(b"junk", name="drawing.svg"),
        images.image_problem(b"junk", claimed="image/svg+xml"),
        images.base64_problem(base64.b64encode(SVG).decode(), "image/svg+xml"),
    ):
        assert problem.startswith("SVG pictures are refused: an SVG can carry scripts")


def test_other_bytes_and_sizes_are_refused() -> None:
    assert "not a PNG, JPEG, GIF or WebP picture" in images.image_problem(b"<html><script></script></html>")
    assert images.image_problem(b"") == "the picture is empty"
    big = PNG + b"\x00" * images.MAX_IMAGE_BYTES
    assert images.image_problem(big).startswith("the picture is 2.0 MB; at most 2.0 MB is kept")
    assert (
        images.image_problem(PNG, claimed="image/jpeg") == "the data is image/png, not the image/jpeg it claims to be"
    )


def test_base64_is_decoded_safely() -> None:
    encoded = base64.b64encode(PNG).decode()
    assert images.decode_base64(encoded) == (PNG, "")
    wrapped = "\n".join(encoded[i : i + 20] for i in range(0, len(encoded), 20))
    assert images.decode_base64(f"\n  {wrapped}\n  ") == (PNG, "")  # as Moodle writes <image_base64>
    for broken in ("not*base64!", "abc", "é"):
        assert images.decode_base64(broken) == (b"", "the picture's base64 data is broken")
    assert images.decode_base64("  \n") == (b"", "the picture is empty")
    huge = "A" * (images.MAX_IMAGE_BYTES * 2)
    data, problem = images.decode_base64(huge)
    assert data == b"" and problem.startswith("the picture is about 3.0 MB; at most 2.0 MB is kept")


def test_a_stored_picture_is_checked_against_its_type() -> None:
    encoded = base64.b64encode(PNG).decode()
    assert images.base64_problem(encoded, "image/png") == ""
    assert images.base64_problem(encoded, "image/gif") == "the data is image/png, not the image/gif it claims to be"
    assert images.base64_problem(encoded, "image/bmp").startswith("expected one of image/png, image/jpeg")
    assert images.base64_problem("%%%", "image/png") == "the picture's base64 data is broken"


def test_a_bank_has_a_picture_budget() -> None:
    small = Image("a.png", "image/png", base64.b64encode(PNG).decode())
    assert images.bank_images_problem([small] * 3) == ""
    chunk = base64.b64encode(b"\x00" * (3 * 1024 * 1024)).decode()
    large = [Image(f"{n}.png", "image/png", chunk) for n in range(4)]
    assert images.bank_images_problem(large) == "the pictures add up to 12.0 MB; at most 10.0 MB per bank"


def test_make_image_keeps_the_real_type_and_a_safe_name() -> None:
    image, problem = images.make_image("../../etc/My Picture!.jpg", PNG, "  A red\n dot ", claimed="image/jpeg")
    assert problem == ""
    assert image == Image("My-Picture.png", "image/png", base64.b64encode(PNG).decode(), "A red dot")
    assert images.make_image("x.svg", SVG) == (
        None,
        "SVG pictures are refused: an SVG can carry scripts; save it as PNG",
    )
    assert images.safe_name("", "image/gif") == "image.gif"
    assert images.safe_name("...", "image/webp", "picture") == "picture.webp"


@pytest.mark.usefixtures("pseudo_language")
def test_the_problems_go_through_the_catalogue() -> None:
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * images.MAX_IMAGE_BYTES
    problems = [
        images.image_problem(b""),
        images.image_problem(big),
        images.image_problem(SVG),
        images.image_problem(b"%PDF-1.7"),
        images.image_problem(PNG, "dot.png", "image/gif"),
        images.decode_base64("!!!!")[1],
        images.decode_base64("A" * 4_000_000)[1],
        images.base64_problem("", "text/html"),
        images.bank_images_problem([Image("a.png", "image/png", "A" * 15_000_000)]),
    ]
    assert_all_translated(problems, at_least=len(problems))


def test_a_problem_is_in_the_language_of_the_visit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_catalogue(tmp_path, "nl", {"the picture is empty": "de afbeelding is leeg", "{size} MB": "{size} MB"})
    monkeypatch.setenv("SMM_LOCALE_DIR", str(tmp_path))
    token = i18n.set_language("nl")
    try:
        assert images.image_problem(b"") == "de afbeelding is leeg"
        assert images.megabytes(1536 * 1024) == "1,5 MB"
    finally:
        i18n._language.reset(token)
    assert images.image_problem(b"") == "the picture is empty"
