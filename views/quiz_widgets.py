"""Widgets that ask one quiz question and show its feedback. Each owns its keys."""

from __future__ import annotations

import functools
import inspect

import streamlit as st

from i18n import _
from quizzes import images
from quizzes.attempt import shuffled
from quizzes.grading import (
    Response,
    answer_feedback,
    grade,
    matching_offer,
    matching_picks,
    matching_texts,
    right_answers,
)
from quizzes.model import Image, Question
from quizzes.text import display_markdown

# An ordering question is answered by picking the items one by one; the multiselect's "Select all"
# (Streamlit 1.5x and later) would pick them all in the shuffled order at once, which is no answer.
_NO_SELECT_ALL = {"select_all": False} if "select_all" in inspect.signature(st.multiselect).parameters else {}


def show_prompt(question: Question, number: str = "", large: bool = False) -> None:
    """The prompt as written (its line breaks and fenced blocks kept), then its images. `number`:
    Markdown put before it ("**3.**" in a review); `large`: a one-line prompt as a heading (the
    phone), where a longer one stays as written, since a heading holds one line only."""
    prompt = display_markdown(question.prompt.strip("\r\n"))
    if large and "\n" not in prompt:
        prompt = "### " + prompt
    if number:
        # A prompt that opens with a fenced block (or a heading) keeps it: the number goes above it.
        starts_block = prompt.startswith(("```", "~~~", "#"))
        prompt = number + ("\n\n" if starts_block else " ") + prompt
    st.markdown(prompt)
    show_images(question)


def show_images(question: Question) -> None:
    """The question's pictures under its prompt, each with its alt text as the caption."""
    for image in question.images:
        data = image_bytes(image)
        if data:
            st.image(data, caption=image.alt or None)


@functools.lru_cache(maxsize=32)  # at most 2 MB each (quizzes.images)
def image_bytes(image: Image) -> bytes:
    """The picture's bytes, or none when they are not a PNG, JPEG, GIF or WebP picture of the type
    stored (quizzes.images checks the bytes again here: a bank may come from elsewhere than a file).
    Decoded and checked once per picture, not on every run of the page: Image is frozen."""
    data, problem = images.decode_base64(image.data)
    return b"" if problem or images.image_problem(data, image.name, image.media_type) else data


def ask(question: Question, seed: int, key: str) -> Response | None:
    """Render the input for one question inside a form; return the response (None if incomplete)."""
    if question.type == "single":
        order = shuffled(seed, question, [o.id for o in question.options])
        text = {o.id: o.text for o in question.options}
        return st.radio(_("Choose one"), order, index=None, format_func=text.__getitem__, key=key)
    if question.type == "multiple":
        st.caption(_("Choose all that apply."))
        order = shuffled(seed, question, [o.id for o in question.options])
        text = {o.id: o.text for o in question.options}
        chosen = [option_id for option_id in order if st.checkbox(text[option_id], key=f"{key}:{option_id}")]
        return chosen
    if question.type == "truefalse":
        picked = st.radio(
            _("True or false?"),
            [True, False],
            index=None,
            key=key,
            format_func=lambda v: _("True") if v else _("False"),
            horizontal=True,
        )
        return picked
    if question.type == "ordering":
        order = shuffled(seed, question, [i.id for i in question.items])
        text = {i.id: i.text for i in question.items}
        picked = st.multiselect(
            _("Pick the items in the right order, first one first"),
            order,
            format_func=text.__getitem__,
            key=key,
            placeholder=_("Pick the first item"),
            **_NO_SELECT_ALL,
        )
        return picked if len(picked) == len(order) else None
    if question.type == "matching":
        right_text = matching_texts(question)  # distractors among them
        rights = shuffled(seed, question, matching_offer(question))
        response: dict[str, str] = {}
        for pair in question.pairs:
            choice = st.selectbox(
                pair.left,
                rights,
                index=None,
                format_func=right_text.__getitem__,
                key=f"{key}:{pair.id}",
                placeholder=_("Choose a match"),
            )
            if choice is not None:
                response[pair.id] = choice
        return response if len(response) == len(question.pairs) else None
    if question.type == "short":
        typed = st.text_input(_("Your answer"), key=key, max_chars=200)
        return typed.strip() or None
    if question.type == "numerical":
        return st.number_input(_("Your answer"), key=key, value=None, format="%g")
    raise ValueError(f"unknown question type {question.type}")


def describe(question: Question, response: Response | None) -> str:
    """The response in words, for feedback and review."""
    if response is None:
        return _("not answered")
    if question.type in ("single", "multiple"):
        chosen = response if isinstance(response, list) else [response]
        return ", ".join(o.text for o in question.options if o.id in chosen) or _("nothing chosen")
    if question.type == "truefalse":
        return _("True") if response else _("False")
    if question.type == "ordering" and isinstance(response, list):
        text = {i.id: i.text for i in question.items}
        return " → ".join(text.get(i, "?") for i in response)
    if question.type == "matching" and isinstance(response, dict):
        return "; ".join(
            f"{pair.left} → {picked or '?'}" for pair, picked, _right in matching_picks(question, response)
        )
    return str(response)


def right_answer(question: Question) -> str:
    if question.type in ("single", "multiple"):
        return ", ".join(o.text for o in question.options if o.correct)
    if question.type == "truefalse":
        return _("True") if question.answer else _("False")
    if question.type == "ordering":
        return " → ".join(i.text for i in question.items)
    if question.type == "matching":
        return "; ".join(f"{p.left} → {p.right}" for p in question.pairs)
    if question.type == "short":
        # The fully right answers as typed; a pattern ("C*t") is no answer to show.
        return " / ".join(right_answers(question) or [a.text for a in question.accept if a.weight >= 100])
    fully = [n for n in question.numbers if n.weight >= 100]
    return " / ".join(
        _("any number")
        if n.any_number
        else f"{n.min:g}–{n.max:g}"
        if n.min is not None and n.max is not None
        else f"{n.value or 0:g} ± {n.tolerance:g}"
        for n in fully
    )


def feedback(question: Question, response: Response | None) -> None:
    graded = grade(question, response)
    if graded.correct:
        st.success(_("Right."), icon=":material/check_circle:")
    elif graded.credit > 0:
        st.warning(
            _("Partly right: {percent} % credit.").format(percent=round(graded.credit * 100)), icon=":material/adjust:"
        )
    else:
        st.error(_("Not right."), icon=":material/cancel:")
    if question.type == "matching":
        # All pairs in one sentence, joined by semicolons that the descriptions use too, was a wall of
        # text on a phone: one line per pair, marked right or wrong, with the right match where it is not.
        st.markdown(_("**Your answer:**") + "\n\n" + _matching_lines(question, response))
    else:
        st.markdown(_("**Your answer:** {answer}").format(answer=describe(question, response)))
        if not graded.correct:
            st.markdown(_("**Right answer:** {answer}").format(answer=right_answer(question)))
    for note in answer_feedback(question, response):
        st.caption(display_markdown(note))
    if question.explanation:
        st.info(display_markdown(question.explanation), icon=":material/lightbulb:")


def _matching_lines(question: Question, response: Response | None) -> str:
    """One markdown list item per pair: the mark first, so right and wrong can be told apart at a glance."""
    lines = []
    for pair, picked, right in matching_picks(question, response):
        if right:
            lines.append(f"- ✓ **{pair.left}** → {picked}")
        else:
            wrong = f"- ✗ **{pair.left}** → {picked or _('not answered')}"
            lines.append(wrong + " · " + _("*right:* {answer}").format(answer=pair.right))
    return "\n".join(lines)
