"""The visitor's language, set at the top of every run; the language selector in the page frame.

Order (`i18n.resolve_language`): the visitor's explicit choice (the selector, or `?lang=xx` in the
URL; kept in session state and put back in the URL so a reload or a shared link keeps it), else
the language kept with their token, else their browser's (`st.context.locale`), else
`SMM_LANGUAGE`, else English. Only languages with a compiled catalogue count.
"""

from __future__ import annotations

import os

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import i18n
from i18n import _

LANG_PARAM = "lang"
_CHOICE = "language_choice"  # the visitor's explicit choice
_ACTIVE = "language"  # the language this session's latest run was set to
_SELECTOR = "language_selector"


def stored_language() -> str | None:
    """Integration hook: the language kept with the respondent's token (`respondents.language`).

    None while storage keeps no language; connect it to the respondent behind
    `state.token_from_request()` when the column and `services.set_language` exist."""
    return None


def keep_with_token(code: str) -> None:
    """Integration hook: keep the visitor's choice with their token (`services.set_language`).

    Until storage keeps a language, the choice lives in the session and the URL."""


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
    language = i18n.resolve_language(
        chosen, stored_language(), st.context.locale, os.environ.get("SMM_LANGUAGE"), available
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
    """A language menu in the sidebar, when the site has more than one language."""
    available = i18n.available_languages()
    if len(available) < 2:
        return
    st.session_state[_SELECTOR] = i18n.current_language()
    st.sidebar.selectbox(
        _("Language"),
        available,
        format_func=i18n.language_name,
        key=_SELECTOR,
        on_change=_on_select,
    )
