#!/usr/bin/env bash
# Lays out the second real-document evaluation set: the Filesystem Hierarchy Standard 3.0 (The Linux
# Foundation; verbatim copies permitted), as Debian's debian-policy package ships it in plain text, PDF
# and HTML; the DOCX edition is made from the HTML with pandoc. Needs apt-get (Debian's registry) and pandoc.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../debian_packages.sh"
unpack_debian_packages "$here" debian-policy
fhs="$work/x/usr/share/doc/debian-policy/fhs"
gunzip -c "$fhs/fhs-3.0.txt.gz" > "$out/txt/fhs-3.0.txt"
gunzip -c "$fhs/fhs-3.0.pdf.gz" > "$out/pdf/fhs-3.0.pdf"
cp "$fhs/fhs-3.0.html" "$out/html/"
pandoc --quiet -f html -t docx "$fhs/fhs-3.0.html" -o "$out/docx/fhs-3.0.docx"
touch "$out/.complete"
echo "FHS evaluation corpora in $out" >&2
