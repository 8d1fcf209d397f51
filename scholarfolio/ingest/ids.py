"""arXiv identifiers: recognise every written form and reduce it to the canonical id.

Rules follow arXiv's identifier scheme (https://info.arxiv.org/help/arxiv_identifier.html):
new-style ``YYMM.NNNN`` (April 2007 to December 2014) and ``YYMM.NNNNN`` (from
January 2015), old-style ``archive/YYMMNNN`` (1991 to March 2007), each
optionally followed by ``vN``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from scholarfolio.errors import BadInput

# Archives that issued old-style identifiers (arXiv's list of legacy archives).
OLD_ARCHIVES = frozenset(
    {
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an",
        "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an",
        "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th",
        "nlin", "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio",
        "quant-ph", "solv-int", "supr-con",
    }
)  # fmt: skip

_PREFIXES = re.compile(
    r"""^(?:
        oai:arxiv\.org:
      | arxiv:
      | (?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_NEW_STYLE = re.compile(r"^(?P<yymm>\d{4})\.(?P<number>\d{4,5})(?:v(?P<version>\d+))?$")
_OLD_STYLE = re.compile(
    r"^(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?"
    r"/(?P<yymm>\d{4})(?P<number>\d{3})(?:v(?P<version>\d+))?$"
)
# The first new-style month, and the month the number grew to five digits.
_FIRST_NEW_STYLE = 704
_FIVE_DIGITS_FROM = 1501


def parse_arxiv_id(text: str) -> tuple[str, int | None]:
    """Return ``(canonical id, version or None)`` for any written form of an arXiv id.

    Accepts ``0704.0001``, ``2603.05498v2``, ``hep-th/9901001``, ``math.GT/0309136``
    (the subject class is dropped: ``math/0309136``), with an optional ``arXiv:`` or
    ``oai:arXiv.org:`` prefix or as an abs/pdf URL. Raises :class:`BadInput` otherwise.
    """
    candidate = _PREFIXES.sub("", text.strip())
    candidate = candidate.removesuffix(".pdf").rstrip("/")
    new_style = _NEW_STYLE.match(candidate)
    if new_style and _new_style_is_valid(new_style["yymm"], new_style["number"]):
        return f"{new_style['yymm']}.{new_style['number']}", _version(new_style["version"])
    old_style = _OLD_STYLE.match(candidate)
    if old_style and _old_style_is_valid(old_style["archive"], old_style["yymm"]):
        canonical = f"{old_style['archive']}/{old_style['yymm']}{old_style['number']}"
        return canonical, _version(old_style["version"])
    raise BadInput(
        f"not an arXiv identifier: {text!r} "
        "(expected e.g. 2603.05498, 0704.0001v2, hep-th/9901001 or an arxiv.org/abs/ URL)"
    )


def _version(digits: str | None) -> int | None:
    """The version number from the digits after ``v``; ``v0`` is not a version."""
    if digits is None:
        return None
    number = int(digits)
    if number < 1:
        raise BadInput(f"arXiv versions start at v1, not v{digits}")
    return number


def _new_style_is_valid(yymm: str, number: str) -> bool:
    """Whether the month exists and the number has the digit count of that period."""
    month = int(yymm[2:])
    period = int(yymm)
    if not 1 <= month <= 12 or period < _FIRST_NEW_STYLE:
        return False
    expected_digits = 5 if period >= _FIVE_DIGITS_FROM else 4
    return len(number) == expected_digits


def _old_style_is_valid(archive: str, yymm: str) -> bool:
    """Whether the archive existed and the month falls in the old-style era (1991-2007)."""
    year, month = int(yymm[:2]), int(yymm[2:])
    in_era = year >= 91 or year <= 7
    return archive in OLD_ARCHIVES and 1 <= month <= 12 and in_era


_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|https?://[^/]+/doi/)", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.I)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)


def normalize_doi(text: str | None) -> str | None:
    """A DOI lower-cased without resolver prefix (``https://doi.org/10.1/X`` -> ``10.1/x``).

    None when ``text`` is empty or is not a DOI (DOIs start with ``10.``).
    """
    if not text:
        return None
    candidate = text.strip()
    prefix = _DOI_PREFIX.match(candidate)
    if prefix:
        # A DOI inside a URL may be percent-encoded (10.1000%2Fabc).
        candidate = unquote(candidate[prefix.end() :])
    candidate = candidate.strip().lower()
    return candidate if _DOI.match(candidate) else None


def canonical_arxiv(text: str | None) -> str | None:
    """The canonical unversioned arXiv id of any written form, or None if it is not one."""
    if not text:
        return None
    try:
        return parse_arxiv_id(text)[0]
    except BadInput:
        return None


def arxiv_from_doi(doi: str | None) -> str | None:
    """The arXiv id of an arXiv DOI (``10.48550/arxiv.2603.05498`` -> ``2603.05498``)."""
    match = _ARXIV_DOI.match(doi.strip()) if doi else None
    return canonical_arxiv(match["id"]) if match else None


def bare_orcid(text: str | None) -> str | None:
    """The bare ORCID in an ORCID URL or id (``https://orcid.org/0000-...`` -> ``0000-...``)."""
    match = _ORCID.search(text.strip().rstrip("/")) if text else None
    return match.group(1).upper() if match else None
