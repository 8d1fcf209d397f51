"""How alike two signatures of one block are: name compatibility and a calibrated pair score.

Evidence, as feature matrices over one block (every pair at once, with numpy):

- **names**: first names must be compatible (:func:`names_compatible`: "Jun-Li" is "Junli"
  and may be "J.-L." or "J.", never "Jian" or "Jun"); middle names agree, are missing on one
  side or conflict;
- **affiliations**: folded, abbreviations expanded ("Univ." -> university, "Telecommun." ->
  telecommunication), words for kinds of places (university, department) dropped, acronyms of
  institution names added ("BUPT"); then cosine and containment of IDF-weighted token sets, so
  "Key Lab. of Wireless Commun., Beijing Univ. of Posts & Telecommun." contains "Beijing
  University of Posts and Telecommunications";
- **papers**, when the dataset has them: shared co-authors, title and abstract words, venue,
  years apart.

A :class:`PairModel` is a logistic regression over those features; its weights are fitted by
:func:`fit_weights` on calibration data (scholarfolio/identity/cluster.py ``calibrate``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse

from scholarfolio.identity.names import fold
from scholarfolio.identity.s2and import Dataset, Paper, Signature, block_key

Matrix = npt.NDArray[np.float64]
_T = TypeVar("_T")

NAME_FEATURES = (
    "first_initial",
    "middle_equal",
    "middle_initials",
    "middle_one_missing",
    "middle_conflict",
)
AFFILIATION_FEATURES = (
    "affiliation_one_missing",
    "affiliation_both_missing",
    "affiliation_cosine",
    "affiliation_containment",
    "affiliation_exact",
)
PAPER_FEATURES = (
    "coauthors_shared",
    "coauthors_none",
    "text_cosine",
    "venue_equal",
    "year_gap",
    "year_missing",
)

# Abbreviations of INSPEC/IEEE affiliation strings and other languages' words for the same
# institution types; stems are matched after the plural "s" is dropped.
_UNIVERSITY = ("univ", "uni", "universitat", "universite", "universidad", "universita")
_EXPANSIONS = {
    **dict.fromkeys((*_UNIVERSITY, "universiteit", "universidade"), "university"),
    **dict.fromkeys(("inst", "institut", "instituto", "istituto"), "institute"),
    **dict.fromkeys(("lab", "labs"), "laboratory"),
    **dict.fromkeys(("natl", "nat"), "national"),
    **dict.fromkeys(("centre", "ctr"), "center"),
    **dict.fromkeys(("eng", "engn"), "engineering"),
    **dict.fromkeys(("technol", "tech"), "technology"),
    **dict.fromkeys(("polytech", "politecnico"), "polytechnic"),
    "sci": "science", "dept": "department", "comput": "computer", "commun": "communication",
    "telecommun": "telecommunication", "coll": "college", "res": "research", "acad": "academy",
    "electr": "electrical", "electron": "electronic", "inf": "information", "syst": "system",
    "math": "mathematic", "phys": "physic", "chem": "chemistry", "appl": "applied",
    "int": "international", "autom": "automation", "mech": "mechanical", "stat": "statistic",
    "technische": "technical", "hosp": "hospital", "med": "medical", "biol": "biology",
    "geol": "geology", "minist": "ministry",
}  # fmt: skip
_STOP_WORDS = frozenset(
    {"of", "the", "and", "for", "in", "at", "on", "to", "a", "an"}
    | {"de", "la", "le", "des", "du", "der", "die", "das", "fur", "und", "di", "del", "da"}
    | {"do", "dos", "e", "et", "y"}
)
_TEXT_STOP_WORDS = _STOP_WORDS | frozenset(
    {"with", "by", "from", "is", "are", "was", "were", "this", "that", "these", "those", "we"}
    | {"our", "using", "based", "study", "new", "its", "it", "as", "be", "or", "not", "can"}
    | {"which"}
)
_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms"})
_WORD = re.compile(r"[a-z][a-z0-9]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_INSTITUTION_WORDS = frozenset({"university", "institute", "college", "polytechnic", "academy"})
# Words that say what kind of place an affiliation is, not which one: "University of Porto"
# and "Kyoto University" share nothing. Dropped even where a dataset is too small for IDF
# to tell that they are common.
_GENERIC_WORDS = _INSTITUTION_WORDS | frozenset(
    {"school", "faculty", "department", "laboratory", "center", "division", "national", "state"}
    | {"key"}
)


# Names


@dataclass(frozen=True, slots=True)
class NameForm:
    """A signature's name as compared: folded first name, its initials, middle, surname."""

    first: str
    initials: str
    first_is_initial: bool
    middle: tuple[str, ...]
    last: str
    last_parts: tuple[str, ...]


def name_form(first: str, middle: str, last: str) -> NameForm:
    """The comparable form of a name: "Jun-Li" -> first "junli", initials "jl"."""
    parts = [part for part in fold(first).split() if part not in _TITLES]
    leading = 0
    while leading < len(parts) and len(parts[leading]) > 1:
        leading += 1
    if leading:
        unit, extra = "".join(parts[:leading]), parts[leading:]
    else:
        unit, extra = "".join(parts), []
    initials = "".join(p[0] for p in parts[: leading or len(parts)])
    return NameForm(
        first=unit,
        initials=initials,
        first_is_initial=leading == 0,
        middle=tuple(extra + fold(middle).split()),
        last=fold(last).replace(" ", ""),
        last_parts=tuple(fold(last).split()),
    )


def _firsts_compatible(a: NameForm, b: NameForm) -> bool:
    if not a.first_is_initial and not b.first_is_initial:
        if a.first == b.first:
            return True
        # "Jun Li" written as first "Jun", middle "Li" is the "Junli" of another source.
        return a.first + "".join(a.middle) == b.first or b.first + "".join(b.middle) == a.first
    if a.first_is_initial and b.first_is_initial:
        return a.initials.startswith(b.initials) or b.initials.startswith(a.initials)
    initials, full = (a, b) if a.first_is_initial else (b, a)
    return _initials_fit(initials.initials, full)


def _initials_fit(initials: str, full: NameForm) -> bool:
    """Whether initials ("jl") can abbreviate a full first name ("Jun-Li", "Junli", not "Jian")."""
    if full.initials.startswith(initials):
        return True
    if len(full.initials) > 1 or not initials or full.first[:1] != initials[0]:
        return False
    # A first name written as one word ("Junli") hides its parts: the later initials must
    # still occur in it, in order.
    rest = iter(full.first[1:])
    return all(letter in rest for letter in initials[1:])


def _surnames_compatible(a: NameForm, b: NameForm) -> bool:
    # "Crasquin" is one part of "Crasquin-Soleau"; "Cras" is no part of "Crasquin".
    if a.last == b.last:
        return True
    short, long = sorted((set(a.last_parts), set(b.last_parts)), key=len)
    return bool(short) and short < long


def names_compatible(a: NameForm, b: NameForm) -> bool:
    """Whether two names can be one person: "Jun Li" and "J. Li" can, "Jun Li" and "Jian Li"
    cannot."""
    return _surnames_compatible(a, b) and _firsts_compatible(a, b)


def _middle_relation(a: NameForm, b: NameForm) -> str:
    if not a.middle and not b.middle:
        return "none"
    if not a.middle or not b.middle:
        return "missing"
    for one, other in zip(a.middle, b.middle, strict=False):
        if one[0] != other[0] or (len(one) > 1 and len(other) > 1 and one != other):
            return "conflict"
    full = all(len(t) > 1 for t in a.middle + b.middle)
    return "equal" if full and a.middle == b.middle else "initials"


def name_features(a: NameForm, b: NameForm) -> tuple[float, ...]:
    """The values of :data:`NAME_FEATURES` for two compatible names."""
    middle = _middle_relation(a, b)
    return (
        float(a.first_is_initial or b.first_is_initial),
        float(middle == "equal"),
        float(middle == "initials"),
        float(middle == "missing"),
        float(middle == "conflict"),
    )


# Text: affiliations, titles, venues


def affiliation_tokens(text: str) -> tuple[str, ...]:
    """Normalized words of an affiliation: abbreviations expanded, stop words dropped.

    The acronym of the capitalized words is a word too, so "Beijing University of Posts and
    Telecommunications" and "BUPT, Beijing" share one.
    """
    words = []
    for word in _WORD.findall(fold(text.replace("&", " and "))):
        word = _EXPANSIONS.get(word, word)
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        word = _EXPANSIONS.get(word, word)
        if word not in _STOP_WORDS and word not in _GENERIC_WORDS:
            words.append(word)
    return tuple(dict.fromkeys(words + _acronyms(text)))


def _acronyms(text: str) -> list[str]:
    """Acronyms of the parts of an affiliation that name a university or an institute."""
    found = []
    for part in text.split(","):
        words = _LETTERS.findall(part)
        if any(_EXPANSIONS.get(fold(w), fold(w)) in _INSTITUTION_WORDS for w in words):
            acronym = fold("".join(w[0] for w in words if w[0].isupper()))
            if len(acronym) >= 3:
                found.append(acronym)
    return found


def text_tokens(text: str) -> tuple[str, ...]:
    """Content words of a title or abstract (folded, stop words and short words dropped)."""
    words = (w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in _TEXT_STOP_WORDS)
    return tuple(dict.fromkeys(words))


class _Bags:
    """Token sets as IDF-weighted sparse rows over one vocabulary, for pairwise products.

    Built once per dataset; a block takes its rows, so no vocabulary is rebuilt per block.
    The IDF counts each distinct token set once, so one prolific person's affiliation does not
    make its words look common.
    """

    def __init__(self, docs: Sequence[tuple[str, ...]], weighted: bool = True) -> None:
        vocabulary: dict[str, int] = {}
        columns = [vocabulary.setdefault(t, len(vocabulary)) for doc in docs for t in doc]
        rows = np.repeat(np.arange(len(docs)), [len(doc) for doc in docs])
        shape = (len(docs), max(len(vocabulary), 1))
        self.present = sparse.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=shape)
        distinct = set(docs)
        counts = Counter(t for doc in distinct for t in doc)
        idf = np.ones(shape[1])
        if weighted and vocabulary:
            frequency = np.array([counts[t] for t in vocabulary], dtype=float)
            idf = np.log((1 + len(distinct)) / (1 + frequency)) + 1.0
        self.weighted = sparse.csr_matrix(self.present.multiply(idf[None, :]))
        self.totals = np.asarray(self.weighted.sum(axis=1)).ravel()
        norms = np.sqrt(np.asarray(self.weighted.multiply(self.weighted).sum(axis=1)).ravel())
        scale = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0))
        self.unit = sparse.csr_matrix(scale @ self.weighted)

    def cosine(self, rows: npt.NDArray[np.intp]) -> Matrix:
        unit = self.unit[rows]
        return np.asarray((unit @ unit.T).toarray())

    def containment(self, rows: npt.NDArray[np.intp]) -> Matrix:
        """Weight of the shared tokens over the weight of the smaller set."""
        shared = (self.weighted[rows] @ self.present[rows].T).toarray()
        smaller = np.minimum.outer(self.totals[rows], self.totals[rows])
        return np.asarray(np.where(smaller > 0, shared / np.where(smaller > 0, smaller, 1), 0.0))

    def shared(self, rows: npt.NDArray[np.intp]) -> Matrix:
        present = self.present[rows]
        return np.asarray((present @ present.T).toarray())


# Evidence of a whole dataset


class Evidence:
    """Everything the scorer compares, prepared once per dataset (IDF over the dataset)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.has_papers = bool(dataset.papers)
        signatures = list(dataset.signatures.values())
        self.row = {s.signature_id: i for i, s in enumerate(signatures)}
        self.names = {s.signature_id: name_form(s.first, s.middle, s.last) for s in signatures}
        affiliation_docs = [_affiliation_doc(s) for s in signatures]
        self.has_affiliation = np.array([bool(d) for d in affiliation_docs], dtype=float)
        self.affiliations = _Bags(affiliation_docs)
        self.affiliation_ids = _distinct(affiliation_docs)[1]
        if self.has_papers:
            self._prepare_papers(signatures)

    def _prepare_papers(self, signatures: Sequence[Signature]) -> None:
        papers = self.dataset.papers
        keys = {pid: _author_keys(p) for pid, p in papers.items()}
        coauthors = [_coauthors(keys.get(s.paper_id, ()), s) for s in signatures]
        self.coauthors = _Bags(coauthors, weighted=False)
        self.has_coauthors = np.array([bool(c) for c in coauthors], dtype=float)
        found = [papers.get(s.paper_id) for s in signatures]
        self.texts = _Bags([text_tokens(f"{p.title} {p.abstract}") if p else () for p in found])
        self.has_text = np.asarray(self.texts.totals > 0, dtype=float)
        self.venues = _distinct([fold(p.venue) if p and p.venue else "" for p in found])[1]
        self.has_venue = np.array([bool(p and p.venue) for p in found], dtype=float)
        self.years = np.array([p.year if p and p.year else np.nan for p in found], dtype=float)

    def name(self, signature: Signature) -> NameForm:
        """The comparable name of a signature."""
        return self.names[signature.signature_id]

    def is_bare(self, signature: Signature) -> bool:
        """Whether a signature carries no evidence but its name (no affiliation, paper or id)."""
        row = self.row[signature.signature_id]
        if self.has_affiliation[row] or signature.source_ids:
            return False
        return not self.has_papers or not (self.has_coauthors[row] or self.has_text[row])

    def features(self, block: Sequence[Signature]) -> Iterator[tuple[str, Matrix]]:
        """Each feature as an n-by-n matrix over the signatures of a block."""
        rows = np.array([self.row[s.signature_id] for s in block], dtype=np.intp)
        yield from self._name_features(block)
        yield from self._affiliation_features(rows)
        if self.has_papers:
            yield from self._paper_features(rows)

    def _name_features(self, block: Sequence[Signature]) -> Iterator[tuple[str, Matrix]]:
        forms, index = _distinct([self.names[s.signature_id] for s in block])
        values = np.array([[name_features(a, b) for b in forms] for a in forms])
        for k, name in enumerate(NAME_FEATURES):
            yield name, values[:, :, k][np.ix_(index, index)]

    def compatible(self, block: Sequence[Signature]) -> npt.NDArray[np.bool_]:
        """Whether the names of each pair of a block can be one person (n-by-n)."""
        forms, index = _distinct([self.names[s.signature_id] for s in block])
        values = np.array([[names_compatible(a, b) for b in forms] for a in forms], dtype=bool)
        return np.asarray(values[np.ix_(index, index)])

    def _affiliation_features(self, rows: npt.NDArray[np.intp]) -> Iterator[tuple[str, Matrix]]:
        has = self.has_affiliation[rows]
        both = np.outer(has, has)
        yield "affiliation_one_missing", (np.add.outer(has, has) == 1).astype(float)
        yield "affiliation_both_missing", np.outer(1 - has, 1 - has)
        yield "affiliation_cosine", self.affiliations.cosine(rows) * both
        yield "affiliation_containment", self.affiliations.containment(rows) * both
        yield "affiliation_exact", _equal(self.affiliation_ids[rows]) * both

    def _paper_features(self, rows: npt.NDArray[np.intp]) -> Iterator[tuple[str, Matrix]]:
        yield "coauthors_shared", np.log1p(self.coauthors.shared(rows))
        yield "coauthors_none", 1 - np.outer(self.has_coauthors[rows], self.has_coauthors[rows])
        yield "text_cosine", self.texts.cosine(rows)
        venue = self.has_venue[rows]
        yield "venue_equal", _equal(self.venues[rows]) * np.outer(venue, venue)
        gap = np.abs(np.subtract.outer(self.years[rows], self.years[rows]))
        yield "year_gap", np.nan_to_num(np.minimum(gap, 30.0) / 30.0)
        yield "year_missing", np.isnan(gap).astype(float)


def _affiliation_doc(signature: Signature) -> tuple[str, ...]:
    tokens = (t for a in signature.affiliations for t in affiliation_tokens(a))
    return tuple(sorted(set(tokens)))


def _author_keys(paper: Paper) -> tuple[str, ...]:
    """The block key of each author of a paper, in order: how co-authors are compared."""
    keys = []
    for name in paper.authors:
        parts = fold(name).split()
        keys.append(block_key(parts[0], parts[-1]) if len(parts) > 1 else "".join(parts))
    return tuple(keys)


def _coauthors(keys: tuple[str, ...], signature: Signature) -> tuple[str, ...]:
    others = (
        key
        for position, key in enumerate(keys)
        if key and position != signature.position and key != signature.block
    )
    return tuple(dict.fromkeys(others))


def _distinct(values: Sequence[_T]) -> tuple[list[_T], npt.NDArray[np.intp]]:
    """The distinct values (in first-seen order) and each value's index among them."""
    lookup: dict[_T, int] = {}
    index = np.array([lookup.setdefault(v, len(lookup)) for v in values], dtype=np.intp)
    return list(lookup), index


def _equal(codes: npt.NDArray[np.intp]) -> Matrix:
    return np.asarray(np.equal.outer(codes, codes), dtype=float)


# The model


@dataclass(frozen=True, slots=True)
class PairModel:
    """A logistic regression over named pair features, and the clustering threshold.

    ``threshold`` is the lowest average same-person probability at which two clusters of
    a block merge.
    """

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float

    def probabilities(self, evidence: Evidence, block: Sequence[Signature]) -> Matrix:
        """The same-person probability of every pair of a block (the diagonal is 1)."""
        size = len(block)
        logit = np.full((size, size), self.intercept)
        weight = dict(zip(self.features, self.weights, strict=True))
        for name, values in evidence.features(block):
            if name in weight:
                logit += weight[name] * values
        probability = 1.0 / (1.0 + np.exp(-logit))
        np.fill_diagonal(probability, 1.0)
        return np.asarray(probability)


def pair_rows(evidence: Evidence, block: Sequence[Signature], features: Sequence[str]) -> Matrix:
    """One row of feature values per compatible pair (i < j) of a block, for fitting."""
    upper = np.triu_indices(len(block), k=1)
    columns = {name: values[upper] for name, values in evidence.features(block)}
    return np.column_stack([np.asarray(columns[name], dtype=float) for name in features])


def fit_weights(
    rows: Matrix, labels: npt.NDArray[np.float64], l2: float = 1.0, iterations: int = 50
) -> tuple[float, tuple[float, ...]]:
    """Logistic regression by Newton's method with an L2 penalty: (intercept, weights)."""
    design = np.column_stack([np.ones(len(rows)), rows])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    beta = np.zeros(design.shape[1])
    for _ in range(iterations):
        probability = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (probability - labels) + penalty * beta
        curvature = (design * (probability * (1 - probability))[:, None]).T @ design
        step = np.linalg.solve(curvature + np.diag(penalty) + 1e-9 * np.eye(len(beta)), gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return float(beta[0]), tuple(float(b) for b in beta[1:])


def calibration_features(papers: bool) -> tuple[str, ...]:
    """The features of the model for datasets with or without papers.json."""
    return NAME_FEATURES + AFFILIATION_FEATURES + (PAPER_FEATURES if papers else ())


# The shipped models: `scholarfolio identity calibrate [--papers]` on the bundled OpenAlex
# calibration data (ORCID-labelled authorships plus their namesake copy; docs/identity.md).
NAMES_AND_AFFILIATIONS = PairModel(
    features=calibration_features(papers=False),
    weights=(-0.1106, 3.8357, 2.6234, -0.5115, -3.9783, 1.5384, 2.1452, 3.3555, 1.3898, -1.7535),
    intercept=-1.0818,
    threshold=0.3,
)
WITH_PAPERS = PairModel(
    features=calibration_features(papers=True),
    weights=(-0.0618, 3.4575, 2.5976, -0.4409, -4.2693, 1.4286, 1.7877, 3.2326, 1.2822, -1.6666)
    + (1.8104, 1.8578, 13.8140, 0.8939, 0.3285, 0.0),
    intercept=-1.7982,
    threshold=0.5,
)


def default_model(has_papers: bool) -> tuple[str, PairModel]:
    """The calibrated model for a dataset with or without papers, and its name."""
    if has_papers:
        return "with-papers", WITH_PAPERS
    return "names-and-affiliations", NAMES_AND_AFFILIATIONS
