"""`chatbot serve --watch`: files added, changed or deleted in the corpus folder are indexed in the
background (watchfiles batches the events of one copy or save into one change)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from .library import TEMPORARY_PREFIX, Library


def watch_corpus(library: Library) -> threading.Event:
    """Start watching the library's corpus folder in a daemon thread; set the returned event to stop."""
    from watchfiles import watch

    stop = threading.Event()
    corpus = library.paths.corpus.resolve()

    def interesting(change: object, path: str) -> bool:
        """Hidden files (our own half-written uploads among them) are not part of the corpus."""
        relative = Path(path).relative_to(corpus) if Path(path).is_relative_to(corpus) else Path(path)
        return not any(part.startswith(".") for part in relative.parts) and TEMPORARY_PREFIX not in path

    def run() -> None:
        for changes in watch(corpus, watch_filter=interesting, stop_event=stop, debounce=800, step=100,
                             yield_on_timeout=False, raise_interrupt=False):
            shown = ", ".join(sorted({Path(path).name for _, path in changes})[:3])
            print(f"chatbot: the corpus folder changed ({shown}): updating the index", file=sys.stderr, flush=True)
            library.refresh()

    threading.Thread(target=run, name="corpus-watcher", daemon=True).start()
    print(f"chatbot: watching {corpus} for changes", file=sys.stderr, flush=True)
    return stop
