"""LaTeX in real arXiv titles and abstracts, shown readably and always escaped."""

from __future__ import annotations

from markupsafe import Markup

from scholarfolio.web.latex import latex_html


def test_math_becomes_symbols_superscripts_and_subscripts() -> None:
    # Real titles: 1411.4413, 0704.0005, 1302.0715.
    assert latex_html(
        r"Observation of the rare $B^0_s\to\mu^+\mu^-$ decay from the combined analysis"
    ) == Markup(
        "Observation of the rare B<sup>0</sup><sub>s</sub>→μ<sup>+</sup>μ<sup>−</sup> decay"
        " from the combined analysis"
    )
    assert latex_html(r"From dyadic $\Lambda_{\alpha}$ to $\Lambda_{\alpha}$") == Markup(
        "From dyadic Λ<sub>α</sub> to Λ<sub>α</sub>"
    )
    assert latex_html(
        r"Non separable reflexive spaces admitting $\ell_1$ as a unique spreading model"
    ) == Markup(
        "Non separable reflexive spaces admitting ℓ<sub>1</sub> as a unique spreading model"
    )


def test_roots_fractions_alphabets_and_degrees() -> None:
    # 1310.8286 and 0704.0011 (with its unknown \Q macro kept as its letter).
    assert latex_html(r"at $\sqrt{s_{_{NN}}}$=200 GeV") == Markup(
        "at √(s<sub><sub>NN</sub></sub>)=200 GeV"
    )
    assert latex_html(r"over $\Q(\sqrt{5})$ via") == Markup("over Q(√5) via")
    assert latex_html(r"$\frac{a+b}{2}$, $\mathbb{R}^n$, $T=10^\circ$") == Markup(
        "(a+b)/2, ℝ<sup>n</sup>, T=10°"
    )


def test_text_macros_accents_and_emphasis() -> None:
    # 2303.08477 (L\'evy), 0704.0019 (Gr\"obner), 1302.0650 (\omega outside math),
    # 1302.0734 (\emph{... $\G$}, an unknown macro inside).
    assert latex_html(r"affine models driven by independent L\'evy processes") == Markup(
        "affine models driven by independent Lévy processes"
    )
    assert latex_html(r"the contact process based on the Gr\"obner basis") == Markup(
        "the contact process based on the Gröbner basis"
    )
    assert latex_html(r"frequencies \omega and 2\omega") == Markup("frequencies ω and 2ω")
    assert latex_html(r"which generate the \emph{toric algebra of $\G$} (type II)") == Markup(
        "which generate the <em>toric algebra of G</em> (type II)"
    )
    assert latex_html(r"\textbf{bold}, \textit{it} and {\em old style}") == Markup(
        "<strong>bold</strong>, <em>it</em> and <em>old style</em>"
    )


def test_quotes_dashes_and_ties_read_as_typeset() -> None:
    # 0801.3716 and 1607.00786.
    assert latex_html(r"a ``twisted model'' with techniquarks") == Markup(
        "a “twisted model” with techniquarks"
    )
    assert latex_html(r"at $\sqrt{s_{NN}}=5.02$~TeV, about ~10 GeV") == Markup(
        "at √(s<sub>NN</sub>)=5.02\u00a0TeV, about ~10 GeV"
    )


def test_every_piece_of_text_is_escaped() -> None:
    # 0801.3704 has "<" in math; astro-ph/0601001 has "<" and "&" in plain text.
    assert latex_html(r"When $-1<q<1$ the $L_p$ estimates") == Markup(
        "When −1&lt;q&lt;1 the L<sub>p</sub> estimates"
    )
    assert latex_html("V_max<17.5, Gould & Morgan (2003)") == Markup(
        "V_max&lt;17.5, Gould &amp; Morgan (2003)"
    )
    assert latex_html(r"\emph{<script>alert(1)</script>} $<b>$") == Markup(
        "<em>&lt;script&gt;alert(1)&lt;/script&gt;</em> &lt;b&gt;"
    )


def test_unbalanced_input_is_left_as_escaped_text() -> None:
    for text in (r"an unclosed $x^2 & y", r"a {brace", r"a } b", r"$x^$", "trailing \\"):
        assert latex_html(text) == Markup.escape(text), text


def test_control_symbols_are_their_characters() -> None:
    assert latex_html(r"5\% of \$3 \& more") == Markup("5% of $3 &amp; more")
    assert latex_html(r"as shown \cite{smith2020} before") == Markup("as shown  before")
