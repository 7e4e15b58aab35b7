"""Sections of the trainer's workshops page: the list and the choice of a workshop (kept in the URL
as `?w=<id>`), the chosen workshop's join code, QR code and link (also alone, large, for the
projector: `?w=<id>&project=1`), closing and reopening it, and the forms for a new organisation and
a new workshop. Each owns its session-state keys.

Names typed by trainers are shown through `plain` (escaped Markdown) or in widgets and tables,
never inside HTML; the only HTML here is the page's own: the code (six characters of the code
alphabet), the QR code segno drew and the join link, each escaped all the same."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from i18n import _, date_field_format, format_date
from identity.rules import Role
from services import workshops as ws
from services.accounts import User
from storage.errors import StorageBusy
from views import messages, state, widgets
from views.workshop_messages import (
    field_problem,
    language_label,
    mode_label,
    plain,
    sector_label,
    size_label,
    workshop_error,
)
from workshops import joining
from workshops.organisations import LANGUAGES, MODES, SECTORS, SIZE_BANDS, split_departments

WORKSHOP_PARAM = "w"
PROJECT_PARAM = "project"

_FLASH = "workshops_flash"  # a success message for the run after a rerun
_PICK = "workshop_pick"
_ORG_KEYS = ("org_name", "org_sector", "org_size", "org_departments", "org_language")
_CLEAR_ORG = "org_clear"
_CLEAR_WORKSHOP = "ws_clear"
_NEW_ORG = "ws_new_org"  # the organisation just created, chosen in the workshop form on the next run

_CODE_STYLE = (
    "font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 700; "
    "letter-spacing: 0.12em; text-align: center; line-height: 1.1;"
)
# The projector view: the page's own header, menu, sidebar and language button hidden, the main
# column full width.
_PROJECTOR_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], .st-key-language_bar { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-top: 1rem; }
</style>"""


@dataclass(frozen=True)
class Listed:
    workshop: ws.StoredWorkshop
    organisation: str
    participants: int


def busy_stop() -> None:
    st.warning(
        _("The database is busy right now ({reason}). Reload the page in a moment.").format(reason=messages.busy())
    )
    st.stop()


def organisations() -> list[ws.StoredOrganisation]:
    try:
        return ws.list_organisations(state.engine())
    except StorageBusy:
        busy_stop()
        raise


def listed(user: User, known: list[ws.StoredOrganisation]) -> list[Listed]:
    """The workshops this user may see, with their organisation's name and how many joined."""
    names = {organisation.id: organisation.name for organisation in known}
    engine = state.engine()
    try:
        found = ws.visible_workshops(engine, user.id)
        return [
            Listed(w, names.get(w.organisation_id, "?"), len(ws.participants_of(engine, user.id, w.id))) for w in found
        ]
    except StorageBusy:
        busy_stop()
        raise


def flash(message: str) -> None:
    st.session_state[_FLASH] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def chosen(shown: list[Listed]) -> tuple[Listed | None, str | None]:
    """The workshop of `?w=`, or None with the reason (none asked for: no reason). Another trainer's
    workshop and one that does not exist get the same answer, so a guessed id tells nothing."""
    raw = st.query_params.get(WORKSHOP_PARAM)
    if raw is None or raw == "":
        return None, None
    if not (raw.isascii() and raw.isdigit()):
        shown_id = widgets.showable_id(raw)
        if shown_id is None:
            return None, _("The address names no workshop: `w` must be a workshop's number.")
        return None, _("The address names no workshop: `w` must be a workshop's number, not {raw}.").format(
            raw=shown_id
        )
    wanted = int(raw)
    for item in shown:
        if item.workshop.id == wanted:
            return item, None
    return None, _(
        "Workshop {id} is not one of your workshops: it does not exist, or another trainer runs it. "
        "Choose one from the list."
    ).format(id=wanted)


def projecting() -> bool:
    return st.query_params.get(PROJECT_PARAM) == "1"


def _label(item: Listed) -> str:
    w = item.workshop
    return f"{w.name} · {item.organisation} · {w.held_on.isoformat()} · {w.code}"


def _on_pick() -> None:
    picked = st.session_state.get(_PICK)
    st.query_params.pop(PROJECT_PARAM, None)
    if picked is None:
        st.query_params.pop(WORKSHOP_PARAM, None)
    else:
        st.query_params[WORKSHOP_PARAM] = str(picked)


def show_list(user: User, shown: list[Listed], selected: Listed | None) -> None:
    st.subheader(_("All workshops") if user.role == Role.ADMIN else _("Your workshops"))
    if not shown:
        st.info(_("No workshops yet. Create an organisation, then a workshop for it, below."))
        return
    st.dataframe(
        {
            _("Name"): [item.workshop.name for item in shown],
            _("Organisation"): [item.organisation for item in shown],
            _("Date"): [item.workshop.held_on for item in shown],
            _("Language"): [language_label(item.workshop.language) for item in shown],
            _("Assessment"): [mode_label(item.workshop.mode) for item in shown],
            _("Code"): [item.workshop.code for item in shown],
            _("State"): [_("open") if item.workshop.open else _("closed") for item in shown],
            _("Participants"): [item.participants for item in shown],
        },
        hide_index=True,
    )
    by_id = {item.workshop.id: item for item in shown}
    # The URL decides: a refresh, a bookmark or the browser's back button shows what it names.
    st.session_state[_PICK] = selected.workshop.id if selected is not None else None
    st.selectbox(
        _("Open a workshop"),
        list(by_id),
        format_func=lambda workshop_id: _label(by_id[workshop_id]),
        index=None,
        placeholder=_("Choose a workshop"),
        key=_PICK,
        on_change=_on_pick,
    )


def join_link(workshop: ws.StoredWorkshop) -> str | None:
    try:
        return joining.join_url(state.site_url(), workshop.code)
    except ValueError:
        return None


def _code_html(code: str, size: str) -> str:
    return f'<div class="join-code" style="{_CODE_STYLE} font-size: {size};">{html.escape(code)}</div>'


def _link_html(link: str, size: str) -> str:
    return f'<p style="text-align: center; font-size: {size}; overflow-wrap: anywhere;">{html.escape(link)}</p>'


def show_qr(link: str, share: float) -> None:
    """The QR code of `link`, centred, `share` of the column wide. Our own SVG (segno, from our own
    link) shown as an image: st.html would strip the SVG, and an image runs nothing."""
    side = (1 - share) / 2
    _left, middle, _right = st.columns([side, share, side])
    middle.image(joining.qr_svg(link), width="stretch")


def show_join_code(workshop: ws.StoredWorkshop) -> None:
    st.markdown(_("**Join code.** Participants open the link or scan the QR code, or type the code on the join page."))
    link = join_link(workshop)
    if link is None:
        st.html(_code_html(workshop.code, "5rem"))
        st.warning(_("The site's address is not known here, so there is no join link or QR code: use the code."))
        return
    st.html(_code_html(workshop.code, "5rem"))
    show_qr(link, 0.5)
    st.code(link, language=None, wrap_lines=True)


def show_join_panel(workshop: ws.StoredWorkshop, code_size: str, qr_share: float, link_size: str) -> None:
    """The join code large, and under it the QR code and the join link (when the site's address is known),
    centred: the projector view's, and the lobby of a live quiz (views/live_presenter.py)."""
    st.html(_code_html(workshop.code, code_size))
    link = join_link(workshop)
    if link is not None:
        show_qr(link, qr_share)
        st.html(_link_html(link, link_size))


def show_projector(item: Listed) -> None:
    """Only the name, the code, the QR code and the link, large and centred."""
    workshop = item.workshop
    st.html(_PROJECTOR_CSS)
    st.title(plain(workshop.name), anchor=False, text_alignment="center")
    st.markdown(_("Join with this code"), text_alignment="center")
    show_join_panel(workshop, "min(18vw, 12rem)", 0.34, "1.6rem")
    if not workshop.open:
        st.warning(_("This workshop is closed: reopen it so participants can join."))
    if st.button(_("Leave the projector view"), key="leave_projector", type="tertiary"):
        st.query_params.pop(PROJECT_PARAM, None)
        st.rerun()


def show_selected(user: User, item: Listed) -> None:
    workshop = item.workshop
    st.divider()
    st.subheader(plain(workshop.name), anchor=False)
    st.caption(
        " · ".join(
            [
                plain(item.organisation),
                format_date(workshop.held_on),
                language_label(workshop.language),
                mode_label(workshop.mode),
            ]
        )
    )
    left, right = st.columns([3, 1], vertical_alignment="center")
    if workshop.open:
        left.success(_("Open: participants can join with the code."), icon=":material/lock_open:")
        if right.button(_("Close the workshop"), key="close_workshop"):
            _set_open(user, workshop, False)
    else:
        left.warning(_("Closed: nobody new can join. Participants already in keep their seat."), icon=":material/lock:")
        if right.button(_("Reopen the workshop"), key="reopen_workshop"):
            _set_open(user, workshop, True)
    st.metric(_("Participants"), item.participants)
    show_join_code(workshop)
    if st.button(_("Show on the projector"), icon=":material/present_to_all:", key="project"):
        st.query_params[PROJECT_PARAM] = "1"
        st.rerun()
    wid = workshop.id
    st.markdown(
        " · ".join(
            [
                f"[{_('Room view')}](room?w={wid})",
                f"[{_('Results')}](workshop-results?w={wid})",
                f"[{_('Assignments')}](assignments?w={wid})",
            ]
        )
    )


def _set_open(user: User, workshop: ws.StoredWorkshop, open_: bool) -> None:
    try:
        if open_:
            ws.reopen_workshop(state.engine(), user.id, workshop.id)
        else:
            ws.close_workshop(state.engine(), user.id, workshop.id)
    except (ws.WorkshopError, StorageBusy) as error:
        st.error(workshop_error(error))
        return
    flash(_("The workshop is open again.") if open_ else _("The workshop is closed."))
    st.rerun()


def _problems(error: ws.InvalidValues, form: str, typed_name: str) -> None:
    lines = [field_problem(problem, form, typed_name) for problem in error.problems]
    st.error(_("Not saved. Please correct:") + "\n" + "\n".join(f"- {line}" for line in lines), icon=":material/error:")


def show_new_organisation(user: User, known: list[ws.StoredOrganisation]) -> None:
    if st.session_state.pop(_CLEAR_ORG, False):
        for key in _ORG_KEYS:
            st.session_state.pop(key, None)
    with st.expander(_("New organisation"), icon=":material/apartment:", expanded=not known):
        with st.form("new_organisation"):
            name = st.text_input(_("Organisation name"), key="org_name")
            sector = st.selectbox(
                _("Sector"),
                list(SECTORS),
                format_func=sector_label,
                index=None,
                placeholder=_("Choose a sector"),
                key="org_sector",
            )
            size = st.selectbox(
                _("Size"),
                list(SIZE_BANDS),
                format_func=size_label,
                index=None,
                placeholder=_("Choose a size"),
                key="org_size",
            )
            departments = st.text_area(_("Departments (optional, one per line)"), key="org_departments")
            language = st.selectbox(
                _("Default language"), list(LANGUAGES), format_func=language_label, key="org_language"
            )
            submitted = st.form_submit_button(_("Create the organisation"))
        if not submitted:
            return
        try:
            made = ws.create_organisation(
                state.engine(), user.id, name, sector or "", size or "", language or "", split_departments(departments)
            )
        except ws.InvalidValues as error:
            _problems(error, "organisation", name)
            return
        except (ws.WorkshopError, StorageBusy) as error:
            st.error(workshop_error(error))
            return
    flash(_("Organisation created: {name}.").format(name=plain(made.name)))
    st.session_state[_CLEAR_ORG] = True
    st.session_state[_NEW_ORG] = made.id
    st.rerun()


def show_new_workshop(user: User, known: list[ws.StoredOrganisation]) -> None:
    if st.session_state.pop(_CLEAR_WORKSHOP, False):
        st.session_state.pop("ws_name", None)
    if _NEW_ORG in st.session_state:
        st.session_state["ws_org"] = st.session_state.pop(_NEW_ORG)
    names = {organisation.id: organisation.name for organisation in known}
    with st.expander(_("New workshop"), icon=":material/add:", expanded=bool(known)):
        with st.form("new_workshop"):
            name = st.text_input(_("Workshop name"), key="ws_name")
            organisation = st.selectbox(
                _("Organisation"),
                list(names),
                format_func=lambda organisation_id: names.get(organisation_id, "?"),
                index=None,
                placeholder=_("Choose an organisation") if names else _("Create an organisation first"),
                key="ws_org",
            )
            held_on: Any = st.date_input(_("Date"), value="today", format=date_field_format(), key="ws_date")
            language = st.selectbox(_("Language"), list(LANGUAGES), format_func=language_label, key="ws_language")
            mode = st.radio(_("Assessment"), list(MODES), format_func=mode_label, horizontal=True, key="ws_mode")
            submitted = st.form_submit_button(_("Create the workshop"), type="primary")
        if not submitted:
            return
        try:
            made = ws.create_workshop(
                state.engine(),
                user.id,
                name,
                organisation if organisation is not None else 0,
                held_on if isinstance(held_on, date) else None,  # type: ignore[arg-type]
                language or "",
                mode or "",
            )
        except ws.InvalidValues as error:
            _problems(error, "workshop", name)
            return
        except (ws.WorkshopError, StorageBusy) as error:
            st.error(workshop_error(error))
            return
    flash(_("Workshop created: {name}, join code {code}.").format(name=plain(made.name), code=made.code))
    st.session_state[_CLEAR_WORKSHOP] = True
    st.query_params.pop(PROJECT_PARAM, None)
    st.query_params[WORKSHOP_PARAM] = str(made.id)
    st.rerun()


def _workshop_label(workshop: ws.StoredWorkshop) -> str:
    return f"{workshop.name} · {workshop.held_on.isoformat()} · {workshop.code}"


def choose_workshop(
    visible: list[ws.StoredWorkshop], *, page: str, refused: str, none_yet: str, key: str
) -> ws.StoredWorkshop:
    """The workshop of the address (`?w=<id>`), or one chosen from the user's `visible` ones; the page
    stops when there is none. `refused` says why a workshop of the address that is not the user's
    cannot be opened (with `{id}`), `none_yet` what a user without workshops reads; `page` is the
    page file to link back to, `key` the select box's key."""
    raw = st.query_params.get("w")
    if raw is not None:
        if not raw.strip().isdigit():
            st.error(
                _("The workshop in the address (?w=) is not a workshop number. Choose a workshop from the list."),
                icon=":material/error:",
            )
            st.page_link(page, label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        found = next((w for w in visible if w.id == int(raw)), None)
        if found is None:
            st.error(refused.format(id=int(raw)), icon=":material/block:")
            st.page_link(page, label=_("Choose a workshop"), icon=":material/list:")
            st.stop()
        return found
    if not visible:
        st.info(none_yet)
        st.stop()
    by_id = {w.id: w for w in visible}
    chosen = st.selectbox(
        _("Workshop"),
        list(by_id),
        index=None,
        format_func=lambda workshop_id: _workshop_label(by_id[workshop_id]),
        placeholder=_("Choose a workshop"),
        key=key,
    )
    if chosen is None:
        st.stop()
    st.query_params["w"] = str(chosen)
    return by_id[chosen]
