"""Fixed pieces of the page frame that app.py sends on every run, prepared once per process."""

from __future__ import annotations

import base64
import functools
from pathlib import Path

FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"


@functools.cache
def favicon_url() -> str:
    """The site's favicon inline, as a data URL.

    Given a file, st.set_page_config reads it, decodes it with PIL and registers it with the media
    file manager on every run of every page (about 0.5 ms, the largest part of the page config);
    a data URL goes out as it is. Inline, it is still the site's own: no third party is asked for
    it (a ":material/...:" icon would be fetched from fonts.gstatic.com)."""
    return "data:image/png;base64," + base64.b64encode(FAVICON.read_bytes()).decode("ascii")
