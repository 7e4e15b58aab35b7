"""The management report on the dashboard page: the chosen wave's PDF, its charts (PNG and SVG) and
its data (CSV and Excel), in the visitor's language. Made when asked for (the PDF takes about a
second, the chart images more), for the organisation as a whole: a filtered view is not reported.
Owns the session key that says which report was asked for."""

from __future__ import annotations

import streamlit as st

from i18n import _, current_language
from reporting.management_report import ReportFiles, report_files
from reporting.pdf import ReportError
from services import dashboard as dash
from services import organisations as orgs
from services import reports
from services.accounts import User
from services.organisations import OrganisationChoice
from storage.errors import UNAVAILABLE_ERRORS
from views import management_widgets, state

_ASKED = "dash_report_asked"  # the (organisation, wave, scope, language) whose report was asked for


def _files(user: User, choice: OrganisationChoice, board: dash.Dashboard, language: str) -> ReportFiles | None:
    request = dash.ViewRequest(wave_id=None if board.wave is None else board.wave.id, scope=board.request.scope)
    model = state.model()
    try:
        data = reports.management_report(state.engine(), user.id, choice.id, model, state.course(), request)
        return report_files(model, data, language)
    except orgs.NotAllowed:
        st.error(_("You may not see this organisation's report (any more)."), icon=":material/block:")
    except ReportError:
        st.error(_("The PDF could not be made. The dashboard above is not affected; try again later."))
    except UNAVAILABLE_ERRORS as error:
        management_widgets.busy_stop(error)
        raise
    return None


def show_report(user: User, choice: OrganisationChoice, board: dash.Dashboard) -> None:
    st.subheader(_("Report"), anchor=False)
    st.caption(
        _(
            "The organisation's report of this wave as PDF (stage, radar, agreement, departments, trend, gaps "
            "and the plan), every chart as PNG and SVG, and the figures as CSV and Excel. The same anonymity "
            "rules apply; a filter above is not part of it."
        )
    )
    language = current_language()
    wanted = (choice.id, None if board.wave is None else board.wave.id, board.request.scope, language)
    if st.button(_("Prepare the report"), icon=":material/picture_as_pdf:", key="dash_report_button"):
        st.session_state[_ASKED] = wanted
    if st.session_state.get(_ASKED) != wanted:
        return
    with st.spinner(_("Making the report...")):
        files = _files(user, choice, board, language)
    if files is None:
        return
    pdf_column, charts_column, data_column, excel_column = st.columns(4)
    pdf_column.download_button(
        _("PDF"), files.pdf, file_name=f"{files.stem}.pdf", mime="application/pdf", icon=":material/download:"
    )
    with st.spinner(_("Drawing the charts...")):
        charts = files.charts_zip
    charts_column.download_button(
        _("Charts (PNG, SVG)"), charts, file_name=f"{files.stem}-charts.zip", mime="application/zip"
    )
    data_column.download_button(
        _("Data (CSV)"), files.data_csv_zip, file_name=f"{files.stem}-data.zip", mime="application/zip"
    )
    excel_column.download_button(
        _("Excel"),
        files.xlsx,
        file_name=f"{files.stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
