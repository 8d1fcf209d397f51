"""Whitespace and LaTeX clean-up of names."""

from __future__ import annotations

import pytest

from scholarfolio.ingest.text import collapse, latex_to_text, readable, repair_mojibake


def test_collapse_joins_wrapped_lines_and_trims() -> None:
    # The arXivRaw title of 0801.3674, wrapped as in the OAI page.
    wrapped = "A Study of Structure Formation and Reheating in the D3/D7 Brane\n  Inflation Model"
    assert collapse(wrapped) == (
        "A Study of Structure Formation and Reheating in the D3/D7 Brane Inflation Model"
    )
    assert collapse("  \t\n ") == ""


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("C. Bal\\'azs", "C. Balázs"),  # snapshot 0704.0001
        ("Daniel Gaff\\'e", "Daniel Gaffé"),  # arXivRaw 0801.3715
        ("Emanuele Macr\\`i", "Emanuele Macrì"),  # .abs 1607.08199
        ("P.M. Bj{\\o}rnstad", "P.M. Bjørnstad"),  # .abs 1411.4413
        ("M. He{\\ss}", "M. Heß"),  # .abs 1411.4413
        ("J. Lefran\\c{c}ois", "J. Lefrançois"),  # .abs 1411.4413
        ("T. Pila\\v{r}", "T. Pilař"),  # .abs 1411.4413
        ('Universit\\"at Dortmund', "Universität Dortmund"),  # snapshot 0704.0177
    ],
)
def test_latex_accents_become_unicode(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


@pytest.mark.parametrize(
    ("mangled", "text"),
    [
        # arXiv's OAI "arXiv" format keeps the backslash but drops the braces.
        ("S\\lawianowski", "Sławianowski"),
        ("Lefran\\ccois", "Lefrançois"),
        ("Pila\\vr", "Pilař"),
        ("Y\\ilmaz", "Yılmaz"),
    ],
)
def test_glued_control_words_from_oai_keep_their_letters(mangled: str, text: str) -> None:
    assert latex_to_text(mangled) == text


def test_plain_text_is_returned_untouched() -> None:
    plain = "Anne-Christine Davis"
    assert latex_to_text(plain) is plain


def test_readable_decodes_and_collapses() -> None:
    assert readable("Jos\\'e~Garc\\'ia\n  L\\'opez") == "José García López"


def test_repair_mojibake_undoes_utf8_read_as_latin1() -> None:
    # As recorded in the 2026 Atom feed q_testing_s0_m10.xml.
    assert repair_mojibake("JosÃ© RaÃºl Romero") == "José Raúl Romero"
    assert repair_mojibake("Aurora RamÃ\xadrez") == "Aurora Ramírez"


@pytest.mark.parametrize("genuine", ["José Raúl Romero", "Jean-Claude Léon", "Łochowski", "plain"])
def test_repair_mojibake_leaves_genuine_text_alone(genuine: str) -> None:
    assert repair_mojibake(genuine) == genuine


def test_commands_that_look_like_glued_accents_are_not_split() -> None:
    # \textsuperscript starts like the tie accent \t, \relax like the ring \r.
    assert latex_to_text(r"x\textsuperscript{2}") == "x2"
    assert latex_to_text(r"\relax foo") == "foo"
    # A macro missing its arguments is left as written, not a crash.
    assert latex_to_text(r"\href{x}") == r"\href{x}"
