"""Block-wise clustering of signatures into people, and how good a clustering is.

Inside each block, every pair of signatures is decided by the first rule that applies, in a
fixed order (human decisions first, as in S2AND; names before ORCID, because an ORCID pinned
on the wrong name of an author list is more common than one person under two incompatible
names in one block):

1. a human decision (``cluster_seeds.json``): ``require`` or ``disallow``;
2. incompatible names never merge ("Jun Li" and "Jian Li");
3. two names on one paper are two people;
4. the same ORCID is one person, two different ORCIDs are two;
5. the same author id from one source is one person;
6. otherwise the calibrated pair score (:mod:`.pairwise`).

Signatures are then merged by average linkage while the average same-person probability
between two clusters stays at or above the model's threshold. A signature that carries no
evidence but its name (no affiliation, no paper, no id) cannot be placed by evidence; it joins
the largest cluster holding the same written name, because that person most likely wrote it
(initials join only clusters that hold the same initials: "J. Li" joins "Jun Li" only through
a "J. Li" that evidence put there).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage

from scholarfolio.demo import openalex_demo_files
from scholarfolio.errors import BadInput
from scholarfolio.identity.pairwise import (
    Evidence,
    Matrix,
    NameForm,
    PairModel,
    calibration_features,
    default_model,
    fit_weights,
    pair_rows,
)
from scholarfolio.identity.s2and import Dataset, Signature, calibration_dataset

REQUIRE, DISALLOW = 1, -1
# Rules in the order they apply; the name is what ``ClusterResult.decided_by`` counts.
RULES = ("seed", "names", "same_paper", "orcid", "source_id", "score")
MAX_BLOCK = 3000
THRESHOLDS = tuple(round(0.1 * step, 1) for step in range(1, 10))
_FAR = 1e9  # linkage distance of a disallowed pair: no average can bring it under a threshold


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """A clustering: {signature_id: cluster_id}, and how many pairs each rule decided."""

    assignment: dict[str, str]
    decided_by: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1 of one measure."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> Scores:
        """Scores with F1 as the harmonic mean of precision and recall."""
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """B3 and pairwise scores of a clustering against gold people."""

    b3: Scores
    pairwise: Scores
    signatures: int
    people: int


# Constraints


def _rule_matrices(
    block: Sequence[Signature], evidence: Evidence
) -> tuple[Matrix, npt.NDArray[np.int8]]:
    """(constraint, rule) over a block: +1 require, -1 disallow, 0 score; the deciding rule."""
    size = len(block)
    constraint = np.zeros((size, size))
    rule = np.full((size, size), len(RULES) - 1, dtype=np.int8)
    # Weakest first, so that each stronger rule overwrites what a weaker one said.
    for index in reversed(range(len(RULES) - 1)):
        decided = _rule(RULES[index], block, evidence)
        np.fill_diagonal(decided, 0)
        mask = decided != 0
        constraint[mask] = decided[mask]
        rule[mask] = index
    return constraint, rule


def _rule(name: str, block: Sequence[Signature], evidence: Evidence) -> Matrix:
    if name == "seed":
        return _seed_matrix(block, evidence.dataset.seeds)
    if name == "names":
        return np.where(evidence.compatible(block), 0.0, DISALLOW)
    if name == "same_paper":
        return np.where(_same([s.paper_id for s in block]), DISALLOW, 0.0)
    return _id_matrix(block, orcid=name == "orcid")


def _same(keys: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Pairs whose (non-empty) keys are equal."""
    lookup: dict[str, int] = {}
    codes = np.array([lookup.setdefault(k, len(lookup)) if k else -1 for k in keys])
    return np.asarray(np.equal.outer(codes, codes) & (codes >= 0)[:, None])


def _seed_matrix(block: Sequence[Signature], seeds: Mapping[tuple[str, str], str]) -> Matrix:
    decided = np.zeros((len(block), len(block)))
    index = {s.signature_id: i for i, s in enumerate(block)}
    for (a, b), rule in seeds.items():
        if a in index and b in index:
            value = REQUIRE if rule == "require" else DISALLOW
            decided[index[a], index[b]] = decided[index[b], index[a]] = value
    return decided


def _id_matrix(block: Sequence[Signature], orcid: bool) -> Matrix:
    """Pairs decided by source author ids: ORCIDs (which also tell people apart) or others."""
    decided = np.zeros((len(block), len(block)))
    sources = {
        token.partition(":")[0].upper()
        for s in block
        for token in s.source_ids
        if (token.partition(":")[0].upper() == "ORCID") == orcid
    }
    for source in sorted(sources):
        ids = [_source_id(s, source) for s in block]
        same = _same(ids)
        decided[same] = REQUIRE
        if orcid:
            known = np.array([bool(i) for i in ids])
            decided[np.outer(known, known) & ~same] = DISALLOW
    return decided


def _source_id(signature: Signature, source: str) -> str:
    for token in signature.source_ids:
        name, _, value = token.partition(":")
        if name.upper() == source:
            return value
    return ""


# Clustering


def _written_name(form: NameForm) -> tuple[str, bool, str]:
    return form.first, form.first_is_initial, form.last


def cluster_block(
    block: Sequence[Signature], evidence: Evidence, model: PairModel
) -> tuple[list[int], Counter[str]]:
    """Cluster labels (0, 1, ...) for the signatures of one block, and the rules that decided."""
    constraint, rule = _rule_matrices(block, evidence)
    upper = np.triu_indices(len(block), k=1)
    counts = np.bincount(rule[upper], minlength=len(RULES))
    decided = Counter({name: int(n) for name, n in zip(RULES, counts, strict=True) if n})
    seeded = {signature for pair in evidence.dataset.seeds for signature in pair}
    bare = [
        i
        for i, s in enumerate(block)
        if evidence.is_bare(s) and s.signature_id not in seeded and not np.any(constraint[i] > 0)
    ]
    bare_set = set(bare)
    linked = [i for i in range(len(block)) if i not in bare_set]
    labels = [-1] * len(block)
    if linked:
        sub = np.ix_(linked, linked)
        probability = model.probabilities(evidence, [block[i] for i in linked])
        linked_labels = _link(probability, constraint[sub], model.threshold)
        for i, label in zip(linked, linked_labels, strict=True):
            labels[i] = label
    _attach(bare, block, labels, evidence, constraint)
    return labels, decided


def _link(probability: Matrix, constraint: Matrix, threshold: float) -> list[int]:
    size = len(probability)
    if size == 1:
        return [0]
    distance = np.where(constraint == REQUIRE, 0.0, 1.0 - probability)
    distance = np.where(constraint == DISALLOW, _FAR, distance)
    tree = linkage(distance[np.triu_indices(size, k=1)], method="average")
    flat = fcluster(tree, t=1.0 - threshold, criterion="distance")
    return [int(label) - 1 for label in flat]


def _attach(
    bare: Sequence[int],
    block: Sequence[Signature],
    labels: list[int],
    evidence: Evidence,
    constraint: Matrix,
) -> None:
    """Put each bare signature into the largest cluster holding its written name."""
    members: dict[int, list[int]] = defaultdict(list)
    holders: dict[tuple[str, bool, str], Counter[int]] = defaultdict(Counter)
    for i, label in enumerate(labels):
        if label >= 0:
            members[label].append(i)
            holders[_written_name(evidence.name(block[i]))][label] += 1
    next_label = max(labels, default=-1) + 1
    for i in bare:
        name = _written_name(evidence.name(block[i]))
        candidates = [
            (count, len(members[label]), -label)
            for label, count in holders[name].items()
            if not np.any(constraint[i, members[label]] == DISALLOW)
        ]
        if candidates:
            label = -max(candidates)[2]
        else:
            label, next_label = next_label, next_label + 1
        labels[i] = label
        members[label].append(i)
        holders[name][label] += 1


def subblocks(
    block: Sequence[Signature], evidence: Evidence, limit: int = MAX_BLOCK
) -> list[list[Signature]]:
    """A block cut to at most ``limit`` signatures: by first name, then in pieces.

    Linkage needs every pair of a block in memory; the very largest blocks ("j wang") are cut
    by first name (names written with initials only form their own part), which costs only
    the links between "J. Wang" and "Jing Wang" in blocks that large.
    """
    if len(block) <= limit:
        return [list(block)]
    parts: dict[str, list[Signature]] = defaultdict(list)
    for signature in block:
        form = evidence.name(signature)
        parts[f"{form.initials[:1]}." if form.first_is_initial else form.first].append(signature)
    return [
        members[start : start + limit]
        for _, members in sorted(parts.items())
        for start in range(0, len(members), limit)
    ]


def cluster_dataset(
    dataset: Dataset, model: PairModel, evidence: Evidence | None = None
) -> ClusterResult:
    """Cluster every block of a dataset: {signature_id: cluster_id} ("block/n")."""
    evidence = evidence or Evidence(dataset)
    assignment: dict[str, str] = {}
    decided: Counter[str] = Counter()
    for name, block in sorted(dataset.blocks().items()):
        offset = 0
        for part in subblocks(block, evidence):
            labels, rules = cluster_block(part, evidence, model)
            decided.update(rules)
            for signature, label in zip(part, labels, strict=True):
                assignment[signature.signature_id] = f"{name}/{offset + label}"
            offset += max(labels) + 1
    return ClusterResult(assignment, dict(decided))


@dataclass(frozen=True, slots=True)
class Disambiguation:
    """One clustering run: its result, the model used and the CPU time it took."""

    result: ClusterResult
    model_name: str
    signatures: int
    blocks: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Signatures clustered per CPU second."""
        return self.signatures / self.seconds if self.seconds > 0 else float("inf")

    def evaluate(self, gold: Mapping[str, str]) -> Evaluation:
        """Scores of this clustering against gold people."""
        return evaluate(self.result.assignment, gold)


def disambiguate(dataset: Dataset, model: PairModel | None = None) -> Disambiguation:
    """Cluster a dataset with the given model or the calibrated default for its evidence."""
    name, chosen = ("given", model) if model is not None else default_model(bool(dataset.papers))
    started = time.process_time()
    result = cluster_dataset(dataset, chosen)
    seconds = time.process_time() - started
    return Disambiguation(result, name, len(dataset.signatures), len(dataset.blocks()), seconds)


# Evaluation


def evaluate(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Evaluation:
    """B3 (averaged over signatures) and pairwise precision, recall and F1 against gold."""
    signatures = [s for s in gold if s in predicted]
    predicted_groups: dict[str, set[str]] = defaultdict(set)
    gold_groups: dict[str, set[str]] = defaultdict(set)
    for signature in signatures:
        predicted_groups[predicted[signature]].add(signature)
        gold_groups[gold[signature]].add(signature)
    precision = recall = 0.0
    for signature in signatures:
        ours, theirs = predicted_groups[predicted[signature]], gold_groups[gold[signature]]
        overlap = len(ours & theirs)
        precision += overlap / len(ours)
        recall += overlap / len(theirs)
    count = max(len(signatures), 1)
    return Evaluation(
        b3=Scores.of(precision / count, recall / count),
        pairwise=_pairwise(predicted_groups.values(), gold, predicted),
        signatures=len(signatures),
        people=len(gold_groups),
    )


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


def _pairwise(
    groups: Iterable[set[str]], gold: Mapping[str, str], predicted: Mapping[str, str]
) -> Scores:
    """Precision and recall over the pairs of signatures put together (none found: 1.0)."""
    true_positive = 0
    predicted_pairs = 0
    for group in groups:
        predicted_pairs += _pairs(len(group))
        true_positive += sum(_pairs(n) for n in Counter(gold[s] for s in group).values())
    gold_pairs = sum(_pairs(n) for n in Counter(gold[s] for s in gold if s in predicted).values())
    return Scores.of(
        true_positive / predicted_pairs if predicted_pairs else 1.0,
        true_positive / gold_pairs if gold_pairs else 1.0,
    )


# Calibration


@dataclass(frozen=True, slots=True)
class Calibration:
    """A fitted model and how it clusters the calibration data at its threshold."""

    model: PairModel
    pairs: int
    evaluation: Evaluation


def training_pairs(
    dataset: Dataset, evidence: Evidence, features: Sequence[str]
) -> tuple[Matrix, npt.NDArray[np.float64]]:
    """Feature rows and same-person labels of every pair the score decides."""
    gold = dataset.gold()
    rows: list[Matrix] = []
    labels: list[npt.NDArray[np.float64]] = []
    for block in dataset.blocks().values():
        if len(block) < 2:
            continue
        constraint, _ = _rule_matrices(block, evidence)
        upper = np.triu_indices(len(block), k=1)
        scored = constraint[upper] == 0
        people = [gold.get(s.signature_id) for s in block]
        same = np.array([people[i] == people[j] for i, j in zip(*upper, strict=True)])
        rows.append(pair_rows(evidence, block, features)[scored])
        labels.append(same[scored].astype(float))
    return np.vstack(rows), np.concatenate(labels)


def calibrate(
    dataset: Dataset, features: Sequence[str], thresholds: Sequence[float] = THRESHOLDS
) -> Calibration:
    """Fit the pair weights on labelled data, then pick the threshold with the best B3 F1."""
    evidence = Evidence(dataset)
    rows, labels = training_pairs(dataset, evidence, features)
    intercept, weights = fit_weights(rows, labels)
    best: Calibration | None = None
    for threshold in thresholds:
        model = PairModel(tuple(features), weights, intercept, float(threshold))
        evaluation = evaluate(cluster_dataset(dataset, model, evidence).assignment, dataset.gold())
        if best is None or evaluation.b3.f1 > best.evaluation.b3.f1:
            best = Calibration(model, len(labels), evaluation)
    if best is None:
        raise BadInput("calibration needs at least one threshold")
    return best


def calibrate_shipped(papers: bool) -> Calibration:
    """Fit a shipped model again on the bundled OpenAlex data: the one with or without papers."""
    dataset = calibration_dataset(openalex_demo_files())
    data = dataset if papers else dataset.without_papers()
    return calibrate(data, calibration_features(papers))
