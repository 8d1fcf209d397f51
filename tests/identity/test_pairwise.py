"""Pair evidence: which names can be one person, how affiliations compare, the fitted score."""

from __future__ import annotations

import numpy as np
import pytest

from scholarfolio.identity.pairwise import (
    NAMES_AND_AFFILIATIONS,
    WITH_PAPERS,
    Evidence,
    affiliation_tokens,
    calibration_features,
    fit_weights,
    name_form,
    names_compatible,
)
from scholarfolio.identity.s2and import Dataset, Signature, block_key


@pytest.mark.parametrize(
    ("one", "other", "compatible"),
    [
        (("Jun", ""), ("Jian", ""), False),
        (("Jun", ""), ("Junli", ""), False),
        (("J.", ""), ("Jun", ""), True),
        (("Jun-Li", ""), ("Junli", ""), True),
        (("J.-L.", ""), ("Jun-Li", ""), True),
        (("J.-P.", ""), ("Jun-Li", ""), False),
        (("Jun", "Li"), ("Junli", ""), True),
        (("", ""), ("Jun", ""), True),
        (("Dr A'bdul", ""), ("Abdul", ""), True),
    ],
)
def test_first_names_that_can_be_one_person(
    one: tuple[str, str], other: tuple[str, str], compatible: bool
) -> None:
    a, b = name_form(*one, "Li"), name_form(*other, "Li")
    assert names_compatible(a, b) is compatible
    assert names_compatible(b, a) is compatible


def test_surnames_must_agree_but_may_drop_a_part() -> None:
    sylvie = name_form("Sylvie", "", "Crasquin")
    assert names_compatible(sylvie, name_form("S.", "", "Crasquin-Soleau"))
    assert not names_compatible(sylvie, name_form("Sylvie", "", "Cras"))


def test_affiliation_abbreviations_and_acronyms_meet_the_full_name() -> None:
    full = set(affiliation_tokens("Beijing University of Posts and Telecommunications"))
    raw = set(
        affiliation_tokens("Key Lab. of Wireless Commun., Beijing Univ. of Posts & Telecommun.")
    )
    assert full <= raw
    assert "bupt" in set(affiliation_tokens("BUPT, Beijing, China")) & full
    assert "munchen" in affiliation_tokens("Technische Universität München")
    assert affiliation_tokens("Universidad de Chile") == affiliation_tokens("University of Chile")
    # Kinds of places are no evidence: these two share no word.
    assert not set(affiliation_tokens("University of Porto")) & set(
        affiliation_tokens("Kyoto University")
    )


def _signature(sid: str, first: str, affiliation: str = "") -> Signature:
    affiliations = (affiliation,) if affiliation else ()
    return Signature(sid, sid, first, "", "Zhang", block_key(first, "Zhang"), affiliations)


def test_the_shipped_model_prefers_a_shared_affiliation() -> None:
    block = [
        _signature("1", "Lei", "Hong Kong Polytechnic University"),
        _signature("2", "Lei", "Hong Kong Polytechnic Univ., Kowloon"),
        _signature("3", "Lei", "Microsoft Research Asia"),
        _signature("4", "Lei"),
    ]
    dataset = Dataset({s.signature_id: s for s in block})
    probability = NAMES_AND_AFFILIATIONS.probabilities(Evidence(dataset), block)
    assert probability[0, 1] > NAMES_AND_AFFILIATIONS.threshold > probability[0, 2]
    assert np.allclose(probability, probability.T) and np.all(np.diag(probability) == 1)


def test_the_shipped_models_name_their_features() -> None:
    for model, papers in ((NAMES_AND_AFFILIATIONS, False), (WITH_PAPERS, True)):
        assert model.features == calibration_features(papers)
        assert len(model.weights) == len(model.features)
        assert 0 < model.threshold < 1


def test_logistic_regression_recovers_known_weights() -> None:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(20_000, 2))
    logit = -0.5 + rows @ np.array([2.0, -1.0])
    labels = (rng.random(20_000) < 1 / (1 + np.exp(-logit))).astype(float)
    intercept, weights = fit_weights(rows, labels, l2=0.0)
    assert intercept == pytest.approx(-0.5, abs=0.1)
    assert weights == pytest.approx((2.0, -1.0), abs=0.1)
