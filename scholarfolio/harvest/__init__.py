"""Live harvesting over HTTP: arXiv (OAI-PMH), OpenAlex and Semantic Scholar.

A harvest saves every response page in a folder, keeps a state file there that
says what the next request is, and ingests each page into the store before the
next request. Run again with the same folder, it resumes from the state and
never downloads a saved page again. See :mod:`scholarfolio.harvest.runner` for
the loop, :mod:`scholarfolio.harvest.folder` for the folder layout and
:mod:`scholarfolio.harvest.http` for pacing, retries and errors.
"""

from scholarfolio.harvest.arxiv import ArxivQuery, harvest_arxiv
from scholarfolio.harvest.openalex import OpenAlexQuery, harvest_openalex
from scholarfolio.harvest.runner import HarvestEnv, HarvestSummary, store_sink
from scholarfolio.harvest.s2 import S2Query, harvest_s2

__all__ = [
    "ArxivQuery",
    "HarvestEnv",
    "HarvestSummary",
    "OpenAlexQuery",
    "S2Query",
    "harvest_arxiv",
    "harvest_openalex",
    "harvest_s2",
    "store_sink",
]
