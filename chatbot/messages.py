"""Pure: clean what a user typed before anything else sees it, or say why it cannot be used."""

from __future__ import annotations

import re
import unicodedata

MAX_MESSAGE_CHARS = 2000

# terminal escapes: CSI ("\x1b[31m"), OSC with its payload ("\x1b]0;title\x07"), and two-byte ones
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,500}(?:\x07|\x1b\\)?|\x1b[@-_]")
_UNREADABLE = re.compile(r"[\ud800-\udfff\ufffd]")  # lone surrogates and U+FFFD: bytes that were not UTF-8
# a tag, comment or doctype, closed or cut off by the next "<" or the end: markup is never echoed back
_TAG = re.compile(r"<(?:/?[A-Za-z]|!|\?)[^<>]{0,500}(?:>|(?=<)|$)")
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)  # code, not words
_SPACE = re.compile(r"\s+")


class BadMessage(ValueError):
    """The message cannot be answered; str(exc) is the reply the user sees."""


def clean_message(message: object, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """The message as plain, single-spaced text, or BadMessage with a reason a user understands."""
    if not isinstance(message, str):
        raise BadMessage("Please send your question as text.")
    if len(message) > max_chars:
        raise BadMessage(too_long(len(message), max_chars))
    text = _UNREADABLE.sub(" ", message)
    text = _ANSI.sub(" ", text)
    if not (text.isascii() and text.isprintable()):  # plain typed ASCII has nothing to fold or drop
        text = "".join(_visible(ch) for ch in unicodedata.normalize("NFKC", text))
    without_tags = _TAG.sub(" ", _CODE.sub(" ", text))  # after the above: "<\u200bscript>" or "＜" hide no tag
    had_markup, text = without_tags != text, _SPACE.sub(" ", without_tags).strip()
    if not text and _UNREADABLE.search(message):
        raise BadMessage("I could not read that message: it is not valid UTF-8 text. "
                         "Please type a question about the documents.")
    if not text and had_markup:
        raise BadMessage("That message is only HTML markup, which I ignore. "
                         "Please type a question about the documents.")
    if not text:
        raise BadMessage("Your message is empty. Please type a question about the documents.")
    if not any(ch.isalnum() for ch in text):
        raise BadMessage("I could not find any words in that message. Please type a question about the documents.")
    return _trim_symbols(text)


def _trim_symbols(text: str) -> str:
    """Emoji and other symbols around a question are decoration: "🙂 what is tea? 🚀" asks "what is tea?"."""
    def decoration(ch: str) -> bool:
        return ch.isspace() or unicodedata.category(ch)[0] in "SM"

    start, end = 0, len(text)
    while start < end and decoration(text[start]):
        start += 1
    while end > start and decoration(text[end - 1]):
        end -= 1
    return text[start:end]


def too_long(length: int, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """The reply to a message over the limit (also used for lines too long to read whole)."""
    return (f"That message is {length:,} characters long; the limit is {max_chars:,}. "
            "Please ask a shorter question.")


def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cc":
        return " "  # NUL, escapes and other controls: a separator at most
    if category in ("Cf", "Co", "Cn"):
        return ""  # zero-width and direction marks, private use, unassigned
    return ch
