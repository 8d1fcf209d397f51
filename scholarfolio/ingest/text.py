"""Text clean-up shared by the arXiv parsers: whitespace and LaTeX in names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc import latex2text, latexwalker

# Characters that mean a string may hold LaTeX markup. Decoding is slow, so
# plain names (the vast majority) skip pylatexenc entirely.
_LATEX_MARKERS = frozenset("\\{}$")

# arXiv's OAI "arXiv" format strips the braces and quotes out of accents, which
# leaves control words glued to the next letters: ``S\lawianowski`` (from
# ``S{\l}awianowski``), ``Lefran\ccois`` (``Lefran\c{c}ois``), ``Pila\vr``
# (``Pila\v{r}``). pylatexenc would drop such unknown macros with the letters
# they swallowed, so they are split back before decoding.
_GLUED_GLYPHS = ("ss", "aa", "AA", "ae", "AE", "oe", "OE", "o", "O", "l", "L", "i", "j")
_LETTER_ACCENTS = frozenset("vcuHkrdbt")
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
# Real commands that begin like a glued accent (\t, \r, \c, ...): never split them.
_COMMANDS = frozenset(
    {
        "relax",
        "href",
        "url",
        "cite",
        "ref",
        "label",
        "footnote",
        "mbox",
        "hbox",
        "emph",
        "it",
        "bf",
        "rm",
        "sc",
        "em",
        "tt",
        "sl",
        "small",
        "large",
        "newline",
        "linebreak",
        "ldots",
        "dots",
        "cdots",
        "boldsymbol",
        "cal",
        "vec",
        "hat",
        "bar",
        "tilde",
    }
)


def collapse(text: str) -> str:
    """Collapse every run of whitespace (newlines, tabs, no-break spaces) to one space."""
    return " ".join(text.split())


def latex_to_text(text: str) -> str:
    """Decode LaTeX accents, special letters and braces to Unicode (``Bal\\'azs`` -> ``Balázs``).

    Text without a backslash, brace or dollar sign is returned unchanged.
    """
    if not _LATEX_MARKERS.intersection(text):
        return text
    return _decode_latex(text)


@lru_cache(maxsize=16384)
def _decode_latex(text: str) -> str:
    """The pylatexenc decoding, cached: the same names recur on many papers."""
    repaired = _CONTROL_WORD.sub(_repair_control_word, text)
    try:
        decoded = _converter().latex_to_text(repaired)
    except (latexwalker.LatexWalkerError, IndexError, RecursionError):
        # IndexError: pylatexenc on a macro missing its arguments (\href{x}).
        # RecursionError: pylatexenc recurses once per brace ("{" * 5000, found by fuzzing).
        # Markup too broken even for tolerant parsing: the raw text is more
        # useful than nothing.
        return text
    return unicodedata.normalize("NFC", decoded)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1 (``JosÃ© RaÃºl`` -> ``José Raúl``).

    Only a string that is entirely Latin-1 and whose bytes form valid UTF-8 is
    changed; a genuine Latin-1 accent such as ``é`` alone is not valid UTF-8
    and stays as it is.
    """
    if not any("\u0080" <= char <= "\u00ff" for char in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def readable(text: str) -> str:
    """LaTeX decoded and whitespace collapsed: the form of a name shown to people."""
    return collapse(latex_to_text(text))


@lru_cache(maxsize=1)
def _converter() -> latex2text.LatexNodes2Text:
    """The shared LaTeX-to-text converter, built on first use (not at import)."""
    return latex2text.LatexNodes2Text()


@lru_cache(maxsize=1024)
def _is_known_macro(name: str) -> bool:
    """Whether pylatexenc knows how to render the control word ``\\name``."""
    text_db = latex2text.get_default_latex_context_db()
    walker_db = latexwalker.get_default_latex_context_db()
    return text_db.get_macro_spec(name) is not None or walker_db.get_macro_spec(name) is not None


def _repair_control_word(match: re.Match[str]) -> str:
    """Split an unknown glued control word such as ``\\ccois`` into ``\\c{c}ois``."""
    name = match.group(1)
    if _is_known_macro(name) or name in _COMMANDS or name.startswith(("text", "math")):
        return match.group(0)
    for glyph in _GLUED_GLYPHS:
        if name.startswith(glyph):
            return f"\\{glyph}{{}}{name[len(glyph) :]}"
    if name[0] in _LETTER_ACCENTS and len(name) > 1:
        return f"\\{name[0]}{{{name[1]}}}{name[2:]}"
    # An unknown command: keep its letters rather than lose them.
    return name
