"""A value nested too deeply for the TOML parser (reliability D3), on the site: a broken model gives
the content-error page; a broken lesson or bank costs only itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.assessment.conftest import SYNTHETIC_TOML
from tests.views.test_learning_pages import BANK, LESSON, content, open_page  # noqa: F401 (content: a fixture)

DEEP = "deep = " + "[" * 3000 + "]" * 3000 + "\n"


def test_a_deep_model_file_gives_the_content_error_page(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.toml"
    path.write_text(DEEP + SYNTHETIC_TOML, encoding="utf-8")
    monkeypatch.setenv("SMM_MODEL_PATH", str(path))
    app.run()
    assert not app.exception
    assert app.title[0].value == "The site's content has problems"
    assert "model.toml:1: not valid TOML: nested too deeply" in app.code[0].value


@pytest.mark.parametrize("page", ["views/lessons.py", "views/quiz.py"])
def test_a_deep_lesson_and_bank_cost_only_themselves(content, engine, page: str) -> None:  # noqa: ANN001, F811
    lessons, banks = content
    (lessons / "10-deep.md").write_text(LESSON.replace("+++\n", "+++\n" + DEEP, 1), encoding="utf-8")
    (banks / "deep.toml").write_text(DEEP + BANK, encoding="utf-8")
    at = open_page(None, page)
    assert not at.exception
    labels = [link.label for link in at.get("page_link")]
    expected = "Conversation management and webcare" if page.endswith("lessons.py") else "Webcare quiz"
    assert any(expected in label for label in labels), labels
    notice = "\n".join(code.value for code in at.code)
    assert "10-deep.md:2: front matter is not valid TOML: nested too deeply" in notice
    assert "deep.toml:1: not valid TOML: nested too deeply" in notice
