"""Pictures in quiz questions: which bytes may be stored with a bank and shown. Pure, no I/O.

Only raster pictures the browser shows as pictures are kept, and only when their bytes say so:
the type is read from the file's signature (its first bytes), never from a name, an extension
or a type claimed by the file that carried it. PNG, JPEG, GIF and WebP pass. SVG is refused
whatever it claims to be: an SVG picture is a document that can carry scripts and links. A
picture may be at most MAX_IMAGE_BYTES, and the pictures of one bank MAX_BANK_IMAGE_BYTES
together. Every function returns a problem as text, in the language of the visit (i18n), and
never raises for bad data.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

from quizzes.model import Image

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_BANK_IMAGE_BYTES = 10 * 1024 * 1024
MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}

_BASE64_SPACE = re.compile(rb"[ \t\r\n]+")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


# Problems are worded when they are found, in the visit's language. i18n is imported then and not
# with this module: the use cases import it, and never translate at import time.
def _(message: str) -> str:
    from i18n import _ as translate

    return translate(message)


def megabytes(size: int) -> str:
    """A size in megabytes with one decimal, in the visit's language: "2.0 MB" (en), "2,0 MB" (nl)."""
    from i18n import format_decimal

    return _("{size} MB").format(size=format_decimal(size / (1024 * 1024), 1))


def sniff(data: bytes) -> str:
    """The media type the bytes' signature gives, or "" when they are none of the kept types."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


def _svg_refused() -> str:
    return _("SVG pictures are refused: an SVG can carry scripts; save it as PNG")


def _looks_like_svg(data: bytes, name: str, claimed: str) -> bool:
    if claimed.lower().startswith("image/svg") or name.lower().endswith((".svg", ".svgz")):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def image_problem(data: bytes, name: str = "", claimed: str = "") -> str:
    """Why these bytes cannot be kept as a picture, or "" when they can.

    `name` and `claimed` (a media type given with the bytes) only sharpen the message: a claimed
    type the bytes contradict is a problem, a missing one is not.
    """
    if not data:
        return _("the picture is empty")
    if len(data) > MAX_IMAGE_BYTES:
        return _("the picture is {size}; at most {limit} is kept").format(
            size=megabytes(len(data)), limit=megabytes(MAX_IMAGE_BYTES)
        )
    found = sniff(data)
    if not found:
        if _looks_like_svg(data, name, claimed):
            return _svg_refused()
        return _("not a PNG, JPEG, GIF or WebP picture (its first bytes are none of these)")
    if claimed and claimed.lower() != found:
        return _("the data is {found}, not the {claimed} it claims to be").format(found=found, claimed=claimed)
    return ""


def decode_base64(text: str | bytes, limit: int = MAX_IMAGE_BYTES) -> tuple[bytes, str]:
    """The bytes of base64 text (line breaks and spaces allowed, as in Moodle XML), and "" or why
    there are none. Text that would decode to more than `limit` bytes is refused before decoding."""
    raw = text.encode("ascii", "replace") if isinstance(text, str) else text
    raw = _BASE64_SPACE.sub(b"", raw)
    if not raw:
        return b"", _("the picture is empty")
    if len(raw) // 4 * 3 > limit + 3:
        return b"", _("the picture is about {size}; at most {limit} is kept").format(
            size=megabytes(len(raw) // 4 * 3), limit=megabytes(limit)
        )
    try:
        return base64.b64decode(raw, validate=True), ""
    except (binascii.Error, ValueError):
        return b"", _("the picture's base64 data is broken")


def base64_problem(data: str, media_type: str, name: str = "") -> str:
    """Why a stored picture (base64 `data` said to be `media_type`) cannot be shown, or ""."""
    if media_type not in MEDIA_TYPES:
        if media_type.lower().startswith("image/svg"):
            return _svg_refused()
        return _('expected one of {types}, got "{media_type}"').format(
            types=", ".join(MEDIA_TYPES), media_type=media_type
        )
    decoded, problem = decode_base64(data)
    return problem or image_problem(decoded, name, media_type)


def stored_size(image: Image) -> int:
    """The bytes a picture counts for in its bank's limit, read off its base64 text: never less
    than its real size, so a bank a reader kept within the limit loads within it too."""
    return len(image.data) // 4 * 3


def bank_images_problem(images: Iterable[Image]) -> str:
    """Why a bank's pictures are too many bytes together, or ""."""
    total = sum(stored_size(image) for image in images)
    if total > MAX_BANK_IMAGE_BYTES:
        return _("the pictures add up to {size}; at most {limit} per bank").format(
            size=megabytes(total), limit=megabytes(MAX_BANK_IMAGE_BYTES)
        )
    return ""


def safe_name(name: str, media_type: str, fallback: str = "image") -> str:
    """A file name for a picture: the last part of `name`, in letters, digits, ".", "-" and "_",
    with the extension of its real type."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _NAME_UNSAFE.sub("-", stem).strip(".-_")[:60] or fallback
    return f"{stem}.{EXTENSIONS.get(media_type, 'bin')}"


def make_image(name: str, data: bytes, alt: str = "", claimed: str = "") -> tuple[Image | None, str]:
    """A checked Image of these bytes, or None and why not. Its type is the one the bytes give;
    a `claimed` type only names an SVG as such."""
    media_type = sniff(data)
    problem = image_problem(data, name, "" if media_type else claimed)
    if problem:
        return None, problem
    encoded = base64.b64encode(data).decode("ascii")
    return Image(safe_name(name, media_type), media_type, encoded, " ".join(alt.split())), ""
