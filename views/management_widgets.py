"""What the management pages (the dashboard, the 90-day plan, the organisation page) share: the
choice of an organisation, kept in the URL as `?org=<id>`, among those the user may see
(`services.organisations.visible_organisations`), and the links between those pages carrying it.

Another's organisation and one that does not exist get the same answer, so a guessed id tells
nothing."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from i18n import _
from identity.rules import Role
from services import organisations as orgs
from services.accounts import User
from services.organisations import OrganisationChoice
from storage.errors import UNAVAILABLE_ERRORS
from views import messages, state

ORG_PARAM = "org"

_PICK = "management_organisation"  # the select box's key
_RESET = "management_organisation_reset"  # the page's own URL parameters, dropped when the organisation changes

# The management pages' url paths, in the navigation's order (app.py management_pages).
DASHBOARD = "dashboard"
PLAN = "plan"
ORGANISATION = "organisation"
_PAGES = (DASHBOARD, PLAN, ORGANISATION)


def busy_stop(error: Exception) -> None:
    """The database cannot answer now: say so (nothing is lost) and end the page's run here."""
    st.warning(
        _("The database cannot answer right now ({reason}). Reload the page in a moment.").format(
            reason=messages.describe(error)
        ),
        icon=":material/cloud_off:",
    )
    st.stop()


def visible(user: User) -> list[OrganisationChoice]:
    try:
        return orgs.visible_organisations(state.engine(), user.id)
    except UNAVAILABLE_ERRORS as error:
        busy_stop(error)
        raise


def _no_organisation(user: User) -> None:
    """The empty state: what this user can do to get an organisation to look at."""
    if user.role == Role.MANAGER:
        st.info(
            _(
                "You are not a manager of any organisation yet. Ask an admin of this site to make you a "
                "manager of your organisation; its dashboard, plan and settings then appear here."
            ),
            icon=":material/domain_disabled:",
        )
    elif user.role == Role.TRAINER:
        st.info(
            _(
                "No organisation yet: a trainer sees the organisations they hold a workshop for. Hold a "
                "workshop for an organisation (on the Workshops page) and it appears here."
            ),
            icon=":material/domain_disabled:",
        )
        st.markdown(f"[{_('Workshops')}](workshops)")
    else:
        st.info(
            _("There is no organisation yet. Create one on the Workshops page."),
            icon=":material/domain_disabled:",
        )
        st.markdown(f"[{_('Workshops')}](workshops)")


def _on_pick() -> None:
    picked = st.session_state.get(_PICK)
    for name in st.session_state.get(_RESET, ()):
        st.query_params.pop(name, None)
    if picked is None:
        st.query_params.pop(ORG_PARAM, None)
    else:
        st.query_params[ORG_PARAM] = str(picked)


def _requested(shown: Sequence[OrganisationChoice]) -> tuple[OrganisationChoice | None, bool]:
    """The organisation `?org=` names, and whether the address named one that cannot be shown."""
    raw = (st.query_params.get(ORG_PARAM) or "").strip()
    if not raw:
        return None, False
    if not (raw.isascii() and raw.isdigit()):
        st.error(
            _("The address does not name an organisation (`org` must be an organisation's number). Choose one below."),
            icon=":material/error:",
        )
        return None, True
    found = next((choice for choice in shown if choice.id == int(raw)), None)
    if found is None:
        st.error(
            _(
                "Organisation {id} is not one of yours: it does not exist, or you may not see it. "
                "Choose one of your organisations below."
            ).format(id=int(raw)),
            icon=":material/block:",
        )
        return None, True
    return found, False


def choose_organisation(user: User, reset: Sequence[str] = ()) -> OrganisationChoice | None:
    """The organisation of `?org=<id>` when the user may see it, else one chosen from the list of
    those they may see (the only one is chosen by itself). None when there is nothing to show yet;
    the page has then said why (no organisation, an address naming one that is not theirs, none
    chosen). `reset`: the page's own URL parameters, dropped when another organisation is chosen."""
    shown = visible(user)
    if not shown:
        _no_organisation(user)
        return None
    selected, refused = _requested(shown)
    if selected is None and not refused and len(shown) == 1:
        selected = shown[0]
        st.query_params[ORG_PARAM] = str(selected.id)
    st.session_state[_RESET] = tuple(reset)
    if len(shown) > 1 or selected is None:
        by_id = {choice.id: choice for choice in shown}
        # The URL decides: a refresh, a bookmark or the back button shows what it names.
        st.session_state[_PICK] = selected.id if selected is not None else None
        st.selectbox(
            _("Organisation"),
            list(by_id),
            format_func=lambda organisation_id: by_id[organisation_id].name,
            placeholder=_("Choose an organisation"),
            key=_PICK,
            on_change=_on_pick,
        )
    return selected


def page_links(organisation_id: int, here: str) -> None:
    """Links to the other management pages, for the same organisation. Plain links: they work
    whichever pages the navigation holds."""
    labels = {DASHBOARD: _("Dashboard"), PLAN: _("90-day plan"), ORGANISATION: _("Organisation")}
    links = [f"[{labels[page]}]({page}?{ORG_PARAM}={organisation_id})" for page in _PAGES if page != here]
    st.markdown(" · ".join(links))
