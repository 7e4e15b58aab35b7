"""Entry point: page config, the content check and the router. No page logic here."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from content.problems import ContentError
from i18n import _
from identity.rules import Role
from services.accounts import User
from storage.errors import UNAVAILABLE_ERRORS, SchemaError
from views import frame, language, page_scripts, staff

VIEWS = Path(__file__).resolve().parent / "views"

# Streamlit cuts a page link's label to one line; on a phone that hides the end of a lesson
# title or a quiz's score, so labels wrap instead. A style-only st.html takes no space on the page.
# Links in the page to the page already open (every quiz on the quiz list, every lesson on the lesson
# list) get Streamlit's "you are here" look, so a whole list looked selected; in the page body they
# all look like the links they are.
WRAPPING_LINKS_CSS = """<style>
[data-testid="stPageLink-NavLink"] > span, [data-testid="stPageLink-NavLink"] p {
  white-space: normal; overflow: visible; overflow-wrap: anywhere;
}
[data-testid="stMain"] a[data-testid="stPageLink-NavLink"]:not(:hover) { background-color: transparent; }
[data-testid="stMain"] a[data-testid="stPageLink-NavLink"] p { font-weight: inherit; }
/* On a touch screen a table's toolbar (search, download, full screen) is always shown, above the
   table's top edge: tables get room above them so it does not cover the line before them. */
@media (hover: none) {
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) {
    margin-top: 2rem;
  }
}
/* A script-only st.html (views/page_scripts.py) shows nothing; its element would still add a gap. */
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
</style>"""


def css_string(text: str) -> str:
    """Text as a CSS string literal (for `content:`), so no character of it can end the rule."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def streamlit_english_css(more: str) -> str:
    """Streamlit writes some words of its own in English whatever the page's language: a hint under a
    text field ("Press Enter to apply"; every field on the site has its own button that says what it
    does, so the hint is left out) and "2 more" on the top menu's overflow button (shown as the
    page's word for "more" instead; the count is left out, as CSS cannot read it)."""
    overflow = '.rc-overflow-item-rest [data-testid="stTopNavSection"] [data-testid="stMarkdownContainer"] p'
    return (
        '<style>[data-testid="InputInstructions"] { display: none; }\n'
        f"{overflow} {{ font-size: 0; }}\n"
        f"{overflow}::after {{ content: {css_string(more)}; font-size: 0.875rem; }}</style>"
    )


def menu_word_css(word: str) -> str:
    """On a narrow screen the page menu sits behind a bare ">>" button; the button gets a word beside it."""
    return (
        '<style>[data-testid="stExpandSidebarButton"]::after '
        f"{{ content: {css_string(word)}; margin-left: 0.375rem; font-size: 0.875rem; }}</style>"
    )


def show_content_error(error: ContentError) -> None:
    st.title(_("The site's content has problems"))
    st.error(
        _(
            "The assessment cannot be shown until its content file is fixed. "
            "Nothing you entered earlier has been lost: answers are stored separately."
        )
    )
    st.markdown(_("**What is wrong** (file:line: key: problem):"))
    st.code("\n".join(str(problem) for problem in error.problems), language=None, wrap_lines=True)
    st.caption(_("Run `python -m assessment check` to see the same list on the command line."))


def show_database_unavailable() -> None:
    st.title(_("The database cannot be reached right now"))
    st.warning(
        _(
            "This is on our side, not yours. Everything you answered before was saved as you gave it, "
            "and your resume link still works. Reload the page in a minute."
        ),
        icon=":material/cloud_off:",
    )


def show_schema_not_ready(error: SchemaError) -> None:
    from views import messages

    st.title(_("The site is being updated"))
    st.warning(
        _("Nothing you entered earlier has been lost. Please come back in a few minutes."),
        icon=":material/construction:",
    )
    st.caption(messages.schema(error))


def participant_pages() -> list[StreamlitPage]:
    return [
        # The start page answers at "/" (where resume links point) and at "/start": Streamlit serves
        # the default page only at "/" and answers its url_path with "Page not found", so a hidden
        # second entry (last in this list) serves "/start". Links to views/start.py take the first, "/".
        st.Page(VIEWS / "start.py", title=_("Start"), icon=":material/flag:", url_path="", default=True),
        st.Page(VIEWS / "assessment.py", title=_("Assessment"), icon=":material/edit_note:", url_path="assessment"),
        st.Page(VIEWS / "results.py", title=_("Results"), icon=":material/monitoring:", url_path="results"),
        st.Page(VIEWS / "path.py", title=_("My learning path"), icon=":material/route:", url_path="path"),
        st.Page(VIEWS / "lessons.py", title=_("Lessons"), icon=":material/menu_book:", url_path="lessons"),
        st.Page(VIEWS / "quiz.py", title=_("Quizzes"), icon=":material/quiz:", url_path="quiz"),
        st.Page(VIEWS / "live.py", title=_("Live quiz"), icon=":material/bolt:", url_path="live"),
        st.Page(VIEWS / "join.py", title=_("Join a workshop"), icon=":material/group_add:", url_path="join"),
        st.Page(VIEWS / "start.py", title=_("Start"), icon=":material/flag:", url_path="start", visibility="hidden"),
    ]


def account_page(user: User | None) -> StreamlitPage:
    """The login page for visitors; for a logged-in user the same page shows their account."""
    title = _("Log in") if user is None else _("Account")
    icon = ":material/login:" if user is None else ":material/account_circle:"
    return st.Page(VIEWS / "login.py", title=title, icon=icon, url_path="login")


def trainer_pages() -> list[StreamlitPage]:
    """Trainers' pages (their own workshops; an admin sees every workshop)."""
    return [
        st.Page(VIEWS / "workshops.py", title=_("Workshops"), icon=":material/co_present:", url_path="workshops"),
        st.Page(VIEWS / "room.py", title=_("The room"), icon=":material/groups:", url_path="room"),
        st.Page(
            VIEWS / "live_presenter.py", title=_("Run a live quiz"), icon=":material/timer:", url_path="live-presenter"
        ),
        st.Page(
            VIEWS / "workshop_results.py",
            title=_("Workshop results"),
            icon=":material/table_chart:",
            url_path="workshop-results",
        ),  # fmt: skip
        st.Page(VIEWS / "assignments.py", title=_("Assignments"), icon=":material/assignment:", url_path="assignments"),
        st.Page(VIEWS / "quiz_banks.py", title=_("Quiz banks"), icon=":material/library_books:", url_path="quiz-banks"),
    ]


def management_pages() -> list[StreamlitPage]:
    """Managers', trainers' and admins' pages of an organisation's maturity (issue 15); each page
    shows only the organisations the user may see (services.organisations.visible_organisations)."""
    return [
        st.Page(VIEWS / "dashboard.py", title=_("Dashboard"), icon=":material/insights:", url_path="dashboard"),
        st.Page(VIEWS / "plan.py", title=_("90-day plan"), icon=":material/checklist:", url_path="plan"),
        st.Page(VIEWS / "organisation.py", title=_("Organisation"), icon=":material/domain:", url_path="organisation"),
    ]


def admin_pages() -> list[StreamlitPage]:
    return [st.Page(VIEWS / "users.py", title=_("Accounts"), icon=":material/group:", url_path="users")]


def current_user_or_none() -> User | None:
    """The logged-in user, if any. Pages for a role are in the navigation only for that role; each
    page checks the role again itself (views/staff.py), so a typed URL is refused too."""
    try:
        return staff.current_user()
    except UNAVAILABLE_ERRORS:
        logging.getLogger(__name__).exception("database unavailable while reading the login")
        return None


def main() -> None:
    shown_language = language.apply()  # first: everything below is in the visitor's language
    # The favicon comes with the page itself: a ":material/...:" page icon is fetched from
    # fonts.gstatic.com by every page, which sends each visitor's address to Google (the privacy
    # note promises that nothing goes to third parties).
    st.set_page_config(page_title=_("Social media maturity"), page_icon=frame.favicon_url(), layout="centered")
    from views import state  # imported here so a broken content file is caught below

    try:
        state.model()
    except ContentError as error:
        show_content_error(error)
        return
    try:
        state.engine()  # refuses a database whose schema is not the one this code needs
    except SchemaError as error:
        logging.getLogger(__name__).error("database schema not at head: %s", error)
        show_schema_not_ready(error)
        return
    except UNAVAILABLE_ERRORS:
        logging.getLogger(__name__).exception("database unavailable at the schema check")
        show_database_unavailable()
        return
    user = current_user_or_none()
    pages: dict[str, list[StreamlitPage]] = {"": participant_pages()}
    pages[""].append(account_page(user))
    if staff.has_role(user, (Role.TRAINER, Role.ADMIN)):
        pages[_("Trainer")] = trainer_pages()
    if staff.has_role(user, (Role.MANAGER, Role.TRAINER, Role.ADMIN)):
        pages[_("Management")] = management_pages()
    if staff.has_role(user, (Role.ADMIN,)):
        pages[_("Admin")] = admin_pages()
    # One style-only element for the frame's CSS: each st.html is an element built and sent per run.
    # Translators: the top menu's button that opens the pages that do not fit on the line.
    streamlit_words = "" if shown_language == "en" else streamlit_english_css(_("More"))
    st.html(WRAPPING_LINKS_CSS + menu_word_css(_("Menu")) + streamlit_words)
    language.selector()
    try:
        page = st.navigation(pages, position="top")
        page_scripts.close_menu_after_choice()
        page.run()
    except UNAVAILABLE_ERRORS:
        # The details go to the server log for whoever runs the site; the visitor gets a plain message.
        logging.getLogger(__name__).exception("database unavailable while showing a page")
        show_database_unavailable()


main()
