"""Score work deduplication on labelled duplicate clusters in the S2AND paper format.

The S2AND paper-dedup layout: ``papers.json`` maps a paper id to a record
(title, year, doi, authors with first/last), ``clusters.json`` maps a cluster
id to ``{"paper_ids": [...]}``; two papers are duplicates when linked through
the clusters (transitively). Scores are pairwise precision and recall.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scholarfolio.dedup.cluster import Candidate, cluster
from scholarfolio.dedup.titles import title_key
from scholarfolio.errors import BadInput
from scholarfolio.identity.names import fold


@dataclass(frozen=True, slots=True)
class Scores:
    """Pairwise precision, recall and F1, with the counts behind them."""

    precision: float
    recall: float
    f1: float
    predicted_pairs: int
    gold_pairs: int
    correct_pairs: int


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"{path} is missing: an S2AND paper-dedup folder has papers.json") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path} is not valid JSON: {exc}") from None


def _candidate(number: int, paper: Mapping[str, Any]) -> Candidate:
    ids = {("doi", str(paper["doi"]).lower())} if paper.get("doi") else set()
    surnames = {fold(str(a.get("last") or "")) for a in paper.get("authors") or []}
    year = paper.get("year")
    return Candidate(
        record_id=number,
        source="s2",
        ids=frozenset(ids),
        title_key=title_key(str(paper.get("title") or "")),
        year=int(year) if isinstance(year, int) else None,
        surnames=frozenset(name for name in surnames if len(name) >= 2),
    )


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


def _gold_groups(clusters: Mapping[str, Any], papers: Iterable[str]) -> list[set[str]]:
    parent = {paper: paper for paper in papers}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for entry in clusters.values():
        first, *rest = [str(p) for p in entry["paper_ids"]]
        for other in rest:
            parent[find(other)] = find(first)
    grouped: dict[str, set[str]] = defaultdict(set)
    for paper in parent:
        grouped[find(paper)].add(paper)
    return list(grouped.values())


def evaluate_s2and_dedup(folder: Path) -> Scores:
    """Cluster the folder's papers and score the result against its gold clusters."""
    papers: dict[str, Any] = _load(folder / "papers.json")
    clusters: dict[str, Any] = _load(folder / "clusters.json")
    numbered = {paper_id: number for number, paper_id in enumerate(sorted(papers))}
    result = cluster([_candidate(numbered[pid], paper) for pid, paper in papers.items()])
    by_root: dict[int, set[str]] = defaultdict(set)
    for paper_id, number in numbered.items():
        by_root[result.find(number)].add(paper_id)
    predicted = _pairs(by_root.values())
    gold = _pairs(_gold_groups(clusters, papers))
    correct = len(predicted & gold)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(predicted), len(gold), correct)
