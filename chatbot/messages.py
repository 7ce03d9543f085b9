"""Pure: clean what a user typed before anything else sees it, or say why it cannot be used."""

from __future__ import annotations

import re
import unicodedata

MAX_MESSAGE_CHARS = 2000

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_SPACE = re.compile(r"\s+")


class BadMessage(ValueError):
    """The message cannot be answered; str(exc) is the reply the user sees."""


def clean_message(message: object, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """The message as plain, single-spaced text, or BadMessage with a reason a user understands."""
    if not isinstance(message, str):
        raise BadMessage("Please send your question as text.")
    if len(message) > max_chars:
        raise BadMessage(f"That message is {len(message):,} characters long; the limit is {max_chars:,}. "
                         "Please ask a shorter question.")
    text = _SURROGATE.sub("", message)
    text = _ANSI.sub(" ", text)
    text = _TAG.sub(" ", text)  # markup is not part of a question
    text = "".join(_visible(ch) for ch in unicodedata.normalize("NFKC", text))
    text = _SPACE.sub(" ", text).strip()
    if not text:
        raise BadMessage("Your message is empty. Please type a question about the documents.")
    if not any(ch.isalnum() for ch in text):
        raise BadMessage("I could not find any words in that message. Please type a question about the documents.")
    return text


def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cc":
        return " "  # NUL, escapes and other controls: a separator at most
    if category in ("Cf", "Co", "Cn"):
        return ""  # zero-width and direction marks, private use, unassigned
    return ch
