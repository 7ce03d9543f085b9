"""The Documents panel of the chat page and its API: add files (when uploads are on), see every
document with its state and the indexing progress, remove one, open the original.

Originals are served by one route, /library/original/DOC, and only in ways that cannot run a
document's code on the app's origin: PDF and Word as downloads, text as text/plain, a saved web page
as HTML under `Content-Security-Policy: sandbox` (no scripts, an opaque origin), all with `nosniff`.
The route asks for the same sign-in as the rest of the app when `--auth` is set.
"""

from __future__ import annotations

import contextlib
import html
import json
from pathlib import Path
from urllib.parse import quote

import gradio as gr
from fastapi import Request  # at module level: FastAPI resolves the route's annotations here

from .corpus import CorpusError
from .library import MAX_FILE_MB, MAX_UPLOAD_MB, Entry, Library, Progress, Refused, corpus_path, safe_name
from .readers import FORMATS, format_of

ORIGINALS = "/library/original/"
TICK_SECONDS = 1.0  # how often an open page refreshes the panel

# ------------------------------------------------------------------ rendering


def progress_html(progress: Progress) -> str:
    """A progress bar while a build runs; otherwise one line saying how the last one went."""
    if progress.stage in ("reading", "embedding", "saving"):
        return (f'<div class="library-progress" role="status"><progress value="{progress.fraction:.3f}" max="1">'
                f'</progress><div>Indexing: {html.escape(progress.message)}</div></div>')
    if progress.stage == "failed":
        return (f'<div class="library-progress" role="status">Indexing failed; the previous index still answers: '
                f'{html.escape(progress.message)}</div>')
    done = f" ({html.escape(progress.message)})" if progress.stage == "done" and progress.message else ""
    return f'<div class="library-progress" role="status">All documents are indexed{done}.</div>'


def library_html(entries: list[Entry]) -> str:
    rows = []
    for entry in entries:
        name = html.escape(entry.title)
        doc = html.escape(entry.doc)
        if entry.status != "refused":
            link = html.escape(ORIGINALS + quote(entry.doc))
            doc = f'<a href="{link}" target="_blank" rel="noopener noreferrer" title="open the original">{doc}</a>'
        title = f"<div>{name}</div>" if entry.title != entry.doc else ""
        rows.append(f'<tr data-doc="{html.escape(entry.doc)}"><td>{title}<div class="library-doc">{doc}</div></td>'
                    f'<td><span class="library-status {entry.status}">{entry.status}</span><br>'
                    f'{html.escape(entry.detail)}</td></tr>')
    if not rows:
        return "<p>No documents yet.</p>"
    return f'<table class="library-table">{"".join(rows)}</table>'


def entry_dict(entry: Entry) -> dict:
    return {"doc": entry.doc, "title": entry.title, "status": entry.status, "detail": entry.detail,
            "pages": entry.pages, "sections": entry.sections}


# ------------------------------------------------------------------ actions


def add_uploads(library: Library, files: list[str] | None) -> tuple[list[str], dict[str, str]]:
    """Store each uploaded file (Gradio has saved it under its original name); (added doc ids, refused
    names with why). All are refused when together they exceed the per-upload limit."""
    paths = [Path(f) for f in files or []]
    added: list[str] = []
    refused: dict[str, str] = {}
    total = sum(p.stat().st_size for p in paths if p.exists())
    if total > MAX_UPLOAD_MB * 1e6:
        for path in paths:
            reason = f"the upload is {total / 1e6:.0f} MB, over the limit of {MAX_UPLOAD_MB:g} MB per upload"
            refused[safe_name(path.name)] = reason
            library.refuse(path.name, reason)
            with contextlib.suppress(OSError):
                path.unlink()
        return added, refused
    for path in paths:
        try:
            added.append(library.add(path, path.name, index=False))
        except Refused as exc:
            refused[safe_name(path.name)] = str(exc)
        finally:
            with contextlib.suppress(OSError):
                path.unlink()  # Gradio's copy: the corpus folder has the file now (or must not)
    if added:
        library.refresh()  # one build for the whole upload
    return added, refused


def outcome_text(added: list[str], refused: dict[str, str]) -> str:
    lines = [f"Added {doc}; it is answered once indexed (progress below)." for doc in added]
    lines += [f"Refused {name}: {reason}." for name, reason in refused.items()]
    return "\n\n".join(html.escape(line) for line in lines)


def remove_document(library: Library, doc: str | None) -> str:
    if not doc:
        return "Pick a document to remove."
    try:
        library.remove(doc)
    except CorpusError as exc:
        return html.escape(f"Cannot remove {doc}: {exc}.")
    return html.escape(f"Removed {doc}; the index is being updated.")


# ------------------------------------------------------------------ the panel


def documents_panel(library: Library, uploads: bool) -> None:
    """The Documents sidebar and its API endpoints, inside the Blocks being built."""

    def removable() -> list[str]:
        return [e.doc for e in library.entries() if e.status != "refused"]

    def panel():
        return progress_html(library.progress), library_html(library.entries())

    def tick(shown: list[str]):
        choices = removable()
        pick = gr.update(choices=choices) if uploads and choices != shown else gr.skip()
        return (*panel(), pick, choices)

    def on_upload(files: list[str] | None):
        added, refused = add_uploads(library, files)
        return (outcome_text(added, refused), None, *panel(),
                gr.update(choices=removable()) if uploads else gr.skip())

    def on_remove(doc: str | None):
        return (remove_document(library, doc), *panel(), gr.update(choices=removable(), value=None))

    def api_add(files: list[str] | None) -> dict:
        added, refused = add_uploads(library, files)
        return {"added": added, "refused": refused}

    def api_remove(doc: str) -> dict:
        message = remove_document(library, doc)
        return {"removed": doc} if message.startswith("Removed") else {"error": html.unescape(message)}

    def api_library() -> dict:
        progress = library.progress
        return {"documents": [entry_dict(e) for e in library.entries()],
                "progress": {"stage": progress.stage, "fraction": progress.fraction, "message": progress.message}}

    private = {"api_visibility": "private"}
    with gr.Sidebar(label="Documents", open=True, position="left"):
        gr.Markdown("### Documents\n" + (f"Add PDF, Word, HTML, Markdown or text files, up to {MAX_FILE_MB:g} MB "
                                          "each; each is answered once it is indexed." if uploads else
                                          "Uploads are off on this server."))
        if uploads:
            picker = gr.File(label="Add documents", file_count="multiple", file_types=sorted(FORMATS),
                             height=110, elem_id="library-upload")
        notice = gr.Markdown("", elem_id="library-notice")
        status = gr.HTML(progress_html(library.progress), elem_id="library-progress")
        table = gr.HTML(library_html(library.entries()), elem_id="library-table")
        shown = gr.State([])
        choose = None
        if uploads:
            choose = gr.Dropdown(choices=removable(), value=None, label="Remove a document", elem_id="library-pick")
            remove = gr.Button("Remove", variant="stop", size="sm")
            picker.upload(on_upload, [picker], [notice, picker, status, table, choose], **private)
            remove.click(on_remove, [choose], [notice, status, table, choose], **private)
        timer = gr.Timer(TICK_SECONDS)
        timer.tick(tick, [shown], [status, table, choose if choose is not None else shown, shown],
                   queue=False, show_progress="hidden", **private)

        # The API (gradio_client): hidden components, JSON replies.
        api_reply = gr.JSON(visible=False)
        api_listing = gr.Button(visible=False)
        api_listing.click(api_library, None, api_reply, api_name="library")
        if uploads:
            api_files = gr.File(file_count="multiple", visible=False)
            api_doc = gr.Textbox(visible=False)
            api_files.upload(api_add, api_files, api_reply, api_name="add_documents")
            api_doc.submit(api_remove, api_doc, api_reply, api_name="remove_document")


# ------------------------------------------------------------------ originals


def _signed_in(app, request) -> bool:
    """Gradio's own rule (routes.py get_current_user/login_check): no auth configured, or a valid
    access-token cookie."""
    if getattr(app, "auth", None) is None and getattr(app, "auth_dependency", None) is None:
        return True
    if app.auth_dependency is not None:
        return app.auth_dependency(request) is not None
    token = (request.cookies.get(f"access-token-{app.cookie_id}")
             or request.cookies.get(f"access-token-unsecure-{app.cookie_id}"))
    return app.tokens.get(token) is not None


def original_response(corpus: Path, doc: str):
    """The response for one original, or a 404: only documents of the corpus folder, served so that
    nothing in them runs on this origin."""
    from fastapi.responses import FileResponse, PlainTextResponse

    try:
        path = corpus_path(corpus, doc)
    except CorpusError:
        return PlainTextResponse("no such document", status_code=404)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
               # no scripts, no plugins, an opaque origin; only inline styles and embedded images load
               "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"}
    kind = format_of(path)
    if kind in ("text", "markdown"):
        media, disposition = "text/plain; charset=utf-8", "inline"
    elif kind == "html":
        media, disposition = "text/html", "inline"
    elif kind == "pdf":
        media, disposition = "application/pdf", "attachment"
    else:
        media, disposition = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"
    return FileResponse(path, media_type=media, headers=headers, filename=path.name,
                        content_disposition_type=disposition)


def serve_originals(demo: gr.Blocks, corpus: Path) -> None:
    """Mount GET /library/original/DOC on the running app."""
    from fastapi.responses import PlainTextResponse

    app = demo.app

    def original(doc: str, request: Request):
        if not _signed_in(app, request):
            return PlainTextResponse("sign in first", status_code=401)
        return original_response(corpus, doc)

    app.add_api_route(ORIGINALS + "{doc:path}", original, methods=["GET", "HEAD"], include_in_schema=False)


def api_json(value: object) -> dict:
    """gradio_client returns a JSON output as a dict, or as its text for some versions."""
    return json.loads(value) if isinstance(value, str) else value
