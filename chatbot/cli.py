"""The `chatbot` command: ask, chat, index, eval, serve. Library errors become one clear line on
stderr and a non-zero exit here, at the boundary."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import functools
import json
import os
import sys
from collections.abc import Sequence
from typing import BinaryIO, NamedTuple

from .backends import CHOICES
from .config import Paths

EXIT_USAGE = 2
MAX_LINE_BYTES = 1 << 20  # a longer input line is counted and refused, never held in memory whole


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-c", "--corpus", help="folder of documents: .pdf, .html, .docx, .md, .txt "
                        "(env CHATBOT_CORPUS, default ./corpus)")
    parser.add_argument("-i", "--index", help="index folder, built when missing or stale "
                                              "(env CHATBOT_INDEX, default ./index)")
    parser.add_argument("--backend", choices=CHOICES, type=str.lower,
                        help="what runs the embedding model: torch, onnx, onnx-int8, or auto, the fastest that "
                             "passes the equivalence gate when the onnx extra is installed, else torch "
                             "(env CHATBOT_BACKEND, default auto)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chatbot", description="Answers questions with cited quotes "
                                     "from a folder of documents, and nothing else.")
    commands = parser.add_subparsers(dest="command", required=True)

    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    _add_paths(ask)

    chat = commands.add_parser("chat", help="a conversation on stdin/stdout")
    chat.add_argument("--jsonl", action="store_true",
                      help="machine interface: each stdin line is one message, as plain text (not JSON; "
                           "'/reset' starts over), and each reply is one JSON object on its own stdout line")
    _add_paths(chat)

    index = commands.add_parser("index", help="build the index (or rebuild it with --force)")
    index.add_argument("--force", action="store_true", help="rebuild even when the index is current")
    index.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                       help="read, chunk and embed on Ray: a local Ray instance, or the cluster at ADDRESS "
                            "('auto', HOST:6379 or ray://HOST:10001); needs the [ray] extra")
    index.add_argument("--workers", type=int, help="Ray workers (default: one per CPU Ray has)")
    _add_paths(index)

    text = commands.add_parser("text", help="print a document's text exactly as citations index it")
    text.add_argument("doc", help="the document id, as citations name it (its path inside the corpus folder)")
    _add_paths(text)

    evaluate = commands.add_parser("eval", help="score the bot on an evaluation set")
    evaluate.add_argument("--questions", default="eval/questions.jsonl")
    evaluate.add_argument("--conversations", default="eval/conversations.jsonl")
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument("--failures", action="store_true", help="list every miss")
    _add_paths(evaluate)

    serve = commands.add_parser("serve", help="the chat in a browser")
    serve.add_argument("--host", default=os.environ.get("CHATBOT_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("CHATBOT_PORT", "7860")))
    serve.add_argument("--share", action="store_true", help="ask Gradio for a public link")
    serve.add_argument("--auth", default=os.environ.get("CHATBOT_AUTH"),
                       help="USER:PASS required to use the chat (env CHATBOT_AUTH)")
    serve.add_argument("--allow-uploads", action="store_true",
                       help="take uploads even when shared or on another --host without --auth")
    serve.add_argument("--no-uploads", action="store_true", default=os.environ.get("CHATBOT_UPLOADS") == "0",
                       help="never take uploads (env CHATBOT_UPLOADS=0); the library is then read-only")
    serve.add_argument("--watch", action="store_true",
                       help="index files added, changed or deleted in the corpus folder while serving")
    _add_paths(serve)

    add = commands.add_parser("add", help="copy files into the corpus folder and index them")
    add.add_argument("files", nargs="+", metavar="FILE")
    _add_paths(add)

    remove = commands.add_parser("remove", help="delete a document from the corpus folder and the index")
    remove.add_argument("doc", help="the document id, as citations name it (its path inside the corpus folder)")
    _add_paths(remove)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    paths = Paths.from_env(args.corpus, args.index)
    if args.backend:  # the flag wins over the environment, and reaches every place that loads the model
        os.environ["CHATBOT_BACKEND"] = args.backend
    from .corpus import CorpusError
    from .embeddings import ModelUnavailable
    from .search_index import IndexUnwritable

    try:
        return COMMANDS[args.command](args, paths)
    except (CorpusError, ModelUnavailable, IndexUnwritable) as exc:
        print(f"chatbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _engine(paths: Paths, progress: bool = False):
    from .bot import load_engine

    return load_engine(paths, progress=progress)


def _ask(args: argparse.Namespace, paths: Paths) -> int:
    from .answer import error
    from .dialogue import Conversation
    from .messages import BadMessage, clean_message

    try:
        clean_message(args.question)  # a message that cannot be answered needs no model: say so at once
    except BadMessage as exc:
        reply = error(str(exc))
    else:
        with contextlib.redirect_stdout(sys.stderr):
            engine = _engine(paths)
        reply = Conversation(engine).send(args.question)
    _write(sys.stdout, json.dumps(reply.to_dict(), ensure_ascii=False) if args.json else format_reply(reply))
    return 1 if reply.kind == "error" else 0


def _write(out, text: str) -> None:
    """Write a line as UTF-8 whatever the locale says, and flush it: a reader waits for each line."""
    out.buffer.write(text.encode("utf-8", errors="replace") + b"\n")
    out.buffer.flush()


def format_reply(reply) -> str:
    """Human-readable: the reply, then each source with where to find it."""
    lines = [reply.text]
    if reply.citations:
        lines.append("\nSources:")
        lines.extend(f"  [{c.id}] {where(c)}" for c in reply.citations)
    if reply.kind == "answer" and reply.confidence is not None:
        lines.append(f"Confidence: {reply.confidence:.0%} that the first source is the passage that answers.")
    return "\n".join(lines)


def where(citation) -> str:
    """Where a quote stands, in words: title (file), section path, page or anchor, characters."""
    place = f", p. {citation.page}" if citation.page else (f", #{citation.anchor}" if citation.anchor else "")
    title = f"{citation.title} ({citation.doc})" if citation.title and citation.title != citation.doc else citation.doc
    return f"{title} — {citation.section}{place} (characters {citation.start}–{citation.end})"


class Line(NamedTuple):
    text: str  # "" when the line was too long to keep
    length: int  # in characters
    whole: bool


def read_line(stream: BinaryIO) -> Line | None:
    """The next input line, None at the end of input. Bytes that are not UTF-8 become lone surrogates,
    which the message cleaner refuses, so a bad line gets a reply instead of ending the chat."""
    raw = stream.readline(MAX_LINE_BYTES)
    if not raw:
        return None
    if raw.endswith(b"\n") or len(raw) < MAX_LINE_BYTES:
        text = raw.decode("utf-8", errors="surrogateescape").rstrip("\r\n")
        return Line(text, len(text), True)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    length = len(decoder.decode(raw))
    while raw and not raw.endswith(b"\n"):
        raw = stream.readline(MAX_LINE_BYTES)
        length += len(decoder.decode(raw).rstrip("\r\n"))
    return Line("", length, False)


def _chat(args: argparse.Namespace, paths: Paths) -> int:
    from .dialogue import Conversation
    from .text import load_lexicon

    out = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        engine = _engine(paths)
    load_lexicon()
    conversation = Conversation(engine)
    if not args.jsonl:
        print("Ask about the documents (/reset starts over, Ctrl-D quits).", file=sys.stderr)
    while True:
        if not args.jsonl:
            print("you> ", end="", file=sys.stderr, flush=True)
        line = read_line(sys.stdin.buffer)
        if line is None:
            return 0
        with contextlib.redirect_stdout(sys.stderr):
            reply = _reply_to(conversation, line)
        try:
            _write(out, json.dumps(reply.to_dict(), ensure_ascii=False) if args.jsonl else format_reply(reply) + "\n")
        except BrokenPipeError:  # the reader went away: nothing left to answer
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
            return 0


def _reply_to(conversation, line: Line):
    """One reply per line, whatever the line holds: a failure in one turn is reported, not fatal."""
    from .answer import error
    from .messages import too_long

    if not line.whole:
        return error(too_long(line.length))
    if line.text.strip() == "/reset":
        return conversation.reset()
    try:
        return conversation.send(line.text)
    except Exception as exc:  # the chat must outlive any one bad turn
        print(f"chatbot: error answering a message ({type(exc).__name__}: {exc}); the chat goes on",
              file=sys.stderr, flush=True)
        return error("Something went wrong answering that message. Please try again or rephrase it.")


def _index(args: argparse.Namespace, paths: Paths) -> int:
    from .backends import make_embedder
    from .chunking import ChunkSettings
    from .search_index import open_index

    embedder = make_embedder()
    if args.ray is None:
        if args.workers is not None:
            print("chatbot: error: --workers goes with --ray", file=sys.stderr)
            return EXIT_USAGE
        index = open_index(paths.corpus, paths.index, embedder, ChunkSettings(), force=args.force, progress=True)
    else:
        from .distributed import RayBuild, RayBuildFailed

        if args.workers is not None and args.workers < 1:
            print(f"chatbot: error: --workers must be at least 1, not {args.workers}", file=sys.stderr)
            return EXIT_USAGE
        try:
            # workers embed with this build's backend, named explicitly: they do not see this process's flags
            with RayBuild(address=args.ray or None, workers=args.workers,
                          make_embedder=functools.partial(make_embedder, embedder.backend)) as workers:
                index = open_index(paths.corpus, paths.index, embedder, ChunkSettings(), force=args.force,
                                   progress=True, workers=workers)
        except RayBuildFailed as exc:
            print(f"chatbot: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    counts = index.manifest["counts"]
    print(f"index at {paths.index}: {counts['documents']} documents, {counts['passages']} passages, "
          f"{counts['sentences']} sentences ({index.manifest['faiss_index']}, vectors by "
          f"{index.manifest.get('backend') or 'torch'}; encoding with {embedder.backend})", file=sys.stderr)
    return 0


def _text(args: argparse.Namespace, paths: Paths) -> int:
    """The exact text a citation's start/end index into: the file itself for .txt/.md, what the reader
    extracted for PDF, HTML and Word files. Read afresh with the same reader the index used."""
    from .corpus import corpus_files
    from .readers import Unreadable, read_document

    doc_id = args.doc.replace("\\", "/").removeprefix("./")
    files = corpus_files(paths.corpus, {})  # other files' skips say nothing about this one
    if doc_id not in files:
        known = ", ".join(list(files)[:5]) + (" …" if len(files) > 5 else "")
        print(f"chatbot: error: no document {doc_id!r} in {paths.corpus} (documents: {known or 'none'})",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        document = read_document(files[doc_id], doc_id)
    except Unreadable as exc:
        print(f"chatbot: error: cannot read {doc_id}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(document.text.encode("utf-8", errors="surrogateescape"))
    sys.stdout.buffer.flush()
    return 0


def _eval(args: argparse.Namespace, paths: Paths) -> int:
    from .evaluation import evaluate, format_report

    engine = _engine(paths)
    report = evaluate(engine, args.questions, args.conversations)
    print(json.dumps(report.metrics, indent=2) if args.json else format_report(report, args.failures))
    return 0


def _serve(args: argparse.Namespace, paths: Paths) -> int:
    from .app import serve

    return serve(paths, host=args.host, port=args.port, share=args.share, auth=args.auth,
                 allow_uploads=args.allow_uploads, no_uploads=args.no_uploads, watch=args.watch)


def _add(args: argparse.Namespace, paths: Paths) -> int:
    """Store each file (checked as uploads are), then bring the index up to date; 1 when any file was
    refused or could not be read."""
    from pathlib import Path

    from .chunking import ChunkSettings
    from .embeddings import PackagedMiniLM
    from .library import Refused, store_file
    from .search_index import open_index

    added, failed = [], 0
    for name in args.files:
        try:
            added.append(store_file(paths.corpus, Path(name)))
        except Refused as exc:
            print(f"chatbot: refused {name}: {exc}", file=sys.stderr)
            failed += 1
    if added:
        index = open_index(paths.corpus, paths.index, PackagedMiniLM(), ChunkSettings(), progress=True)
        skipped = index.manifest.get("skipped", {})
        for doc in added:
            if doc in skipped:
                print(f"chatbot: {doc} was stored but cannot be read: {skipped[doc]}", file=sys.stderr)
                failed += 1
            else:
                passages = sum(1 for p in index.passages if p.doc == doc)
                print(f"added {doc} ({passages} passages)")
    return 1 if failed else 0


def _remove(args: argparse.Namespace, paths: Paths) -> int:
    from .chunking import ChunkSettings
    from .embeddings import PackagedMiniLM
    from .library import remove_file
    from .search_index import open_index

    remove_file(paths.corpus, args.doc)  # CorpusError (not a document, the last one) is reported by main
    open_index(paths.corpus, paths.index, PackagedMiniLM(), ChunkSettings(), progress=True)
    print(f"removed {args.doc}")
    return 0


COMMANDS = {"ask": _ask, "chat": _chat, "index": _index, "text": _text, "eval": _eval, "serve": _serve,
            "add": _add, "remove": _remove}
