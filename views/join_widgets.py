"""Sections of the join page: where a seated visitor is, and the form to join with a code and a
nickname. Each owns its session-state keys."""

from __future__ import annotations

import streamlit as st

from i18n import _, format_date
from services import respondents as visits
from services import workshops as ws
from storage.errors import StorageBusy, TokenError
from views import language, messages, state, widgets
from views.workshop_messages import code_error, join_error, mode_label, nickname_error, plain
from workshops.codes import CodeError, normalise_code
from workshops.joining import JoinError
from workshops.nicknames import NicknameError

CODE_PARAM = "code"
_CODE = "join_code"
_NICKNAME = "join_nickname"


def usable_token() -> str | None:
    """The visitor's resume token when it belongs to someone; None for no token or one that does not
    work (joining then makes a new visit; the bad token says nothing about anyone)."""
    token = state.token_from_request()
    if not token:
        return None
    try:
        visits.find_respondent(state.engine(), token)
    except TokenError:
        return None
    return token


def seat_of(token: str | None) -> ws.Seat | None:
    if token is None:
        return None
    respondent = visits.find_respondent(state.engine(), token)
    return ws.seat_of_participant(state.engine(), respondent.id)


def code_in_url() -> str | None:
    raw = st.query_params.get(CODE_PARAM)
    return raw.strip() if raw and raw.strip() else None


def other_workshop_asked(seat: ws.Seat) -> bool:
    """True when the URL's code is another workshop's than the visitor's seat."""
    raw = code_in_url()
    if raw is None:
        return False
    try:
        return normalise_code(raw) != seat.workshop.code
    except CodeError:
        return False


def show_seat(token: str, seat: ws.Seat) -> None:
    workshop = seat.workshop
    st.success(
        _("You joined {workshop} as {nickname}.").format(workshop=plain(workshop.name), nickname=plain(seat.nickname)),
        icon=":material/groups:",
    )
    st.caption(_("{date} · {mode}").format(date=format_date(workshop.held_on), mode=mode_label(workshop.mode)))
    st.page_link(
        "views/assessment.py",
        label=_("Start the self-assessment"),
        icon=":material/edit_note:",
        query_params={state.TOKEN_PARAM: token},
    )
    widgets.resume_link(token)


def show_someone_else(seat: ws.Seat) -> None:
    """A shared device: the URL's code is for another workshop than the one this browser is seated in."""
    st.info(
        _(
            "This browser is already in the workshop {workshop} as {nickname}. To join the other workshop as "
            "someone else, forget this seat here first (nothing is deleted: the resume link still opens it)."
        ).format(workshop=plain(seat.workshop.name), nickname=plain(seat.nickname))
    )
    if st.button(_("Forget this seat here and join as someone else"), key="join_as_other"):
        state.forget_token()
        st.rerun()


def show_form(token: str | None) -> None:
    typed_code = code_in_url()
    if _CODE not in st.session_state and typed_code is not None:
        st.session_state[_CODE] = typed_code
    with st.form("join"):
        code = st.text_input(
            _("Workshop code"),
            key=_CODE,
            placeholder="ABC234",
            help=_("6 letters and digits, as your trainer shows them. Codes never contain O, 0, I, L or 1."),
        )
        nickname = st.text_input(
            _("Nickname"),
            key=_NICKNAME,
            help=_(
                "What the trainer and the room see: 1 to 24 letters, digits, spaces and . _ - '. No real name needed."
            ),
        )
        submitted = st.form_submit_button(_("Join"), type="primary")
    if not submitted:
        return
    try:
        joined_token, _respondent, _workshop = ws.join_workshop(state.engine(), code, nickname, token)
    except CodeError as error:
        st.error(code_error(error), icon=":material/error:")
    except JoinError as error:
        st.error(join_error(error), icon=":material/error:")
    except NicknameError as error:
        st.error(nickname_error(error, nickname), icon=":material/error:")
    except StorageBusy:
        st.error(_("Not joined: {reason}").format(reason=messages.busy()))
    else:
        state.remember_token(joined_token)
        language.joined_workshop()
        st.rerun()
