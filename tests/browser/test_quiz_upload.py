"""A trainer imports a Moodle GIFT file in a real browser (issue 17): logs in, opens Quiz banks,
uploads a file with an essay among its questions, sees the preview (the questions that will be
imported and the essay's line, skipped) before anything is stored, imports it, finds the bank in
the list and downloads it as GIFT and Moodle XML, each reading back to the same questions. On a
phone the page fits the width. SMM_SCREENSHOTS=1 keeps the screenshots of both widths in screenshots/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from identity.rules import Role
from quizzes.gift import parse_gift
from quizzes.moodle_xml import parse_moodle_xml
from services import accounts
from services import quiz_banks as qb
from storage.engine import make_engine

from .conftest import DESKTOP, PHONE, StreamlitServer, assert_no_horizontal_scroll, main_text, open_app, settle
from .test_workshop_flow import log_in

pytestmark = pytest.mark.browser

TRAINER = ("trainer.gift", "trainer-password-789", "Gift Trainer")
GIFT = """\
// Week 1, exported from Moodle's question bank.
$CATEGORY: $course$/top/Harbour week 1

::Channels:: Which channel reaches most of the museum's visitors? {
=Instagram#Right: most visitors follow it.
~A printed newsletter
~A fax line
}

::Reflection:: Describe how your team answers questions on social media. {}

// [tag:listening]
::Listening:: Listening comes before posting. {TRUE}

::Network:: Name the network the museum opened last. {=Mastodon =%50%Bluesky}
"""


def test_a_trainer_uploads_previews_imports_and_downloads_a_gift_file(
    new_page: Callable[..., Page], server: StreamlitServer, screenshot: Callable[[Page, str], Path], tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        accounts.create_user(engine, TRAINER[0], TRAINER[2], Role.TRAINER, TRAINER[1])
    finally:
        engine.dispose()
    upload = tmp_path / "harbour week 1.gift"
    upload.write_text(GIFT, encoding="utf-8")

    page = new_page(DESKTOP)
    log_in(page, TRAINER[0], TRAINER[1], "workshops", "Workshops")
    open_app(page, "/quiz-banks", page.get_by_role("heading", name="Quiz banks", exact=True))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))

    # The preview, before anything is stored.
    settle(page, page.get_by_role("heading", name="Preview", exact=True))
    shown = main_text(page)
    assert "3 questions will be imported, 1 skipped" in shown, shown
    assert re.search(r"Line 10: .*essay", shown, re.IGNORECASE), shown
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        assert qb.list_imported(engine) == []
    finally:
        engine.dispose()
    expect(page.get_by_role("textbox", name="Bank id")).to_have_value("harbour-week-1")
    expect(page.get_by_role("textbox", name="Title")).to_have_value("Harbour week 1")
    screenshot(page, "quiz-upload-preview-1280")

    # Import.
    page.get_by_role("button", name="Import", exact=True).click()
    settle(page, page.get_by_text('Imported "Harbour week 1" (harbour-week-1) with 3 questions.'))
    expect(page.get_by_role("heading", name="Preview", exact=True)).to_have_count(0)
    bank_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Bank")
    expect(bank_box.get_by_role("combobox")).to_have_value(re.compile(r"^Harbour week 1 · harbour-week-1"))
    assert "Imported from harbour week 1.gift (GIFT)" in main_text(page)
    screenshot(page, "quiz-banks-imported-1280")

    # Both downloads read back to the questions imported.
    engine = make_engine(f"sqlite:///{server.database}")
    try:
        assert [(b.id, b.title) for b in qb.list_imported(engine)] == [("harbour-week-1", "Harbour week 1")]
    finally:
        engine.dispose()
    expected = parse_gift(GIFT, "expected").questions
    with page.expect_download() as gift_download:
        page.get_by_role("button", name="GIFT", exact=True).click()
    assert gift_download.value.suggested_filename == "harbour-week-1.gift"
    again = parse_gift(Path(gift_download.value.path()).read_text(encoding="utf-8"), "downloaded").questions
    assert again == expected
    with page.expect_download() as xml_download:
        page.get_by_role("button", name="Moodle XML", exact=True).click()
    assert xml_download.value.suggested_filename == "harbour-week-1.xml"
    from_xml = parse_moodle_xml(Path(xml_download.value.path()).read_bytes(), "downloaded").questions
    assert [(q.id, q.type, q.prompt, q.tags) for q in from_xml] == [(q.id, q.type, q.prompt, q.tags) for q in expected]

    # On a phone: the same page fits the width.
    phone = new_page(PHONE)
    log_in(phone, TRAINER[0], TRAINER[1], "workshops", "Workshops")
    open_app(phone, "/quiz-banks", phone.get_by_role("heading", name="Quiz banks", exact=True))
    phone.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    settle(phone, phone.get_by_role("heading", name="Preview", exact=True))
    assert_no_horizontal_scroll(phone, "quiz banks with a preview, phone")
    screenshot(phone, "quiz-upload-preview-390")
