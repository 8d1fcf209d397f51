"""arXiv identifiers in every written form, and what is not one."""

from __future__ import annotations

import pytest

from scholarfolio.errors import BadInput
from scholarfolio.ingest.ids import parse_arxiv_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # New style, four digits (2007-2014) and five digits (2015 on).
        ("0704.0001", ("0704.0001", None)),
        ("2603.05498", ("2603.05498", None)),
        ("1302.1213", ("1302.1213", None)),
        # Versioned, as in Atom entry ids and id_list queries.
        ("2104.12255v1", ("2104.12255", 1)),
        ("1111.2011v2", ("1111.2011", 2)),
        # Old style, with and without version.
        ("hep-th/9901001", ("hep-th/9901001", None)),
        ("quant-ph/0201082v1", ("quant-ph/0201082", 1)),
        ("astro-ph/0601001", ("astro-ph/0601001", None)),
        # A subject class in an old id is dropped (listing files write math.AP/9701214).
        ("math.GT/0309136", ("math/0309136", None)),
        ("math.AP/9701214", ("math/9701214", None)),
        # Prefixes and URLs.
        ("arXiv:hep-th/9901001", ("hep-th/9901001", None)),
        ("arXiv:1607.08199", ("1607.08199", None)),
        ("oai:arXiv.org:0801.3673", ("0801.3673", None)),
        ("oai:arXiv.org:acc-phys/9411001", ("acc-phys/9411001", None)),
        ("http://arxiv.org/abs/1111.2011v2", ("1111.2011", 2)),
        ("https://arxiv.org/abs/astro-ph/0601001v1", ("astro-ph/0601001", 1)),
        ("https://arxiv.org/pdf/1707.08567v1", ("1707.08567", 1)),
        ("https://export.arxiv.org/abs/2303.08867", ("2303.08867", None)),
        ("  0704.0002 \n", ("0704.0002", None)),
    ],
)
def test_accepts_every_written_form(text: str, expected: tuple[str, int | None]) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",  # the invalid id the arXiv API answers with an error entry
        "",
        "0808.05394",  # five digits before 2015: the arXiv API finds nothing for it
        "1501.0001",  # four digits after 2014
        "0703.0001",  # new style began in April 2007
        "0713.0001",  # no month 13
        "foo-bar/9901001",  # not an arXiv archive
        "hep-th/9913001",  # no month 13
        "hep-th/0901001",  # old style ended in March 2007
        "hep-th/990100",  # too few digits
        "0704.0001v0",  # versions start at 1
        "10.1103/PhysRevD.78.083502",  # a DOI
        "https://arxiv.org/api/errors#incorrect_id_format_for_abc",
    ],
)
def test_rejects_what_is_not_an_arxiv_id(text: str) -> None:
    with pytest.raises(BadInput):
        parse_arxiv_id(text)


def test_error_message_shows_the_expected_forms() -> None:
    with pytest.raises(
        BadInput, match=r"not an arXiv identifier: 'abc' \(expected e\.g\. 2603\.05498"
    ):
        parse_arxiv_id("abc")
