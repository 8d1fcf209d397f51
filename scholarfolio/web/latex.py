"""LaTeX in titles and abstracts as readable HTML: ``$\\alpha$`` -> α, ``x^2`` -> x<sup>2</sup>.

Titles and abstracts keep their raw text in the store and the JSON; only the
HTML pages show them decoded. :func:`latex_html` parses the small part of
LaTeX that shows up in arXiv metadata: math between ``$...$``, ``$$...$$``,
``\\(...\\)`` and ``\\[...\\]``; superscripts and subscripts in math; symbol
macros (Greek letters, arrows, relations, via pylatexenc's table); accents;
``\\emph``/``\\textit`` (``<em>``), ``\\textbf`` (``<strong>``); the old
``{\\em ...}`` switches; ``\\frac`` and ``\\sqrt``; TeX quotes, dashes and ties
(````a''`` -> “a”, ``--`` -> –). Any other macro becomes its readable text: its
arguments, or its name when it has none.

Every piece of text is escaped before it is wrapped in the few tags above, so
the result is safe Markup. Input that does not parse (an unclosed ``$`` or an
unbalanced brace) is shown as it is, escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape
from pylatexenc import latex2text, latexwalker

# Text without any of these holds no markup worth parsing (TeX quotes and dashes included).
_MARKERS = re.compile(r"[\\${}]|``|--")

# Runs of characters with no special meaning, in text and in math mode.
_TEXT_RUN = re.compile(r"[^\\${}]+")
_MATH_RUN = re.compile(r"[^\\${}^_'~]+")
_LETTERS = re.compile(r"[A-Za-z]+")
_TIE = re.compile(r"(?<=\S)~(?=\S)")
_TYPOGRAPHY = (("``", "“"), ("''", "”"), ("---", "—"), ("--", "–"))

# Characters math mode shows differently: a hyphen is a minus, a quote a prime.
_MATH_CHARS = {"-": "\u2212", "'": "′"}

# Accent control symbols and words, as Unicode combining characters.
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "hat": "\u0302",
    "widehat": "\u0302",
    "check": "\u030c",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "bar": "\u0304",
    "breve": "\u0306",
    "acute": "\u0301",
    "grave": "\u0300",
    "dot": "\u0307",
    "ddot": "\u0308",
    "vec": "\u20d7",
}

# Control symbols that stand for a character (or for nothing).
_CONTROL_SYMBOLS = {
    "\\": " ",
    " ": " ",
    ",": "\u2009",
    ";": " ",
    ":": " ",
    ">": " ",
    "!": "",
    "/": "",
    "-": "",
    "@": "",
    "%": "%",
    "$": "$",
    "&": "&",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
}

# One-argument macros shown as their argument in a tag ("" for no tag).
_STYLED = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "mathit": "em",
    "textbf": "strong",
    "mathbf": "strong",
    "boldsymbol": "strong",
    "bm": "strong",
    "pmb": "strong",
    "textsuperscript": "sup",
    "textsubscript": "sub",
    "text": "",
    "textrm": "",
    "textnormal": "",
    "textup": "",
    "textsf": "",
    "texttt": "",
    "textsc": "",
    "mathrm": "",
    "mathsf": "",
    "mathtt": "",
    "mathop": "",
    "operatorname": "",
    "mbox": "",
    "hbox": "",
    "underline": "",
    "overline": "",
    "url": "",
}

# Old-style switches: ``{\em words}`` styles the rest of the group.
_SWITCHES = {
    "em": "em",
    "it": "em",
    "itshape": "em",
    "sl": "em",
    "slshape": "em",
    "bf": "strong",
    "bfseries": "strong",
}
_NEUTRAL_SWITCHES = frozenset(
    ("rm", "sf", "tt", "sc", "cal", "normalfont", "upshape", "mdseries", "scshape")
    + ("rmfamily", "sffamily", "ttfamily", "displaystyle", "textstyle", "scriptstyle")
    + ("small", "footnotesize", "large", "Large", "tiny")
)

# Macros that print nothing themselves.
_SILENT = frozenset(
    ("left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr")
    + ("biggl", "biggr", "limits", "nolimits", "nonumber", "noindent", "centering", "hfill")
    + ("vfill", "quad", "qquad", "par", "newline")
)
_SPACES = frozenset({"quad", "qquad", "par", "newline"})

# Macros whose arguments are bookkeeping, not text.
_DROPPED = frozenset({"cite", "citep", "citet", "nocite", "label"})

_NAMED = {"LaTeX": "LaTeX", "TeX": "TeX", "i": "ı", "j": "ȷ", "circ": "∘"}

# Math alphabets: \mathbb{R} -> ℝ, \mathcal{L} -> ℒ (Unicode names of the letters).
_ALPHABETS = {
    "mathbb": ("MATHEMATICAL DOUBLE-STRUCK", "DOUBLE-STRUCK"),
    "mathcal": ("MATHEMATICAL SCRIPT", "SCRIPT"),
    "mathscr": ("MATHEMATICAL SCRIPT", "SCRIPT"),
    "mathfrak": ("MATHEMATICAL FRAKTUR", "BLACK-LETTER"),
}


class _Unbalanced(Exception):
    """The input is not well-formed LaTeX; it is shown as plain text."""


@dataclass(frozen=True, slots=True)
class _Switch:
    """A switch macro such as ``\\em``: the rest of the group gets ``tag``."""

    tag: str


def latex_html(text: str) -> Markup:
    """``text`` with its LaTeX shown readably, as escaped HTML."""
    if not _MARKERS.search(text):
        return escape(text)
    return _decoded(text)


@lru_cache(maxsize=4096)
def _decoded(text: str) -> Markup:
    """The parsed form; cached because a page shows the same titles again and again."""
    reader = _Reader(text)
    try:
        html = _sequence(reader, math=False, until=None)
    except _Unbalanced:
        return escape(text)
    return Markup(unicodedata.normalize("NFC", html))


class _Reader:
    """A cursor over the input text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    @property
    def done(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def startswith(self, prefix: str) -> bool:
        return self.text.startswith(prefix, self.pos)

    def take(self, count: int = 1) -> str:
        taken = self.text[self.pos : self.pos + count]
        self.pos += count
        return taken

    def take_run(self, pattern: re.Pattern[str]) -> str:
        match = pattern.match(self.text, self.pos)
        if match is None:
            return ""
        self.pos = match.end()
        return match.group(0)

    def skip_spaces(self) -> None:
        while self.peek().isspace():
            self.pos += 1


def _sequence(reader: _Reader, math: bool, until: str | None) -> str:
    """HTML for everything up to ``until`` (consumed), or to the end when None."""
    parts: list[str] = []
    while True:
        if until is not None and reader.startswith(until):
            reader.take(len(until))
            return "".join(parts)
        if reader.done:
            if until is not None:
                raise _Unbalanced
            return "".join(parts)
        piece = _piece(reader, math, until)
        if isinstance(piece, _Switch):
            rest = _sequence(reader, math, until)
            parts.append(_wrap(piece.tag, rest))
            return "".join(parts)
        parts.append(piece)


def _piece(reader: _Reader, math: bool, until: str | None) -> str | _Switch:
    """The HTML of the next piece: a run of text, a group, math, a macro or a script."""
    char = reader.peek()
    if char == "}":
        raise _Unbalanced
    if char == "{":
        reader.take()
        return _sequence(reader, math, "}")
    if char == "$":
        if math:
            raise _Unbalanced
        closer = "$$" if reader.startswith("$$") else "$"
        reader.take(len(closer))
        return _sequence(reader, True, closer)
    if char == "\\":
        return _control(reader, math)
    if math:
        return _math_piece(reader)
    # What came just before the run (markup such as "$" or "}") counts for ties.
    before = reader.text[reader.pos - 1 : reader.pos]
    return str(escape(_typography(before + reader.take_run(_TEXT_RUN))[len(before) :]))


def _typography(text: str) -> str:
    """TeX's quotes, dashes and ties in running text: ``a'' -> “a”, -- -> –, x~y -> x y."""
    for source, shown in _TYPOGRAPHY:
        if source in text:
            text = text.replace(source, shown)
    # A tie joins two words; a lone "~" before a number means "about", and stays.
    return _TIE.sub("\u00a0", text) if "~" in text else text


def _math_piece(reader: _Reader) -> str:
    char = reader.peek()
    if char in "^_":
        reader.take()
        script = _argument(reader, math=True)
        if char == "^" and script == "∘":
            return "°"
        return _wrap("sup" if char == "^" else "sub", script)
    if char == "'":
        reader.take()
        return "′"
    if char == "~":
        reader.take()
        return " "
    # A hyphen in math is a minus sign.
    return str(escape(reader.take_run(_MATH_RUN))).replace("-", "\u2212")


def _argument(reader: _Reader, math: bool) -> str:
    """One macro or script argument: a group, a macro or a single character."""
    reader.skip_spaces()
    char = reader.peek()
    if char in ("", "}", "$"):
        raise _Unbalanced
    if char == "{":
        reader.take()
        return _sequence(reader, math, "}")
    if char == "\\":
        piece = _control(reader, math)
        return "" if isinstance(piece, _Switch) else piece
    reader.take()
    if math and char in _MATH_CHARS:
        return _MATH_CHARS[char]
    return str(escape(char))


def _optional(reader: _Reader, math: bool) -> str | None:
    """An optional ``[...]`` argument, or None."""
    reader.skip_spaces()
    if reader.peek() != "[":
        return None
    end = reader.text.find("]", reader.pos)
    if end < 0:
        raise _Unbalanced
    inner = _Reader(reader.text[reader.pos + 1 : end])
    reader.pos = end + 1
    return _sequence(inner, math, None)


def _control(reader: _Reader, math: bool) -> str | _Switch:
    """A control symbol (``\\%``) or control word (``\\alpha``) and its arguments."""
    reader.take()  # the backslash
    if reader.done:
        raise _Unbalanced
    if not math and reader.peek() in "([":
        closer = "\\)" if reader.take() == "(" else "\\]"
        return _sequence(reader, True, closer)
    name = reader.take_run(_LETTERS) or reader.take()
    if len(name) == 1 and not name.isalpha() and name not in _ACCENTS:
        if name not in _CONTROL_SYMBOLS:
            raise _Unbalanced  # a stray \) or \]
        return str(escape(_CONTROL_SYMBOLS[name]))
    if reader.peek() == "*":
        reader.take()
    return _macro(reader, name, math)


def _macro(reader: _Reader, name: str, math: bool) -> str | _Switch:
    handler = _HANDLERS.get(name)
    if handler is not None:
        return handler(reader, name, math)
    if name in _SWITCHES or name in _NEUTRAL_SWITCHES:
        reader.skip_spaces()  # as TeX does after a control word: "{\\em word}"
        return _Switch(_SWITCHES.get(name, ""))
    if name in _SILENT:
        if reader.peek() == ".":
            reader.take()  # \left. is an invisible delimiter
        return " " if name in _SPACES else ""
    symbol = _NAMED.get(name) or _symbol(name)
    # Unknown macro: its letters rather than nothing; its arguments follow as groups.
    return str(escape(symbol if symbol is not None else name))


def _accented(reader: _Reader, name: str, math: bool) -> str:
    base = _argument(reader, math)
    if base.startswith(("ı", "ȷ")):
        base = base.replace("ı", "i", 1).replace("ȷ", "j", 1)  # \'\i is a plain í
    mark = _ACCENTS[name]
    if base[:1].isalpha():
        return base[0] + mark + base[1:]
    return base + mark


def _styled(reader: _Reader, name: str, math: bool) -> str:
    return _wrap(_STYLED[name], _argument(reader, math))


def _alphabet(reader: _Reader, name: str, math: bool) -> str:
    inner = _argument(reader, math)
    prefixes = _ALPHABETS[name]
    return "".join(_math_letter(char, prefixes) for char in inner) if inner.isalpha() else inner


def _math_letter(char: str, prefixes: tuple[str, str]) -> str:
    case = "CAPITAL" if char.isupper() else "SMALL"
    for prefix in prefixes:
        try:
            return unicodedata.lookup(f"{prefix} {case} {char.upper()}")
        except KeyError:
            continue
    return char


def _fraction(reader: _Reader, name: str, math: bool) -> str:
    numerator = _argument(reader, math)
    denominator = _argument(reader, math)
    return f"{_grouped(numerator)}/{_grouped(denominator)}"


def _root(reader: _Reader, name: str, math: bool) -> str:
    index = _optional(reader, math)
    radicand = _argument(reader, math)
    prefix = _wrap("sup", index) if index else ""
    return f"{prefix}√{_grouped(radicand)}"


def _dropped(reader: _Reader, name: str, math: bool) -> str:
    _optional(reader, math)
    _optional(reader, math)
    _argument(reader, math)
    return ""


def _link(reader: _Reader, name: str, math: bool) -> str:
    _argument(reader, math)  # the address: a page shows the words
    return _argument(reader, math)


_Handler = Callable[[_Reader, str, bool], str]

_HANDLERS: dict[str, _Handler] = {
    **{name: _accented for name in _ACCENTS},
    **{name: _styled for name in _STYLED},
    **{name: _alphabet for name in _ALPHABETS},
    **{name: _fraction for name in ("frac", "dfrac", "tfrac", "cfrac")},
    **{name: _dropped for name in _DROPPED},
    "sqrt": _root,
    "href": _link,
}


def _grouped(html: str) -> str:
    """``html`` in parentheses unless it is a single letter, digit or number."""
    return html if html.isalnum() else f"({html})"


def _wrap(tag: str, html: str) -> str:
    return f"<{tag}>{html}</{tag}>" if tag and html else html


@lru_cache(maxsize=2048)
def _symbol(name: str) -> str | None:
    """The character pylatexenc prints for an argument-less macro (``alpha`` -> α)."""
    walker_spec = latexwalker.get_default_latex_context_db().get_macro_spec(name)
    if walker_spec is not None and walker_spec.args_parser.argspec:
        return None
    spec = latex2text.get_default_latex_context_db().get_macro_spec(name)
    replacement = getattr(spec, "simplify_repl", None)
    if not isinstance(replacement, str) or "%" in replacement or "<" in replacement:
        return None
    return replacement
