"""Log in (trainers, managers, admins), and for a logged-in user: who they are, a new password, log out.

Participants need no account: this page is only for staff. The password goes from the form to
`services.accounts.authenticate` and nowhere else (the form clears it on submit; session state keeps
only the session token, until the cookie route takes the login over: views/session_routes.py).
"""

from __future__ import annotations

import streamlit as st

from i18n import _
from identity.errors import AccountError
from identity.rules import Role
from services import accounts
from storage.errors import StorageBusy
from views import account_messages, page_scripts, staff, state
from views.session_routes import LOGOUT_PATH, SESSION_PATH

_USERNAME = "login_username"  # the username typed last, to fill the form again after a refusal


def home_page(role: Role) -> str:
    """The page a user lands on after logging in (its url path)."""
    return {Role.TRAINER: "workshops", Role.ADMIN: "users", Role.MANAGER: "dashboard"}[role]


def show_problem_from_route() -> None:
    problem = st.query_params.get("problem")
    if problem == "handoff":
        st.warning(
            _("That login could not be completed (it was used already or took longer than a minute). Log in again."),
            icon=":material/schedule:",
        )
    elif problem == "unavailable":
        st.warning(_("The database could not be reached while logging in. Try again in a minute."))


def login_form() -> None:
    st.title(_("Log in"))
    st.caption(
        _(
            "For trainers, managers and admins. Participants need no account: they join a workshop with "
            "its code, or start the assessment from the start page."
        )
    )
    show_problem_from_route()
    with st.form("login", clear_on_submit=True, enter_to_submit=True):
        username = st.text_input(_("Username"), value=st.session_state.get(_USERNAME, ""), autocomplete="username")
        password = st.text_input(_("Password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(_("Log in"), type="primary")
    if staff.sso_configured():
        st.divider()
        if st.button(_("Log in with single sign-on"), icon=":material/key:"):
            st.login()
    if not submitted:
        return
    st.session_state[_USERNAME] = username
    if not username.strip() or not password:
        st.error(_("Fill in both the username and the password."))
        return
    engine = state.engine()
    try:
        token, user = accounts.authenticate(engine, username, password, staff.client_address())
    except AccountError as error:
        st.error(account_messages.describe(error), icon=":material/lock:")
        return
    except StorageBusy as error:
        st.warning(account_messages.describe(error))
        return
    staff.remember(token)
    st.session_state.pop(_USERNAME, None)
    code = accounts.begin_handoff(engine, token)
    st.success(_("Logged in as {name}.").format(name=user.display_name))
    if code is None:  # the session ended between the two calls: nothing to hand over
        st.rerun()
    # The browser goes through the cookie route and comes back on the user's first page; until it
    # is back, this session carries the login (session state).
    page_scripts.go_to(f"{SESSION_PATH.lstrip('/')}?code={code}&next={home_page(user.role)}")
    st.stop()


def sso_without_account(email: str) -> None:
    st.title(_("Log in"))
    st.warning(
        _(
            "You signed in as {email}, but no active account of this site has that e-mail. "
            "Ask an admin to add it to your account."
        ).format(email=email)
    )
    if st.button(_("Sign out of single sign-on")):
        st.logout()


def account_page(user: accounts.User) -> None:
    st.title(_("Your account"))
    st.markdown(
        _("Logged in as **{name}** ({username}), role: {role}.").format(
            name=user.display_name.replace("*", "\\*").replace("_", "\\_"),
            username=user.username,
            role=staff.role_label(user.role),
        )
    )
    token = staff.session_token()
    with st.expander(_("Change your password"), icon=":material/password:"):
        with st.form("change_password", clear_on_submit=True):
            current = st.text_input(_("Current password"), type="password", autocomplete="current-password")
            new = st.text_input(_("New password"), type="password", autocomplete="new-password")
            again = st.text_input(_("New password again"), type="password", autocomplete="new-password")
            changed = st.form_submit_button(_("Change password"))
        if changed:
            if new != again:
                st.error(_("New password: the two entries differ; nothing was changed."))
            else:
                try:
                    accounts.change_password(state.engine(), user.id, new, current_password=current, keep_token=token)
                except AccountError as error:
                    st.error(account_messages.describe(error))
                else:
                    st.success(_("Your password is changed. Your other sessions have been logged out."))
    if st.button(_("Log out"), icon=":material/logout:", type="primary"):
        accounts.end_session(state.engine(), token)
        staff.forget()
        if staff.sso_email() is not None:
            st.logout()
        page_scripts.go_to(LOGOUT_PATH.lstrip("/"))
        st.stop()


def main() -> None:
    user = staff.current_user()
    if user is not None:
        account_page(user)
        return
    email = staff.sso_email()
    if email is not None:
        sso_without_account(email)
        return
    login_form()


main()
