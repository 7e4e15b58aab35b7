"""Small scripts that run in the visitor's browser, for what Streamlit has no setting for.

Each goes out through `st.html(..., unsafe_allow_javascript=True)`: it runs in the page itself (no
frame) when its element first appears and again whenever the element's text changes, never on a
rerun that leaves the text alone. A script meant to run on an event therefore carries that event
in its text. The scripts are fixed text: nothing a visitor typed ever goes into them.

app.py's CSS hides the empty element a script-only `st.html` would otherwise leave in the layout.
"""

from __future__ import annotations

import re

import streamlit as st

_MARKER = re.compile(r"[A-Za-z0-9:._-]{1,80}")

# Below Streamlit's "md" breakpoint (768 px) the page menu is a drawer that lies over the page.
# Streamlit closes it after a choice only when the browser's user agent says "mobile" (not on a
# tablet, a narrow window or a phone asking for the desktop site), and it keeps the drawer's
# open/closed state in localStorage, so a drawer left open came back open on every later visit.
# The script closes the drawer after a choice in it and when a page loads with it open, through
# Streamlit's own close button (which also stores "closed"). Wider windows show the menu at the
# top and are left alone.
_CLOSE_MENU_JS = """<script>(() => {
  const overPage = () => window.innerWidth < 768;
  const findMenu = () => document.querySelector('[data-testid="stSidebar"]');
  const closeMenu = () => {
    const menu = findMenu();
    if (!overPage() || !menu || menu.getAttribute('data-collapsed') !== 'false') return;
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (button) button.click();
  };
  // The menu can appear a moment after this script runs: wait for it (up to two seconds), then
  // close it once if it came up open; a menu opened after that is the visitor's.
  let tries = 0;
  const onLoad = () => { if (findMenu()) closeMenu(); else if (++tries < 20) setTimeout(onLoad, 100); };
  onLoad();
  if (window.smmCloseMenuAfterChoice) return;
  window.smmCloseMenuAfterChoice = true;
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-testid="stSidebarNav"] a')) {
      setTimeout(closeMenu, 0);
    }
  });
})();</script>"""


def close_menu_after_choice() -> None:
    """On a narrow screen, the page menu closes once a page is chosen and is closed when a page loads."""
    st.html(_CLOSE_MENU_JS, unsafe_allow_javascript=True)


def scroll_to_top(marker: str) -> None:
    """Scroll the page to its top whenever `marker` differs from the previous run's (e.g. a step number).

    Streamlit keeps the scroll position when a page's content changes, so after a button at the
    bottom of a long page the new content would open at its bottom."""
    if not _MARKER.fullmatch(marker):
        raise ValueError(f"scroll marker {marker!r} must be 1-80 letters, digits or ':._-'")
    st.html(
        f"<script>/* {marker} */ (() => {{"
        "const main = document.querySelector('[data-testid=\"stMain\"]');"
        "if (main) main.scrollTo(0, 0); window.scrollTo(0, 0);"
        "})();</script>",
        unsafe_allow_javascript=True,
    )


# A path this site sends the browser to: its own routes and pages, relative to the page, with a
# query of letters, digits and '-_=&'; nothing else can reach the script.
_LOCAL_PATH = re.compile(r"[a-z][a-z0-9/-]{0,60}(\?[A-Za-z0-9_=&-]{0,200})?")


def go_to(path: str) -> None:
    """Send the browser to `path` of this site (e.g. the cookie route after a login) in place of
    this page, so that the back button does not return to it."""
    if not _LOCAL_PATH.fullmatch(path):
        raise ValueError(f"{path!r} is not a path of this site")
    st.html(
        f"<script>window.location.replace(new URL({path!r}, document.baseURI).href);</script>",
        unsafe_allow_javascript=True,
    )
