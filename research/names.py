"""Author names as papers print them: marks after a name, name parts, legends.

Pure text functions (no database), shared by the importers, the models and the
admin: which marks exist and in what order (MARKS), reading marks off a printed
name (split_marks), comparing two spellings of one person's name
(compatible_names: "K. A. Oman", "Kyle Oman" and "Oman, Kyle A." are one
person), and reading a paper's legend ("* Equal contribution<br>† Corresponding
author") into mark → meaning pairs (parse_legend).
"""

import functools
import re
import unicodedata

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

# The marks a paper prints after an author's name, in the order footnotes list them.
MARKS = "*†‡§¶‖#"

# Each mark and the other ways files write it (Unicode look-alikes, LaTeX).
_MARK_SPELLINGS = {
    "*": [r"\*", "∗", "⋆", r"\\ast\b", r"\\star\b", r"\\textasteriskcentered\b"],
    "†": ["†", r"\\dagger\b", r"\\dag\b", r"\\textdagger\b"],
    "‡": ["‡", r"\\ddagger\b", r"\\ddag\b", r"\\textdaggerdbl\b"],
    "§": ["§", r"\\S\b", r"\\textsection\b"],
    "¶": ["¶", r"\\P\b", r"\\textparagraph\b"],
    "‖": ["‖", r"\\\|", r"\\Vert\b", r"\\textbardbl\b"],
    # Escaped: these patterns are also used in verbose regexes, where # starts a comment.
    "#": [r"\\\#", r"\#", "♯"],
}
_ONE_MARK = "|".join(f"(?:{s})" for spellings in _MARK_SPELLINGS.values() for s in spellings)
_MARK_OF = [
    (re.compile(f"^(?:{'|'.join(spellings)})$"), mark)
    for mark, spellings in _MARK_SPELLINGS.items()
]
# A run of marks: bare, in braces, as $^{...}$, \textsuperscript{...} or <sup>...</sup>.
_MARK_RUN = re.compile(
    rf"""\\textsuperscript\s*\{{\s*(?P<a>(?:(?:{_ONE_MARK})\s*,?\s*)+)\}}
    |\$\s*\^\s*\{{?\s*(?P<b>(?:(?:{_ONE_MARK})\s*,?\s*)+)\}}?\s*\$
    |<sup>\s*(?P<c>(?:(?:{_ONE_MARK})\s*,?\s*)+)</sup>
    |\{{\s*(?P<d>(?:(?:{_ONE_MARK})\s*)+)\}}
    |(?P<e>(?:{_ONE_MARK})+)""",
    re.VERBOSE,
)
_SINGLE = re.compile(_ONE_MARK)


def _marks_in(run):
    found = []
    for token in _SINGLE.findall(run):
        for pattern, mark in _MARK_OF:
            if pattern.match(token):
                found.append(mark)
                break
    return found


def normalize_marks(text):
    """Marks in canonical spelling, each once, in the order given: "∗$\\dagger$" → "*†"."""
    marks = []
    for match in _MARK_RUN.finditer(text or ""):
        run = next(group for group in match.groups() if group)
        marks += [m for m in _marks_in(run) if m not in marks]
    return "".join(marks)


def split_marks(printed):
    """(name without marks, marks in order) for a name as a file prints it.

    "Einstein*†, A." → ("Einstein, A.", "*†"); "Ning$^{*}$" → ("Ning", "*").
    """
    marks = normalize_marks(printed)
    name = _MARK_RUN.sub("", printed or "")
    return " ".join(name.split()).strip(" ,"), marks


def order_marks(marks):
    """Marks as typed ("* †", "∗,\\dag") in canonical form, each once; ValueError otherwise."""
    if not marks:
        return ""  # most authors carry none
    marks = re.sub(r"[\s,]+", "", marks or "")
    if any(c not in MARKS for c in marks):
        rest, found = split_marks(marks)
        if not rest:
            marks = found
    unknown = [c for c in marks if c not in MARKS]
    if unknown:
        raise ValueError(
            f"“{''.join(unknown)}” is not an author mark; use any of {' '.join(MARKS)}"
        )
    seen = []
    for mark in marks:
        if mark not in seen:
            seen.append(mark)
    return "".join(seen)


@functools.lru_cache(maxsize=65536)
def comparable(text):
    """Text reduced for matching: no accents, case, punctuation or extra spaces.

    "Jérémy  Scheurer" and "jeremy scheurer" compare equal; so do two titles that
    differ only in capitalisation, braces or dashes. Cached: importers compare
    the same names over and over.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def name_parts(name):
    """(family name, given names) in comparable form: "Oman, Kyle A." → ("oman", ["kyle", "a"]).

    BibTeX's own rules read the name ("First von Last" or "Last, First");
    initials written together ("K.A.", "J.-P.") count as separate given names.
    """
    name, _marks = split_marks(name)
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return comparable(name), []
    family = comparable(" ".join([*parts.von, *parts.last]))
    given = []
    for word in parts.first:
        # "K.A." and "J.-P." are two initials; "Jean-Pierre" stays one name.
        pieces = re.findall(r"[^\W\d_]+\.?", word)
        if all(p.endswith(".") or len(p) == 1 for p in pieces):
            given += [comparable(p) for p in pieces]
        else:
            given.append(comparable(word))
    return family, [g for g in given if g]


def _given_compatible(ours, theirs):
    """Given names agree as far as both go: "kyle"/"k", "kyle a"/"kyle"; not "kyle"/"a"."""
    if not ours or not theirs:
        return False
    for a, b in zip(ours, theirs, strict=False):
        if len(a) == 1 or len(b) == 1:
            if a[0] != b[0]:
                return False
        elif a != b:
            return False
    return True


def compatible_names(one, other):
    """Whether two spellings can name the same person: same family name, given names agree."""
    family, given = name_parts(one)
    other_family, other_given = name_parts(other)
    return bool(family) and family == other_family and _given_compatible(given, other_given)


class NameMatcher:
    """Matches printed names against a set of family names and given-name spellings.

    Built from full names ("Kyle A. Oman") or from al-folio's scholar lists
    (last_name: [Einstein], first_name: [Albert, A.]).
    """

    def __init__(self, names=(), *, last_names=(), first_names=()):
        self.spellings = []  # (family, given names)
        for name in names:
            family, given = name_parts(name)
            if family and given:
                self.spellings.append((family, given))
        for last in last_names:
            family = comparable(split_marks(str(last))[0])
            for first in first_names:
                given = name_parts(f"{split_marks(str(first))[0]} X")[1]
                if family and given:
                    self.spellings.append((family, given))

    def __bool__(self):
        return bool(self.spellings)

    def matches(self, printed):
        family, given = name_parts(printed)
        return any(family == f and _given_compatible(given, g) for f, g in self.spellings if family)


_LEGEND_LINE = re.compile(rf"^\s*(?P<marks>(?:(?:{_MARK_RUN.pattern})\s*)+)(?P<meaning>.*)$", re.X)
_BREAK = re.compile(r"<br\s*/?>|\n", re.IGNORECASE)


def legend_lines(legend):
    """A legend's lines: "* Equal contribution<br>† Lead" → ["* Equal contribution", "† Lead"]."""
    return [line.strip() for line in _BREAK.split(legend or "") if line.strip()]


def parse_legend(legend):
    """(meanings, notes) of a legend: {mark: meaning} and the lines that explain no mark."""
    meanings, notes = {}, []
    for line in legend_lines(legend):
        match = _LEGEND_LINE.match(line)
        marks = normalize_marks(match["marks"]) if match else ""
        meaning = match["meaning"].strip(" :=-–—") if match else ""
        if marks and meaning:
            for mark in marks:
                meanings.setdefault(mark, meaning)
        else:
            notes.append(line)
    return meanings, notes


def same_meaning(one, other):
    return comparable(one) == comparable(other)


def tidy_legend(legend):
    """A legend with each line's marks in canonical spelling: "$^\\dagger$ Lead" → "† Lead"."""
    lines = []
    for line in legend_lines(legend):
        match = _LEGEND_LINE.match(line)
        marks = normalize_marks(match["marks"]) if match else ""
        meaning = match["meaning"].strip(" :=-–—") if match else ""
        lines.append(f"{marks} {meaning}" if marks and meaning else line)
    return "\n".join(lines)
