"""The S2AND author-disambiguation format as plain dataclasses, and labelled data from OpenAlex.

S2AND (allenai/S2AND) keeps one dataset in one folder: ``signatures.json`` (one name on one
paper, keyed by signature id; ``author_info`` holds first/middle/last, affiliations and the
``block``, the name key candidates share), and optionally ``papers.json`` (title, abstract,
venue, year, author list), ``clusters.json`` (the gold people: cluster id to signature ids) and
``cluster_seeds.json`` (human decisions: ``{sig: {other_sig: "require" | "disallow"}}``).
Files may carry the dataset's name as a prefix (``qian_signatures.json``) and may be gzipped.

:func:`dataset_from_openalex` turns OpenAlex works into the same shape, with each authorship's
ORCID as the gold person: calibration data that is not the evaluation set.
"""

from __future__ import annotations

import dataclasses
import gzip
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scholarfolio.errors import BadInput
from scholarfolio.identity.names import fold
from scholarfolio.ingest.openalex import rebuild_abstract, short_id

SEED_RULES = ("require", "disallow")
_NAME_PARTICLES = frozenset(
    {"da", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "van", "von", "den", "ter"}
)
# Words before a given name that are not part of it ("Dr A'bdul", "and Henk Droste").
_NOT_GIVEN = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "and"})
_GLUED_INITIALS = re.compile(r"(?<=\.)(?=[^\s.\-])")
_NON_NAME = re.compile(r"[^\w.\-' ]+")


@dataclass(frozen=True, slots=True)
class Signature:
    """One name on one paper: an authorship, in S2AND's vocabulary a signature."""

    signature_id: str
    paper_id: str
    first: str
    middle: str
    last: str
    block: str
    affiliations: tuple[str, ...] = ()
    position: int | None = None
    # "SOURCE:id" for each author id a source gave this name ("ORCID:0000-...", "DBLP:42").
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Paper:
    """What a paper adds as evidence: its text, venue, year and author names in order."""

    paper_id: str
    title: str = ""
    abstract: str = ""
    venue: str = ""
    year: int | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Dataset:
    """Signatures, the papers they are on, and, when known, the gold people and human seeds."""

    signatures: Mapping[str, Signature]
    papers: Mapping[str, Paper] = field(default_factory=dict)
    clusters: Mapping[str, tuple[str, ...]] | None = None
    seeds: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def blocks(self) -> dict[str, list[Signature]]:
        """Signatures grouped by block, in signature order within each block."""
        grouped: dict[str, list[Signature]] = defaultdict(list)
        for signature in self.signatures.values():
            grouped[signature.block].append(signature)
        return dict(grouped)

    def gold(self) -> dict[str, str]:
        """The gold person of each signature: {signature_id: cluster_id}."""
        if self.clusters is None:
            raise BadInput("this dataset has no clusters.json: there is nothing to evaluate")
        return {sig: cluster for cluster, sigs in self.clusters.items() for sig in sigs}

    def without_papers(self) -> Dataset:
        """The same signatures with names and affiliations as the only evidence."""
        return Dataset(self.signatures, {}, self.clusters, self.seeds)


def block_key(first: str, last: str) -> str:
    """S2AND's block of a name: first initial and the folded surname without spaces."""
    initial = fold(first)[:1]
    surname = fold(last).replace(" ", "")
    return f"{initial} {surname}" if initial else surname


# Reading a dataset folder


def read_dataset(folder: Path) -> Dataset:
    """Read an S2AND dataset folder; only the signatures are required."""
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder: give an S2AND dataset folder")
    signatures_doc = _read_part(folder, "signatures")
    if signatures_doc is None:
        raise BadInput(f"{folder} has no signatures.json (nor {folder.name}_signatures.json)")
    signatures = {
        s.signature_id: s
        for s in (_signature(entry) for entry in _entries(signatures_doc, "signatures"))
    }
    papers_doc = _read_part(folder, "papers")
    papers = {p.paper_id: p for p in map(_paper, _entries(papers_doc or {}, "papers"))}
    clusters_doc = _read_part(folder, "clusters")
    clusters = _clusters(clusters_doc, signatures) if clusters_doc is not None else None
    seeds_doc = _read_part(folder, "cluster_seeds")
    return Dataset(signatures, papers, clusters, _seeds(seeds_doc) if seeds_doc else {})


def _read_part(folder: Path, part: str) -> Any:
    for name in (f"{part}.json", f"{folder.name}_{part}.json"):
        for path in (folder / name, folder / f"{name}.gz"):
            if path.is_file():
                return _load_json(path)
    return None


def _load_json(path: Path) -> Any:
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise BadInput(f"{path} is not readable JSON: {exc}") from None


def _entries(document: Any, part: str) -> list[Mapping[str, Any]]:
    values = list(document.values()) if isinstance(document, dict) else document
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise BadInput(f"{part}.json must hold an object of records or a list of records")
    return values


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _signature(entry: Mapping[str, Any]) -> Signature:
    info = entry.get("author_info")
    if not isinstance(info, dict) or "signature_id" not in entry:
        raise BadInput("a signature needs signature_id and author_info (S2AND signatures.json)")
    first, last = _text(info.get("first")), _text(info.get("last"))
    affiliations = tuple(a.strip() for a in info.get("affiliations") or () if _text(a))
    source = _text(entry.get("sourced_author_source")) or "SOURCE"
    # "Extracted" ids are name strings read off the paper ("A Konovalov"), not author ids.
    ids = () if source.lower() == "extracted" else entry.get("sourced_author_ids") or ()
    source_ids = tuple(f"{source}:{sid}" for sid in ids)
    position = info.get("position")
    return Signature(
        signature_id=str(entry["signature_id"]),
        paper_id=str(entry.get("paper_id", "")),
        first=first,
        middle=_text(info.get("middle")),
        last=last,
        block=_text(info.get("block")) or block_key(first, last),
        affiliations=affiliations,
        position=position if isinstance(position, int) else None,
        source_ids=source_ids,
    )


def _paper(entry: Mapping[str, Any]) -> Paper:
    authors = sorted(
        (a for a in entry.get("authors") or () if isinstance(a, dict)),
        key=lambda a: a.get("position") or 0,
    )
    year = entry.get("year")
    return Paper(
        paper_id=str(entry.get("paper_id", "")),
        title=_text(entry.get("title")),
        abstract=_text(entry.get("abstract")),
        venue=_text(entry.get("venue")) or _text(entry.get("journal_name")),
        year=year if isinstance(year, int) and year > 0 else None,
        authors=tuple(_text(a.get("author_name")) for a in authors),
    )


def _clusters(document: Any, signatures: Mapping[str, Signature]) -> dict[str, tuple[str, ...]]:
    clusters: dict[str, tuple[str, ...]] = {}
    for cluster_id, entry in document.items() if isinstance(document, dict) else ():
        members = entry.get("signature_ids") if isinstance(entry, dict) else entry
        if not isinstance(members, list):
            raise BadInput(f"cluster {cluster_id} has no signature_ids list (clusters.json)")
        clusters[str(cluster_id)] = tuple(str(m) for m in members if str(m) in signatures)
    return clusters


def _seeds(document: Any) -> dict[tuple[str, str], str]:
    seeds: dict[tuple[str, str], str] = {}
    for one, others in document.items() if isinstance(document, dict) else ():
        for other, rule in others.items() if isinstance(others, dict) else ():
            if rule not in SEED_RULES:
                raise BadInput(f"seed {one}-{other} is {rule!r}: expected one of {SEED_RULES}")
            seeds[tuple(sorted((str(one), str(other))))] = rule  # type: ignore[index]
    return seeds


def write_clusters(assignment: Mapping[str, str], path: Path) -> None:
    """Write {signature_id: cluster_id} as JSON, sorted for stable diffs."""
    ordered = dict(sorted(assignment.items()))
    path.write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# Names written as one string


def split_name(raw: str) -> tuple[str, str, str]:
    """(first, middle, last) of a name as one string: "Last, First M." or "First M. Last".

    Particles before the surname stay with it ("Luiz F. De Ros" -> last "De Ros"); glued
    initials are split ("H.J. Droste" -> first "H.", middle "J.").
    """
    text = _NON_NAME.sub(" ", raw)
    if "," in raw:
        family, _, given = raw.partition(",")
        given = given.split(",")[0]
        tokens = _tokens(_NON_NAME.sub(" ", given))
        last = " ".join(_tokens(_NON_NAME.sub(" ", family)))
    else:
        words = _tokens(text)
        if len(words) < 2:
            return "", "", " ".join(words)
        cut = len(words) - 1
        while cut > 1 and words[cut - 1].lower() in _NAME_PARTICLES:
            cut -= 1
        tokens, last = words[:cut], " ".join(words[cut:])
    tokens = [t for t in tokens if t.lower().strip(".") not in _NOT_GIVEN]
    return (tokens[0] if tokens else ""), " ".join(tokens[1:]), last


def _tokens(text: str) -> list[str]:
    words = _GLUED_INITIALS.sub(" ", text).split()
    return [w.title() if w.isupper() and len(w) > 2 else w for w in words]


# Calibration data derived from OpenAlex


def dataset_from_openalex(works: Iterable[Mapping[str, Any]]) -> Dataset:
    """Labelled signatures from OpenAlex works: every authorship with an ORCID.

    The ORCID is the gold person and is *not* given to the clusterer. Authorships whose
    written surname does not match the ORCID holder's usual surname are left out: OpenAlex
    sometimes pins an ORCID on the wrong name of the author list.
    """
    unique = {short_id(w.get("id")) or "": w for w in works}
    unique.pop("", None)
    papers: dict[str, Paper] = {}
    labelled: list[tuple[Signature, str]] = []
    for work_id, work in sorted(unique.items()):
        authorships = [a for a in work.get("authorships") or () if isinstance(a, dict)]
        papers[work_id] = _openalex_paper(work_id, work, authorships)
        for position, authorship in enumerate(authorships):
            orcid = _text((authorship.get("author") or {}).get("orcid"))
            signature = _openalex_signature(work_id, position, authorship)
            if orcid and signature is not None:
                labelled.append((signature, orcid.rsplit("/", 1)[-1]))
    kept = _consistent_surnames(labelled)
    clusters: dict[str, list[str]] = defaultdict(list)
    for signature, orcid in kept:
        clusters[orcid].append(signature.signature_id)
    signatures = {signature.signature_id: signature for signature, _ in kept}
    return Dataset(signatures, papers, {k: tuple(v) for k, v in clusters.items()})


def _openalex_paper(work_id: str, work: Mapping[str, Any], authorships: list[Any]) -> Paper:
    source = ((work.get("primary_location") or {}).get("source")) or {}
    year = work.get("publication_year")
    return Paper(
        paper_id=work_id,
        title=_text(work.get("title")),
        abstract=rebuild_abstract(work.get("abstract_inverted_index")) or "",
        venue=_text(source.get("display_name")),
        year=year if isinstance(year, int) else None,
        authors=tuple(_text(a.get("raw_author_name")) for a in authorships),
    )


def _openalex_signature(
    work_id: str, position: int, authorship: Mapping[str, Any]
) -> Signature | None:
    first, middle, last = split_name(_text(authorship.get("raw_author_name")))
    if not first or not last:
        return None
    signature_id = f"{work_id}.{position}"
    institutions = tuple(
        _text(i.get("display_name")) for i in authorship.get("institutions") or () if i
    )
    raw = tuple(_text(a) for a in authorship.get("raw_affiliation_strings") or ())
    # Sources differ: S2AND data holds clean institution names and raw strings side by side,
    # so every fourth signature keeps its raw string even when OpenAlex matched an institution.
    use_raw = sum(map(ord, signature_id)) % 4 == 0 or not any(institutions)
    affiliations = tuple(a for a in (raw if use_raw else institutions) if a)
    return Signature(
        signature_id, work_id, first, middle, last, block_key(first, last), affiliations, position
    )


def _consistent_surnames(labelled: list[tuple[Signature, str]]) -> list[tuple[Signature, str]]:
    usual: dict[str, Counter[str]] = defaultdict(Counter)
    for signature, orcid in labelled:
        usual[orcid][_surname_key(signature.last)] += 1
    return [
        (signature, orcid)
        for signature, orcid in labelled
        if _same_surname(_surname_key(signature.last), usual[orcid].most_common(1)[0][0])
    ]


def _surname_key(last: str) -> str:
    return fold(last).replace(" ", "")


def _same_surname(written: str, usual: str) -> bool:
    # "Crasquin" for "Crasquin-Soleau" is the same person; "Hazen" for "Stephenson" is not.
    return written == usual or (min(len(written), len(usual)) >= 4 and written in usual)


# Namesakes: the hard case, made from real people

NAMESAKE_GROUPS = (2, 3, 5, 8, 13, 21)


def with_namesakes(
    dataset: Dataset, group_sizes: Sequence[int] = NAMESAKE_GROUPS, seed: int = 7
) -> Dataset:
    """The dataset plus a copy in which groups of real people share one name.

    People are shuffled (with ``seed``) and cut into groups of the given sizes, in turn; every
    signature of a group takes the first person's name, written in the signature's own form
    (initials stay initials, middle names stay the person's own). Only affiliations, papers and
    co-authors can then tell the namesakes apart, as with the many "Lei Zhang"s of real data.
    Copies get ids, blocks and gold people prefixed with ``n:``.
    """
    if dataset.clusters is None:
        raise BadInput("namesakes are made from gold people: the dataset has no clusters")
    people = sorted(dataset.clusters)
    order = np.random.default_rng(seed).permutation(len(people))
    signatures = dict(dataset.signatures)
    clusters = dict(dataset.clusters)
    start = 0
    for turn in itertools.count():
        group = [people[i] for i in order[start : start + group_sizes[turn % len(group_sizes)]]]
        if not group:
            break
        start += len(group)
        target = max(
            (dataset.signatures[s] for s in dataset.clusters[group[0]]),
            key=lambda s: (len(s.first), len(s.middle), s.signature_id),
        )
        for person in group:
            copies = [_renamed(dataset.signatures[s], target) for s in dataset.clusters[person]]
            signatures.update((c.signature_id, c) for c in copies)
            clusters["n:" + person] = tuple(c.signature_id for c in copies)
    return Dataset(signatures, dataset.papers, clusters, dataset.seeds)


def _renamed(signature: Signature, target: Signature) -> Signature:
    written_in_full = len(fold(signature.first).replace(" ", "")) > 1
    first = target.first if written_in_full else f"{target.first[:1]}."
    return dataclasses.replace(
        signature,
        signature_id="n:" + signature.signature_id,
        first=first,
        last=target.last,
        block="n:" + block_key(first, target.last),
    )


def openalex_works(paths: Iterable[Path]) -> Iterator[Mapping[str, Any]]:
    """The works of OpenAlex author-works files ({"details": Author, "works": [Work, ...]})."""
    for path in paths:
        document = _load_json(path)
        works = document.get("works") if isinstance(document, dict) else None
        if not isinstance(works, list):
            raise BadInput(f"{path} has no works list: expected {{'details': ..., 'works': [...]}}")
        yield from (w for w in works if isinstance(w, dict))


def calibration_dataset(paths: Iterable[Path]) -> Dataset:
    """Labelled calibration data: OpenAlex authorships with ORCIDs, plus their namesake copy."""
    return with_namesakes(dataset_from_openalex(openalex_works(paths)))
