"""The chat in a real browser (Debian's chromium through Playwright): what a user sees and clicks.
Expected replies come from the same engine in a fresh Conversation, never from corpus strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO
from test_app import free_port, replay, specific_question, subject_of_corpus

from chatbot.app import build_app, source_title, start, starter_questions

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 60_000  # generous: the model answers in well under a second, but the machine may be busy
SCREENSHOT = REPO / "docs" / "screenshot.png"

pytestmark = [pytest.mark.browser, pytest.mark.model]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (sudo apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def url(real_engine, browser) -> str:
    demo = start(build_app(real_engine), "127.0.0.1", free_port())
    yield demo.local_url
    demo.close()


@pytest.fixture
def page(browser, url):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # a new browser session
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.get_by_placeholder("Ask about the documents").wait_for()
    yield page
    context.close()


def ask(page, message: str) -> None:
    box = page.get_by_placeholder("Ask about the documents")
    box.fill(message)
    box.press("Enter")


def bot_messages(page):
    return page.locator('[data-testid="bot"]')


def test_a_typed_question_gets_a_cited_answer(page, real_engine):
    from playwright.sync_api import expect

    question = specific_question(real_engine)
    reply = replay(real_engine, question)[0]
    ask(page, question)
    expect(bot_messages(page).first).to_contain_text("[1]")
    expect(bot_messages(page).first).to_contain_text(reply.citations[0].quote.splitlines()[0])
    expect(page.get_by_text(source_title(reply.citations[0]))).to_be_visible()


def test_clicking_an_option_answers_that_angle(page, real_engine):
    from playwright.sync_api import expect

    vague = f"tell me about {subject_of_corpus(real_engine)}"
    options = replay(real_engine, vague)[0].options
    picked = replay(real_engine, vague, options[-1])[1]
    ask(page, vague)
    button = page.get_by_role("button", name=options[-1], exact=True)
    expect(button).to_be_visible()
    button.click()
    expect(page.locator('[data-testid="user"]').last).to_contain_text(options[-1])
    answer = bot_messages(page).filter(has_text="Taking this as:")
    expect(answer).to_contain_text(picked.citations[0].quote.splitlines()[0])
    expect(page.get_by_text(source_title(picked.citations[0]))).to_be_visible()


def test_an_opened_source_highlights_the_exact_quote(page, real_engine):
    from playwright.sync_api import expect

    question = specific_question(real_engine)
    citation = replay(real_engine, question)[0].citations[0]
    ask(page, question)
    mark = page.locator("mark")
    page.get_by_text(source_title(citation)).click()
    expect(mark.first).to_be_in_viewport()
    assert mark.first.inner_text().split() == citation.quote.split()  # the same words, whatever the wrapping
    expect(page.get_by_text(f"{citation.doc}, characters {citation.start}–{citation.end}")).to_be_visible()


def test_markup_in_a_message_is_shown_as_text_and_never_runs(page):
    from playwright.sync_api import expect

    message = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">'
    ask(page, message)
    expect(page.locator('[data-testid="user"]').last).to_have_text(message)
    expect(bot_messages(page).first).not_to_be_empty()  # the reply is rendered too
    assert page.evaluate("window.__pwned") is None
    assert page.locator('[data-testid="user"] img').count() == 0


def test_a_starter_from_the_corpus_is_answered_and_new_conversation_starts_over(page, real_engine):
    from playwright.sync_api import expect

    starter = starter_questions(real_engine)[0]
    starter_button = page.get_by_role("button", name=re.compile(re.escape(starter) + "$"))  # "Select example n: …"
    starter_button.click()
    expect(bot_messages(page).first).not_to_be_empty()
    assert bot_messages(page).first.inner_text().strip().startswith(replay(real_engine, starter)[0].text[:20])
    page.get_by_role("button", name="New conversation").click()
    expect(bot_messages(page)).to_have_count(0)
    expect(starter_button).to_be_visible()  # the starters are back


def test_screenshot_of_an_answered_question_with_its_source_open(page, real_engine):
    from playwright.sync_api import expect

    question = specific_question(real_engine)
    citation = replay(real_engine, question)[0].citations[0]
    ask(page, question)
    page.get_by_text(source_title(citation)).click()
    expect(page.locator("mark").first).to_be_visible()
    expect(page.get_by_text(f"{citation.doc}, characters {citation.start}–{citation.end}")).to_be_in_viewport()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOT, animations="disabled")  # the source fully open, not mid-slide
    assert SCREENSHOT.stat().st_size > 10_000
