"""Whether lines of a document are a configuration's or a shell's lines rather than sentences, where the
format does not say so: groff's HTML sets an example as a paragraph broken by <br>, and a plain-text README
sets its recipes at the body's own indent ("mdadm --create -l1 -n2 /dev/md0 /dev/sd[ab]1")."""
from __future__ import annotations

import re
from collections.abc import Sequence

CODE_LINES_SHARE = 0.6  # lines this much code make a code block
_CODE_MARK = re.compile(r"[/=*#$;{}\[\]<>|]")
PLAIN_WORD = re.compile(r"(?:[a-z]+|[A-Z][a-z]+)[,.;:]?")  # a word of prose; "DEVICE", "NMEA" are keywords
_MAX_PLAIN_WORDS = 3  # plain words on a line of code: "refclock PPS /dev/pps0 lock NMEA refid GPS" has three
# a command with an option or a setting, as a line of its own opens: "mdadm --stop /dev/md0", "tar -cf- …",
# "md-mod.start_dirty_degraded=1", "$ make", "# apt install foo"
_COMMAND = re.compile(r"^(?:[$#]\s|[a-z][\w.+-]*(?:\s+-{1,2}[A-Za-z0-9]|=\S))")


# a setting whose name joins words with underscores, and its value: "advert_int 1", "virtual_router_id 51 {"; or
# in camel case, as Apache's and collectd's directives are named, with a value written as values are ("LoadPlugin
# cpu", "ValuesPercentage true", "BaseDir \"/var/lib/collectd\"", not "IntelliJ IDEA")
_NAMED_SETTING = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]*_[\w.-]*(?:\s+[^\s.,;:]\S*){1,3}"
                            r"|[A-Za-z]+[a-z][A-Z][A-Za-z0-9]*(?:\s+(?:\"[^\"]*\"|[a-z0-9/.-]\S*)){1,3})\s*$")


def _is_code_line(line: str) -> bool:
    """A comment, a command, a setting named in snake case, or a line that holds a path, a setting or a
    pattern among few plain words and ends no sentence."""
    line = line.strip()
    if line.startswith("#") or _COMMAND.match(line) or _NAMED_SETTING.match(line):
        return True
    return _CODE_MARK.search(line) is not None and not line.endswith(".") \
        and sum(bool(PLAIN_WORD.fullmatch(word)) for word in line.split()) <= _MAX_PLAIN_WORDS


def reads_as_code(lines: Sequence[str]) -> bool:
    """Whether these lines (a paragraph's) are code: most are code lines; one line alone must be a command
    or a setting ("mdadm --assemble --scan"), not a short sentence that names a path."""
    filled = [line.strip() for line in lines if line.strip()]
    if len(filled) == 1:
        return bool(_COMMAND.match(filled[0])) and not filled[0].endswith(".")
    return len(filled) >= 2 and sum(map(_is_code_line, filled)) >= CODE_LINES_SHARE * len(filled)
