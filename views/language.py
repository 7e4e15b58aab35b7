"""The visitor's language, set at the top of every run; the language selector in the page frame.

Order (`i18n.resolve_language`): the visitor's explicit choice (the selector, or `?lang=xx` in the
URL; kept in session state and put back in the URL so a reload or a shared link keeps it), else
the language kept with their token, else the language of the workshop whose link or QR code they
came by (`?code=`: the workshop sets the language of the room), else their browser's
(`st.context.locale`), else `SMM_LANGUAGE`, else English. Only languages with a compiled catalogue
count.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import i18n
from i18n import _
from services import respondents as visits
from services import workshops
from storage.errors import UNAVAILABLE_ERRORS, DataDeleted, SchemaError, TokenError
from workshops.codes import CodeError

LANG_PARAM = "lang"
_CHOICE = "language_choice"  # the visitor's explicit choice
_ACTIVE = "language"  # the language this session's latest run was set to
_SELECTOR = "language_selector"


_STORED = "stored_language"  # (token, the language kept with it), read once per token and session
_LINKED = "linked_workshop_language"  # (the address's code, its workshop's language), read once per code


def _read_once(session_key: str, key: str | None, read: Callable[[str], str | None]) -> str | None:
    """`read(key)`, kept in the session as (key, language) so it is read once per key; None without a
    key, or when the read fails (nothing is kept then, so a later run tries again). A failed read
    (a bad token or code, a database that is away or behind) leaves the choice to the next source:
    the page itself says what is wrong."""
    if not key:
        return None
    cached = st.session_state.get(session_key)
    if cached and cached[0] == key:
        return cached[1]
    try:
        language = read(key)
    except (TokenError, CodeError, SchemaError, *UNAVAILABLE_ERRORS):
        return None
    st.session_state[session_key] = (key, language)
    return language


def stored_language() -> str | None:
    """The language kept with the respondent's token (`respondents.language`), or None."""
    from views import state

    return _read_once(
        _STORED, state.token_from_request(), lambda token: visits.find_respondent(state.engine(), token).language
    )


def linked_workshop_language() -> str | None:
    """The language of the workshop whose code is in the address (`?code=`, the link and QR code a
    trainer shows), or None for a code that is no workshop's."""
    from views import state
    from views.join_widgets import CODE_PARAM

    def language_of(code: str) -> str | None:
        found = workshops.workshop_by_code(state.engine(), code)
        return found.language if found else None

    return _read_once(_LINKED, st.query_params.get(CODE_PARAM), language_of)


def keep_with_token(code: str) -> None:
    """Keep the visitor's choice with their token, so their resume link opens in it on any device."""
    from views import state

    token = state.token_from_request()
    if not token:
        return
    try:
        respondent = visits.find_respondent(state.engine(), token)
        visits.set_language(state.engine(), respondent.id, code)
    except (TokenError, DataDeleted, SchemaError, *UNAVAILABLE_ERRORS):
        return  # the choice still holds for this session and its URL
    st.session_state[_STORED] = (token, code)


def joined_workshop() -> None:
    """After joining a workshop (the token may be new, and its stored language is now the workshop's
    unless the visit had one): the next run reads the stored language again; a language the visitor
    chose in this session stays theirs and is kept with the token."""
    st.session_state.pop(_STORED, None)
    chosen = explicit_choice()
    if chosen:
        keep_with_token(chosen)


def explicit_choice() -> str | None:
    """The language the visitor chose in this session, if any (kept with a new respondent's token)."""
    return i18n.match_language(st.session_state.get(_CHOICE), i18n.available_languages())


def _explicit_choice(available: list[str]) -> str | None:
    from_url = i18n.match_language(st.query_params.get(LANG_PARAM), available)
    if from_url:
        st.session_state[_CHOICE] = from_url
        return from_url
    return i18n.match_language(st.session_state.get(_CHOICE), available)


def apply() -> str:
    """Choose this run's language and make it the active one. Call before any text is produced."""
    available = i18n.available_languages()
    chosen = _explicit_choice(available)
    stored = None if chosen else stored_language()  # one read less when the visitor has chosen
    language = i18n.resolve_language(
        chosen,
        stored,
        st.context.locale,
        os.environ.get("SMM_LANGUAGE"),
        available,
        workshop=None if chosen or stored else linked_workshop_language(),
    )
    i18n.set_language(language)
    st.session_state[_ACTIVE] = language
    # Page links and switch_page replace the query string; the choice goes back into the address.
    if chosen and st.query_params.get(LANG_PARAM) != chosen:
        st.query_params[LANG_PARAM] = chosen
    return language


def _session_language() -> str | None:
    """The language of this session's latest run, for code that runs before `apply()` in a run
    (widget callbacks, in a thread whose context has no language yet)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(_ACTIVE)


i18n.set_run_language_source(_session_language)


def _on_select() -> None:
    code = st.session_state[_SELECTOR]
    st.session_state[_CHOICE] = code
    st.query_params[LANG_PARAM] = code
    keep_with_token(code)


def selector() -> None:
    """The language menu, when the site has more than one language: a small button at the top right
    of every page, named by the page's language, that opens the choice. Not in the sidebar: a sidebar
    on every page took the width the top menu needs, and a trainer's sections went behind "more"."""
    available = i18n.available_languages()
    if len(available) < 2:
        return
    current = i18n.current_language()
    st.session_state[_SELECTOR] = current
    bar = st.container(horizontal=True, horizontal_alignment="right", key="language_bar")
    with bar, bar.popover(i18n.language_name(current), icon=":material/translate:", type="tertiary"):
        st.selectbox(_("Language"), available, format_func=i18n.language_name, key=_SELECTOR, on_change=_on_select)
