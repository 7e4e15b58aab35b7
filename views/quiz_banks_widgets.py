"""Sections of the trainer's quiz banks page (views/quiz_banks.py): the upload of a GIFT or Moodle
XML file with its preview and the import form, the list of every bank, and one bank's questions
filtered by tag with its downloads and (an imported bank) its deletion. Each owns its session-state
keys, all starting with "qb_".

Texts from a file or a bank (titles, prompts, answers, tags, the readers' notes) are shown through
`plain` (escaped Markdown), in widgets or in tables, never as HTML."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from content.ids import MAX_LENGTH
from i18n import _, current_language, format_datetime, format_decimal, ngettext
from learning.content import Course
from quizzes.model import Bank, Question
from services import quiz_banks as qb
from services.accounts import User
from storage.errors import StorageBusy
from views import messages, state
from views.workshop_messages import plain

_FLASH = "qb_flash"  # a success message for the run after a rerun
_UPLOADS = "qb_uploads"  # how many files were imported: a new uploader (an empty one) after each
_PREVIEW = "qb_preview"  # ((file id, language), Preview or the error) of the file in the uploader
_CHOSEN = "qb_bank"
_TAG = "qb_tag"
_CONFIRM = "qb_confirm_delete"
_EXPORTS = "qb_exports"  # (what they were made of, {format: ExportedFile}) for the bank on show
_SHORT = 90  # characters of a prompt or answer in the preview


def type_label(kind: str) -> str:
    labels = {
        "single": _("Multiple choice, one answer"),
        "multiple": _("Multiple choice, several answers"),
        "truefalse": _("True or false"),
        "ordering": _("Ordering"),
        "matching": _("Matching"),
        "short": _("Short answer"),
        "numerical": _("Numerical"),
    }
    return labels.get(kind, kind)


def short(text: str, limit: int = _SHORT) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    """A number of an answer in the page's language, with the decimals it has (at most six)."""
    if float(value).is_integer():
        return format_decimal(value)
    decimals = f"{value:.6f}".rstrip("0").split(".")[1]
    return format_decimal(value, len(decimals))


def answers_in_short(question: Question) -> str:
    """What a question accepts, in one line: the right options, true or false, the order, the pairs,
    the accepted texts or numbers (with their credit when partial)."""
    if question.type in ("single", "multiple"):
        right = [short(o.text, 40) for o in question.options if o.correct]
        return _("Right: {right} · {count} options").format(right=" | ".join(right), count=len(question.options))
    if question.type == "truefalse":
        return _("Right: {answer}").format(answer=_("True") if question.answer else _("False"))
    if question.type == "ordering":
        return " → ".join(short(item.text, 30) for item in question.items)
    if question.type == "matching":
        pairs = " | ".join(f"{short(p.left, 25)} → {short(p.right, 25)}" for p in question.pairs)
        if question.distractors:
            extra = ", ".join(short(d, 25) for d in question.distractors)
            return _("{pairs} · also offered: {extra}").format(pairs=pairs, extra=extra)
        return pairs
    if question.type == "short":
        return _("Accepted: {answers}").format(
            answers=" | ".join(
                short(a.text, 30) + ("" if a.weight >= 100 else f" ({_number(a.weight)}%)") for a in question.accept
            )
        )
    if question.type == "numerical":
        shown = []
        for n in question.numbers:
            if n.any_number:
                text = _("any other number")
            elif n.min is not None and n.max is not None:
                text = f"{_number(n.min)}..{_number(n.max)}"
            else:
                text = _number(n.value or 0.0) + (f" ± {_number(n.tolerance)}" if n.tolerance else "")
            shown.append(text + ("" if n.weight >= 100 else f" ({_number(n.weight)}%)"))
        return _("Accepted: {answers}").format(answers=" | ".join(shown))
    return ""


def show_flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message, icon=":material/check:")


# The upload --------------------------------------------------------------------------------------


def file_problem(error: qb.QuizBankError) -> str:
    """What is wrong with an uploaded file, for the trainer."""
    if isinstance(error, qb.FileTooLarge):
        return _("The file is too large: {size} MB. At most {limit} MB can be imported.").format(
            size=format_decimal(error.size / 1024 / 1024, 1), limit=error.limit // (1024 * 1024)
        )
    if isinstance(error, qb.EmptyFile):
        return _("The file is empty.")
    if isinstance(error, qb.NotUtf8):
        return _(
            "Line {line} is not UTF-8 text. Save the file as UTF-8 (in most editors: Save as, encoding "
            "UTF-8) and upload it again."
        ).format(line=error.line)
    if isinstance(error, qb.UnreadableFile):
        what = _("Moodle XML") if error.source_format == qb.XML else _("GIFT")
        return _("The file cannot be read as {format}: {reason}").format(format=what, reason=error.detail)
    if isinstance(error, qb.NothingToImport):
        return ngettext(
            "Nothing in this file can be imported: its {count} question is skipped.",
            "Nothing in this file can be imported: all {count} questions are skipped.",
            len(error.skipped),
        ).format(count=len(error.skipped))
    if isinstance(error, qb.NotAllowed):
        return _("Only trainers and admins may import quiz banks.")
    return str(error)


def _read(user: User, uploaded: UploadedFile) -> qb.Preview | qb.QuizBankError:
    """The preview of the uploaded file, made once per file and language (the readers' notes are in
    the visit's language) and kept for the session's reruns; or the error saying why there is none."""
    made_for = (uploaded.file_id, current_language())
    kept = st.session_state.get(_PREVIEW)
    if kept is not None and kept[0] == made_for:
        return kept[1]  # type: ignore[no-any-return]
    try:
        found: qb.Preview | qb.QuizBankError = qb.preview(state.engine(), user.id, uploaded.name, uploaded.getvalue())
    except qb.QuizBankError as error:
        found = error
    st.session_state[_PREVIEW] = (made_for, found)
    return found


def show_upload(user: User, course: Course, file_bank_ids: set[str]) -> None:
    st.header(_("Import a quiz file"))
    st.caption(
        _(
            "A GIFT file (.gift or .txt, UTF-8) or a Moodle XML file (.xml) exported from Moodle's question "
            "bank, up to {limit} MB. You see what will be imported and what is skipped before anything is stored."
        ).format(limit=qb.MAX_BYTES // (1024 * 1024))
    )
    uploads = st.session_state.get(_UPLOADS, 0)
    uploaded = st.file_uploader(
        _("Quiz file"),
        type=list(qb.UPLOAD_TYPES),
        key=f"qb_file_{uploads}",
        max_upload_size=qb.MAX_BYTES // (1024 * 1024),
    )
    if uploaded is None:
        return
    found = _read(user, uploaded)
    if isinstance(found, qb.QuizBankError):
        st.error(file_problem(found), icon=":material/error:")
        if isinstance(found, qb.NothingToImport):
            show_skipped(found.skipped)
        return
    show_preview(found)
    show_import_form(user, course, file_bank_ids, found)


def show_preview(found: qb.Preview) -> None:
    what = _("Moodle XML") if found.source_format == qb.XML else _("GIFT")
    st.subheader(_("Preview"))
    st.markdown(
        _("**{file}** ({format}): {imported}, {skipped}, {notes}.").format(
            file=plain(found.filename),
            format=what,
            imported=ngettext(
                "{count} question will be imported", "{count} questions will be imported", len(found.questions)
            ).format(count=len(found.questions)),
            skipped=ngettext("{count} skipped", "{count} skipped", len(found.skipped)).format(count=len(found.skipped)),
            notes=ngettext("{count} note", "{count} notes", len(found.warnings)).format(count=len(found.warnings)),
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Type"): [type_label(q.type) for q in found.questions],
                _("Question"): [short(q.title or q.prompt, 60) for q in found.questions],
                _("Prompt"): [short(q.prompt) for q in found.questions],
                _("Answers"): [answers_in_short(q) for q in found.questions],
                _("Tags"): [", ".join(q.tags) for q in found.questions],
            }
        ),
        hide_index=True,
        width="stretch",
        # The answers matter most in a preview: the prompt gets a medium column (the whole text shows
        # on hover), so the answers are in view without scrolling the table at desktop width.
        column_config={_("Prompt"): st.column_config.TextColumn(width="medium")},
        key="qb_preview_table",
    )
    show_skipped(found.skipped)
    if found.warnings:
        with st.expander(
            ngettext(
                "{count} note: imported with a change", "{count} notes: imported with a change", len(found.warnings)
            ).format(count=len(found.warnings)),
            icon=":material/info:",
        ):
            st.markdown(
                "\n".join(
                    "- " + _("Line {line}: {note}").format(line=line, note=plain(note)) for line, note in found.warnings
                )
            )


def show_skipped(skipped: list[tuple[int, str]]) -> None:
    if not skipped:
        return
    st.markdown(_("**Skipped** (not imported):"))
    st.markdown(
        "\n".join("- " + _("Line {line}: {reason}").format(line=line, reason=plain(why)) for line, why in skipped)
    )


def import_problem(error: qb.QuizBankError) -> str:
    if isinstance(error, qb.InvalidBankValues):
        lines = []
        problem = error.problems.get("id")
        if problem == "empty":
            lines.append(_("Give the bank an id."))
        elif problem == "grammar":
            lines.append(_('The id may hold letters, digits, "-", "_" and "." and must start with a letter or digit.'))
        elif problem == "too long":
            lines.append(_("The id is too long: at most 80 characters."))
        problem = error.problems.get("title")
        if problem == "empty":
            lines.append(_("Give the bank a title."))
        elif problem == "too long":
            lines.append(_("The title is too long: at most 200 characters."))
        if "lesson" in error.problems:
            lines.append(_("That lesson is not on this site (any more): choose one from the list."))
        return "\n\n".join(lines)
    if isinstance(error, qb.BankIdTaken):
        if error.imported:
            return _(
                'An imported bank already has the id "{id}". Choose another id, or tick "Replace the imported '
                'bank with this id".'
            ).format(id=error.bank_id)
        return _('A quiz bank of the site already has the id "{id}". Choose another id.').format(id=error.bank_id)
    if isinstance(error, qb.BankInUse):
        return ngettext(
            'A live quiz of "{id}" is still running: end it before the bank is replaced or deleted.',
            '{count} live quizzes of "{id}" are still running: end them before the bank is replaced or deleted.',
            error.runs,
        ).format(id=error.bank_id, count=error.runs)
    if isinstance(error, qb.NotAllowed):
        return _("Only the trainer who imported this bank, or an admin, may replace or delete it.")
    if isinstance(error, qb.UnknownBank):
        return _('No imported bank has the id "{id}" (any more).').format(id=error.bank_id)
    if isinstance(error, qb.BrokenImport):
        return _("The questions of this file could not be stored as a bank: {reason}").format(reason=str(error))
    return file_problem(error)


def show_import_form(user: User, course: Course, file_bank_ids: set[str], found: qb.Preview) -> None:
    lessons = [""] + [lesson.id for lesson in course.lessons]
    titles = {lesson.id: lesson.title for lesson in course.lessons}
    with st.form("qb_import"):
        st.markdown(_("**Import these questions as a bank**"))
        bank_id = st.text_input(
            _("Bank id"),
            value=found.suggested_id,
            max_chars=MAX_LENGTH,
            help=_('Letters, digits, "-", "_" and "."; quizzes and results are kept under it.'),
        )
        title = st.text_input(_("Title"), value=found.suggested_title, max_chars=qb.BANK_TITLE_MAX)
        lesson = st.selectbox(
            _("Lesson (optional)"),
            lessons,
            format_func=lambda lesson_id: titles.get(lesson_id, _("No lesson")),
        )
        replace_existing = st.checkbox(_("Replace the imported bank with this id"))
        submitted = st.form_submit_button(_("Import"), type="primary", icon=":material/upload:")
    if not submitted:
        return
    try:
        made = qb.import_bank(
            state.engine(),
            user.id,
            found,
            bank_id,
            title,
            lesson or "",
            file_bank_ids=file_bank_ids,
            lesson_ids={lesson.id for lesson in course.lessons},
            replace_existing=replace_existing,
        )
    except qb.QuizBankError as error:
        st.error(import_problem(error), icon=":material/error:")
        return
    except StorageBusy:
        st.error(_("Could not import: {reason}").format(reason=messages.busy()))
        return
    st.session_state[_FLASH] = ngettext(
        'Imported "{title}" ({id}) with {count} question.',
        'Imported "{title}" ({id}) with {count} questions.',
        len(found.questions),
    ).format(title=made.title, id=made.id, count=len(found.questions))
    st.session_state[_UPLOADS] = st.session_state.get(_UPLOADS, 0) + 1  # an empty uploader
    st.session_state.pop(_PREVIEW, None)
    st.session_state[_CHOSEN] = made.id
    st.rerun()


# The banks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    bank: Bank
    imported: qb.ImportedBankInfo | None


def listed(course: Course, imported: list[qb.ImportedBankInfo]) -> list[Listed]:
    by_id = {info.id: info for info in imported}
    return [
        Listed(bank, by_id.get(bank.id) if qb.is_imported(bank) else None) for bank in course.banks_in_course_order()
    ]


def _types_text(bank: Bank) -> str:
    return ", ".join(f"{type_label(kind)} ({count})" for kind, count in qb.question_types(bank).items())


def show_list(banks: list[Listed]) -> None:
    st.header(_("All quiz banks"))
    st.caption(
        _(
            "Every bank of the site: the site's own files and the banks trainers imported. All of them can "
            "be run as a live quiz and assigned."
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Title"): [item.bank.title for item in banks],
                _("Id"): [item.bank.id for item in banks],
                _("Source"): [_("Imported") if qb.is_imported(item.bank) else _("Site file") for item in banks],
                _("Questions"): [len(item.bank.questions) for item in banks],
                _("Types"): [_types_text(item.bank) for item in banks],
                _("Tags"): [", ".join(tag for tag, _count in qb.bank_tags(item.bank)) for item in banks],
            }
        ),
        hide_index=True,
        width="stretch",
        key="qb_list_table",
    )


def show_bank(user: User, banks: list[Listed]) -> None:
    if not banks:
        return
    st.subheader(_("Look at a bank"))
    ids = [item.bank.id for item in banks]
    by_id = {item.bank.id: item for item in banks}
    if st.session_state.get(_CHOSEN) not in ids:
        st.session_state[_CHOSEN] = ids[0]
    chosen_id = st.selectbox(
        _("Bank"),
        ids,
        key=_CHOSEN,
        format_func=lambda bank_id: f"{by_id[bank_id].bank.title} · {bank_id}",
    )
    item = by_id[chosen_id]
    bank = item.bank
    if item.imported is not None:
        st.caption(
            _("Imported from {file} ({format}) on {when}.").format(
                file=plain(item.imported.source_name),
                format=_("Moodle XML") if item.imported.source_format == qb.XML else _("GIFT"),
                when=format_datetime(item.imported.imported_at),
            )
        )
    elif qb.is_imported(bank):
        st.caption(_("Imported."))
    else:
        st.caption(_("A file of the site: {file}").format(file=plain(bank.file)))
    tags = qb.bank_tags(bank)
    tag: str | None = None
    if tags:
        labels = {name: f"{name} ({count})" for name, count in tags}
        tag = st.selectbox(
            _("Only the questions tagged"),
            [None, *labels],
            format_func=lambda name: _("All questions") if name is None else labels[name],
            key=f"{_TAG}_{bank.id}",
        )
    else:
        st.caption(_("No question of this bank has a tag."))
    selection = qb.questions_tagged(bank, tag)
    st.dataframe(
        pd.DataFrame(
            {
                _("Type"): [type_label(q.type) for q in selection.questions],
                _("Question"): [short(q.title or q.prompt, 60) for q in selection.questions],
                _("Answers"): [answers_in_short(q) for q in selection.questions],
                _("Tags"): [", ".join(q.tags) for q in selection.questions],
            }
        ),
        hide_index=True,
        width="stretch",
        key=f"qb_questions_{bank.id}",
    )
    show_downloads(bank, tag, len(selection.questions))
    if item.imported is not None:
        show_delete(user, item.imported)


def _exported(bank: Bank, fmt: str, tag: str | None) -> qb.ExportedFile:
    """The bank (or its tagged questions) in `fmt`, written once per bank object, tag and language (the
    warnings are in the visit's language) and kept for the session's reruns: a Moodle XML file carries
    the pictures as base64, and a tick of the delete box need not write both files again. Only the
    bank on show is kept; a bank imported again is a new object, so its files are written anew."""
    made_for = (bank.id, id(bank), tag, current_language())
    kept = st.session_state.get(_EXPORTS)
    if kept is None or kept[0] != made_for:
        kept = (made_for, {})
        st.session_state[_EXPORTS] = kept
    files: dict[str, qb.ExportedFile] = kept[1]
    if fmt not in files:
        files[fmt] = qb.export(bank, fmt, tag)
    return files[fmt]


def show_downloads(bank: Bank, tag: str | None, count: int) -> None:
    what = (
        ngettext("{count} question tagged {tag}", "{count} questions tagged {tag}", count).format(count=count, tag=tag)
        if tag
        else ngettext("{count} question", "{count} questions", count).format(count=count)
    )
    st.markdown(_("**Download** {what}, for Moodle or another site:").format(what=plain(what)))
    left, right = st.columns(2)
    for column, fmt, label, mime in (
        (left, qb.GIFT, _("GIFT"), "text/plain"),
        (right, qb.XML, _("Moodle XML"), "application/xml"),
    ):
        made = _exported(bank, fmt, tag)
        with column:
            st.download_button(
                label,
                data=made.data,
                file_name=made.filename,
                mime=mime,
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
                disabled=count == 0,
                key=f"qb_download_{fmt}_{bank.id}_{tag or ''}",
            )
            if made.warnings:
                with st.expander(
                    ngettext(
                        "{count} thing this file cannot carry",
                        "{count} things this file cannot carry",
                        len(made.warnings),
                    ).format(count=len(made.warnings))
                ):
                    st.markdown("\n".join(f"- {plain(warning)}" for warning in made.warnings))


def show_delete(user: User, info: qb.ImportedBankInfo) -> None:
    with st.expander(_("Delete this imported bank"), icon=":material/delete:"):
        st.caption(
            _(
                "Quiz results already given stay, but participants can no longer take the quiz, and it "
                "cannot be run live or assigned. A bank a live quiz is running cannot be deleted."
            )
        )
        sure = st.checkbox(_("Yes, delete {title}").format(title=plain(info.title)), key=f"{_CONFIRM}_{info.id}")
        if st.button(_("Delete"), key=f"qb_delete_{info.id}", disabled=not sure, type="primary"):
            try:
                qb.delete_bank(state.engine(), user.id, info.id)
            except qb.QuizBankError as error:
                st.error(import_problem(error), icon=":material/error:")
                return
            except StorageBusy:
                st.error(_("Could not delete it: {reason}").format(reason=messages.busy()))
                return
            st.session_state[_FLASH] = _('Deleted "{title}" ({id}).').format(title=info.title, id=info.id)
            st.session_state.pop(_CHOSEN, None)
            st.rerun()
