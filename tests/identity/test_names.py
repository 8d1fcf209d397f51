"""Name normalization: which spellings are one author in the first cut."""

from __future__ import annotations

import pytest

from scholarfolio.identity.names import author_id_for, display_name, fold, name_key
from scholarfolio.models import AuthorName


def plain(name: str) -> AuthorName:
    return AuthorName(raw=name, name=name)


def test_hyphen_and_space_in_a_surname_are_one_author() -> None:
    assert name_key(plain("Ravid Shwartz-Ziv")) == name_key(plain("Ravid Shwartz Ziv"))
    structured = AuthorName("Shwartz-Ziv, Ravid", "Ravid Shwartz-Ziv", "Shwartz-Ziv", "Ravid")
    assert name_key(structured) == "ravid shwartz ziv"


def test_accents_case_and_order_do_not_matter() -> None:
    # Real spellings from the arXiv snapshot (0704.0001) and its authors_parsed.
    assert name_key(plain("C. Balázs")) == name_key(plain("C. Balazs")) == "c balazs"
    assert name_key(AuthorName("Balázs, C.", "C. Balázs", "Balázs", "C.")) == "c balazs"
    assert name_key(plain("Balazs, C.")) == "c balazs"
    assert name_key(plain("SØREN KIERKEGAARD")) == "soren kierkegaard"


def test_initials_stay_apart_from_full_names() -> None:
    assert name_key(plain("A. Canziani")) != name_key(plain("Alfredo Canziani"))


def test_structured_and_raw_forms_of_a_real_oai_author_agree() -> None:
    # arXivRaw 0801.3674 writes "Anne-Christine Davis (DAMTP, Cambridge)"; the
    # arXiv format gives keyname Davis, forenames Anne-Christine.
    raw = AuthorName("Anne-Christine Davis", "Anne-Christine Davis", affiliations=("DAMTP",))
    parsed = AuthorName("Davis, Anne-Christine", "Anne-Christine Davis", "Davis", "Anne-Christine")
    assert name_key(raw) == name_key(parsed) == "anne christine davis"


@pytest.mark.parametrize(
    ("text", "folded"),
    [("C.-P. Yuan", "c p yuan"), ("O'Brien", "obrien"), ("  Łukasz  Kaiser ", "lukasz kaiser")],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_author_ids_are_stable_and_readable() -> None:
    # Pinned: a changed id would break every published profile URL.
    assert author_id_for("c balazs") == "c-balazs-14d69a82"
    assert author_id_for("ravid shwartz ziv").startswith("ravid-shwartz-ziv-")
    assert author_id_for("李 明").startswith("author-")


def test_display_name_prefers_the_common_then_the_accented_spelling() -> None:
    assert display_name([("C. Balazs", 1), ("C. Balázs", 1)]) == "C. Balázs"
    assert display_name([("C. Balazs", 3), ("C. Balázs", 1)]) == "C. Balazs"
