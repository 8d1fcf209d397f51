"""Atom feeds of real authors, parsed back: RFC 4287's required elements, order, escaping."""

from __future__ import annotations

import re

from lxml import etree

from scholarfolio import profiles, works
from scholarfolio.export import atom
from scholarfolio.store import Store

NS = {"a": atom.ATOM_NS}
BASE = "https://profiles.example.org/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _feed(store: Store, author_id: str) -> etree._Element:
    feed = works.author_feed(store, author_id, authors_per_work=atom.ENTRY_AUTHORS)
    return etree.fromstring(atom.atom_feed(feed, BASE))


def _texts(element: etree._Element, path: str) -> list[str]:
    return [str(found.text) for found in element.findall(path, NS)]


def test_hinton_feed_has_his_two_works_newest_first(closure_store: Store) -> None:
    hinton = profiles.find_author(closure_store, "A5108093963")
    root = _feed(closure_store, hinton)
    assert root.tag == f"{{{atom.ATOM_NS}}}feed"
    assert _texts(root, "a:id") == [f"{BASE}authors/{hinton}/feed.atom"]
    assert _texts(root, "a:title") == ["Geoffrey E. Hinton: new works"]
    assert _texts(root, "a:author/a:name") == ["Geoffrey E. Hinton"]
    links = {link.get("rel"): link.get("href") for link in root.findall("a:link", NS)}
    assert links == {
        "self": f"{BASE}authors/{hinton}/feed.atom",
        "alternate": f"{BASE}authors/{hinton}",
    }
    entries = root.findall("a:entry", NS)
    assert [entry.findtext("a:title", namespaces=NS) for entry in entries] == [
        "Deep learning",
        "Learning representations by back-propagating errors",
    ]
    assert [entry.findtext("a:published", namespaces=NS) for entry in entries] == [
        "2015-05-26T00:00:00Z",
        "1986-10-01T00:00:00Z",
    ]
    # The feed is as new as its newest entry.
    assert _texts(root, "a:updated") == ["2015-05-26T00:00:00Z"]
    deep = entries[0]
    (work,) = works.list_works(closure_store, "W2919115771")
    work_id = work["id"]
    assert deep.findtext("a:id", namespaces=NS) == f"{BASE}works/{work_id}"
    assert deep.find("a:link[@rel='alternate']", NS).get("href") == f"{BASE}works/{work_id}"
    assert deep.find("a:link[@rel='related']", NS).get("href") == (
        "https://doi.org/10.1038/nature14539"
    )
    assert _texts(deep, "a:author/a:name") == ["Yann LeCun", "Yoshua Bengio", "Geoffrey E. Hinton"]


def test_every_entry_has_what_rfc_4287_requires(built_store: Store) -> None:
    author = profiles.search_authors(built_store, "bergauer")[0]["id"]
    root = _feed(built_store, author)
    entries = root.findall("a:entry", NS)
    assert len(entries) == profiles.get_profile(built_store, author)["metrics"]["works"]
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"a:{required}", namespaces=NS)
        assert RFC3339.match(entry.findtext("a:updated", namespaces=NS) or "")
    assert RFC3339.match(root.findtext("a:updated", namespaces=NS) or "")


def test_a_2831_author_entry_lists_twenty_then_says_how_many_more(built_store: Store) -> None:
    author = profiles.search_authors(built_store, "bergauer")[0]["id"]
    (entry,) = [
        entry
        for entry in _feed(built_store, author).findall("a:entry", NS)
        if "1411.4413" in (entry.find("a:link[@rel='related']", NS).get("href") or "")
    ]
    names = _texts(entry, "a:author/a:name")
    assert len(names) == atom.ENTRY_AUTHORS + 1
    assert names[0] == "The CMS and LHCb Collaborations"
    assert names[-1] == "and 2,811 more authors"
    # LaTeX math in the title is shown readably, not as markup.
    title = entry.findtext("a:title", namespaces=NS) or ""
    assert title.startswith("Observation of the rare B") and "$" not in title
    assert [c.get("term") for c in entry.findall("a:category", NS)][:1] == ["hep-ex"]


def test_summaries_carry_the_abstract_as_text(closure_store: Store) -> None:
    preskill = profiles.find_author(closure_store, "John Preskill")
    (entry,) = _feed(closure_store, preskill).findall("a:entry", NS)
    summary = entry.find("a:summary", NS)
    assert summary is not None and summary.get("type") == "text"
    assert (summary.text or "").startswith("Noisy Intermediate-Scale Quantum (NISQ)")


def test_rfc3339_dates() -> None:
    assert atom.rfc3339("2015-05-26") == "2015-05-26T00:00:00Z"
    assert atom.rfc3339("2008-01-28T12:56:45.123456") == "2008-01-28T12:56:45Z"
    assert atom.rfc3339("2008-01-28T12:56:45+02:00") == "2008-01-28T10:56:45Z"
