"""Workshops' words for the pages, in the visitor's language: labels of the stored ids (sectors,
size bands, modes), and the typed errors of `workshops` and `services.workshops` as sentences that
name the field they are about. A page shows these, never `str(error)` (an English note for logs).

Text a person typed (workshop and organisation names, nicknames) goes into Markdown only through
`plain`, which escapes every character Markdown or HTML would act on."""

from __future__ import annotations

import re

from i18n import _, language_name
from services.workshops import NoFreeCode, NotAllowed, UnknownOrganisation, UnknownWorkshop
from views import messages
from workshops import codes, joining, nicknames
from workshops.organisations import NAME_MAX, SECTORS, FieldProblem, clean_name

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~=&])")


def plain(text: str) -> str:
    """Typed text, shown literally inside Markdown (no link, no formatting, no HTML)."""
    return _MARKDOWN.sub(r"\\\1", text)


def sector_label(sector: str) -> str:
    labels = {
        "government": _("Government and public sector"),
        "education": _("Education"),
        "healthcare": _("Healthcare and social care"),
        "nonprofit": _("Non-profit and charities"),
        "business_services": _("Business services"),
        "retail": _("Retail and consumer goods"),
        "hospitality": _("Hospitality, travel and leisure"),
        "manufacturing": _("Manufacturing and construction"),
        "media": _("Media, culture and communication"),
        "technology": _("Technology"),
        "other": _("Other"),
    }
    return labels.get(sector, SECTORS.get(sector, sector))


def size_label(band: str) -> str:
    return _("{band} employees").format(band=band)


def mode_label(mode: str) -> str:
    return {"quick": _("Quick scan"), "full": _("Full assessment")}.get(mode, mode)


def language_label(code: str) -> str:
    try:
        return language_name(code)
    except Exception:  # a code Babel does not know: the code itself
        return code


def field_label(field: str, form: str) -> str:
    """The label of a form field, as the form shows it."""
    labels = {
        "name": _("Organisation name") if form == "organisation" else _("Workshop name"),
        "sector": _("Sector"),
        "size_band": _("Size"),
        "language": _("Default language") if form == "organisation" else _("Language"),
        "departments": _("Departments"),
        "organisation_id": _("Organisation"),
        "date": _("Date"),
        "mode": _("Assessment"),
        "code": _("Join code"),
    }
    return labels.get(field, field)


def field_problem(problem: FieldProblem, form: str, typed_name: str = "") -> str:
    """One problem of a form, naming its field. The name fields get their own words; for the rest the
    rule's own note follows the field's label."""
    label = field_label(problem.field, form)
    if problem.field == "name":
        name = clean_name(typed_name)
        if not name:
            return _("{field}: a name is needed.").format(field=label)
        if len(name) > NAME_MAX:
            return _("{field}: at most {most} characters; this one has {length}. Please shorten it.").format(
                field=label, most=NAME_MAX, length=len(name)
            )
        if "<" in name or ">" in name:
            return _("{field}: < and > are not allowed (no HTML).").format(field=label)
        return _("{field}: control characters are not allowed.").format(field=label)
    if problem.field == "organisation_id":
        return _(
            "{field}: choose the organisation the workshop is for (create one first if the list is empty)."
        ).format(field=label)
    if problem.field in ("sector", "size_band", "language", "mode"):
        return _("{field}: choose one from the list.").format(field=label)
    if problem.field == "date":
        return _("{field}: choose the date of the workshop.").format(field=label)
    return f"{label}: {plain(problem.message)}"


def _alternatives(character: str) -> str:
    first, second = codes.LOOK_ALIKES[character].split(" or ")
    return _("{first} or {second}").format(first=first, second=second)


def code_error(error: codes.CodeError) -> str:
    label = _("Workshop code")
    if error.reason == codes.EMPTY:
        return _("{field}: type the code your trainer shows: {length} letters and digits.").format(
            field=label, length=codes.LENGTH
        )
    if error.reason == codes.LOOK_ALIKE and error.character in codes.LOOK_ALIKES:
        return _(
            "{field}: codes never contain '{character}': they leave out O, 0, I, L and 1, which are easy to "
            "mix up. Did you mean {alternatives}?"
        ).format(field=label, character=plain(error.character), alternatives=_alternatives(error.character))
    if error.reason == codes.NOT_ALLOWED:
        return _("{field}: '{character}' cannot be in a code; a code has only letters and digits.").format(
            field=label, character=plain(error.character or "")
        )
    return _("{field}: a code has {length} characters; you typed {typed}.").format(
        field=label, length=codes.LENGTH, typed=error.length
    )


def join_error(error: joining.JoinError) -> str:
    label = _("Workshop code")
    if error.reason == joining.CLOSED:
        return _("{field}: this workshop is closed, so nobody can join it now. Ask your trainer to reopen it.").format(
            field=label
        )
    return _("{field}: no workshop has this code. Check it with your trainer.").format(field=label)


def nickname_error(error: nicknames.NicknameError, typed: str) -> str:
    label = _("Nickname")
    reason = error.reason
    if reason == nicknames.EMPTY:
        return _("{field}: choose a nickname.").format(field=label)
    if reason == nicknames.HTML:
        return _("{field}: < and > are not allowed (no HTML).").format(field=label)
    if reason == nicknames.NOT_ALLOWED:
        return _("{field}: '{character}' is not allowed; use letters, digits, spaces and . _ - ' only.").format(
            field=label, character=plain(error.character or "")
        )
    if reason == nicknames.TOO_LONG:
        return _("{field}: at most {most} characters; this one has {length}.").format(
            field=label, most=nicknames.MAX_LENGTH, length=len(" ".join(typed.split()))
        )
    if reason == nicknames.NO_LETTER:
        return _("{field}: use at least one letter or digit.").format(field=label)
    if reason == nicknames.BLOCKED:
        return _("{field}: this nickname is not allowed here; please choose another.").format(field=label)
    if reason == nicknames.TAKEN:
        return _("{field}: someone in this workshop is already called {name}; please choose another.").format(
            field=label, name=plain(" ".join(typed.split()))
        )
    return f"{label}: {plain(str(error))}"


def workshop_error(error: Exception) -> str:
    """NotAllowed, UnknownOrganisation, UnknownWorkshop, NoFreeCode and storage's errors."""
    if isinstance(error, NotAllowed):
        return _("You may not do this: only the workshop's trainer or an admin may.")
    if isinstance(error, UnknownOrganisation):
        return _("{field}: that organisation no longer exists; choose one from the list.").format(
            field=_("Organisation")
        )
    if isinstance(error, UnknownWorkshop):
        return _("There is no workshop {id}.").format(id=error.workshop_id)
    if isinstance(error, NoFreeCode):
        return _("No free join code was found; please try again.")
    return messages.describe(error)
