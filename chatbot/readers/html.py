"""HTML reader: the visible main text of a page as blocks, with the anchor each block can be linked by.

Parsing is libxml2's (lxml's HTMLParser): fast, forgiving with broken markup, and bounded: it stops at 256 levels of
nesting, which we report as Unreadable instead of reading half a page. Our own passes over the tree are
iterative, so no depth of nesting can make them recurse.

Left out, as a browser user would not read them as the page's content: scripts, styles, hidden elements,
navigation (<nav>, "Next: / Previous: / Up:" bars, DocBook navheader/navfooter), tables of contents and
indexes (blocks made mostly of links to anchors in the same set of pages), skip links, cookie banners,
permalink markers ("¶").
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from ..records import BlockKind, Document
from . import (
    INVISIBLE,
    TextBuilder,
    Unreadable,
    first_heading_title,
    is_box_label,
    is_exponent,
    is_navigation_word,
    row_text,
    title_parts,
    words_of,
)
from .code_lines import reads_as_code
from .text import find_blocks, reads_as_prose
from .text import heading_text as text_heading_of

# ---------------------------------------------------------------- heading numbers (shared with docx.py)

# "2.1.3.", "4.7", "8", "A.2", "IV." at the start, or after "Chapter"/"Appendix"/...: "Chapter 8. I18N" -> "8."
_NUMBER = r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[A-Z](?:\.\d{1,3})+\.?|[IVXLC]+\.)"
_LEADING_NUMBER = re.compile(rf"^(?:(?:chapter|section|part|appendix)\s+)?({_NUMBER})(?=\s|$)", re.IGNORECASE)
_LABELLED_LETTER = re.compile(r"^(?:appendix|part)\s+([A-Z]\.?)(?=\s|$)", re.IGNORECASE)


def heading_numbering(text: str) -> str:
    """A heading's own number as written ("2.1.3.", "4.7", "8." for "Chapter 8. ..."), "" when unnumbered."""
    text = text.strip()
    match = _LEADING_NUMBER.match(text) or _LABELLED_LETTER.match(text)
    if not match:
        return ""
    return match.group(1)


# ---------------------------------------------------------------- decoding

MAX_HTML_BYTES = 100_000_000  # read whole into memory, parsed into a tree of about ten times that
_MAX_DEPTH_MESSAGE = "it is nested too deeply to read (more than 256 levels of elements)"
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
# labels that browsers read as windows-1252 (the WHATWG encoding standard)
_AS_WINDOWS_1252 = {"ascii", "us-ascii", "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1", "cp819"}


def decode_html(raw: bytes) -> str:
    """The page as text: BOM first, then <meta charset> or the XML declaration, else UTF-8 if it decodes,
    else windows-1252. Bytes the encoding cannot map become U+FFFD rather than an error."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, errors="replace")
    declared = _declared_encoding(raw[:4096])
    if declared:
        return raw.decode(declared, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, errors="replace")  # "hex", "base64", "rot13" are codecs but not text encodings
    except LookupError:
        return None
    # a page that could declare UTF-16 in ASCII is not UTF-16: browsers read it as UTF-8
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    """NULs or many control characters: an image, archive or PDF named .html, not a web page."""
    sample = text[:65536]
    return "\x00" in sample or len(_CONTROL_CHARACTERS.findall(sample)) > max(8, len(sample) // 50)


def parse_html(text: str) -> etree._Element:
    """The document tree, or Unreadable when libxml2 gave up (too deep) or found nothing to build."""
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except etree.LxmlError as exc:
        raise Unreadable(f"it is not readable HTML ({exc})") from exc
    if root is None:
        raise Unreadable("it has no readable text")
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            if "depth" in error.message.lower():
                raise Unreadable(_MAX_DEPTH_MESSAGE)
            raise Unreadable("it is too large to read (a part of it is beyond the parser's limits)")
    return root


# ---------------------------------------------------------------- what is not main text

_SKIPPED_TAGS = frozenset({
    "head", "title", "script", "style", "noscript", "template", "nav", "iframe", "object", "embed", "svg",
    "canvas", "audio", "video", "map", "select", "option", "datalist", "textarea", "button", "input",
    "meta", "link", "base",
    "del", "s", "strike",  # struck-through text: what the page says is no longer so
})
_SKIPPED_ROLES = frozenset({"navigation", "search", "doc-toc", "menu", "menubar", "directory"})
# common class names of navigation and tables of contents: an extra signal next to link density
_NAV_CLASSES = frozenset({
    "navheader", "navfooter", "navigation", "navbar", "breadcrumb", "breadcrumbs", "toc", "contents",
    "shortcontents", "section-toc", "skip-link", "skiplink", "skip-links", "visually-hidden", "sr-only",
    "docnav",  # Publican's "Prev | Book title | Next" bars
    "longdesc-link",  # DocBook's "[D]" link to a picture's long description, beside every screenshot
    "nav",  # a site's menu as a list (<ul class="nav">: Home, Download, Documentation, …)
    "dropdown-menu",  # Bootstrap's menu, hidden until clicked ("This keyword is available in sections : …")
    "childlinks",  # latex2html's list of a node's subsections at its foot
})
# "Website design by …"; latex2html's "Subsections" over the list of child links
_CHROME_IDS = frozenset({"footer", "site-footer", "page-footer", "child_links"})
# a link to the page before or after, or to the contents, marked so by its class ("previous_page", "toc_page")
_PAGE_LINK_CLASS = re.compile(r"^(?:prev|previous|next|up|toc)(?:[-_](?:page|link|chapter))?$", re.IGNORECASE)
_ARROWS = re.compile(r"<-|->|<<|>>|[«»←→↑⇐⇒]")
_BANNER = re.compile(r"cookie[-_]?(?:banner|notice|consent|bar|popup|law|message)|cookieconsent|"
                     r"consent[-_]?(?:banner|manager|popup)|\bgdpr", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
PERMALINK_TEXT = frozenset({"¶", "#", "§", "🔗", "∞", "TOC"})  # (texinfo's "TOC": back to the contents)
_ICON_GLYPHS = re.compile("[\ue000-\uf8ff]+")  # a font's own icons ("\uf0c1", a chain link): no text
_SKIP_LINK_TEXT = re.compile(r"^\s*(?:skip|jump)\s+to\b", re.IGNORECASE)
_NAV_REL = frozenset({"next", "prev", "previous", "up", "home", "start", "first", "last", "contents", "index"})
LINK_BAR_LINKS = 2  # links joined by separators alone, at least this many, are a menu or a breadcrumb
_SEPARATOR_MARKS = "|>\u203a\u00bb/\u00b7\u2022\u2192"  # not commas: "RDP, RFB (VNC)" is a cell's list
_SEPARATOR = re.compile(f"[{_SEPARATOR_MARKS}]")
_SEPARATORS = re.compile(f"[{_SEPARATOR_MARKS}\\s]+")
_BAR_LABEL = re.compile(f"^[^{_SEPARATOR_MARKS}]{{1,30}}:\\s*")  # "Available Languages:"
_NAV_TEXT = re.compile(r"^\s*(?:next|previous|prev|up|home)\s*:", re.IGNORECASE)
_NEVER_DROPPED = frozenset({"html", "body", "main", "article"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# boxes whose title is set as a heading (DocBook's <div class="note"><h3 class="title">Note</h3>, Sphinx's
# "admonition"): the title labels the box, it starts no section
_ADMONITIONS = frozenset({"note", "tip", "warning", "caution", "important", "admonition", "hint", "attention"})
# a title page's credits set as headings (DocBook's <h3 class="author">): a name, not a section
_CREDITS = frozenset({"author", "editor", "othercredit", "corpauthor", "authorgroup"})


def is_permalink_mark(text: str) -> bool:
    """The text of a heading's permalink: a mark ("¶") or an icon font's glyph (Sphinx themes draw a chain
    link with a private-use character, which a reader would show as a box)."""
    text = text.strip()
    return text in PERMALINK_TEXT or bool(_ICON_GLYPHS.fullmatch(text))


def _is_hidden_or_chrome(el: etree._Element) -> bool:
    """What an element says about itself: a tag, attribute or class that is never main text."""
    tag = el.tag
    if not isinstance(tag, str):
        return True  # comment or processing instruction that survived parsing
    if tag in _SKIPPED_TAGS:
        return True
    if (tag in _HEADINGS or tag == "p") and _labels_its_box(el):
        return True
    attrib = el.attrib
    if not attrib:
        return False
    get = attrib.get
    if tag == "dialog" and get("open") is None:
        return True
    if "hidden" in attrib or get("aria-hidden", "").lower() == "true":
        return True
    style, role, classes, ident = get("style"), get("role"), get("class"), get("id")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if role and role.lower() in _SKIPPED_ROLES:
        return True
    if classes and (not _NAV_CLASSES.isdisjoint(classes.lower().split()) or _BANNER.search(classes)):
        return True
    if ident and (_BANNER.search(ident) or ident.lower() in _CHROME_IDS):
        return True
    if tag == "a" and _is_page_link(el, classes):
        return True
    if tag == "h1" and _is_site_banner(el):
        return True
    if _is_picture_caption(el, classes):
        return True
    if classes and not {"admonition-title", "title"}.isdisjoint(classes.lower().split()) \
            and is_box_label(_text_of(el)) and (tag in _HEADINGS or tag == "p"):
        return True  # Sphinx's <p class="admonition-title">Note</p>, DocBook's <h3 class="title">Warning</h3>
    if tag == "a" and get("href", "").startswith("#"):
        text = _text_of(el).strip()
        return is_permalink_mark(text) or bool(_SKIP_LINK_TEXT.match(text))
    return False


def _labels_its_box(el: etree._Element) -> bool:
    """The label that opens a box set apart by its class ("Warning" of Apache's <div class="warning"><h3>Warning
    </h3>): it was quoted as the first line of the warning."""
    parent = el.getparent()
    classes = parent.get("class") if parent is not None else None
    if not classes or _ADMONITIONS.isdisjoint(classes.lower().split()):
        return False
    first = next(iter(parent.iterchildren(etree.Element)), None)
    return first is el and is_box_label(_text_of(el))


def _is_page_link(link: etree._Element, classes: str | None) -> bool:
    """A link to the previous, next or contents page, marked as one by an arrow or its class (Exim's
    <a class="previous_page">&lt;-previous</a>): a word of a sentence ("see the next chapter") is neither."""
    text = _text_of(link).strip()
    word = _ARROWS.sub("", text).strip(" .:")
    if not (is_navigation_word(word) or word.casefold() == "table of contents"):
        return False
    return bool(_ARROWS.search(text)) or any(_PAGE_LINK_CLASS.match(c) for c in (classes or "").split())


def _is_site_banner(heading: etree._Element) -> bool:
    """A top heading that is one link to another site ("Exim Internet Mailer" -> http://www.exim.org): the
    site's name over every page, not this page's title."""
    links = list(heading.iter("a"))
    return (len(links) == 1 and links[0].get("href", "").startswith(("http://", "https://"))
            and _text_of(links[0]).strip() == _text_of(heading).strip() != "")


_FIGURES = frozenset({"figure", "informalfigure"})


def _is_picture_caption(el: etree._Element, classes: str | None) -> bool:
    """What only describes a picture the text does not hold: DocBook's image box (the image and its
    description, "An image of the Brokerage Account register …") and a figure's label ("Figure 9.36. Example
    Of Cash Dividend Transactions"), which were quoted as answers."""
    if not classes:
        return False
    names = classes.lower().split()
    if "mediaobject" in names:
        return True
    parent = el.getparent()
    return "title" in names and parent is not None and not _FIGURES.isdisjoint(parent.get("class", "").lower().split())


# the page's own date line, as a site prints it under every page: "This page last modified on 2022-04-12 …",
# "Last updated: 3 May 2024"
_PAGE_DATE_LINE = re.compile(r"(?:this (?:page|document|file) (?:was )?|last )(?:last )?(?:modified|updated|edited"
                             r"|changed|revised|generated)\b.{0,60}\b(?:19|20)\d\d\b", re.IGNORECASE)


def is_page_date_line(text: str) -> bool:
    """A short paragraph that only says when the page was last changed: the site's line, not the page's
    text (quoted, it answered a question about what a feature changed). Also in a page saved as Word."""
    text = " ".join(text.split())
    return len(text) <= 120 and bool(_PAGE_DATE_LINE.match(text))


def _titles_a_box(heading: etree._Element) -> bool:
    """Whether a heading is the title of a note, tip or warning box, or an author's name on a title page:
    read as a paragraph, not a section."""
    if not _CREDITS.isdisjoint(heading.get("class", "").lower().split()):
        return True
    return any(not _ADMONITIONS.isdisjoint(classes) or not _CREDITS.isdisjoint(classes)
               for classes in (box.get("class", "").lower().split()
                               for box in heading.iterancestors("div", "aside", "section")))


def _links_within_page(el: etree._Element) -> bool:
    """An <a href="#…">: a link to a part of this page."""
    return el.tag == "a" and (el.get("href") or "").startswith("#")


def _table_of(el: etree._Element) -> etree._Element | None:
    """The innermost table the element stands in."""
    return next(el.iterancestors("table"), None)


def _text_of(el: etree._Element) -> str:
    return "".join(el.itertext())


def _is_internal(href: str) -> bool:
    """A link to a place in this document or a sibling page of the same manual (no scheme, no host)."""
    return not re.match(r"^[a-z][a-z0-9+.\-]*:|^//", href, re.IGNORECASE)


@dataclass(slots=True)
class _Stats:
    """Visible-text measures of a subtree, summed bottom-up once so each decision is O(1)."""

    text: int = 0  # visible characters
    link_text: int = 0  # of those, inside <a href>
    internal_link_text: int = 0
    links: int = 0
    nav_links: int = 0  # links marked rel=next/prev/up/... or with an accesskey
    headings: int = 0
    h1s: int = 0

    def add(self, other: _Stats) -> None:
        self.text += other.text
        self.link_text += other.link_text
        self.internal_link_text += other.internal_link_text
        self.links += other.links
        self.nav_links += other.nav_links
        self.headings += other.headings
        self.h1s += other.h1s


def _visible_length(text: str | None) -> int:
    return len(text.strip()) if text else 0


def _measure(root: etree._Element) -> tuple[dict[etree._Element, _Stats], set[etree._Element]]:
    """Stats for every element that is not itself hidden or chrome, and the set of those that are.
    One walk with a stack of open elements' stats: each element's total is added to its parent's on its end."""
    stats: dict[etree._Element, _Stats] = {}  # keeps the element proxies alive, so they stay stable keys
    chrome: set[etree._Element] = set()
    open_stats: list[_Stats] = [_Stats()]
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            if _is_hidden_or_chrome(el):
                chrome.add(el)
                walker.skip_subtree()
            else:
                open_stats.append(_Stats(text=_visible_length(el.text)))
            continue
        if el not in chrome:
            s = open_stats.pop()
            _count_own(el, s)
            stats[el] = s
            open_stats[-1].add(s)
        open_stats[-1].text += _visible_length(el.tail)
    return stats, chrome


def _count_own(el: etree._Element, s: _Stats) -> None:
    """What an element adds as itself: a link (internal or not, navigation or not) or a heading."""
    tag = el.tag
    if tag == "a" and el.get("href") is not None:
        s.links += 1
        s.link_text = s.text
        s.internal_link_text = s.text if _is_internal(el.get("href", "")) else 0
        rel = set(el.get("rel", "").lower().split())
        if el.get("accesskey") or not rel.isdisjoint(_NAV_REL):
            s.nav_links += 1
    elif tag in _HEADINGS:
        s.headings += 1
        s.h1s += tag == "h1"


def _is_navigation_bar(el: etree._Element, s: _Stats) -> bool:
    """A short block without a heading that links to the previous/next/up pages: two links marked so
    (rel or accesskey), or one that starts "Next:", "Previous:", "Up:" (a single rel="next" link in a
    sentence is content)."""
    if s.headings or s.text > 300 or not s.links:
        return False
    return s.nav_links >= 2 or bool(_NAV_TEXT.match(_text_of(el)[:40])) or _is_link_bar(el, s)


def _is_link_bar(el: etree._Element, s: _Stats) -> bool:
    """Links and nothing between them but separators: a site's menu ("Modules | Directives | FAQ"), a
    breadcrumb ("Apache > HTTP Server > Documentation"), a language switch ("Available Languages: en | fr")."""
    if s.links < LINK_BAR_LINKS or el.tag not in ("p", "div", "nav", "span"):
        return False
    between = _text_of(el)
    for link in el.iter("a"):
        between = between.replace(_text_of(link), " ", 1)
    return joins_links_only(between)


def joins_links_only(between: str) -> bool:
    """What stands between a line's links (each link's text taken out) is separators alone, after the bar's
    label: a menu, a breadcrumb or a language switch, in a web page or in a Word file made from one."""
    between = _BAR_LABEL.sub("", between.strip())
    return bool(_SEPARATOR.search(between)) and not _SEPARATORS.sub("", between)


def is_navigation_text(text: str) -> bool:
    """A navigation line kept as text ("Next: Overview, Previous: Intro, Up: Top [Contents][Index]", as
    pandoc carries texinfo's bar into a Word file): short, opening with "Next:" or the like, naming two
    places to go."""
    lowered = text.casefold()
    places = len(re.findall(r"\b(?:next|previous|prev|up|home)\s*:", lowered)) + ("[contents]" in lowered)
    return len(text) < 300 and bool(_NAV_TEXT.match(text)) and places >= 2


def _holds_code(el: etree._Element) -> bool:
    """A code block, or a box holding one: its names may all link to where they are described (Postfix's
    "smtp_tls_cert_file =" lines, each a link to its manual page), yet it is an example, not a menu."""
    return any(node.tag in _CODE_TAGS for node in el.iter())


def _previous_element(el: etree._Element) -> etree._Element | None:
    """The element sibling before `el`, past any comment between them."""
    previous = el.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    return previous


_ANNOUNCES_A_LIST = re.compile(r"\b(?:the following|as follows|these)\b", re.IGNORECASE)


def _introduced_by_a_sentence(el: etree._Element) -> bool:
    """Whether a list (or the box wrapping only it) comes right after a paragraph ending in a colon: the text
    lists its items ("… along with a configuration command. See:" over Mutt's list of hook names, each a
    link to where it is described), as no table of contents or menu is introduced. A list of links to this
    page's own sections ("#relayhost") is its contents however it is introduced."""
    hrefs = [a.get("href", "") for a in el.iter("a") if a.get("href")]
    if not hrefs or sum(href.startswith("#") for href in hrefs) * 2 >= len(hrefs):
        return False
    if _heads_it(el.getparent()):
        return True
    node = el
    while node is not None:
        previous = _previous_element(node)
        if previous is not None:  # a lead ending in a colon, or one that says what follows ("The following
            # tools can be used to measure …", over Postfix's list of load generators)
            return previous.tag == "p" and (_text_of(previous).rstrip().endswith(":")
                                            or bool(_ANNOUNCES_A_LIST.search(_text_of(previous))))
        parent = node.getparent()
        if parent is None or sum(isinstance(child.tag, str) for child in parent) != 1:
            return False
        node = parent
    return False


_CONTENTS_TITLE = re.compile(r"(?:table of )?contents|on this page|in this (?:section|chapter|page)|navigation|"
                             r"index|menu|related|topics|chapters|sections", re.IGNORECASE)


def _is_a_section_of_links(el: etree._Element) -> bool:
    """A section of its own made of links, under a heading that names no contents (texinfo's "4 See Also"
    over the manuals it points to): the page's text, not a table of contents, which it had been taken for,
    heading and all."""
    hrefs = [a.get("href", "") for a in el.iter("a") if a.get("href")]
    if not hrefs or sum(href.startswith("#") for href in hrefs) * 2 >= len(hrefs):
        return False  # links to this page's own sections are its contents, however they stand
    headings = list(el.iter(*_HEADINGS))
    if headings:  # the section's element: its heading first, and no other
        heading = next(el.iterchildren(etree.Element), None)
        if heading is None or heading.tag not in _HEADINGS or len(headings) != 1:
            return False
    else:  # the section's body, right under its heading
        heading = _previous_element(el)
        if heading is None or heading.tag not in _HEADINGS or heading.tag == "h1":
            return False
    title = re.sub(r"^[\d.\s]+", "", _text_of(heading)).strip()
    return bool(title) and not _CONTENTS_TITLE.match(title)


def _heads_it(item: etree._Element | None) -> bool:
    """Whether a list item says in words of its own what the list nested in it holds ("Authentication
    provider (see the AuthBasicProvider directive)" over Apache's modules, each a link): a contents list's
    item is only a link to its section, over the links to its subsections."""
    if item is None or item.tag != "li":
        return False
    nested = [child for child in item if child.tag in ("ul", "ol", "dl")]
    if not nested:
        return False
    words = len(_text_of(item).split()) - sum(len(_text_of(listing).split()) for listing in nested)
    linked = sum(len(_text_of(a).split()) for a in item.iter("a")
                 if not any(parent in nested for parent in a.iterancestors()))
    return words - linked >= 3


def _is_broken_code(paragraph: etree._Element) -> bool:
    """A paragraph that is one <code> whose lines are broken by <br> (Apache's examples: a terminal session,
    "# htpasswd -c … rbowen<br>New password: …"): a code block, read line by line, not a sentence."""
    children = [child for child in paragraph if isinstance(child.tag, str)]
    if len(children) != 1 or children[0].tag != "code" or (paragraph.text or "").strip() \
            or (children[0].tail or "").strip():
        return False
    return any(br.tag == "br" for br in children[0].iter("br"))


def _is_table_of_contents(s: _Stats, fewest_links: int = 3) -> bool:
    """Mostly links, mostly to anchors of this manual: a table of contents, a menu or an index.
    A block with the page's h1 is the page itself; one with other headings must be links almost only."""
    if s.links < fewest_links or s.h1s or not s.text:
        return False
    density = s.link_text / s.text
    internal = s.internal_link_text / s.link_text if s.link_text else 0.0
    return internal >= 0.8 and density >= (0.9 if s.headings else 0.7)


# ---------------------------------------------------------------- blocks

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "legend", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "listing", "xmp", "plaintext",
})
_CODE_TAGS = frozenset({"pre", "listing", "xmp", "plaintext"})
_BROKEN_CODE = "p/code"  # a paragraph that is one <code> broken into lines by <br> (read as code)
_READ_AS_CODE = _CODE_TAGS | {_BROKEN_CODE}
_LIST_MARK = re.compile(r"[•◦○●▪▫■□‣∙·*–—o-]")  # a cell that is only a list's bullet (groff's ".IP o": an "o")
_BR = "\x00"  # where a <br> broke such a paragraph's line, until the block is written
_CELL_TAGS = frozenset({"td", "th"})
_MAX_QUESTION_CHARS = 300
_ENTRY_NUMBER = re.compile(r"\(\d{1,3}\)\s|\d{1,3}(?:\.\d{1,3})*[.)]\s")  # "(19) …", "4.2. …"
_NUMBER_LABEL = re.compile(r"(?:\d{1,3}\.)+|\d{1,3}\.\d{1,3}|[A-Z]\.(?:\d{1,3}\.)*|Q\d*[.:]?")


def _heading_ids(root: etree._Element) -> frozenset[str]:
    """The ids of the page's headings: on the heading, or on an anchor in it."""
    return frozenset(found for heading in root.iter(*_HEADINGS) for el in heading.iter()
                     if (found := el.get("id") or (el.get("name") if el.tag == "a" else None)))


CONTENTS_ITEMS = 3  # a list of at least this many items, nearly all opening with a link to a heading of the page
CONTENTS_LINKED_ITEMS = 0.8


def _lists_the_headings(el: etree._Element, heading_ids: frozenset[str]) -> bool:
    """A list whose items open with links to the page's own headings: its table of contents, even where the
    items also list, unlinked, the questions each chapter answers (irssi's Startup How-To: "2. Basic user
    interface usage" over "How can I easily switch between windows?"), which a link count misses."""
    if el.tag not in ("ol", "ul") or not heading_ids:
        return False
    items = [li for li in el if li.tag == "li"]

    def opens_with_heading_link(item: etree._Element) -> bool:
        first = next(iter(item), None)
        href = first.get("href") or "" if first is not None and first.tag == "a" else ""
        return not (item.text or "").strip() and href.startswith("#") and href[1:] in heading_ids

    linked = sum(map(opens_with_heading_link, items))
    return len(items) >= CONTENTS_ITEMS and linked >= CONTENTS_LINKED_ITEMS * len(items)


def _is_question_row(row: etree._Element | None) -> bool:
    return row is not None and row.tag == "tr" and "question" in (row.get("class") or "").split()


def _is_question_and_answer_table(table: etree._Element) -> bool:
    """DocBook's FAQ (a qandaset) set as a table: a row for each question, its number and its words, and a
    row for its answer. The questions are the headings of their answers, not rows of a table ("3.1. | How can
    I find exactly one package by name?" had been quoted as one)."""
    return any(_is_question_row(row) for row in table.iter("tr")) \
        and any("answer" in (row.get("class") or "").split() for row in table.iter("tr"))


def _is_layout_table(table: etree._Element, stats: dict[etree._Element, _Stats]) -> bool:
    """A table used to lay out blocks (DocBook's Tip/Note boxes, old page layouts), not to hold data:
    no row has two cells with text, or a cell holds a heading or another table."""
    if table.get("role", "").lower() in ("presentation", "none"):
        return True
    if "option-list" in table.get("class", "").split():
        return True  # docutils sets a program's options out as a table: each option over its description
    if stats[table].headings or table.xpath(".//table"):
        return True
    for row in table.iter("tr"):
        cells_with_text = [c for c in row if c.tag in _CELL_TAGS and c in stats and stats[c].text]
        if len(cells_with_text) >= 2:
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Pending:
    kind: BlockKind
    text: str
    level: int
    numbering: str
    anchor: str


def _without_site_banner(out: list[_Pending | None], title: str) -> list[_Pending | None]:
    """A page's banner above its first heading that is the site's part of its <title> ("Apache HTTP Server
    Version 2.4" on a page titled "Authentication and Authorization - Apache HTTP Server Version 2.4", whose
    heading is the other part): the site's name, not a word of the page (it was quoted as an answer)."""
    parts = title_parts(title)
    first = next((i for i, p in enumerate(out) if p is not None and p.kind == "heading"), None)
    if len(parts) < 2 or first is None:
        return out
    heading = words_of(out[first].text)
    # the heading is one part, or the first parts together ("ab - Apache HTTP server benchmarking tool" of "ab -
    # Apache HTTP server benchmarking tool - Apache HTTP Server Version 2.4")
    covered = next((k for k in range(1, len(parts)) if " ".join(parts[:k]) == heading), None)
    if heading in parts:
        site = set(parts) - {heading}
    elif covered is not None:
        site = set(parts[covered:])
    else:
        return out
    return [p for i, p in enumerate(out)
            if not (i < first and p is not None and p.kind == "paragraph" and words_of(p.text) in site)]


def _build(out: list[_Pending | None]) -> TextBuilder:
    """Write the blocks, leaving out a heading whose only content was a table of contents or an index we
    left out ("Table of Contents", "Index"): such a heading ends where the next heading of its level begins."""
    builder = TextBuilder()
    previous: _Pending | None = None
    for i, block in enumerate(out):
        if block is None or (block.kind == "heading" and _heads_only_a_listing(out, i, block.level)):
            continue
        if previous and repeats_heading(previous.kind, previous.text, block.kind, block.text):
            if not builder.blocks[-1].anchor:  # texinfo's banner h1 has no id, the top node's h1 has
                builder.blocks[-1] = replace(builder.blocks[-1], anchor=block.anchor)
            continue
        builder.add(block.kind, block.text, level=block.level, numbering=block.numbering, anchor=block.anchor)
        previous = block
    return builder


def repeats_heading(previous_kind: str, previous_text: str, kind: str, text: str) -> bool:
    """The same heading twice in a row (a page's banner title and its first heading, pandoc's Title and
    Heading 1): the second adds nothing to quote."""
    return kind == previous_kind == "heading" and text == previous_text


def _heads_only_a_listing(out: list[_Pending | None], i: int, level: int) -> bool:
    j = i + 1
    if j >= len(out) or out[j] is not None:
        return False
    while j < len(out) and out[j] is None:
        j += 1
    following = out[j] if j < len(out) else None
    return following is None or (following.kind == "heading" and following.level <= level)


def _is_bold_question(el: etree._Element) -> bool:
    """A paragraph whose only text is one bold question (empty anchors beside it are fine), or one bold
    numbered entry over its answer set apart ("(19) INSERT is really slow - …" over a <blockquote>: SQLite's
    FAQ, whose questions are not all written as questions)."""
    if (el.text or "").strip() or any((child.tail or "").strip() for child in el):
        return False
    bold = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("b", "strong"):
            bold.append(child)
        elif child.tag != "a" or "".join(child.itertext()).strip():
            return False
    text = " ".join("".join(bold[0].itertext()).split()) if len(bold) == 1 else ""
    if len(text) > _MAX_QUESTION_CHARS:
        return False
    following = el.getnext()
    return (text.endswith("?") and not _inside_a_described_term(el)) or (
        bool(_ENTRY_NUMBER.match(text)) and following is not None and following.tag in ("blockquote", "dd"))


_MARGIN_LEFT = re.compile(r"margin-left\s*:\s*([\d.]+)")


def _margin(el: etree._Element) -> float | None:
    found = _MARGIN_LEFT.search(el.get("style") or "")
    return float(found.group(1)) if found else None


def _inside_a_described_term(el: etree._Element) -> bool:
    """Whether the paragraph is set in as the description of a bold term above it, as groff writes a manual
    page's entries to HTML (the term at 11%, its description at 17%): collectd.conf(5)'s aside "<b>Or is
    it?</b>" in an option's description is no question heading the sections after it."""
    margin = _margin(el)
    if margin is None:
        return False
    for before in el.itersiblings(preceding=True):
        other = _margin(before)
        if other is None or other == margin:
            continue
        term = _first_but_anchors(before)
        return other < margin and term is not None and term.tag in ("b", "strong") and not (before.text or "").strip()
    return False


def _classes(el: etree._Element | None) -> set[str]:
    return set((el.get("class") or "").lower().split()) if el is not None else set()


def _is_entry_question(el: etree._Element) -> bool:
    """The paragraph of a question in DocBook's question-and-answer set as its stylesheets write one to HTML
    ('<div class="QANDAENTRY"><div class="QUESTION"><p><a name="AEN413"></a><b>13. </b>Slow logins</p>'): a
    heading, though it is not written as a question. Its answer, the next <div>, is its section."""
    parent = el.getparent()
    return "question" in _classes(parent) and "qandaentry" in _classes(parent.getparent()) \
        and next(iter(parent.iterchildren("p")), None) is el \
        and len(" ".join(_text_of(el).split())) <= _MAX_QUESTION_CHARS


def _ends_a_bold_title(br: etree._Element) -> bool:
    """Whether this <br> ends a paragraph's opening bold run, a short title with text after it: groff sets a
    manual page's subsection title so ("<p><b>Micro-CA Options</b> <br> -CA …", "<b>Default Dependencies</b>
    <br> The following …"), where it had run into the first sentence."""
    parent = br.getparent()
    if parent is not None and parent.tag in ("b", "strong"):  # "<b>Micro-CA Options <br> -CA</b>": inside it
        bold, paragraph = parent, parent.getparent()
        preceding = reversed(list(br.itersiblings(preceding=True)))  # (nearest first, as lxml gives them)
        before = [parent.text or ""] + [_text_of(child) + (child.tail or "") for child in preceding]
        title = " ".join("".join(before).split())
    else:
        bold, paragraph = br.getprevious(), parent
        if bold is None or (bold.tail or "").strip():
            return False
        title = " ".join(_text_of(bold).split())
    if paragraph is None or bold.tag not in ("b", "strong") or bold is not _first_but_anchors(paragraph):
        return False
    while paragraph.tag in _STYLE_WRAPPERS and not (paragraph.text or "").strip():
        # groff wraps a whole paragraph in its styles: "<p><big><font color=…><b>Pre-shared-key based SSL/TLS
        # Support</b> <br> The following options …": the title opens the paragraph all the same
        outer = paragraph.getparent()
        if outer is None or _first_but_anchors(outer) is not paragraph:
            return False
        paragraph = outer
    if paragraph.tag != "p" or (paragraph.text or "").strip():
        return False
    if bold is parent:  # and text follows the bold run: "<b>System clock <br> tracking</b>" is one title
        after = bool((bold.tail or "").strip()) or any(_text_of(sibling).strip() for sibling in bold.itersiblings())
    else:
        after = bool((br.tail or "").strip()) or any(_text_of(sibling).strip() for sibling in br.itersiblings())
    # (a box's label, "<b>Important</b> <br> …", labels the box: it heads no section)
    return bool(title) and bool(after) and len(title.split()) <= _MAX_BOLD_TITLE_WORDS \
        and not title.endswith((".", ",", ";", ":")) and not is_box_label(title)


_MAX_BOLD_TITLE_WORDS = 8
_QUESTION_LABEL = re.compile(r"(?:Question|Q)\s*[:.]\s", re.IGNORECASE)
_ANSWER_LABEL = re.compile(r"\s*(?:Answer|A)\s*[:.]", re.IGNORECASE)
_INLINE_AROUND = frozenset({"a", "font", "span", "b", "strong", "i", "em"})  # inside a paragraph, around a <br>
_STYLE_WRAPPERS = frozenset({"font", "big", "small", "span"})  # around a whole paragraph's words


def _ends_a_question(br: etree._Element) -> bool:
    """Whether this <br> ends the question of a paragraph labelled "Question: …? <br> Answer: …" (ProFTPD's
    how-tos answer their own FAQ so, a paragraph an entry, often inside an anchor left open): the question
    heads its answer."""
    paragraph = next((a for a in br.iterancestors() if a.tag not in _INLINE_AROUND), None)
    if paragraph is None or paragraph.tag != "p" or any(a.tag in _INSIDE_AN_ENTRY for a in paragraph.iterancestors()):
        return False
    before, after, seen = [], [], False
    for event, node in etree.iterwalk(paragraph, events=("start", "end")):
        if not seen and node.tag in _BLOCK_TAGS and node is not paragraph:
            return False  # a question that shows output (a <pre>) in the middle is written before its heading
        if event == "start" and node is not br:
            (after if seen else before).append(node.text or "")
        elif event == "end" and node is not paragraph:
            seen = seen or node is br
            (after if seen else before).append(node.tail or "")
    question = " ".join("".join(before).split())
    return seen and bool(_QUESTION_LABEL.match(question)) and len(question) <= _MAX_QUESTION_CHARS \
        and bool(_ANSWER_LABEL.match("".join(after)))



def _is_bold_line(el: etree._Element) -> bool:
    """A paragraph that is only a short bold title and a line break after it, and empty anchors ("<p><a
    name="FAQ"></a><b>Frequently Asked Questions</b><br>"): a heading over what follows, as when text follows
    the break in the same paragraph (_ends_a_bold_title). Not inside an entry, a list or a table."""
    if (el.text or "").strip() or any(a.tag in _INSIDE_AN_ENTRY for a in el.iterancestors()):
        return False
    bold = _first_but_anchors(el)
    if bold is None or bold.tag not in ("b", "strong") or (bold.tail or "").strip():
        return False
    rest = list(bold.itersiblings())  # the break itself: a bold paragraph alone is often a caption or a label
    if len(rest) != 1 or rest[0].tag != "br" or (rest[0].tail or "").strip():
        return False
    title = " ".join(_text_of(bold).split())
    return bool(title) and len(title.split()) <= _MAX_BOLD_TITLE_WORDS and not title.endswith((".", ",", ";", ":"))


def _first_but_anchors(paragraph: etree._Element) -> etree._Element | None:
    """The paragraph's first child past the empty anchors that open it ("<p><a name="SystemLog"></a> <b>SystemLog
    </b><br>", ProFTPD's how-tos), None where text stands before it."""
    for child in paragraph:
        if child.tag == "a" and not _text_of(child).strip() and not (child.tail or "").strip():
            continue
        return child
    return None


_INSIDE_AN_ENTRY = frozenset({"dd", "dt", "li", "td", "th", "blockquote", "table"})
_CAPITALS_TITLE = re.compile(r"[A-Z][A-Z0-9]*(?:[ /&-][A-Z0-9]+){0,5}")


def _is_capitals_title(el: etree._Element) -> bool:
    """A paragraph that is one bold run of capitals ("<p><b>DESCRIPTION</b></p>"): a manual page's section
    title as groff writes it to HTML, where no <h2> marks it. Inside an entry, a list or a table it is a label
    ("<dd><p><strong>DEPRECATED</strong></p>", Sphinx's)."""
    if (el.text or "").strip() or len(el) != 1 or not isinstance(el[0].tag, str) or el[0].tag not in ("b", "strong") \
            or (el[0].tail or "").strip() or len(el[0]) or any(a.tag in _INSIDE_AN_ENTRY for a in el.iterancestors()):
        return False
    return bool(_CAPITALS_TITLE.fullmatch(" ".join((el[0].text or "").split())))


_A_WORD = re.compile(r"[^\W\d_]{2,}")


CONTENTS_LINKED_SHARE = 0.9  # lines that are nearly all links to the page's own parts are its contents
LINES_AS_ENTRIES = 5  # a paragraph broken by <br> into this many short lines or more is a list, a line an entry
_MAX_ENTRY_WORDS = 16
_MAX_TERM_WORDS = 5  # a term groff sets after a <br> at a paragraph's end ("verbosity: <number>")


def _ends_with_next_term(lines: list[str]) -> bool:
    """Whether a paragraph's last <br> line is a term of its own after finished sentences: a short line
    ("verbosity: <number>") after one that ends a sentence, in a paragraph of a few lines."""
    filled = [line for line in lines if line]
    return 2 <= len(filled) < LINES_AS_ENTRIES and bool(lines[-1]) and len(lines[-1].split()) <= _MAX_TERM_WORDS \
        and filled[-2].endswith((".", "!", "?")) and len(filled[-2].split()) >= 3 \
        and not lines[-1].endswith((".", "!", "?"))


def _reads_as_lines(lines: list[str]) -> bool:
    """Whether a paragraph's <br> lines are entries of their own (groff's option summary, "--quiet, -q
    suppress non-error messages <br> --no-motd suppress daemon-mode MOTD <br> …"), not a hard-wrapped
    sentence: many lines, each short, most not going on into the next."""
    filled = [line for line in lines if line]
    if len(filled) < LINES_AS_ENTRIES or any(len(line.split()) > _MAX_ENTRY_WORDS for line in filled):
        return False
    going_on = sum(1 for line, after in zip(filled, filled[1:], strict=False)
                   if after[0].islower() and not line.endswith((".", ":", ";")))
    return going_on <= len(filled) // 4


def _item_number(item: etree._Element) -> str:
    """An ordered list's number for the item, as a browser shows it ("3.", "b."; "" in a bulleted list): the
    steps of a procedure are told apart by them ("Repeat step 2")."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol" or any(
            "footnote" in (box.get("class") or "") or (box.get("role") or "") in ("doc-endnotes", "doc-footnotes")
            for box in item.iterancestors()):
        return ""  # a page's list of footnotes: each note is read where it is referenced, its number a mark
    number = _integer(item.get("value"))
    if number is None:
        start = _integer(parent.get("start"))
        number = (1 if start is None else start) + sum(1 for _ in item.itersiblings("li", preceding=True))
    kind = parent.get("type") or ""
    if kind in ("a", "A") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return f"{letter.upper() if kind == 'A' else letter}."
    return f"{number}."


def _integer(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _is_question_term(el: etree._Element) -> bool:
    """A definition list's term that is a question over its answer (AsciiDoc's "Question?::" entries, as in
    Git's FAQ, Cyrus's "Q: …" terms): the entry's heading, so the answer is quoted under it and the question
    never as an answer."""
    text = " ".join(_text_of(el).split())
    following = el.getnext()
    # a question has words: the pattern character "?" in a manual's list of them is a term, not a question; one
    # labelled "Q:" may say more after its question mark ("Q: Why can't I delete …? I'm using a trash folder.")
    asks = text.endswith("?") or (_QUESTION_LABEL.match(text) is not None and "?" in text)
    return asks and len(text) <= _MAX_QUESTION_CHARS and following is not None \
        and following.tag == "dd" and _A_WORD.search(text) is not None


def _follows_cell(el: etree._Element) -> bool:
    previous = el.getprevious()
    return previous is not None and previous.tag in _CELL_TAGS


def _opens_a_cell_after_one(el: etree._Element) -> bool:
    """The first element of a cell that follows another ("<td><p>How can I …?</p></td>" after the number's)."""
    parent = el.getparent()
    return parent is not None and parent.tag in _CELL_TAGS and el.getprevious() is None and _follows_cell(parent)


def _follows_code(el: etree._Element) -> bool:
    """Whether the element comes right after a <code> sibling, with only white space between them."""
    previous = _previous_element(el)
    return previous is not None and previous.tag == "code" and not (previous.tail or "").strip()


class _BlockWriter:
    """Walks the tree once in document order and writes blocks to a TextBuilder.

    Inline text collects in a buffer; the start or end of any block-level element ends the buffer as one
    block, whose kind comes from the innermost heading, <pre> or <li> around it. A data table's row
    collects its cells instead and ends as one "table_row"."""

    def __init__(self, stats: dict[etree._Element, _Stats], chrome: set[etree._Element],
                 manual_page: bool = False) -> None:
        self.out: list[_Pending | None] = []  # None marks where a table of contents or index was left out
        self.stats = stats
        self.manual_page = manual_page  # written by groff -Thtml: its two-cell rows are mostly tagged paragraphs
        self.spacers: dict[etree._Element, frozenset[int]] = {}  # a table -> its columns empty in every row
        self.chrome = chrome
        self.open_blocks: list[str] = []  # tags of the block-level elements we are inside
        self.buffer: list[str] = []
        self.buffer_has_text = False
        self.row: list[list[str]] | None = None  # cells of the data-table row being read (never nested:
        # a table holding a table is a layout table)
        self.layout_tables: set[etree._Element] = set()
        self.item_number = ""  # an ordered list's "3." for the item being opened, until its first words
        self.bulleted: dict[etree._Element, bool] = {}  # tables that set a bulleted list (_is_bulleted)
        self.last_id = ""  # the latest id (or <a name>) passed in document order
        self.pending_id = ""  # the first id passed since the last block began: the next block's own
        self.trailing_id = ""  # an empty anchor after the text of the block being read (see _note_id)
        self.in_local_link = 0  # inside <a href="#…">: a link to a part of this page
        self.linked_chars = 0  # of the block being read, the characters inside such links
        self.block_anchor = ""
        self.block_anchor_own = False  # the anchor is the block's (an id at or in it), not one passed before
        self.notes = _Notes()
        self.listings: set[etree._Element] = set()  # tables of contents and indexes left out
        self.section_level = 0  # the level of the last <h1>-<h6> met
        self.question_levels: dict[etree._Element, int] = {}  # a DocBook question set's -> its questions' level
        self.last_id_level = 0  # the level of the part the last id names
        self.code_anchors: list[tuple[int, str]] = []  # (line, id) of ids met inside the <pre> being read
        self.title_level = 0  # the level of the title a <br> ends (see _ends_a_bold_title), while it is written
        self.outer_level = 0  # the level of the last heading written that such a title stands under
        self.heading_ids: frozenset[str] = frozenset()  # the ids that name the page's headings

    def write(self, root: etree._Element, title: str = "") -> TextBuilder:
        self.notes = _footnotes(root)
        self.heading_ids = _heading_ids(root)
        self._walk(root)
        # a note whose every reference was left out (in a navigation bar): kept, at the end
        self.notes.waiting += [el for el in root.iter() if el in self.notes.placed]
        self._write_notes()
        self._flush()
        return _build(_without_site_banner(self.out, title))

    def _walk(self, top: etree._Element) -> None:
        skipped: set[etree._Element] = set()
        walker = etree.iterwalk(top, events=("start", "end"))
        for event, el in walker:
            if not isinstance(el.tag, str):
                continue
            if event == "start":
                # a note is written where it is referenced; a label apart from it (docutils' <dt>) is a number
                if (el in self.notes.placed and el is not top) or el in self.notes.labels:
                    skipped.add(el)
                    walker.skip_subtree()
                    continue
                if el.tag in _HEADINGS and not _titles_a_box(el):
                    self._write_notes()  # the notes referenced in a section end it, before the next heading
                note = self.notes.by_reference.get(el)
                if note is not None and note not in self.notes.written:
                    self.notes.waiting.append(note)
                if self._is_bare_note_mark(el, note):
                    skipped.add(el)
                    walker.skip_subtree()
                    continue
                if self._is_left_out(el):
                    skipped.add(el)
                    walker.skip_subtree()
                    if el.tag in _BLOCK_TAGS:
                        self._break_block()  # text on either side of a hidden block is two blocks
                    if self._is_listing(el):
                        self.listings.add(el)
                        self._flush()
                        self.out.append(None)
                    continue
                self._start(el)
            else:
                if el not in skipped:
                    self._end(el)
                if el.tail and el is not top:
                    self._add_text(el.tail)

    def _is_bare_note_mark(self, el: etree._Element, note: etree._Element | None) -> bool:
        """A footnote's bare number, left out of the text: the reference in a sentence ("split into areas
        1 based on"), which would be quoted as a word of it, and the note's own label. The note itself is
        written after the section that references it. A mark in brackets ("[1]") reads as one and stays."""
        if note is not None:  # the reference: unless the page sets it in brackets of its own
            return _bare_mark(el) and not "".join(self.buffer).endswith("[") \
                and not (el.tail or "").startswith("]")
        classes = set(el.get("class", "").split())
        in_a_note = any(a in self.notes.placed for a in el.iterancestors())
        if "fn-bracket" in classes:  # Sphinx sets the label's brackets apart: left alone they would read "[]"
            label = el.getparent()
            marks = [c for c in label if "fn-bracket" not in c.get("class", "").split()] if label is not None else []
            return in_a_note and bool(marks) and all(self._is_bare_note_mark(c, None) for c in marks)
        return bool(classes & {"label", "fn-backref", "footnote-backref", "footnote-back"}
                    or el.get("role") == "doc-backlink") and _bare_mark(el) and in_a_note

    def _write_notes(self) -> None:
        """The footnotes referenced since the last heading, as blocks of their own in this section. They are
        text moved here: the ids passed before them (the next section's) are still to come after them."""
        passed = self.pending_id, self.last_id
        self.pending_id = ""
        self._write_waiting_notes()
        self.pending_id, self.last_id = passed

    def _write_waiting_notes(self) -> None:
        while self.notes.waiting:
            note = self.notes.waiting.pop(0)
            if note in self.notes.written:
                continue
            self.notes.written.add(note)
            self._flush()
            self._walk(note)
            self._flush()

    def _is_left_out(self, el: etree._Element) -> bool:
        if el in self.chrome or (el.tag == "p" and is_page_date_line(_text_of(el))):
            return True
        s = self.stats.get(el)
        if s is None or el.tag in _NEVER_DROPPED:
            return False
        if _is_navigation_bar(el, s) or (_is_table_of_contents(s) and not _introduced_by_a_sentence(el)
                                         and not _holds_code(el) and not _heads_it(el)
                                         and not _is_a_section_of_links(el)):
            return True
        if _lists_the_headings(el, self.heading_ids):
            return True
        # a contents split into one short list per chapter (DocBook's FAQ): a list of one or two links to
        # this page, right after such a list, is the contents' last chapter
        previous = el.getprevious()
        return previous is not None and previous.tag == el.tag and previous in self.listings \
            and _is_table_of_contents(s, fewest_links=1)

    def _is_listing(self, el: etree._Element) -> bool:
        """A table of contents or index (by class or by its links), as against a hidden or navigation element."""
        s = self.stats.get(el)
        if _lists_the_headings(el, self.heading_ids):
            return True
        if s is not None:
            return _is_table_of_contents(s) and not _is_navigation_bar(el, s)
        classes = set(el.get("class", "").lower().split())
        return not classes.isdisjoint({"toc", "contents", "shortcontents", "section-toc"})

    def _break_block(self) -> None:
        """A block boundary: ends the buffered block, or inside a table cell keeps words apart. Inside a <pre>
        it is none: a hidden menu there (HAProxy's keyword links) stood mid-sentence."""
        if self._in_code():
            return
        if self.row is None:
            self._flush()
        else:
            self._add_text(" ")

    def _start(self, el: etree._Element) -> None:
        tag = el.tag
        if _links_within_page(el):
            self.in_local_link += 1
        if tag in _BLOCK_TAGS:
            if self.row is not None and tag in _CELL_TAGS and self.open_blocks[-1:] == ["tr"]:
                self.row.append([])
            elif (tag in _CELL_TAGS and _follows_cell(el) or _opens_a_cell_after_one(el)) and self._number_waiting():
                self._add_text(" ")  # the numbered cell goes on the number's line
            else:
                self._break_block()
            self.open_blocks.append(self._block_tag(el))
            opened = self.open_blocks[-1]
            if opened in _HEADINGS and self.pending_id:
                self.last_id_level = int(opened[1])  # the id of the box it opens ("<section id=…><h2>") is its
            elif opened in _HEADINGS and self.last_id_level >= int(opened[1]):
                # a heading without an id of its own, level with or above the part the last id named, starts
                # a part no id names (an id of the section it opens under, "server_cert_key", still does)
                self.last_id = ""
        self._note_id(el.get("id") or (el.get("name") if tag == "a" else None),
                      empty=tag == "a" and not "".join(el.itertext()).strip())
        if tag == "table" and (_is_layout_table(el, self.stats) or _is_question_and_answer_table(el)):
            self.layout_tables.add(el)
        elif tag == "tr" and self.row is None and not self._in_layout_table(el):
            self.row = []
        elif tag == "br" and self.row is None and (_ends_a_bold_title(el) or _ends_a_question(el)):
            self.title_level = min(6, self.outer_level + 1)  # groff's "<p><b>Implicit Dependencies</b> <br>
            self._flush()  # The following …": a subsection's title (.SS) over its first paragraph
        elif tag == "br":
            self._add_text("\n" if self._in_code() and not self._in_broken_code() else _BR)
        elif tag == "sup" and is_exponent(_text_of(el)) and "".join(self.buffer)[-1:].isdigit():
            self._add_text("^")  # "2<sup>48</sup>" is 2^48, not 248
        elif tag == "li" and self.row is None and not self._in_code():
            self.item_number = _item_number(el)  # written before the item's first words (maybe in a <p>)
        elif tag == "code" and self._in_code() and _follows_code(el) and "".join(self.buffer)[-1:] != "\n":
            # one <pre> holding two listings side by side (a page's CommonJS / ES module toggle): one a line
            self._add_text("\n")
        if el.text:
            self._add_text(el.text)

    def _block_tag(self, el: etree._Element) -> str:
        """The tag a block is read as: a box's title heading is a paragraph (it labels the box); a paragraph
        that is one bold question, or a definition list's term that is one, is a heading one level under the
        last ("<p><b>(12) I deleted a lot of data but the file did not get smaller. Is this a bug?</b></p>",
        an FAQ's question)."""
        tag = el.tag
        if tag in _HEADINGS:
            if _titles_a_box(el):
                return "p"
            self.section_level = int(tag[1])
        elif tag == "p" and _is_entry_question(el):
            # every question of the set one level under the heading over the set, not under a heading inside the
            # answer before it (ProFTPD's FAQ sets "Mirror sites" as an <h3> in an answer)
            entries = next((a for a in el.iterancestors("div") if "qandaset" in _classes(a)), el.getparent())
            return f"h{self.question_levels.setdefault(entries, min(6, self.section_level + 1))}"
        elif (tag == "p" and (_is_bold_question(el) or _is_capitals_title(el) or _is_bold_line(el))) \
                or (tag == "dt" and _is_question_term(el)) \
                or (tag == "td" and "option-group" in el.get("class", "").split()):
            return f"h{min(6, self.section_level + 1)}"
        elif tag == "p" and _is_broken_code(el):
            return _BROKEN_CODE
        elif tag in _CELL_TAGS and _is_question_row(el.getparent()):
            return f"h{min(6, self.section_level + 1)}"  # DocBook's FAQ: "3.1." | "How can I find …?"
        return tag

    def _end(self, el: etree._Element) -> None:
        tag = el.tag
        if _links_within_page(el):
            self.in_local_link -= 1
        if tag == "tr" and self.row is not None and not self._in_layout_table(el):
            self._write_row(el)
        if tag == "li":
            self.item_number = ""  # an item with no words of its own (only a picture) numbers nothing after it
        if tag in _BLOCK_TAGS:
            if self.row is None and not self._numbers_the_next_cell(el):
                self._flush()
            if self.open_blocks:
                self.open_blocks.pop()

    def _numbers_the_next_cell(self, el: etree._Element) -> bool:
        """A layout table's cell holding only a number ("1.1.") before the cell it numbers (DocBook's
        FAQ: the question's number, then the question): the two read as one line."""
        cell = el
        if el.tag not in _CELL_TAGS and el.getnext() is None and el.getparent() is not None:
            cell = el.getparent()  # the number's own paragraph, last in its cell ("<td><p><strong>3.1.</strong></p>")
        following = cell.getnext()
        return cell.tag in _CELL_TAGS and following is not None and following.tag in _CELL_TAGS \
            and self._number_waiting()

    def _number_waiting(self) -> bool:
        return bool(_NUMBER_LABEL.fullmatch("".join(self.buffer).replace(_BR, " ").strip()))

    def _spacer_columns(self, table: etree._Element | None) -> frozenset[int]:
        """The columns of a table empty in every row: groff's indents and gutters, not a data column left
        blank in some rows (a feature table's "PGS |  |  |  | X")."""
        if table is None:
            return frozenset()
        if table not in self.spacers:
            rows = [[cell for cell in tr if cell.tag in _CELL_TAGS]
                    for tr in table.iter("tr") if _table_of(tr) is table]
            width = max((len(cells) for cells in rows), default=0)
            self.spacers[table] = frozenset(
                i for i in range(width) if all(i >= len(cells) or not _text_of(cells[i]).strip() for cells in rows))
        return self.spacers[table]

    def _is_bulleted(self, table: etree._Element | None) -> bool:
        """A table that sets a bulleted list: no header cells, and every row's first text only a bullet.
        A table of keys (Mutt's "o | change the current sort method", "* | message is tagged") has other
        keys in that column, and its "o" is a key."""
        if table is None:
            return False
        if table not in self.bulleted:
            rows = [[text for cell in tr if cell.tag in _CELL_TAGS if (text := _text_of(cell).strip())]
                    for tr in table.iter("tr") if _table_of(tr) is table]
            self.bulleted[table] = table.find(".//th") is None and all(
                _LIST_MARK.fullmatch(cells[0]) for cells in rows if cells)
        return self.bulleted[table]

    def _in_layout_table(self, row: etree._Element) -> bool:
        table = _table_of(row)
        return table is None or table in self.layout_tables

    def _note_id(self, anchor: str | None, empty: bool = False) -> None:
        if not anchor:
            return
        if empty and self.buffer_has_text and not self._in_code():
            # an empty anchor after a paragraph's text (man2html's '… reasons. <a name="lbBN">&nbsp;</a>
            # <h3>Appending …') names what comes next, unless more of this block's text follows it
            self.trailing_id = anchor
            return
        self.last_id = anchor
        if self.buffer_has_text and self._in_code():
            self.code_anchors.append(("".join(self.buffer).count("\n"), anchor))
        # what the id names: a heading, at its level; anything else, a part under the last heading
        levels = [int(tag[1]) for tag in self.open_blocks if tag in _HEADINGS]
        self.last_id_level = levels[-1] if levels else self.section_level + 1
        if not self.buffer_has_text and not self.pending_id:
            self.pending_id = anchor
        elif self.buffer_has_text and not self.block_anchor_own:
            # an id inside the block (SQLite's lock table names its row after the row's first cell) links to
            # it better than one passed before it, which may stand in another section
            self.block_anchor, self.block_anchor_own = anchor, True

    def _add_text(self, text: str) -> None:
        text = text.translate(INVISIBLE)
        if self.in_local_link:
            self.linked_chars += len("".join(text.split()))
        if self.row is not None:
            if not self.row:
                return  # white space between <tr> and its first cell
            self.row[-1].append(text)
        else:
            if self.item_number and text.strip():
                text = f"{self.item_number} {text.lstrip()}"
                self.item_number = ""
            self.buffer.append(text)
        if self.trailing_id and self.buffer_has_text and text.strip():
            self._note_id(self.trailing_id)  # the block went on after it: an id inside the block
            self.trailing_id = ""
        if not self.buffer_has_text and text.strip():
            self.buffer_has_text = True
            self.block_anchor = self.pending_id or self.last_id
            self.block_anchor_own = bool(self.pending_id)
            self.pending_id = ""

    def _in_code(self) -> bool:
        return any(tag in _READ_AS_CODE for tag in self.open_blocks)

    def _in_broken_code(self) -> bool:
        return self.open_blocks[-1:] == [_BROKEN_CODE]

    def _kind_and_level(self) -> tuple[BlockKind, int]:
        """What the innermost heading, <pre> or <li> around the buffered text makes of it."""
        if self.title_level:
            return "heading", self.title_level
        for tag in reversed(self.open_blocks):
            if tag in _HEADINGS:
                return "heading", int(tag[1])
            if tag in _READ_AS_CODE:
                return "code", 0
            if tag == "li":
                return "list_item", self.open_blocks.count("li")
        return "paragraph", 0

    def _flush(self) -> None:
        if self.buffer_has_text:
            kind, level = self._kind_and_level()
            raw = "".join(self.buffer)
            if kind == "code" and self._in_broken_code():
                # its lines are where the <br>s are; the source's own line breaks are only layout
                text = "\n".join(" ".join(line.split()) for line in raw.split(_BR) if line.strip())
            elif kind == "code":
                text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").split("\n"))
                if reads_as_prose(text):
                    self._write_prose(text)
                    text = ""
            else:
                lines = [" ".join(line.split()) for line in raw.split(_BR)]
                if kind == "paragraph" and _ends_with_next_term(lines):
                    # groff sets the next entry's term in the paragraph before it, after a <br>: "These options
                    # are part of the server: clause. <br> verbosity: <number>"
                    self.out.append(_Pending("paragraph", " ".join(filter(None, lines[:-1])), level, "",
                                             self.block_anchor))
                    lines = lines[-1:]
                if kind == "paragraph" and len(list(filter(None, lines))) >= 2 and reads_as_code(lines):
                    # a configuration example groff sets line by line ("DEVICE /dev/hda* <br> DEVICE partitions")
                    self.out.append(_Pending("code", "\n".join(filter(None, lines)), 0, "", self.block_anchor))
                    lines = []
                if kind == "paragraph" and _reads_as_lines(lines):
                    # lines that are links to this page's parts are its contents (groff's "NAME <br> SYNOPSIS …")
                    visible = len("".join(raw.replace(_BR, " ").split()))
                    contents = self.linked_chars >= CONTENTS_LINKED_SHARE * visible
                    for line in filter(None, [] if contents else lines):
                        self.out.append(_Pending("list_item", line, 0, "", self.block_anchor))
                    lines = []
                text = " ".join(filter(None, lines))
            numbering = heading_numbering(text) if kind == "heading" else ""
            if kind == "heading" and not self.title_level:
                self.outer_level = level
            if text:
                self.out.append(_Pending(kind, text, level, numbering, self.block_anchor))
        self._clear_buffer()
        self.code_anchors = []
        self.title_level = 0
        if self.trailing_id:
            self._note_id(self.trailing_id)  # the next block's own
            self.trailing_id = ""

    def _write_prose(self, text: str) -> None:
        """A <pre> of prose (see reads_as_prose) read as the plain-text reader reads a file: its headings,
        paragraphs, lists and examples as blocks, each linked to the last id set before it in the <pre>."""
        for block in find_blocks(text):
            piece = text[block.start:block.end]
            line = text.count("\n", 0, block.start)
            anchor = next((a for at, a in reversed(self.code_anchors) if at <= line), self.block_anchor)
            if block.kind == "heading":
                title = text_heading_of(text, block)
                self.out.append(_Pending("heading", title, min(6, self.section_level + block.level),
                                         heading_numbering(title), anchor))
            elif block.kind in ("paragraph", "list_item"):
                self.out.append(_Pending(block.kind, " ".join(piece.split()), block.level, "", anchor))
            else:
                self.out.append(_Pending(block.kind, piece, 0, "", anchor))

    def _write_row(self, row: etree._Element) -> None:
        cells = [" ".join("".join(cell).replace(_BR, " ").split()) for cell in self.row or []]
        spacers = self._spacer_columns(_table_of(row))
        cells = [cell for i, cell in enumerate(cells) if i not in spacers]
        filled = [cell for cell in cells if cell]
        if len(filled) == 2 and _LIST_MARK.fullmatch(filled[0]) and self._is_bulleted(_table_of(row)):
            # groff sets each item of a bulleted list (.IP \(bu) as a row: a spacer, the bullet, a spacer, the
            # item's text ("○ |  | -D DICT: use DICT as Dictionary …"): an item of a list
            self.out.append(_Pending("list_item", filled[1], 1, "", self.block_anchor))
        elif self.manual_page and len(filled) == 2 and _is_tag(filled[0]) and len(filled[1].split()) >= 2:
            # a tag short enough to share its line with its text (.TP "flush   Valid values are none, …"): the
            # setting or option and what it does, one paragraph, as a longer tag over its text is
            self.out.append(_Pending("paragraph", f"{filled[0]} {filled[1]}", 0, "", self.block_anchor))
        elif text := row_text(cells):
            self.out.append(_Pending("table_row", text, 0, "", self.block_anchor))
        self.row = None
        self._clear_buffer()

    def _clear_buffer(self) -> None:
        """Start the next block's text: nothing read yet, no link's characters counted."""
        self.buffer = []
        self.buffer_has_text = False
        self.linked_chars = 0


# ---------------------------------------------------------------- the reader

def _title_paragraph_as_heading(builder: TextBuilder, title: str) -> None:
    """A page that sets its title in a styled box (SQLite's <div class="fancy_title">) above its first
    heading: that line is the page's heading, not a paragraph to quote as an answer."""
    blocks, text = builder.blocks, builder.text
    first = blocks[0] if blocks else None
    if first is not None and first.kind == "paragraph" and len(blocks) > 1 and blocks[1].kind == "heading" \
            and " ".join(text[first.start:first.end].split()).casefold() == " ".join(title.split()).casefold():
        blocks[0] = replace(first, kind="heading", level=1)


def _typeset_by_groff(root: etree._Element) -> bool:
    """A manual page that groff wrote as HTML (<meta name="generator" content="groff -Thtml, …">)."""
    return any(meta.get("content", "").startswith("groff")
               for meta in root.xpath("/html/head/meta[@name='generator' or @name='Generator']"))


_TAG_CELL = re.compile(r"\S+(?:,? \S+){0,2}")  # "flush", "-v", "−t, −−timeout", an exit code "3"


def _is_tag(cell: str) -> bool:
    return len(cell) <= 40 and bool(_TAG_CELL.fullmatch(cell)) and not cell.endswith((".", ":"))


def _head_title(root: etree._Element) -> str:
    for title in root.xpath("/html/head/title"):
        text = " ".join(_text_of(title).split())
        if text:
            return text
    return ""


def _title(root: etree._Element, builder: TextBuilder) -> str:
    """<title>, else the first h1 as read (a manual page's NAME line, under its "NAME"), else ""."""
    if head := _head_title(root):
        return head
    return first_heading_title(builder.text, [b for b in builder.blocks if b.kind != "heading" or b.level == 1])


@dataclass
class _Notes:
    """A page's footnotes: each is written right after the section that references it (not where the page
    gathers them, at the end of a chapter), so a quote from one is cited under the section it explains."""

    by_reference: dict[etree._Element, etree._Element] = field(default_factory=dict)  # <a href="#n"> -> note
    placed: set[etree._Element] = field(default_factory=set)  # every footnote referenced: by_reference's values
    waiting: list[etree._Element] = field(default_factory=list)  # referenced, not yet written
    written: set[etree._Element] = field(default_factory=set)
    labels: set[etree._Element] = field(default_factory=set)  # a note's label apart from it (docutils' <dt>)


_NOTE_CLASS = re.compile(r"^foot-?notes?$|^endnotes?$", re.IGNORECASE)
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote", "doc-endnotes", "doc-footnotes"})
_NOTE_TAGS = frozenset({"div", "li", "aside", "section", "p", "dd"})


_BARE_NOTE_MARK = re.compile("^\\s*(?:\\d{1,3}|[*†‡§]|[↩↑^]\ufe0e?)\\s*$")  # a number, or a back-link's arrow


def _bare_mark(el: etree._Element) -> bool:
    return bool(_BARE_NOTE_MARK.match("".join(el.itertext())))


def _is_notes_element(el: etree._Element) -> bool:
    return el.get("role", "") in _NOTE_ROLES or any(_NOTE_CLASS.match(c) for c in el.get("class", "").split())


def _footnotes(root: etree._Element) -> _Notes:
    """Footnotes by their in-page links: a link to an element (a <div>, <li>, <aside>) that is, or lies in,
    one marked as footnotes by class ("footnote", "footnotes") or ARIA role (DocBook, pandoc, Sphinx). A
    note's own back-link does not count as a reference."""
    notes = _Notes()
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for link in root.iter("a"):
        href = link.get("href", "")
        target = by_id.get(href[1:]) if href.startswith("#") and len(href) > 1 else None
        label = None
        if target is not None and target.tag == "dt" and target.getnext() is not None \
                and target.getnext().tag == "dd":  # docutils: <dt class="label">1</dt> then the note's <dd>
            label, target = target, target.getnext()
        elif target is not None and target.tag == "a" and target.getparent() is not None \
                and target.getparent().tag in _HEADINGS and target.getparent().getnext() is not None:
            # Texinfo: <h5><a id="FOOT4" href="#DOCF4">(4)</a></h5> then the note's <p>
            label, target = target.getparent(), target.getparent().getnext()
        if target is None or target.tag not in _NOTE_TAGS:
            continue
        marked = _is_notes_element(target) or any(_is_notes_element(a) for a in target.iterancestors())
        inside = target in link.iterancestors()
        if marked and not inside:
            notes.by_reference[link] = target
            if label is not None:
                notes.labels.add(label)
    notes.placed = set(notes.by_reference.values())
    return notes


def _main_element(root: etree._Element, stats: dict[etree._Element, _Stats]) -> etree._Element:
    """The page's one <main> (or role="main") when it has text: what a site puts around it is chrome."""
    mains = [el for el in root.xpath("//main | //*[@role='main']") if el in stats]
    if len(mains) == 1 and stats[mains[0]].text >= 100:
        return mains[0]
    return root


# a page saved with the header a CGI program printed above it (man2html's "Content-type: text/html")
_HTTP_HEADER = re.compile(r"\A\ufeff?(?:[A-Za-z][\w-]*:[^\r\n<]*\r?\n)+\r?\n(?=\s*<)")


def _without_http_header(text: str) -> str:
    """The page without the HTTP header lines above its markup, which are no text of the page."""
    return _HTTP_HEADER.sub("", text, count=1)


def read_html(path: Path, doc_id: str) -> Document:
    """Read an HTML page's visible main text as blocks. Raises Unreadable with a reason when it cannot."""
    try:
        size = path.stat().st_size
        if size > MAX_HTML_BYTES:
            raise Unreadable(f"it is too large ({size // 1_000_000} MB; pages up to "
                             f"{MAX_HTML_BYTES // 1_000_000} MB are read)")
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"it could not be opened ({exc.strerror or exc})") from exc
    text = _without_http_header(decode_html(raw))
    if _looks_binary(text):
        raise Unreadable("it is not an HTML page: it holds binary data")
    try:
        root = parse_html(text)
        stats, chrome = _measure(root)
        builder = _BlockWriter(stats, chrome, _typeset_by_groff(root)).write(_main_element(root, stats),
                                                                             _head_title(root))
        title = _title(root, builder)
    except (etree.LxmlError, MemoryError, RecursionError) as exc:
        raise Unreadable(f"it could not be read as HTML ({type(exc).__name__})") from exc
    if not builder.blocks:
        raise Unreadable("it has no readable text")
    _title_paragraph_as_heading(builder, title)
    return builder.document(doc_id, title, "html")
