"""Remake the PDF samples in this folder (see README.md). Not run by the tests.

Needs qpdf, pdftotext (poppler-utils), groff (the full package: gropdf), ghostscript (ps2pdf), Debian's
chromium, Playwright and pypdfium2 (dev dependencies), and pypdf (only here, to write the cut documents'
outlines). The source PDFs are public documents under free licences:
    python tests/data/pdf/make_samples.py /path/to/debian-reference.en.pdf /path/to/standards.pdf
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"

# 1-based pages: a contents page, a chapter's first pages (headings, code, lists, notes), a table page with
# a word hyphenated at a line end.
DEBIAN_PAGES = [5, 29, 30, 31, 60, 61]
# a contents page, chapters 1-3 (headings numbered in the text, paragraphs over page breaks), code.
STANDARDS_PAGES = [3, 5, 6, 7, 9]

HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tea Brewing Handbook</title>
<style>
  @page { size: A5; margin: 22mm 16mm 20mm 16mm; }
  body { font-family: "DejaVu Serif"; font-size: 10.5pt; line-height: 1.35; }
  h1 { font-family: "DejaVu Sans"; font-size: 19pt; font-weight: bold; margin: 0 0 8pt; }
  h2 { font-family: "DejaVu Sans"; font-size: 14pt; font-weight: bold; margin: 14pt 0 6pt; }
  p { margin: 0 0 7pt; text-align: justify; }
  pre { font-family: "DejaVu Sans Mono"; font-size: 9pt; margin: 6pt 0 8pt 10pt; }
  table { border-collapse: collapse; margin: 6pt 0; }
  td, th { padding: 2pt 18pt 2pt 0; text-align: left; vertical-align: top; }
</style></head><body>
<h1>1 Brewing basics</h1>
<p>Good tea starts with fresh water and clean vessels. Fill the kettle from the cold tap and warm the pot
before the leaves go in.</p>
<h2>1.1 Steeping time</h2>
<p>Steeping time matters as much as temperature. Leaves left too long release tannins that make the cup
bitter and dry, while leaves taken out too early give a thin and watery drink. Start with the time on the
packet, taste, and adjust by thirty seconds at a time until the cup tastes right to you. Write down what
worked, since the same tea from a new harvest may need a little more or a little less time than the last
one did, and a small notebook kept next to the kettle saves a great deal of guessing over the years. Large
leaves unfold slowly and need longer than broken leaves, which give up their flavour in a hurry; rolled
oolongs need the most time of all on the first steep, and much less on each steep after it. This paragraph
runs over the page break on purpose, so that a reader can be tested on how it carries a paragraph from one
page onto the next one without losing a single word of it along the way, and without taking in the running
header or the page number that stand between the two halves. Patience is the one ingredient that every good
cup shares, whatever the leaf and whatever the pot, and it costs nothing at all. Cups that wait too long
after steeping go cold and stewed, so pour as soon as the time is up, and pour all of it: tea left on the
leaves keeps steeping in the pot and turns bitter while you drink the first cup. A second pot made from the
same leaves is often the better one with oolong and pressed teas, whose leaves open slowly.</p>
<h2>1.2 Water temperature</h2>
<p>Green tea wants water at about 75 degrees Celsius; black tea wants water that has just come to a rolling
boil. A thermometer is the surest guide.</p>
<ul>
  <li>Green tea: 70 to 80 degrees, two minutes.</li>
  <li>Oolong: 85 to 95 degrees, three minutes, and the leaves can be steeped again several times without
  losing their flavour.</li>
  <li>Black tea: 95 to 100 degrees, four minutes.</li>
</ul>
<p style="width: 31mm; text-align: left">Estate logs: the tea manage&shy;ment team keeps a daily run-<br>time
record on an x86-<br>64 server with a Debian-<br>based system, and a paper log as a<br>back-<br>up.</p>
<p>To make a pot for four people:</p>
<ol>
  <li>Warm the pot with a little hot water and pour it away.</li>
  <li>Put in four spoons of leaves, one for each cup.</li>
  <li>Pour the water over the leaves and put the lid on.</li>
</ol>
<table>
  <tr><th>Tea</th><th>Grams per cup</th><th>Steeping time</th></tr>
  <tr><td>Sencha</td><td>2.5</td><td>1 minute</td></tr>
  <tr><td>Assam</td><td>3</td><td>4 minutes</td></tr>
  <tr><td>Tieguanyin</td><td>5</td><td>45 seconds</td></tr>
</table>
<p>A timer on the kitchen shelf helps more than any gadget. The following command starts a four minute
timer on most Linux systems:</p>
<pre>$ sleep 240 &amp;&amp; notify-send "Tea is ready"
$ echo "enjoy"</pre>
<h2>1.3 Storing leaves</h2>
<p>Keep leaves in an airtight tin, away from light, heat and strong smells such as coffee or spices. Green
teas keep for about six months; black teas and pressed teas keep for years if they stay dry.</p>
</body></html>
"""
# Footnotes at the foot of each page, numbered by marks set small and raised in the text; one paragraph runs
# over a page break with page 1's notes between its halves. Pages are laid out by hand (Chromium has no CSS
# footnotes): each is a box of the page's height with its notes and page number at the bottom.
FOOTNOTES_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pantry Handbook</title>
<style>
  @page { size: A5; margin: 0; }
  body { margin: 0; font-family: "DejaVu Serif"; font-size: 10.5pt; line-height: 1.35; }
  .page { position: relative; height: 209mm; box-sizing: border-box; padding: 18mm 16mm 0;
          overflow: hidden; page-break-after: always; }
  h1 { font-family: "DejaVu Sans"; font-size: 19pt; margin: 0 0 8pt; }
  h2 { font-family: "DejaVu Sans"; font-size: 14pt; margin: 12pt 0 6pt; }
  p { margin: 0 0 7pt; text-align: justify; }
  p.runs-on { text-align-last: justify; margin-bottom: 0; }
  sup { font-size: 70%; line-height: 0; }
  .notes { position: absolute; left: 16mm; right: 16mm; bottom: 16mm; font-size: 8pt; line-height: 1.3;
           border-top: 0.5pt solid black; padding-top: 3pt; }
  .notes p { margin: 0 0 2pt; text-align: left; }
  .number { position: absolute; left: 0; right: 0; bottom: 8mm; text-align: center; font-size: 9pt; }
</style></head><body>
<div class="page">
<h1>1 Keeping a pantry</h1>
<p>A pantry that is easy to reach gets used, and one that is crowded gets forgotten.<sup>1</sup> Put the
things you use every week at eye level, and the things you use once a year on the top shelf.</p>
<p>Keep a short list on the inside of the door of what is running low, and take it with you when you shop.</p>
<h2>1.1 Jars and labels</h2>
<p>Glass jars with wide mouths are the easiest to fill and to clean, and they let you see at a glance how
much is left of each thing.<sup>2</sup> Label each jar with what is in it and the date it was filled, on the
lid as well as on the side, so that a jar stacked on another can still be read from above. A roll of masking
tape and a marker pen are all the labelling kit a household needs, and the labels peel off cleanly when the
jar is washed. Rice, lentils, dried beans and rolled oats keep well in jars for a year or more, while
wholemeal flour, nuts and seeds hold oils that turn rancid, so they go stale much sooner</p>
<div class="notes">
<p><sup>1</sup>A survey of home kitchens found that shelves deeper than forty centimetres are rarely emptied.</p>
<p><sup>2</sup>Square jars use shelf space better than round ones, but their corners are harder to clean.</p>
</div>
<div class="number">1</div>
</div>
<div class="page">
<p>and are best bought in small amounts that are eaten within a few months.<sup>3</sup> Wash new jars in hot
soapy water and let them dry completely before filling them, since a drop of water left inside spoils the
whole jar.</p>
<h2>1.2 Tins and boxes</h2>
<p>Tins keep out light, which matters for tea, coffee and ground spices.<sup>4</sup> A tin with a tight lid
also keeps out the moths that find their way into open packets of flour.</p>
<p>Cardboard boxes are fine for things that come sealed, such as stock cubes or baking powder sachets.</p>
<div class="notes">
<p><sup>3</sup>Nuts kept in the freezer stay fresh for a year and can be used straight from frozen.</p>
<p>4 Whole spices keep their flavour about three times as long as ground ones.</p>
</div>
<div class="number">2</div>
</div>
<div class="page">
<h2>1.3 Checking the shelves</h2>
<p>Once a month, take everything off one shelf, wipe it down and put back only what is still good.<sup>5</sup>
Move the oldest packets to the front so that they are used first.</p>
<p>Throw away anything that smells musty or shows small holes in its packet, and check the shelf beside it.</p>
<div class="notes">
<p><sup>5</sup>A damp cloth with a little vinegar removes the sticky rings that bottles of oil leave behind.</p>
</div>
<div class="number">3</div>
</div>
</body></html>
"""
# Two columns on an A4 page, no title page: the title, then sections whose paragraphs fill their column.
COLUMNS_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Village Newsletter</title>
<style>@page { size: A4; margin: 18mm } body { font-family: serif; font-size: 11pt; column-count: 2;
column-gap: 8mm; text-align: justify } h1 { column-span: all; font-size: 20pt } h2 { font-size: 14pt }
p { margin: 0 0 8pt 0 }</style></head><body>
<h1>Village Newsletter</h1>
<h2>The river path</h2>
<p>The council has finished repairing the river path between the mill and the old ferry landing. The new
surface is made of compacted gravel, which drains well after heavy rain and is firm enough for pushchairs
and wheelchairs. Walkers are asked to keep dogs on a lead near the nesting area by the reed beds.</p>
<p>Benches have been placed every four hundred metres along the path, and two of them carry small plaques
in memory of residents who walked there every morning for many years. The path will be lit in winter
from the landing to the bridge, on a timer that switches the lamps off at eleven at night.</p>
<p>Anyone who notices damage to the path, a fallen branch or a blocked drain can report it at the parish
office or on the council's telephone line, which is answered on weekday mornings from nine until noon.</p>
<h2>The market</h2>
<p>The Saturday market moves back to the square on the first weekend of April, after the winter months in
the church hall. Stall holders must renew their permits at the parish office before the end of March, and
the fee stays at twelve pounds a season for a standard pitch under the covered arcade.</p>
<p>New this year is a stall for local honey, run by the beekeeping club, and a table where children can
swap books and comics. The market opens at eight and closes at one, whatever the weather, and parking on
the square itself is not allowed on market mornings because the stalls need the space.</p>
<p>Volunteers are still needed to help set up the awnings at seven and to take them down again after the
market closes; the work takes about an hour and the bakery offers every helper a coffee and a roll.</p>
<h2>The school fete</h2>
<p>The school fete will be held on the last Saturday of June on the playing field behind the school. There
will be a tug of war between the parents and the teachers, a cake competition judged by the head of the
parish council, and pony rides for the younger children from two until four in the afternoon.</p>
<p>All the money raised this year goes towards a new climbing frame for the infant playground. Donations
of prizes for the tombola can be left at the school office on weekday afternoons until the end of May, and
every donor will be thanked by name in the July issue of this newsletter.</p>
</body></html>"""

INDEX_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kettle Manual</title>
<style>@page { size: A5; margin: 16mm } body { font-family: "DejaVu Serif"; font-size: 10pt }
.index { break-before: page } .index p { margin: 0 }</style></head><body>
<h1>Kettle Manual</h1>
<h2>Descaling</h2>
<p>Fill the kettle with equal parts of water and white vinegar, bring it to the boil and leave it to stand for
an hour. Rinse it three times with clean water before you boil water for drinking again.</p>
<h2>The thermostat</h2>
<p>The thermostat switches the kettle off when the water boils. If it switches off early, descale the kettle;
if it never switches off, unplug it at once and take it to a repair shop.</p>
<div class="index"><h2>Index</h2>
""" + "\n".join(f"<p>{term}, {', '.join(str(n) for n in pages)}</p>" for term, pages in (
    ("boil", (1, 2)), ("boiling point", (2,)), ("cable", (4, 7)), ("cleaning", (1, 5, 9)), ("cord", (4,)),
    ("descaling", (1, 3)), ("filter", (5, 6)), ("fuse", (7,)), ("handle", (8,)), ("hinge", (8, 9)),
    ("lid", (8,)), ("limescale", (1, 3, 5)), ("mains", (4,)), ("plug", (4, 7)), ("rinsing", (1,)),
    ("safety", (2, 4, 7)), ("spout", (6,)), ("switch", (2,)), ("thermostat", (2, 3)), ("vinegar", (1,)),
    ("warranty", (10,)), ("water level", (3, 6)), ("window", (6,)), ("wiring", (7,)))) + """</div>
</body></html>"""

NOTE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Note</title></head>
<body style="font-family: 'DejaVu Serif'"><p>Sencha keeps its colour when the water is not too hot.</p></body></html>"""
HEADER = '<div style="font-size:8pt; width:100%; text-align:center; font-family:DejaVu Sans">Tea Brewing Handbook</div>'
FOOTER = ('<div style="font-size:8pt; width:100%; text-align:center; font-family:DejaVu Sans">'
          'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')


def cut(source: Path, pages: list[int], target: Path) -> None:
    """The pages, with the outline entries that point into them (qpdf alone keeps every entry, dangling)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.pdf"
        subprocess.run(["qpdf", "--empty", "--pages", str(source), ",".join(map(str, pages)), "--", str(plain)],
                       check=True)
        reader = PdfReader(source)
        writer = PdfWriter(clone_from=plain)
        writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if isinstance(v, str)})
        kept = {page - 1: i for i, page in enumerate(pages)}

        def has_kept(items: list) -> bool:
            return any(has_kept(item) if isinstance(item, list) else reader.get_destination_page_number(item) in kept
                       for item in items)

        def copy(items: list, parent: object = None) -> None:
            """Entries on kept pages as they were; an entry elsewhere stays (pointing at the first page) only
            when entries below it are kept, so every kept entry keeps its depth."""
            last = None
            for i, item in enumerate(items):
                if isinstance(item, list):
                    if last is not None:
                        copy(item, last)
                    continue
                children = items[i + 1] if i + 1 < len(items) and isinstance(items[i + 1], list) else []
                index = reader.get_destination_page_number(item)
                last = None
                if index in kept:
                    top = item.get("/Top")
                    fit = Fit.xyz(left=item.get("/Left"), top=top, zoom=None) if top is not None else Fit.fit()
                    last = writer.add_outline_item(title=str(item.title), page_number=kept[index], parent=parent,
                                                   fit=fit)
                elif has_kept(children):
                    last = writer.add_outline_item(title=str(item.title), page_number=0, parent=parent)

        copy(reader.outline)
        writer.write(target)
    subprocess.run(["qpdf", "--replace-input", "--object-streams=generate", "--compress-streams=y", str(target)],
                   check=True)


# Chromium's own header (date, title) and footer (file address, "n/N"), printed close to the text where a
# page begins or ends with code: every page but the first starts with a code block. A fixed sidebar (a
# version, a search box, the contents), as Sphinx pages have, is printed on every page. A heading wraps at a comma.
# The page opens with its site's banner ("Kettle Works 2.1 ☰"), the site's part of its <title>.
CODE_PAGES_HTML = ("""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Kettle Care Notes - Kettle Works 2.1</title>
<style>pre { break-before: page; font-size: 13px; margin-top: 0; } body { font-size: 16px; margin-right: 200px; }
nav { position: fixed; top: 60px; right: 10px; width: 170px; font-size: 14px; }</style></head><body>
<nav><p>Kettle Care 2.1</p><p>Search the notes</p><ul><li>Descaling</li><li>The blue kettle</li>
<li>The red kettle</li><li>The steel kettle</li><li>The copper kettle</li></ul></nav>
<div style="font-size: 30px; font-weight: bold; margin-bottom: 20px">Kettle Works 2.1 &#9776;</div>
<h1>Kettle Care Notes</h1>
<h2>Descaling</h2>
<p>Hard water leaves a crust of lime inside a kettle, and the crust makes every boil slower. Descale the kettle
once a month with a mild acid, rinse it twice, and boil one kettle of fresh water before you make tea again.</p>
<h2>What protects a kettle from lime,<br>rust and scorch marks?</h2>
<p>Soft water, a dry kettle between uses, and a lid kept open after the last boil of the day.</p>
""" + "".join(f"""<pre>descale --kettle {name} --acid {acid}
rinse --times {rinses}
boil --discard {name}</pre>
<h2>Step {n}: the {name} kettle</h2>
<p>{text}</p>
""" for n, (name, acid, rinses, text) in enumerate((
        ("blue", "citric", "two", "The blue kettle stands in the office kitchen and boils water for forty cups a "
         "day, so its crust grows fast. Fill it with the warm citric solution, leave it for twenty minutes, then "
         "rinse it twice and boil one kettle of water that is poured away."),
        ("red", "acetic", "three", "Vinegar works on the red kettle at home, which is older and has a thick "
         "layer of lime on its element. Three rinses take the smell of vinegar away; a fourth does no harm if the "
         "first cup of tea still tastes sharp."),
        ("steel", "lactic", "four", "Lactic acid is gentle on brushed steel and leaves no marks on the outside "
         "of the pot. Wipe the lid and the spout as well, where drops dry and leave rings of lime behind them."),
        ("copper", "malic", "five", "Copper darkens if an acid stands in it too long, so malic acid gets only ten "
         "minutes in this kettle. Polish the outside afterwards with a soft cloth and a little lemon juice.")), 1))
    + "</body></html>")


# A saved FAQ page as two sites write theirs: a table of contents (a numbered list, no page numbers, one
# entry worded apart from its heading, "2. …" for the entry "(2) …"), chapters in large type (one ending in a
# full stop), questions long enough to wrap; then entries set as bold paragraphs numbered "(N)" over an
# indented answer, one wrapped, one no question, one a question too long for a heading's line; and a
# definition list of questions (AsciiDoc's FAQ), in body type, one wrapped over two lines.
ANSWERS = iter(f"Answer {word} takes a sentence or two of plain text, so that the entry has a body of its own "
               "under the heading that asks it." for word in ("one", "two", "three", "four", "five", "six",
                                                              "seven", "eight"))
FAQ_HTML = ("""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Kettle FAQ</title>
<style>
  body { font-family: "DejaVu Serif"; font-size: 12pt; }
  h1 { font-size: 24pt; } h2 { font-size: 20pt; } h3 { font-size: 14pt; }
  blockquote { margin-left: 12mm; }
</style></head><body>
<h1>The Kettle FAQ</h1>
<h3>Table of Contents</h3>
<dl>
<dt><b><a href="#1">1. General</a></b></dt>
<dd><a href="#1.1">1.1. What is a kettle?</a><br><a href="#1.2">1.2. Who makes kettles for the shop?</a><br>
<a href="#1.3">1.3. How do I keep the element free of lime when the water in my town is very hard and leaves
a white crust?</a></dd>
<dt><b><a href="#2">2. Where to get a kettle.</a></b></dt>
<dd><a href="#2.1">2.1. Shops and markets that sell kettles.</a><br><a href="#2.2">2.2. Kettles by post.</a></dd>
<dt><b><a href="#3">3. Questions from the shop</a></b></dt>
<dd>2. My kettle whistles all the time.<br>3. I descaled the kettle with vinegar but the water still tastes sour.
Is this normal?</dd>
</dl>
<h2 id="1">1. General</h2>
<h3 id="1.1">1.1. What is a kettle?</h3><p>""" + next(ANSWERS) + """</p>
<h3 id="1.2">1.2. Who makes kettles for the shop?</h3><p>""" + next(ANSWERS) + """</p>
<h3 id="1.3">1.3. How do I keep the element free of lime when the water in my town is very hard and leaves
a white crust?</h3><p>""" + next(ANSWERS) + """</p>
<h2 id="2">2. Where to get a kettle.</h2>
<h3 id="2.1">2.1. Web shops that sell kettles.</h3><p>""" + next(ANSWERS) + """</p>
<h3 id="2.2">2.2. Kettles by post.</h3><p>""" + next(ANSWERS) + """</p>
<h2 id="3">3. Questions from the shop</h2>
<p><b>(1) Why does my kettle switch itself off before the water boils on the second and third time I use it
in one morning?</b></p><blockquote>""" + next(ANSWERS) + """</blockquote>
<p><b>(2) My kettle whistles all the time.</b></p><blockquote>""" + next(ANSWERS) + """</blockquote>
<p><b>(3) I descaled the kettle with vinegar but the water still tastes sour. Is this normal?</b></p>
<blockquote>""" + next(ANSWERS) + """</blockquote>
<h2>Questions as a list</h2>
<dl><dt>How full should I fill the kettle?</dt><dd><p>Fill it for the cups you will pour and no more, so that
the water boils fast and no energy is wasted on water that cools again.</p></dd>
<dt>I have poured water from a kettle that was left standing overnight into a fresh cup. Is it safe to boil
it again?</dt><dd><p>Old water boils as well as fresh water, but it tastes flat in tea, so pour it on the
plants and start again.</p></dd></dl>
</body></html>
""")


ONE_PAGE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>7. Why does my kettle click
twice?</title></head><body><h2>7. Why does my kettle click twice?</h2>
<p>The first click is the switch closing as you press it down. The second comes when the water boils and the
thermostat opens the circuit again, which is what a healthy kettle does.</p>
<p>Only a click without boiling water is a fault: then the element has failed.</p>
</body></html>
"""


# Sphinx's look: each heading followed by its permalink "¶", printed with it; the fourth level in bold at the
# body's size (rsyslog's "Disk-Assisted Memory Queues¶")
PERMALINKS_HTML = ("""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kettle Queues</title>
<style>
  body { font-family: "DejaVu Sans"; font-size: 12pt; }
  h1 { font-size: 24pt; } h2 { font-size: 18pt; } h3 { font-size: 14pt; } h4 { font-size: 12pt; }
  a.headerlink { color: #888; text-decoration: none; padding-left: 3pt; }
</style></head><body>
<h1>Understanding kettle queues<a class="headerlink" href="#q">¶</a></h1>
<p>A kettle queue holds the orders that wait for hot water. Each queue has a mode that decides where orders
wait while the kettle is busy.</p>
<h2>Queue modes<a class="headerlink" href="#m">¶</a></h2>
<p>The mode is set once, when the queue is made.</p>
<h3>Memory queues<a class="headerlink" href="#mem">¶</a></h3>
<p>A memory queue keeps its orders in memory. It is fast, and loses its orders when the power fails.</p>
<h4>Shelf-assisted memory queues<a class="headerlink" href="#sa">¶</a></h4>
<p>A memory queue given a shelf writes its orders to the shelf once memory runs short, and reads them back
when the kettle is free again.</p>
<h3>Shelf queues<a class="headerlink" href="#shelf">¶</a></h3>
<p>A shelf queue writes every order to the shelf at once. It is slow, and loses nothing.</p>
</body></html>""")


def print_with_browser_header(html: str, target: Path) -> None:
    """As `chromium --print-to-pdf` prints a saved page: its default header (date, title) and footer (the
    file's address, "n/N"). Playwright's page.pdf() leaves those empty."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "kettle-care.html"
        source.write_text(html, encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}", source.as_uri()],
                       check=True, capture_output=True)


def print_html(html: str, target: Path, header_and_footer: bool = True) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content(html)
        page.pdf(path=str(target), format="A5", display_header_footer=header_and_footer, header_template=HEADER,
                 footer_template=FOOTER, prefer_css_page_size=True)
        browser.close()


def image_only(source: Path, target: Path) -> None:
    """One page that is a picture of text: what a scanner makes."""
    pdf = pdfium.PdfDocument(source)
    bitmap = pdf[0].render(scale=0.6, grayscale=True)
    out = pdfium.PdfDocument.new()
    width, height = pdf[0].get_size()
    page = out.new_page(width, height)
    image = pdfium.PdfImage.new(out)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    out.save(target)


def with_scanned_page(text_pdf: Path, scanned_pdf: Path, target: Path) -> None:
    """A text page, then a scanned one: the text is read, the picture skipped."""
    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(text_pdf), [0])
    out.import_pages(pdfium.PdfDocument(scanned_pdf), [0])
    out.save(target)


def main(debian: Path, standards: Path) -> None:
    cut(debian, DEBIAN_PAGES, HERE / "debian-reference-sample.pdf")
    cut(standards, STANDARDS_PAGES, HERE / "gnu-standards-sample.pdf")
    print_html(HTML, HERE / "chromium-handbook.pdf")
    print_html(FOOTNOTES_HTML, HERE / "chromium-footnotes.pdf", header_and_footer=False)
    print_html(COLUMNS_HTML, HERE / "chromium-columns.pdf", header_and_footer=False)
    print_with_browser_header(CODE_PAGES_HTML, HERE / "chromium-browser-header.pdf")
    print_with_browser_header(FAQ_HTML, HERE / "chromium-faq.pdf")
    print_with_browser_header(ONE_PAGE_HTML, HERE / "chromium-one-page.pdf")
    print_html(PERMALINKS_HTML, HERE / "chromium-permalinks.pdf", header_and_footer=False)
    print_html(INDEX_HTML, HERE / "chromium-index.pdf", header_and_footer=False)
    with open(HERE / "groff-manual-page.pdf", "wb") as target:  # a manual page as groff prints it
        subprocess.run(["groff", "-mdoc", "-Tpdf", str(HERE / "groff-manual-page.8")], stdout=target, check=True)
    for name in ("groff-justified", "groff-mdadm-excerpt"):  # words gropdf's kerning puts astray in PDFium
        with open(HERE / f"{name}.pdf", "wb") as target:
            subprocess.run(["groff", "-man", "-Tpdf", str(HERE / f"{name}.8")], stdout=target, check=True)
    with open(HERE / "groff-ghostscript.pdf", "wb") as target:  # groff's PostScript made a PDF by Ghostscript
        postscript = subprocess.run(["groff", "-man", "-Tps", str(HERE / "groff-ghostscript.8")], capture_output=True,
                                    check=True).stdout
        subprocess.run(["ps2pdf", "-", "-"], input=postscript, stdout=target, check=True)
    with open(HERE / "groff-tagged.pdf", "wb") as target:  # short tags share their line with the text (.TP)
        postscript = subprocess.run(["groff", "-man", "-Tps", str(HERE / "groff-tagged.8")], capture_output=True,
                                    check=True).stdout
        subprocess.run(["ps2pdf", "-", "-"], input=postscript, stdout=target, check=True)
    for name in ("debian-reference-sample", "gnu-standards-sample", "chromium-handbook", "chromium-footnotes",
                 "chromium-columns", "chromium-browser-header", "chromium-faq", "chromium-one-page",
                 "groff-manual-page", "chromium-permalinks", "groff-justified", "groff-mdadm-excerpt",
                 "chromium-index", "groff-ghostscript", "groff-tagged"):
        # what poppler's pdftotext reads, page by page (form feeds between): the tests' check for lost text
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(HERE / f"{name}.pdf"), str(HERE / f"{name}.pdftotext.txt")],
                       check=True)
    with tempfile.TemporaryDirectory() as tmp:
        note = Path(tmp) / "note.pdf"  # one short page: the bad inputs are made from it
        print_html(NOTE_HTML, note, header_and_footer=False)
        image_only(note, HERE / "scanned.pdf")
        with_scanned_page(note, HERE / "scanned.pdf", HERE / "partly-scanned.pdf")
        subprocess.run(["qpdf", "--encrypt", "secret", "owner-secret", "256", "--", str(note),
                        str(HERE / "encrypted.pdf")], check=True)
        data = note.read_bytes()
    (HERE / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (HERE / "not-a-pdf.pdf").write_text("Meeting notes, 3 May: order more tea.\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
