"""The answer radios of the assessment, and the rule that keeps what they show equal to what is stored.

Each radio's key names the stored answer it was drawn from (`answer:<round>:<item>@<stored>`):
- A change in another tab or device changes the stored answer, so the next run draws a new radio
  from storage: a tab never keeps showing, nor writes back, an answer that is no longer stored.
- A value the browser holds for the radio drawn from the answer still stored is something this
  visitor chose on top of it. It is stored on the run that sees it, with or without the change
  callback: after a server restart (or a crash while a click was in flight) the browser re-sends its
  widget values to a new session that has no callbacks registered yet, and the value is stored there.
- The callback stays too: a click followed at once by Next or a page link is delivered in the same
  rerun as the navigation, which draws another step; only the callback sees that click.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assessment.model import ChecklistItem, MaturityStatement, Model, TeeStatement
from assessment.scoring import AnswerValue
from views import state, widgets

_UNANSWERED = "-"


def answer_key(round_id: int, item_id: str, stored: AnswerValue | None) -> str:
    """The radio's key while `stored` is the stored answer (see widgets.versioned_key)."""
    return f"answer:{round_id}:{item_id}@{_UNANSWERED if stored is None else stored}"


def item_of_key(key: str) -> str | None:
    """The item id of an answer radio's key; None for any other key."""
    if not key.startswith("answer:") or "@" not in key:
        return None
    return key.split(":", 2)[2].rsplit("@", 1)[0]


def _on_answer(round_id: int, item_id: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        state.save_answer(round_id, item_id, value)


def _options(model: Model, item_id: str) -> tuple[list[object], Callable[[object], str], str]:
    item = model.item(item_id)
    if isinstance(item, MaturityStatement):
        # Plain text: the label is also the radio group's accessible name, read aloud as written.
        stage = model.stage(item.stage).name
        labels = widgets.maturity_labels(item.may_not_apply)
        return list(labels), labels.__getitem__, f"{stage} · {item.text}"
    if isinstance(item, TeeStatement):
        labels = widgets.tee_labels()
        return list(labels), labels.__getitem__, item.text
    assert isinstance(item, ChecklistItem)
    labels = widgets.checklist_labels()
    return list(labels), labels.__getitem__, item.text


def answer_radio(model: Model, round_id: int, item_id: str, stored: AnswerValue | None) -> AnswerValue | None:
    """Ask one question; return the answer now stored for it (or waiting to be stored)."""
    options, label_of, label = _options(model, item_id)
    key = widgets.versioned_key(f"answer:{round_id}:{item_id}", _UNANSWERED if stored is None else stored)
    # The 1-5 scale does not fit one line on a phone: it becomes a list (assessment_widgets.TEE_SCALE_CSS, keyed here).
    item = model.item(item_id)
    with st.container(border=True, key=f"tee-scale-{item_id}" if isinstance(item, TeeStatement) else None):
        shown = st.radio(
            label,
            options=options,
            index=options.index(stored) if stored in options else None,
            format_func=label_of,
            horizontal=True,
            help=item.help if item else None,
            key=key,
            on_change=_on_answer,
            args=(round_id, item_id, key),
        )
    if shown is not None and shown != stored:
        state.save_answer(round_id, item_id, shown)  # type: ignore[arg-type]
        return shown  # type: ignore[return-value]
    return stored
