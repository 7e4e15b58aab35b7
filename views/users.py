"""Admins manage the site's accounts: create one, change its role, switch it off or on, set its
single sign-on e-mail, give it a new password, log it out everywhere.

Every change goes through services.accounts, which refuses what would leave the site without an
active admin. Passwords are typed into forms that clear on submit and go nowhere but the hash.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from i18n import _, ngettext
from identity.errors import AccountError
from identity.rules import PASSWORD_MIN, Role
from services import accounts
from services.accounts import EmailError, User
from storage.errors import StorageBusy
from views import account_messages, staff, state


def role_name(role: Role) -> str:
    return {Role.TRAINER: _("Trainer"), Role.MANAGER: _("Manager"), Role.ADMIN: _("Admin")}[role]


def users_table(users: list[User]) -> None:
    st.dataframe(
        [
            {
                _("Username"): user.username,
                _("Name"): user.display_name,
                _("Role"): role_name(user.role),
                _("Active"): user.active,
                _("Sign-on e-mail"): user.email or "",
                _("Created"): user.created_at.date(),
            }
            for user in users
        ],
        hide_index=True,
        width="stretch",
    )


_TYPED = "new_account_typed"  # what was typed in the new-account form, but never the passwords


def create_form() -> None:
    # The form clears on submit, so no password stays in the widgets' state; the other fields are
    # filled in again from what was typed, so a refusal loses nothing but the passwords.
    typed: dict[str, str] = st.session_state.get(_TYPED, {})
    roles = list(Role)
    with st.form("create_user", clear_on_submit=True):
        st.subheader(_("New account"))
        username = st.text_input(
            _("Username"),
            value=typed.get("username", ""),
            help=_("3 to 40 characters: letters a-z, digits, '.', '_' and '-'"),
        )
        display_name = st.text_input(
            _("Name shown"), value=typed.get("display_name", ""), help=_("Optional; the username when empty")
        )
        role = st.selectbox(
            _("Role"), roles, index=roles.index(Role(typed.get("role", Role.TRAINER.value))), format_func=role_name
        )
        password = st.text_input(
            _("Password"), type="password", help=_("At least {n} characters").format(n=PASSWORD_MIN)
        )
        again = st.text_input(_("Password again"), type="password")
        email = st.text_input(_("Sign-on e-mail (optional)"), value=typed.get("email", ""))
        submitted = st.form_submit_button(_("Create account"), type="primary")
    if submitted:
        st.session_state[_TYPED] = {
            "username": username, "display_name": display_name, "role": role.value, "email": email,
        }  # fmt: skip
    if not submitted:
        return
    if password != again:
        st.error(_("Password: the two entries differ; no account was created."))
        return
    engine = state.engine()
    try:
        user = accounts.create_user(engine, username, display_name or None, role, password)
    except (AccountError, StorageBusy) as error:
        st.error(account_messages.describe(error))
        return
    except ValueError as error:  # a display name the text rules refuse (TextFieldError)
        st.error(account_messages.describe(error))
        return
    if email.strip():
        try:
            accounts.set_email(engine, user.id, email)
        except EmailError as error:
            st.warning(
                _("The account {name} was created, but not its e-mail: {problem}").format(
                    name=user.username, problem=account_messages.describe(error)
                )
            )
            return
    st.session_state.pop(_TYPED, None)
    st.session_state[_FLASH] = _("Account {name} created as {role}.").format(
        name=user.username, role=role_name(user.role)
    )
    st.rerun()


def manage(user: User, me: User) -> None:
    engine = state.engine()
    st.subheader(_("Manage {name}").format(name=user.username))
    if user.id == me.id:
        st.caption(_("This is your own account."))
    left, right = st.columns(2)
    with left:
        new_role = st.selectbox(
            _("Role"), list(Role), index=list(Role).index(user.role), format_func=role_name, key=f"role_{user.id}"
        )
        if st.button(_("Change role"), key=f"set_role_{user.id}", disabled=new_role == user.role):
            apply(lambda: accounts.set_role(engine, user.id, new_role), _("Role changed."))
        email = st.text_input(_("Sign-on e-mail"), value=user.email or "", key=f"email_{user.id}")
        if st.button(_("Save e-mail"), key=f"set_email_{user.id}"):
            apply(lambda: accounts.set_email(engine, user.id, email), _("Sign-on e-mail saved."))
    with right:
        if user.active:
            if st.button(_("Switch the account off"), key=f"off_{user.id}"):
                apply(lambda: accounts.set_active(engine, user.id, False), _("Account switched off."))
        elif st.button(_("Switch the account on"), key=f"on_{user.id}"):
            apply(lambda: accounts.set_active(engine, user.id, True), _("Account switched on."))
        if st.button(_("Log out everywhere"), key=f"end_{user.id}"):
            ended = accounts.end_all_sessions(engine, user.id)
            st.success(
                ngettext("{count} open session ended.", "{count} open sessions ended.", ended).format(count=ended)
            )
    with st.form(f"reset_{user.id}", clear_on_submit=True):
        password = st.text_input(_("New password"), type="password")
        again = st.text_input(_("New password again"), type="password")
        if st.form_submit_button(_("Set new password")):
            if password != again:
                st.error(_("New password: the two entries differ; nothing was changed."))
            else:
                keep = staff.session_token() if user.id == me.id else None
                apply(
                    lambda: accounts.change_password(engine, user.id, password, keep_token=keep),
                    _("Password set; the account's other sessions are logged out."),
                )


_FLASH = "accounts_flash"  # what the last change did, shown after the rerun that shows its effect


def apply(change: Callable[[], object], done: str) -> None:
    """Make a change; on success show the page again with it (and say so), else say what is wrong."""
    try:
        change()
    except (AccountError, EmailError, StorageBusy) as error:
        st.error(account_messages.describe(error))
        return
    st.session_state[_FLASH] = done
    st.rerun()


def main() -> None:
    me = staff.require(Role.ADMIN)
    st.title(_("Accounts"))
    st.caption(
        _(
            "Trainers run workshops, managers see their organisations, admins manage accounts and see "
            "everything. Participants need no account."
        )
    )
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash, icon=":material/check:")
    users = accounts.list_users(state.engine())
    users_table(users)
    by_name = {user.username: user for user in users}
    chosen = st.selectbox(_("Account to manage"), [None, *by_name], format_func=lambda n: n or _("Choose…"))
    if chosen is not None:
        manage(by_name[chosen], me)
    st.divider()
    create_form()


main()
