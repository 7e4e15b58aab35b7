"""Sections of the join page: where a seated visitor is, the form to join with a code (a workshop's,
with a nickname; or an organisation's invitation code, without one), and for a member of an
organisation their department and job title. Each owns its session-state keys.

Which kind a code is: a workshop's when `services.workshops.workshop_by_code` finds one; otherwise
`services.organisations.join_by_invite` tries it as an invitation and joins (InvalidValues: no
organisation is open with it, which reads as an unknown code). The department and job title are
chosen right after joining, from the organisation's lists."""

from __future__ import annotations

import streamlit as st

from i18n import _, format_date
from services import organisations as orgs
from services import respondents as visits
from services import workshops as ws
from storage.errors import StorageBusy, TokenError
from views import language, messages, state, widgets
from views.workshop_messages import code_error, join_error, mode_label, nickname_error, plain
from workshops.codes import CodeError, normalise_code
from workshops.joining import UNKNOWN, JoinError
from workshops.nicknames import NicknameError

CODE_PARAM = "code"
_FORM = "join"  # the form's name; its widgets' keys are "<form>_code" and "<form>_nickname"
MEMBER_FORM = "member_join"  # the same form for a member: new widgets, not the ones that joined them
_DEPARTMENT = "member_department"
_JOB_TITLE = "member_job_title"
_FLASH = "join_flash"
_NONE = ""  # the select's value for "not given"


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


def show_form(token: str | None, form: str = _FORM) -> None:
    code_key, nickname_key = f"{form}_code", f"{form}_nickname"
    typed_code = code_in_url()
    if code_key not in st.session_state and typed_code is not None:
        st.session_state[code_key] = typed_code
    with st.form(form):
        code = st.text_input(
            _("Workshop code"),
            key=code_key,
            placeholder="ABC234",
            help=_(
                "6 letters and digits, as your trainer or your organisation shows them. Codes never contain "
                "O, 0, I, L or 1."
            ),
        )
        nickname = st.text_input(
            _("Nickname"),
            key=nickname_key,
            help=_(
                "For a workshop: what the trainer and the room see, 1 to 24 letters, digits, spaces and . _ - '. "
                "No real name needed. Not needed for an organisation's invitation code."
            ),
        )
        submitted = st.form_submit_button(_("Join"), type="primary")
    if not submitted:
        return
    if _is_invitation(code):
        _join_organisation(code, token)
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


def _is_invitation(code: str) -> bool:
    """True when the typed code is a code but no workshop's (it may be an organisation's invitation);
    a text that is no code at all goes the workshop way, whose errors say what is wrong with it."""
    try:
        return ws.workshop_by_code(state.engine(), code) is None
    except (CodeError, StorageBusy):
        return False


def _join_organisation(code: str, token: str | None) -> None:
    try:
        joined_token, _respondent, organisation = orgs.join_by_invite(state.engine(), code, None, None, token)
    except orgs.InvalidValues:
        st.error(join_error(JoinError(UNKNOWN, "")), icon=":material/error:")
        return
    except StorageBusy:
        st.error(_("Not joined: {reason}").format(reason=messages.busy()))
        return
    state.remember_token(joined_token)
    language.joined_workshop()
    st.session_state.pop(f"{_FORM}_code", None)
    st.query_params.pop(CODE_PARAM, None)  # the visit is in ?t= now; a refresh shows the membership
    st.session_state[_FLASH] = _("You joined {organisation}.").format(organisation=plain(organisation.name))
    st.rerun()


def membership_of(token: str | None) -> orgs.Membership | None:
    if token is None:
        return None
    try:
        respondent = visits.find_respondent(state.engine(), token)
        return orgs.membership_of(state.engine(), respondent.id)
    except (TokenError, StorageBusy):
        return None


def show_membership(token: str, member: orgs.Membership) -> None:
    """A member without a workshop seat: their organisation, the way to the assessment, and the
    department and job title form."""
    joined = st.session_state.pop(_FLASH, None)
    if joined:
        st.success(joined, icon=":material/domain:")
    else:
        st.success(
            _("You are a member of {organisation}.").format(organisation=plain(member.organisation.name)),
            icon=":material/domain:",
        )
    st.caption(
        _(
            "Your completed rounds count in the organisation's measurement waves. Its managers see only "
            "figures of groups large enough that nobody can be singled out, never your answers."
        )
    )
    st.page_link(
        "views/assessment.py",
        label=_("Start the self-assessment"),
        icon=":material/edit_note:",
        query_params={state.TOKEN_PARAM: token},
    )
    widgets.resume_link(token)
    show_profile(token, member)


def show_profile(token: str, member: orgs.Membership) -> None:
    """Your department and job title, from the organisation's lists (each optional); they apply to the
    rounds you complete from now on. Nothing to choose when the organisation has no lists."""
    organisation = member.organisation
    if not organisation.departments and not organisation.job_titles:
        return
    st.subheader(_("Your department and job title"), anchor=False)
    departments = [_NONE, *organisation.departments]
    titles = [_NONE, *organisation.job_titles]

    def label(value: str) -> str:
        return _("Not given") if value == _NONE else value

    with st.form("member_profile"):
        department = st.selectbox(
            _("Department"),
            departments,
            index=departments.index(member.department) if member.department in departments else 0,
            format_func=label,
            key=_DEPARTMENT,
            disabled=not organisation.departments,
        )
        job_title = st.selectbox(
            _("Job title"),
            titles,
            index=titles.index(member.job_title) if member.job_title in titles else 0,
            format_func=label,
            key=_JOB_TITLE,
            disabled=not organisation.job_titles,
        )
        st.caption(
            _(
                "Optional. Results per department or job title are shown only for groups large enough that "
                "nobody can be singled out. It applies to the rounds you complete from now on."
            )
        )
        submitted = st.form_submit_button(_("Save"))
    if not submitted:
        return
    try:
        respondent = visits.find_respondent(state.engine(), token)
        orgs.set_member_profile(state.engine(), respondent.id, department or None, job_title or None)
    except orgs.InvalidValues:
        st.error(_("Not saved: choose from the organisation's lists; they may have changed. Reload the page."))
        return
    except (TokenError, StorageBusy) as error:
        st.error(_("Not saved: {reason}").format(reason=messages.describe(error)))
        return
    st.success(_("Saved."))
