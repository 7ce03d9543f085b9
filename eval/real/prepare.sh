#!/usr/bin/env bash
# Lays out the real-document evaluation corpora: public manuals nobody on the team wrote, each in the
# formats it is published in, from Debian's packages (GPL-2+ Debian Reference, GFDL GNU manuals).
# DOCX editions are made from the HTML with pandoc. Needs apt-get (Debian's registry) and pandoc.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../debian_packages.sh"
unpack_debian_packages "$here" debian-reference-en debian-reference-common gnu-standards
ref="$work/x/usr/share/debian-reference" gnu="$work/x/usr/share/doc/gnu-standards"
gunzip -c "$ref/debian-reference.en.txt.gz" > "$out/txt/debian-reference.en.txt"
cp "$ref/debian-reference.en.pdf" "$out/pdf/"
mkdir -p "$out/html/debian-reference"
cp "$ref"/*.en.html "$out/html/debian-reference/"
for doc in maintain standards; do
  gunzip -c "$gnu/$doc.text.gz" > "$out/txt/$doc.text"
  gunzip -c "$gnu/$doc.pdf.gz" > "$out/pdf/$doc.pdf"
  cp "$gnu/$doc.html" "$out/html/"
  pandoc --quiet -f html -t docx "$gnu/$doc.html" -o "$out/docx/$doc.docx"
done
chapters=$(ls "$ref"/pr01.en.html "$ref"/ch*.en.html "$ref"/apa.en.html)
pandoc --quiet -f html -t docx $chapters -o "$out/docx/debian-reference.docx"
touch "$out/.complete"
echo "real-document corpora in $out" >&2
