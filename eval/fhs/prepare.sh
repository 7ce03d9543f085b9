#!/usr/bin/env bash
# Lays out the second real-document evaluation set: the Filesystem Hierarchy Standard 3.0 (The Linux
# Foundation; verbatim copies permitted), as Debian's debian-policy package ships it in plain text, PDF
# and HTML; the DOCX edition is made from the HTML with pandoc. Needs apt-get (Debian's registry) and pandoc.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/corpora"
[ -f "$out/.complete" ] && exit 0
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
command -v pandoc >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq pandoc >/dev/null; }
(cd "$work" && apt-get download -qq debian-policy 2>/dev/null)
dpkg-deb -x "$work"/debian-policy_*.deb "$work/x"
fhs="$work/x/usr/share/doc/debian-policy/fhs"
rm -rf "$out"; mkdir -p "$out"/{txt,pdf,html,docx}
gunzip -c "$fhs/fhs-3.0.txt.gz" > "$out/txt/fhs-3.0.txt"
gunzip -c "$fhs/fhs-3.0.pdf.gz" > "$out/pdf/fhs-3.0.pdf"
cp "$fhs/fhs-3.0.html" "$out/html/"
pandoc --quiet -f html -t docx "$fhs/fhs-3.0.html" -o "$out/docx/fhs-3.0.docx"
touch "$out/.complete"
echo "FHS evaluation corpora in $out" >&2
