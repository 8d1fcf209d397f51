"""The ingest domain: read bibliographic files into records (:mod:`scholarfolio.models`).

Formats are recognised from content (gzip transparently): arXiv OAI-PMH responses
(arXiv, arXivRaw, oai_dc), arXiv API Atom feeds, Kaggle snapshot JSON lines and
``.abs`` records; OpenAlex works and authors, Semantic Scholar Graph API responses
and S2AG dataset lines, Crossref REST works, CSL-JSON (all as JSON documents or
JSON lines); BibTeX. Bad records come out as :class:`~scholarfolio.models.Reject`;
nothing in a file stops the good records from being read.
"""

from scholarfolio.ingest.authors import split_authors
from scholarfolio.ingest.detect import detect_format
from scholarfolio.ingest.ids import parse_arxiv_id
from scholarfolio.ingest.reader import expand_paths, read_file

__all__ = ["detect_format", "expand_paths", "parse_arxiv_id", "read_file", "split_authors"]
