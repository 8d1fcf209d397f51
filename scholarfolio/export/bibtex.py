"""BibTeX entries for work dicts (the entries of :mod:`scholarfolio.works`).

What makes an entry correct, and where each rule comes from:

- The entry type follows the work's type and venue (``@article`` needs a
  journal, ``@inproceedings`` and ``@incollection`` a book title); a work that is
  only an arXiv preprint is ``@misc`` with ``eprint``, ``archivePrefix`` and
  ``primaryClass``, as arXiv's own BibTeX export writes it.
- Authors are in source order, each as ``von Last, Jr, First`` joined by
  `` and `` (BibTeX's name format, https://www.tug.org/TUGboat/tb27-2/tb87hufflen.pdf);
  a collaboration such as "The CMS and LHCb Collaborations" is one braced name,
  so its inner "and" does not split it.
- Titles keep their LaTeX (arXiv titles are LaTeX source: ``$\\alpha$``,
  ``\\emph{...}``); math and words whose capitals carry meaning (``NISQ``,
  ``LeCun``, proper nouns in a sentence-case title) are braced, because
  bibliography styles lower-case the rest.
- Every other value is escaped: the characters LaTeX treats specially, and
  non-ASCII letters as LaTeX accents (``Solja{\\v{c}}i{\\'c}``) so classic
  8-bit BibTeX reads the file too.
- Keys are ``lastname + year + first significant title word`` (``lecun2015deep``),
  made unique within a file with a letter suffix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts
from pylatexenc.latexencode import UnicodeToLatexEncoder

from scholarfolio.ingest.text import latex_to_text

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Work types as sources spell them (OpenAlex, Crossref, CSL, Semantic Scholar,
# BibTeX), folded to lower-case letters, and the BibTeX type each becomes.
_ENTRY_TYPES = {
    "article": "article",
    "journalarticle": "article",
    "articlejournal": "article",
    "review": "article",
    "letter": "article",
    "editorial": "article",
    "erratum": "article",
    "proceedingsarticle": "inproceedings",
    "paperconference": "inproceedings",
    "conference": "inproceedings",
    "inproceedings": "inproceedings",
    "bookchapter": "incollection",
    "chapter": "incollection",
    "booksection": "incollection",
    "incollection": "incollection",
    "book": "book",
    "monograph": "book",
    "editedbook": "book",
    "dissertation": "phdthesis",
    "thesis": "phdthesis",
    "phdthesis": "phdthesis",
    "report": "techreport",
    "techreport": "techreport",
}
# The field that names the venue in each entry type; without a venue the type is @misc.
_VENUE_FIELDS = {
    "article": "journal",
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "book": "publisher",
    "phdthesis": "school",
    "techreport": "institution",
}
_NEEDS_VENUE = frozenset({"article", "inproceedings", "incollection"})

# Names that are a group rather than a person: kept whole, in braces.
_CORPORATE = re.compile(
    r"\b(collaborations?|consortium|group|team|project|committee|network|"
    r"survey|alliance|initiative|society|association|institute)\b|\band\b",
    re.IGNORECASE,
)
_STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on"}
    | {"or", "the", "to", "with", "without", "via", "la", "le", "les", "de", "des", "du"}
    | {"der", "die", "das", "el", "los", "un", "une"}
)
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIALS_TABLE = str.maketrans(_SPECIALS)
# Tokens of a LaTeX title: math between unescaped dollars; a word, accents
# included (Gr\"obner, Solja\v{c}i\'{c}, G{\"o}del); a command or escaped
# character; a brace; any other single character.
_TITLE_TOKEN = re.compile(
    r"(?P<math>\$\$(?:\\.|[^$\\])+\$\$|\$(?:\\.|[^$\\])+\$)"
    r"|(?P<word>(?:[^\W_]|\\[`'^\"~=.](?:[A-Za-z]|\{[A-Za-z]\})|\\[a-zA-Z]\{[A-Za-z]\}"
    r"|\{\\[^{}\s]+\})+)"
    r"|(?P<command>\\[A-Za-z]+|\\.)"
    r"|(?P<brace>[{}])"
    r"|(?P<other>.)",
    re.DOTALL,
)
_MARKUP = re.compile(r"\\[A-Za-z]+|\\.|[{}]")
_HTML_MARKUP = {
    "i": r"\textit{",
    "em": r"\emph{",
    "b": r"\textbf{",
    "strong": r"\textbf{",
    "sup": r"\textsuperscript{",
    "sub": r"\textsubscript{",
}
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z]+)[^<>]*>")
# Verbatim fields (doi, url, eprint) hold no braces and no whitespace.
_VERBATIM_UNSAFE = re.compile(r"[{}\s\\]")


@lru_cache(maxsize=1)
def _encoder() -> UnicodeToLatexEncoder:
    """Non-ASCII to LaTeX accents; characters LaTeX has no macro for (CJK) stay as UTF-8."""
    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


@lru_cache(maxsize=65536)
def escape(text: str) -> str:
    """Plain text as a BibTeX value: LaTeX's special characters escaped, accents encoded."""
    escaped = text.translate(_SPECIALS_TABLE)
    # The encoder is slow and most names and words are plain ASCII.
    return escaped if escaped.isascii() else str(_encoder().unicode_to_latex(escaped))


def _braces_balance(text: str) -> bool:
    # BibTeX counts every brace, escaped or not, when it reads a value.
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _html_to_latex(text: str) -> str:
    """The few HTML tags some sources put in titles (``<i>``, ``<sup>``) as LaTeX."""

    def replace(match: re.Match[str]) -> str:
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _HTML_MARKUP:
            return ""
        return "}" if closing else _HTML_MARKUP[tag]

    converted = _HTML_TAG.sub(replace, text)
    return converted if _braces_balance(converted) else _HTML_TAG.sub("", text)


def _is_title_case(text: str) -> bool:
    """Whether most longer words start with a capital (then capitals say little)."""
    words: list[str] = re.findall(r"[^\W\d_]{4,}", text)
    if len(words) < 2:
        return False
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised / len(words) >= 0.6


def _needs_protection(word: str, first: bool, title_case: bool) -> bool:
    """Whether bibliography styles must not change this word's case."""
    letters = _MARKUP.sub("", word)
    if not letters:
        return False
    if any(char.isupper() for char in letters[1:]):
        return True  # NISQ, LeCun, GW170104, mRNA
    if not letters[0].isupper():
        return False
    # In a sentence-case title a capital after the first word is a proper noun.
    return not first and not title_case


def _title_token(kind: str, token: str, depth: int, first_word: bool, title_case: bool) -> str:
    """One token of a LaTeX title as it goes into the value."""
    if kind == "math":
        return token if depth else "{" + token + "}"
    if kind == "word":
        encoded = token if token.isascii() else str(_encoder().unicode_to_latex(token))
        protect = depth == 0 and _needs_protection(token, first_word, title_case)
        return "{" + encoded + "}" if protect else encoded
    return token if kind in ("command", "brace") or token == "~" else escape(token)


def title_value(title: str) -> str:
    """A title as a BibTeX value: its LaTeX kept, math and meaningful capitals braced."""
    latex = _html_to_latex(title)
    if not _braces_balance(latex):
        return escape(latex_to_text(title))
    title_case = _is_title_case(latex)
    out: list[str] = []
    depth = 0
    first_word = True
    for match in _TITLE_TOKEN.finditer(latex):
        kind, token = str(match.lastgroup), match.group(0)
        out.append(_title_token(kind, token, depth, first_word, title_case))
        if kind == "brace":
            depth += 1 if token == "{" else -1
        elif kind in ("word", "math"):
            first_word = False
    return "".join(out)


# --- names ----------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    """(von Last, First) of a full name written ``First von Last`` or ``Last, First``."""
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return name, ""
    family = " ".join(parts.von + parts.last)
    return (family, " ".join(parts.first)) if family else (name, "")


def _name_part(text: str) -> str:
    escaped = escape(text)
    # A part holding a comma or " and " would be read as a separator.
    return "{" + escaped + "}" if "," in text or _CORPORATE.search(text) else escaped


def bibtex_name(author: Mapping[str, Any]) -> str:
    """One author as ``von Last, Jr, First``; a collaboration as one braced name."""
    return _bibtex_name(
        " ".join(str(author.get("name") or "").split()),
        author.get("family"),
        author.get("given") or "",
        author.get("suffix") or "",
    )


@lru_cache(maxsize=65536)
def _bibtex_name(name: str, family: str | None, given: str, suffix: str) -> str:
    """The name's BibTeX form; cached because the same people sign many works."""
    if not family:
        if _CORPORATE.search(name) or not name:
            return "{" + escape(name) + "}"
        bare = name.removesuffix(suffix).rstrip(" ,") if suffix else name
        family, given = _split_name(bare)
    fields = [_name_part(family)]
    if suffix:
        fields.append(_name_part(suffix))
    if given or suffix:
        fields.append(_name_part(given))
    return ", ".join(fields)


# --- keys ------------------------------------------------------------------------------


def _ascii_letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9]+", "", folded.decode("ascii").lower())


def _key_name(authors: Sequence[Mapping[str, Any]]) -> str:
    if not authors:
        return "anonymous"
    first = authors[0]
    family = first.get("family")
    name = str(first.get("name") or "")
    if not family:
        if _CORPORATE.search(name):
            words = [w for w in re.findall(r"\w+", name) if w.lower() not in _STOP_WORDS]
            family = words[0] if words else name
        else:
            family, _ = _split_name(name)
    return re.sub(r"\d+", "", _ascii_letters(family)) or "anonymous"


def _key_word(title: str) -> str:
    words = [_ascii_letters(word) for word in re.findall(r"[^\W_]+", latex_to_text(title))]
    words = [word for word in words if word and not word.isdigit()]
    significant = [w for w in words if w not in _STOP_WORDS and len(w) > 1]
    return (significant or words or [""])[0]


def citation_key(work: Mapping[str, Any]) -> str:
    """``lecun2015deep``: first author's family name, year, first significant title word."""
    year = work.get("year") or (work.get("date") or "")[:4]
    return f"{_key_name(work.get('authors') or [])}{year or ''}{_key_word(work['title'])}"


def unique_keys(works: Sequence[Mapping[str, Any]]) -> list[str]:
    """A citation key per work, the repeats told apart by a letter: ``...deep``, ``...deepa``."""
    seen: dict[str, int] = {}
    keys = []
    for work in works:
        key = citation_key(work)
        count = seen.get(key, 0)
        seen[key] = count + 1
        if count:
            key += _suffix(count - 1)
        keys.append(key)
    return keys


def _suffix(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < len(letters) else str(index)


# --- entries ---------------------------------------------------------------------------


def entry_type(work: Mapping[str, Any]) -> str:
    """The BibTeX entry type for the work's type and venue."""
    folded = re.sub(r"[^a-z]", "", str(work.get("work_type") or "").lower())
    kind = _ENTRY_TYPES.get(folded, "misc")
    if kind in _NEEDS_VENUE and not work.get("venue"):
        return "misc"
    return kind


def _verbatim(value: str) -> str:
    return _VERBATIM_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", value)


def _url(work: Mapping[str, Any]) -> str | None:
    ids = work.get("ids") or {}
    if work.get("arxiv_id"):
        return f"https://arxiv.org/abs/{work['arxiv_id']}"
    if work.get("doi"):
        return f"https://doi.org/{work['doi']}"
    if ids.get("openalex"):
        return f"https://openalex.org/{ids['openalex']}"
    return None


def _month(work: Mapping[str, Any]) -> str | None:
    date = str(work.get("date") or "")
    if len(date) >= 7 and date[5:7].isdigit() and 1 <= int(date[5:7]) <= 12:
        return MONTHS[int(date[5:7]) - 1]
    return None


def entry_fields(work: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The entry's fields in writing order, each value ready to go between braces
    (``month`` is a bare macro name)."""
    kind = entry_type(work)
    authors = work.get("authors") or []
    fields = [("title", title_value(work["title"]))]
    if authors:
        fields.append(("author", " and ".join(bibtex_name(author) for author in authors)))
    if kind in _VENUE_FIELDS and work.get("venue"):
        fields.append((_VENUE_FIELDS[kind], escape(work["venue"])))
    year = work.get("year") or (work.get("date") or "")[:4]
    if year:
        fields.append(("year", str(year)))
    if month := _month(work):
        fields.append(("month", month))
    if work.get("journal_ref"):
        fields.append(("note", escape(work["journal_ref"])))
    if work.get("doi"):
        fields.append(("doi", _verbatim(work["doi"])))
    if work.get("arxiv_id"):
        fields.append(("eprint", _verbatim(work["arxiv_id"])))
        fields.append(("archivePrefix", "arXiv"))
        if work.get("categories"):
            fields.append(("primaryClass", _verbatim(work["categories"][0])))
    if url := _url(work):
        fields.append(("url", _verbatim(url)))
    return fields


def bibtex_entry(work: Mapping[str, Any], key: str | None = None) -> str:
    """One work as a BibTeX entry (ending in a newline)."""
    lines = [f"@{entry_type(work)}{{{key or citation_key(work)},"]
    for name, value in entry_fields(work):
        shown = value if name == "month" else "{" + value + "}"
        lines.append(f"  {name} = {shown},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibtex_file(works: Iterable[Mapping[str, Any]]) -> str:
    """Every work as one ``.bib`` file, in the given order, with unique keys."""
    listed = list(works)
    keys = unique_keys(listed)
    return "\n".join(bibtex_entry(work, key) for work, key in zip(listed, keys, strict=True))


def filename(key: str) -> str:
    """A safe download name for a ``.bib`` file from a citation key."""
    return (re.sub(r"[^A-Za-z0-9._-]+", "", key) or "works") + ".bib"
