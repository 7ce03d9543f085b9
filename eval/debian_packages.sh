# Sourced by the evaluation sets' prepare.sh. `unpack_debian_packages SET_DIR PACKAGE…` sets $out to the
# set's corpora folder and exits the caller if it is already complete; else it ensures pandoc, downloads the
# packages from Debian's registry, unpacks them all into "$work/x" (a temporary folder removed on exit)
# and leaves an empty corpora folder with one sub-folder a format.
unpack_debian_packages() {
  out="$1/corpora"
  [ -f "$out/.complete" ] && exit 0
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
  command -v pandoc >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq pandoc >/dev/null; }
  (cd "$work" && apt-get download -qq "${@:2}" 2>/dev/null)
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
  rm -rf "$out"; mkdir -p "$out"/{txt,pdf,html,docx}
}
