"""The chat in a browser (Gradio), thin over the dialogue: one Conversation per browser session or
API client, replies rendered with their [n] markers and, under each answer, its sources with the
quoted span highlighted inside its passage. With a Library, a "Documents" panel adds and removes
files and shows each one's state and the indexing progress (see library_panel.py). `build_app` makes
the app; `serve` runs it until Ctrl-C.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # read when gradio is imported: no telemetry calls

import html  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import gradio as gr  # noqa: E402
import httpx  # noqa: E402

from .answer import error, reflow  # noqa: E402
from .config import Paths  # noqa: E402
from .dialogue import Conversation, Engine  # noqa: E402
from .messages import MAX_MESSAGE_CHARS  # noqa: E402
from .records import Citation, Passage, Reply  # noqa: E402
from .text import load_lexicon  # noqa: E402

if TYPE_CHECKING:
    from .library import Library

MAX_QUEUE = 64  # waiting requests beyond this are refused at once ("queue is full") instead of piling up
CONCURRENCY = 2  # answers computed at once: the model is CPU-bound and the machine may have 2 cores
MAX_STARTERS = 4
SHARE_CHECK_SECONDS = 5.0  # how long to wait for Gradio's share server before serving locally only
ECHO_CHARS = 500  # a longer message is shown cut in the chat (the bot still sees and refuses it whole)

CSS = """
.source-passage { white-space: pre-wrap; line-height: 1.5; }
.source-passage mark { background: #ffe58a; color: inherit; padding: 0 2px; border-radius: 2px; }
.source-where { opacity: 0.7; font-size: 0.9em; margin-top: 0.4em; }
.library-table { width: 100%; border-collapse: collapse; font-size: 0.9em; }
.library-table td { padding: 4px 6px; border-top: 1px solid var(--border-color-primary); vertical-align: top; }
.library-status { font-weight: 600; white-space: nowrap; }
.library-status.indexed { color: #1a7f37; }
.library-status.indexing, .library-status.waiting { color: #9a6700; }
.library-status.skipped, .library-status.refused { color: #cf222e; }
.library-doc { word-break: break-all; opacity: 0.75; font-size: 0.9em; }
.library-progress progress { width: 100%; }
"""

# What every launch uses, tests included: no stack traces for users, no monitoring page, no uploads
# (unless the library takes them: then up to its size limit), and no allowed_paths, so only the app's
# own assets can be fetched.
SAFE_LAUNCH = {"show_error": False, "enable_monitoring": False, "max_file_size": 1, "css": CSS,
               "footer_links": ["api"]}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

NewConversation = Callable[[Engine], Conversation]


# ------------------------------------------------------------------ rendering


def _text(text: str) -> str:
    """Plain text for the chat's markdown renderer: markup is shown, never interpreted, and a quoted code
    line keeps its indent and its leading "#" (a comment, not a markdown heading)."""
    escaped = html.escape(text.encode("utf-8", "replace").decode("utf-8"), quote=False)
    return "\n".join(_as_shown(line) for line in escaped.split("\n"))


def _as_shown(line: str) -> str:
    body = line.lstrip(" ")
    indent = "&nbsp;" * (len(line) - len(body))
    return indent + ("&#35;" + body[1:] if body.startswith("#") else body)


def _passage_of(citation: Citation, passages: tuple[Passage, ...]) -> Passage | None:
    for p in passages:
        if p.doc == citation.doc and p.start <= citation.start and citation.end <= p.end:
            return p
    return None


def _reflowed_html(text: str) -> str:
    """Escaped text with hard wraps joined; list items and paragraphs keep their own lines."""
    return html.escape(reflow(text)).replace("\n", "<br>") if text.strip() else ""


def source_html(citation: Citation, passages: tuple[Passage, ...]) -> str:
    """The quote highlighted inside its passage, reflowed, all document text escaped, then where it stands
    (title, file, page, or the file with its #anchor). One line of HTML, so the markdown renderer leaves
    it as it is. The original is not served from here: a saved web page's scripts must never run on the
    app's own origin."""
    passage = _passage_of(citation, passages)
    if passage is None:
        before, after = "", ""
    else:
        before = passage.text[: citation.start - passage.start]
        after = passage.text[citation.end - passage.start:]
    gap_before = " " if before[-1:].isspace() else ""
    gap_after = " " if after[:1].isspace() else ""
    body = (f"{_reflowed_html(before)}{gap_before}<mark>{_reflowed_html(citation.quote)}</mark>"
            f"{gap_after}{_reflowed_html(after)}")
    where = html.escape(f"{citation.title} ({citation.doc})" if citation.title != citation.doc else citation.doc)
    if citation.page:
        where += f", p. {citation.page}"
    if citation.anchor:
        where += f", at <code>{html.escape(citation.doc)}#{html.escape(citation.anchor)}</code>"
    where += f", characters {citation.start}–{citation.end}"
    return f'<div class="source-passage">{body}</div><div class="source-where">{where}</div>'


def source_title(citation: Citation) -> str:
    page = f" (p. {citation.page})" if citation.page else ""
    return f"[{citation.id}] {citation.title or citation.doc} — {citation.section}{page}"


def reply_messages(reply: Reply) -> list[dict]:
    """The reply as chat messages: its text, then one collapsed message per source. Clarification
    options go on the last message, where the chat shows them as buttons."""
    messages: list[dict] = [{"role": "assistant", "content": _text(reply.text)}]
    for citation in reply.citations:
        messages.append({"role": "assistant", "content": source_html(citation, reply.passages),
                         "metadata": {"title": source_title(citation), "status": "done"}})
    if reply.kind == "answer" and reply.confidence is not None and len(messages) > 1:
        # shown small, beside the first source's title: how sure the bot is that this passage answers
        messages[1]["metadata"]["log"] = f"confidence {reply.confidence:.0%}"
    if reply.options:
        messages[-1]["options"] = [{"value": option, "label": option} for option in reply.options]
    return messages


def reply_text(reply: Reply) -> str:
    """The reply for API clients: its text with [n] markers, then a readable list of sources."""
    lines = [reply.text]
    if reply.citations:
        lines.append("\nSources:")
        lines.extend(f"[{c.id}] {c.doc} — {c.section}: “{c.quote}”" for c in reply.citations)
    return "\n".join(lines)


def user_message(message: str) -> dict:
    shown = message if len(message) <= ECHO_CHARS else message[:ECHO_CHARS] + f"… ({len(message):,} characters)"
    return {"role": "user", "content": _text(shown)}


def starter_questions(engine: Engine, limit: int = MAX_STARTERS) -> list[str]:
    """Section headings phrased as questions, taken in turn from each document so the starters show
    the corpus's breadth; other headings only when there are too few questions."""
    by_doc: dict[str, list[str]] = {}
    for (doc, _), title in sorted(engine.sections.items()):
        title = title.strip().rstrip(":").strip()
        if title and title != doc and title not in by_doc.setdefault(doc, []):
            by_doc[doc].append(title)
    questions = [[t for t in titles if t.endswith("?")] for titles in by_doc.values()]
    others = [[t for t in titles if not t.endswith("?")] for titles in by_doc.values()]
    chosen: list[str] = []
    for lists in (questions, others):
        for rank in range(max((len(ts) for ts in lists), default=0)):
            for titles in lists:
                if rank < len(titles) and len(chosen) < limit:
                    chosen.append(titles[rank])
    return chosen


# ------------------------------------------------------------------ the app


def _reply(conversation: Conversation, message: str) -> Reply:
    """One reply whatever happens: a failure is logged on the server and the user gets a plain error."""
    try:
        return conversation.send(message)
    except Exception as exc:  # noqa: BLE001 - one bad turn must not show a stack trace or end the chat
        print(f"chatbot: error answering a message ({type(exc).__name__}: {exc})", file=sys.stderr, flush=True)
        return error("Something went wrong answering that message. Please try again or rephrase it.")


def build_app(engine: Engine | None = None, *, library: Library | None = None, uploads: bool = False,
              max_queue: int = MAX_QUEUE, concurrency: int = CONCURRENCY,
              new_conversation: NewConversation = Conversation) -> gr.Blocks:
    """The chat UI and the `/chat` and `/reset` API endpoints over one shared, warm Engine, or over the
    Library's current Engine, with its Documents panel (and `uploads`: adding and removing files)."""
    if library is None and engine is None:
        raise ValueError("build_app needs an engine or a library")

    def current_engine() -> Engine:
        return library.engine if library is not None else engine

    def conversation_of(state: Conversation | None) -> Conversation:
        # Each turn starts by taking the newest engine, and uses that one throughout: a turn sees the
        # old index or the new one, never a mix.
        return state.use(current_engine()) if state is not None else new_conversation(current_engine())

    def take_message(message: str, history: list[dict]):
        return "", [*history, user_message(message)], message

    def take_option(history: list[dict], picked: gr.SelectData):
        return [*history, user_message(picked.value)], picked.value

    def take_example(history: list[dict], picked: gr.SelectData):
        text = picked.value["text"]
        return [*history, user_message(text)], text

    def answer(message: str, history: list[dict], state: Conversation | None):
        conversation = conversation_of(state)
        return [*history, *reply_messages(_reply(conversation, message))], conversation

    def start_over():
        return [], None, ""

    def api_chat(message: str, state: Conversation | None):
        conversation = conversation_of(state)
        return reply_text(_reply(conversation, message)), conversation

    def api_reset(state: Conversation | None):
        return conversation_of(state).reset().text, None

    starters = starter_questions(current_engine())
    with gr.Blocks(title="Ask the documents", analytics_enabled=False) as demo:
        gr.Markdown("## Ask the documents\nEvery answer is quoted from the documents, with its sources. "
                    "Open a source to see the quote in its passage.")
        conversation = gr.State(None)  # this session's Conversation, made on its first message
        pending = gr.State("")  # the message being answered
        chatbot = gr.Chatbot(label="Chat", height=560, sanitize_html=True, latex_delimiters=[],
                             feedback_options=None, buttons=["copy"], examples=[{"text": s} for s in starters],
                             placeholder="Ask a question about the documents, or pick one below.")
        with gr.Row():
            textbox = gr.Textbox(show_label=False, scale=8, submit_btn=True, autofocus=True, max_lines=6,
                                 placeholder=f"Ask about the documents… (up to {MAX_MESSAGE_CHARS:,} characters)")
            new_chat = gr.Button("New conversation", scale=1, variant="secondary")

        private = {"api_visibility": "private"}
        answer_step = {"fn": answer, "inputs": [pending, chatbot, conversation], "outputs": [chatbot, conversation],
                       "show_progress": "minimal", **private}
        textbox.submit(take_message, [textbox, chatbot], [textbox, chatbot, pending], queue=False,
                       **private).then(**answer_step)
        chatbot.option_select(take_option, [chatbot], [chatbot, pending], queue=False, **private).then(**answer_step)
        chatbot.example_select(take_example, [chatbot], [chatbot, pending], queue=False, **private).then(**answer_step)
        new_chat.click(start_over, None, [chatbot, conversation, textbox], queue=False, **private)
        chatbot.clear(start_over, None, [chatbot, conversation, textbox], queue=False, **private)

        # The API: hidden components, the same per-session Conversation (gradio_client keeps a session).
        api_question = gr.Textbox(label="message", visible=False)
        api_reply = gr.Textbox(label="reply", visible=False)
        api_question.submit(api_chat, [api_question, conversation], [api_reply, conversation], api_name="chat")
        api_reply.submit(api_reset, [conversation], [api_reply, conversation], api_name="reset")
        if library is not None:
            from .library_panel import documents_panel

            documents_panel(library, uploads=uploads)
    demo.queue(max_size=max_queue, default_concurrency_limit=concurrency)
    return demo


def start(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, *, share: bool = False,
          auth: tuple[str, str] | None = None, library: Library | None = None, uploads: bool = False) -> gr.Blocks:
    """Launch in the background with the safe settings; returns once the server answers. With a library,
    its originals are served from /library/original/ (see library_panel.serve_originals)."""
    launch = dict(SAFE_LAUNCH)
    if library is not None and uploads:
        from .library import MAX_FILE_MB

        launch["max_file_size"] = int(MAX_FILE_MB * 1e6)
    demo.launch(server_name=host, server_port=port, share=share, auth=auth, prevent_thread_lock=True,
                quiet=True, **launch)
    if library is not None:
        from .library_panel import serve_originals

        serve_originals(demo, library.paths.corpus)
    return demo


def uploads_allowed(host: str, share: bool, auth: object, allow: bool, refuse: bool) -> tuple[bool, str]:
    """(whether the page takes uploads, why not). On by default only when nobody else can reach the page;
    shared or on another interface only with a password or when asked for explicitly."""
    if refuse:
        return False, "uploads are off (--no-uploads)"
    if allow or (host in LOCAL_HOSTS and not share):
        return True, ""
    if auth:
        return True, ""
    where = "sharing a public link" if share else f"serving on {host}"
    return False, (f"uploads are off because you are {where} without --auth: "
                   "pass --auth USER:PASS, or --allow-uploads to let anyone who reaches the page add files")


# ------------------------------------------------------------------ serve


def _share_server_problem(timeout: float = SHARE_CHECK_SECONDS) -> str:
    """Why Gradio's share server cannot be reached ("" when it can), found within `timeout` seconds:
    without this, Gradio may spend a long while trying before it gives up."""
    from gradio import networking

    if os.environ.get("GRADIO_SHARE_SERVER_ADDRESS"):
        return ""  # a self-hosted share server: let Gradio try it
    try:
        httpx.get(networking.GRADIO_API_SERVER, timeout=timeout).raise_for_status()
    except Exception as exc:  # noqa: BLE001 - any failure means no share link; say which
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return ""


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth must be USER:PASS (or set CHATBOT_AUTH=USER:PASS)")
    return user, password


def serve(paths: Paths, host: str = "127.0.0.1", port: int = 7860, share: bool = False,
          auth: str | None = None, allow_uploads: bool = False, no_uploads: bool = False,
          watch: bool = False) -> int:
    """Load the engine, then serve the chat until Ctrl-C; 0 on a clean stop."""
    from .embeddings import PackagedMiniLM
    from .library import Library

    try:
        credentials = parse_auth(auth)
    except ValueError as exc:
        print(f"chatbot: error: {exc}", file=sys.stderr)
        return 2
    uploads, why_not = uploads_allowed(host, share, credentials, allow_uploads, no_uploads)
    library = Library(paths, PackagedMiniLM())
    library.open(progress=True)  # ready before the server takes its first request
    library.engine.retriever.embed("warm up")  # load the model now, not during the first question
    load_lexicon()
    library.start()
    watcher = None
    if watch:
        from .watch import watch_corpus

        watcher = watch_corpus(library)
    local_url = f"http://{host}:{port}"
    problem = _share_server_problem() if share else ""
    demo = start(build_app(library=library, uploads=uploads), host, port, share=share and not problem,
                 auth=credentials, library=library, uploads=uploads)
    if share and not problem and not demo.share_url:
        problem = "Gradio could not open a tunnel"
    if problem:
        print(f"chatbot: could not create a share link: {problem}; still serving locally on {local_url}",
              file=sys.stderr, flush=True)
    elif share:
        print(f"chatbot: public link: {demo.share_url}", file=sys.stderr, flush=True)
    if share and credentials is None:
        print("chatbot: warning: sharing without --auth: anyone with the link can use the bot",
              file=sys.stderr, flush=True)
    if why_not:
        print(f"chatbot: {why_not}", file=sys.stderr, flush=True)
    print(f"chatbot: serving on {local_url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)  # `kill` stops as cleanly as Ctrl-C
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        if watcher is not None:
            watcher.set()
        library.close()
        demo.close()
    return 0
