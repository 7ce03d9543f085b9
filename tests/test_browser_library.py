"""Uploading documents in a real browser (Debian's chromium through Playwright): a PDF and a Word file
picked in the Documents panel are indexed in the background, answered with their page, one is
removed and no longer cited, and after a restart the other is still answered. Questions come from the
uploaded documents' own headings."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO, SEED_CORPUS
from test_app import free_port, replay
from test_browser import TIMEOUT_MS, ask, bot_messages, browser  # noqa: F401 - browser is a fixture
from test_library_app import DOCX, PDF, question_for

from chatbot.app import build_app, source_title, start
from chatbot.config import Paths
from chatbot.embeddings import CountingEmbedder
from chatbot.library import Library

SCREENSHOT = REPO / "docs" / "upload.png"

pytestmark = [pytest.mark.browser, pytest.mark.model]


def serve_library(paths: Paths, embedder):
    library = Library(paths, embedder)
    library.open()
    library.start()
    demo = start(build_app(library=library, uploads=True), "127.0.0.1", free_port(), library=library, uploads=True)
    return library, demo


def open_page(browser, url: str):  # noqa: F811 - the fixture, passed on
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS * 3)  # indexing a PDF on a busy 2-core machine
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.get_by_placeholder("Ask about the documents").wait_for()
    return context, page


def row(page, doc: str):
    return page.locator(f'#library-table tr[data-doc="{doc}"]')


def test_uploaded_pdf_and_docx_are_answered_removed_and_kept_after_a_restart_with_screenshot(
        browser, tmp_path, seed_index_dir, real_embedder):  # noqa: F811
    from playwright.sync_api import expect

    paths = Paths(tmp_path / "corpus", tmp_path / "index")
    shutil.copytree(SEED_CORPUS, paths.corpus)
    shutil.copytree(seed_index_dir, paths.index, symlinks=True)
    library, demo = serve_library(paths, real_embedder)
    try:
        context, page = open_page(browser, demo.local_url)
        page.locator("#library-upload input[type=file]").set_input_files([str(PDF), str(DOCX)])
        expect(page.locator("#library-notice")).to_contain_text(f"Added {PDF.name}")
        expect(page.locator("#library-progress progress")).to_be_visible()  # indexing, with a progress bar
        expect(row(page, PDF.name)).to_contain_text("indexed")
        expect(row(page, DOCX.name)).to_contain_text("indexed")
        expect(row(page, PDF.name)).to_contain_text("pages")

        engine = library.engine
        question = question_for(engine, PDF.name, with_page=True)
        citation = replay(engine, question)[0].citations[0]
        ask(page, question)
        source = page.get_by_text(source_title(citation))  # "[1] title — section (p. N)"
        expect(source).to_be_visible()
        assert f"(p. {citation.page})" in source_title(citation)
        source.click()
        expect(page.get_by_text(f"({citation.doc}), p. {citation.page}, characters")).to_be_visible()
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOT, animations="disabled")

        page.locator("#library-pick input").click()
        page.get_by_role("option", name=PDF.name, exact=True).click()
        page.get_by_role("button", name="Remove", exact=True).click()
        expect(page.locator("#library-notice")).to_contain_text(f"Removed {PDF.name}")
        expect(row(page, PDF.name)).to_have_count(0)
        assert library.wait_until_indexed(300)
        page.get_by_role("button", name="New conversation").click()
        ask(page, question)
        expect(bot_messages(page).first).not_to_be_empty()
        expect(page.get_by_text(source_title(citation))).to_have_count(0)
        context.close()
    finally:
        demo.close()
        library.close()

    counting = CountingEmbedder(real_embedder)
    library, demo = serve_library(paths, counting)  # the restart
    try:
        assert counting.in_context == counting.calls == 0  # nothing rebuilt
        docx_question = question_for(library.engine, DOCX.name)
        docx_citation = replay(library.engine, docx_question)[0].citations[0]
        context, page = open_page(browser, demo.local_url)
        expect(row(page, DOCX.name)).to_contain_text("indexed")
        ask(page, docx_question)
        expect(page.get_by_text(source_title(docx_citation))).to_be_visible()
        context.close()
    finally:
        demo.close()
        library.close()
    assert SCREENSHOT.stat().st_size > 10_000
