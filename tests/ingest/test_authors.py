"""Splitting arXiv's raw author strings, on strings taken from the fixtures."""

from __future__ import annotations

from scholarfolio.ingest.authors import author_from_parts, split_authors
from scholarfolio.models import AuthorName


def names(authors: list[AuthorName]) -> list[str]:
    return [author.name for author in authors]


def test_affiliations_in_parentheses_and_final_and() -> None:
    # arXivRaw 0801.3674, as wrapped in the OAI page.
    raw = (
        "Robert H. Brandenberger (McGill), Keshav Dasgupta (McGill) and\n"
        "  Anne-Christine Davis (DAMTP, Cambridge)"
    )
    assert split_authors(raw) == [
        AuthorName(raw="Robert H. Brandenberger", name="Robert H. Brandenberger",
                   affiliations=("McGill",)),
        AuthorName(raw="Keshav Dasgupta", name="Keshav Dasgupta", affiliations=("McGill",)),
        AuthorName(raw="Anne-Christine Davis", name="Anne-Christine Davis",
                   affiliations=("DAMTP, Cambridge",)),
    ]  # fmt: skip


def test_latex_names_keep_raw_and_decode_name() -> None:
    # Snapshot 0704.0001.
    authors = split_authors("C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan")
    assert names(authors) == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert authors[0].raw == "C. Bal\\'azs"


def test_numbered_affiliations_are_resolved() -> None:
    # Snapshot 0704.0025: labels "1 and 2", a double-parenthesised list at the end.
    raw = (
        "A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, Japan\n"
        "  Science and Technology Agency, (2) Russian Research Centre ``Kurchatov\n"
        "  Institute'', (3) The University of Tokyo)"
    )
    mishchenko, nagaosa = split_authors(raw)
    assert mishchenko.raw == "A. S. Mishchenko"
    assert mishchenko.affiliations == (
        "CREST, Japan Science and Technology Agency",
        "Russian Research Centre ``Kurchatov Institute''",
    )
    assert nagaosa.affiliations == (
        "CREST, Japan Science and Technology Agency",
        "The University of Tokyo",
    )


def test_numbered_affiliations_separated_by_semicolons_and_no_space() -> None:
    # arXivRaw 0801.3709: "(3)((1) ..." with no space, entries separated by ";".
    raw = (
        "Mirek Giersz (1), Douglas C. Heggie (2), Jarrod R. Hurley (3)((1)\n"
        "  Nicolaus Copernicus Astronomical Centre, Warsaw, Poland; (2) University of\n"
        "  Edinburgh, School of Mathematics and Maxwell Institute for Mathematical\n"
        "  Sciences, UK; (3) Centre for Astrophysics & Supercomputing, Swinburne\n"
        "  University of Technology, Australia)"
    )
    authors = split_authors(raw)
    assert names(authors) == ["Mirek Giersz", "Douglas C. Heggie", "Jarrod R. Hurley"]
    assert [author.affiliations for author in authors] == [
        ("Nicolaus Copernicus Astronomical Centre, Warsaw, Poland",),
        ("University of Edinburgh, School of Mathematics and Maxwell Institute for "
         "Mathematical Sciences, UK",),
        ("Centre for Astrophysics & Supercomputing, Swinburne University of Technology, "
         "Australia",),
    ]  # fmt: skip


def test_numbered_affiliations_without_inner_parentheses() -> None:
    # Snapshot 0704.0139 (Kaggle line 139): "(1 Dip. Astro., Bologna; 2 INAF...)".
    raw = (
        "B. Lanzoni (1,2), E. Dalessandro (1,2), F.R. Ferraro (1), C. Mancini (3), G.\n"
        "  Beccari (2,4,5), R.T. Rood (6), M. Mapelli (7), S. Sigurdsson (8) (1 Dip.\n"
        "  Astro., Bologna; 2 INAF--Oss. Astro., Bologna, 3 Dip. Astro. e Scienza dello\n"
        "  Spazio, Firenze; 4 Dip. di Scienze della Comunicazione, Teramo; 5 INAF--Oss.\n"
        "  Astro. di Collurania, Teramo; 6 Dep. of Astronomy and Astrophysics, The\n"
        "  Pennsylvania State University; 7 S.I.S.S.A., Via Beirut 2 - 4, Trieste; 8\n"
        "  Astronomy Department, University of Virginia)"
    )
    authors = split_authors(raw)
    assert len(authors) == 8
    assert authors[4].name == "G. Beccari"
    assert authors[4].affiliations == (
        "INAF--Oss. Astro., Bologna",
        "Dip. di Scienze della Comunicazione, Teramo",
        "INAF--Oss. Astro. di Collurania, Teramo",
    )
    assert authors[6].affiliations == ("S.I.S.S.A., Via Beirut 2 - 4, Trieste",)


def test_suffix_after_comma_joins_the_previous_name() -> None:
    # .abs 0704.0802.
    authors = split_authors("Caleb K. Lo, Robert W. Heath, Jr. and Sriram Vishwanath")
    assert names(authors) == ["Caleb K. Lo", "Robert W. Heath Jr.", "Sriram Vishwanath"]
    assert authors[1].raw == "Robert W. Heath, Jr."
    assert authors[1].suffix == "Jr."


def test_suffix_after_a_latex_thin_space() -> None:
    # .abs 1310.8286 writes "M. Finger,\\, Jr." in a 380-author PHENIX list.
    authors = split_authors("D.E. Fields, M. Finger, M. Finger,\\, Jr., F. Fleuret")
    assert names(authors) == ["D.E. Fields", "M. Finger", "M. Finger Jr.", "F. Fleuret"]


def test_suffix_inside_a_name_is_recognised() -> None:
    # arXivRaw page: "Isaac Chappell II and S. James Gates Jr".
    chappell, gates = split_authors("Isaac Chappell II and S. James Gates Jr")
    assert (chappell.name, chappell.suffix) == ("Isaac Chappell II", "II")
    assert (gates.name, gates.suffix) == ("S. James Gates Jr", "Jr")


def test_collaborations_stay_names_and_et_al_is_dropped() -> None:
    # Snapshot 0704.0020 and an arXivRaw "CDF Collaboration: ..." string.
    assert names(split_authors("The BABAR Collaboration, B. Aubert, et al")) == [
        "The BABAR Collaboration",
        "B. Aubert",
    ]
    assert names(split_authors("CDF Collaboration: T. Aaltonen, et al")) == [
        "CDF Collaboration",
        "T. Aaltonen",
    ]


def test_joint_collaborations_are_not_split_on_and() -> None:
    # arXivRaw: "..., and J. M. Zanotti, for the RBC and UKQCD Collaborations".
    authors = split_authors(
        "R. J. Tweedie, and J. M. Zanotti, for the RBC and UKQCD Collaborations"
    )
    assert names(authors) == ["R. J. Tweedie", "J. M. Zanotti", "RBC and UKQCD Collaborations"]
    assert authors[2].raw == "for the RBC and UKQCD Collaborations"


def test_ampersand_separates_authors_outside_parentheses_only() -> None:
    # .abs 0704.0535: ", &" before the last author, numbered list without commas.
    raw = (
        "Antonio Pipino (1,3), Thomas H. Puzia (2,4), & Francesca Matteucci (3)\n"
        "  ((1) Astrophysics, University of Oxford, UK (2) Herzberg Institute of\n"
        "  Astrophysics, Canada, (3) Dipartimento di Astronomia, Universita' di Trieste,\n"
        "  Italy, (4) Space Telescope Science Institute, USA.)"
    )
    pipino, puzia, matteucci = split_authors(raw)
    assert pipino.affiliations == (
        "Astrophysics, University of Oxford, UK",
        "Dipartimento di Astronomia, Universita' di Trieste, Italy",
    )
    assert puzia.affiliations == (
        "Herzberg Institute of Astrophysics, Canada",
        "Space Telescope Science Institute, USA.",
    )
    assert matteucci.name == "Francesca Matteucci"
    # An arXivRaw string (same 2008 page, beyond the 100 records kept): "&" inside parentheses.
    torrejon = split_authors(
        "Ignacio Negueruela (Alicante), Jose Miguel Torrejon (Alicante & MIT), Pablo Reig (Crete)"
    )[1]
    assert (torrejon.name, torrejon.affiliations) == ("Jose Miguel Torrejon", ("Alicante & MIT",))


def test_empty_string_has_no_authors() -> None:
    assert split_authors("") == []
    assert split_authors("  \n ") == []


def test_author_from_parts_decodes_and_orders_the_name() -> None:
    author = author_from_parts("Bal\\'azs", "C.", None, ["Argonne"])
    assert author == AuthorName(
        raw="C. Bal\\'azs",
        name="C. Balázs",
        keyname="Balázs",
        forenames="C.",
        affiliations=("Argonne",),
    )


def test_author_from_parts_rejoins_hyphenated_initials() -> None:
    # authors_parsed of 0704.0001 gives ["Yuan", "C. -P.", ""] for "C.-P. Yuan".
    author = author_from_parts("Yuan", "C. -P.", "", raw="C.-P. Yuan")
    assert (author.name, author.forenames, author.raw) == ("C.-P. Yuan", "C.-P.", "C.-P. Yuan")
