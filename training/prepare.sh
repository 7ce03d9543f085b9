#!/usr/bin/env bash
# Lays out the public FAQs that the confidence model is trained on, from Debian's packages, in
# training/faqs/ (gitignored). None of them is an evaluation document: Debian's FAQ (debian-faq),
# Python's documentation (python3*-doc) and the documents of eval/ are never used here.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
chmod 755 "$work"  # apt downloads as the _apt user
trap 'rm -rf "$work"' EXIT
packages="fetchmail ffmpeg-doc mc-data nano privoxy procmail xterm zsh-doc"
(cd "$work" && apt-get download $packages >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
doc="$work/x/usr/share/doc"
mkdir -p faqs
cp "$doc/fetchmail/fetchmail-FAQ.html" faqs/fetchmail-faq.html
cp "$doc/ffmpeg/manual/faq.html" faqs/ffmpeg-faq.html
zcat "$doc/mc-data/FAQ.gz" > faqs/mc-faq.txt
cp "$doc/nano/faq.html" faqs/nano-faq.html
for part in general installation configuration misc trouble; do
  cp "$doc/privoxy/faq/$part.html" "faqs/privoxy-faq-$part.html"
done
cp "$doc/procmail/FAQ" faqs/procmail-faq.txt
cp "$doc/xterm/xterm.faq.html" faqs/xterm-faq.html
for n in 01 02 03 04 05 06; do cp "$doc/zsh-common/html/FAQ$n.html" "faqs/zsh-faq-$n.html"; done
echo "training/faqs: $(ls faqs | wc -l) files"
