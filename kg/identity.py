"""Identity of papers and authors in the graph: identifier and title indexes, author linking,
accent-variant merging and the "possibly several people" flag. Used by :mod:`kg.graph`
(which holds the rules' summary in its docstring).

>>> from kg.graph import new_graph, add_records
>>> from kg.model import Record
>>> G = new_graph()
>>> _ = add_records(G, [Record("P1", ["René Vidal", "Ann Lee"], None, "a"),
...                     Record("P2", ["Rene Vidal", "Ann Lee"], None, "b")])
>>> sorted(n for n, t in G.nodes(data="type") if t == "author")
['author:ann-lee', 'author:rené-vidal']
>>> G.nodes["author:rené-vidal"]["aliases"]
['Rene Vidal']
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

import networkx as nx
from networkx.utils import UnionFind

from .model import AUTHOR, AUTHOR_IDS, AUTHORED, PAPER, PAPER_IDS, Record, accent_key, author_id, author_key, \
    collapse_ws, identifier_iris, paper_id, title_key


# --------------------------------------------------------------------------- papers
class PaperIndex:
    """Papers of a graph by identifier (``(kind, value)``) and by title key (a list: one
    title may name several papers)."""

    def __init__(self, G: nx.DiGraph):
        self.G = G
        self.ids: dict[tuple[str, str], str] = {}
        self.titles: dict[str, list[str]] = defaultdict(list)
        for n, d in G.nodes(data=True):
            if d.get("type") == PAPER:
                self.add(n)

    def add(self, pid: str) -> None:
        d = self.G.nodes[pid]
        for k in PAPER_IDS:
            if d.get(k):
                self.ids.setdefault((k, d[k]), pid)
        key = title_key(d.get("title") or "") or _raw_title_key(d.get("title") or "", d.get("authors") or [])
        if pid not in self.titles[key]:
            self.titles[key].append(pid)

    def find(self, rec: Record, warnings: list[str]) -> str | None:
        """The paper *rec* is, or None for a new paper (see :mod:`kg.graph` identity rules)."""
        for k in PAPER_IDS:
            v = getattr(rec, k)
            if v and (k, v) in self.ids:
                return self.ids[(k, v)]
        tkey = title_key(rec.title)
        if not tkey:  # a title of only emoji / punctuation: the written title and authors decide
            found = self.titles.get(_raw_title_key(rec.title, rec.authors))
            return found[0] if found else None
        for pid in self.titles.get(tkey, ()):
            d = self.G.nodes[pid]
            if any(getattr(rec, k) and d.get(k) and getattr(rec, k) != d[k] for k in PAPER_IDS):
                continue  # same title, different identifiers: two papers
            if _different_papers(rec, d):
                where = f"{rec.source}:{rec.line}" if rec.line else rec.source
                warnings.append(f"{where}: {rec.title!r} has the title of {pid} ({', '.join(d['sources'])}) "
                                "but no author in common and a different abstract: kept as two papers")
                continue
            return pid
        return None

    def new_id(self, rec: Record) -> str:
        """A node id for a new paper: from its title; a title of no words, or a title already
        taken by another paper, gets a hash of what tells the paper apart."""
        if not title_key(rec.title):
            raw = _raw_title_key(rec.title, rec.authors)
            pid = f"{PAPER}:{hashlib.sha1(raw.encode()).hexdigest()[:12]}"
        else:
            pid = paper_id(rec.title)
        n = 1
        while pid in self.G:
            suffix = next((getattr(rec, k) for k in PAPER_IDS if getattr(rec, k)), None) \
                or f"{'|'.join(rec.authors)}|{rec.abstract or ''}|{n}"
            pid = paper_id(f"{rec.title} {suffix}") if title_key(rec.title) else \
                f"{PAPER}:{hashlib.sha1((rec.title + suffix).encode()).hexdigest()[:12]}"
            n += 1
        return pid


def _raw_title_key(title: str, authors: list[str]) -> str:
    """Identity of a title with no words: the written title (whitespace collapsed) and the
    author keys, so that "🤗" by Ann and "🤗" by Bo are two papers."""
    return "\x00" + collapse_ws(title) + "\x00" + "\x00".join(author_key(a) for a in authors)


def _different_papers(rec: Record, d: dict[str, Any]) -> bool:
    """Same title, but no author in common (both lists known) and different abstracts (both known)."""
    if not rec.authors or not d.get("authors") or not rec.abstract or not d.get("abstract"):
        return False
    mine = {accent_key(a) for a in rec.authors}
    theirs = {accent_key(a) for a in d["authors"]}
    return not (mine & theirs) and collapse_ws(rec.abstract).casefold() != collapse_ws(d["abstract"]).casefold()


# --------------------------------------------------------------------------- authors
class AuthorIndex:
    """Author nodes by identifier (``(kind, value)``: orcid, openalex, s2) and by name key
    (every spelling merged into the node, see ``aliases``)."""

    def __init__(self, G: nx.DiGraph):
        self.G = G
        self.ids: dict[tuple[str, str], str] = {}
        self.keys: dict[str, list[str]] = defaultdict(list)
        for n, d in G.nodes(data=True):
            if d.get("type") == AUTHOR:
                self.add(n)

    def add(self, aid: str) -> None:
        d = self.G.nodes[aid]
        for k in AUTHOR_IDS:
            if d.get(k):
                self.ids.setdefault((k, d[k]), aid)
        for name in [d.get("name") or "", *d.get("aliases", ())]:
            key = author_key(name)
            if aid not in self.keys[key]:
                self.keys[key].append(aid)

    def resolve(self, name: str, ids: dict[str, str]) -> str:
        """The author node for *name* with *ids* (created when new): an id match first; else a
        node of that name key whose ids do not contradict *ids*; else a new node."""
        G = self.G
        for k in AUTHOR_IDS:
            v = ids.get(k)
            if v and (k, v) in self.ids and self.ids[(k, v)] in G:
                aid = self._enrich(self.ids[(k, v)], ids)
                d = G.nodes[aid]
                if author_key(name) != d["key"] and name not in d.get("aliases", ()):
                    d["aliases"] = sorted({*d.get("aliases", ()), name})  # "J. Smith" = "John Smith" by ORCID
                    self.add(aid)
                return aid
        key = author_key(name)
        for aid in self.keys.get(key, ()):
            if aid in G and not _conflict(G.nodes[aid], ids):
                return self._enrich(aid, ids)
        aid = author_id(name)
        if aid in G:  # same name, other person (different ORCID / author id)
            tag = next((ids[k] for k in AUTHOR_IDS if ids.get(k)), str(len(G)))
            aid = author_id(f"{name} {tag}")
        G.add_node(aid, type=AUTHOR, label=name, name=name, key=key, **{k: ids[k] for k in AUTHOR_IDS if ids.get(k)})
        self.add(aid)
        return aid

    def _enrich(self, aid: str, ids: dict[str, str]) -> str:
        d = self.G.nodes[aid]
        for k in AUTHOR_IDS:
            if ids.get(k) and not d.get(k):
                d[k] = ids[k]
                self.ids.setdefault((k, ids[k]), aid)
        return aid


def _conflict(d: dict[str, Any], ids: dict[str, str]) -> bool:
    return bool(ids) and any(ids.get(k) and d.get(k) and ids[k] != d[k] for k in AUTHOR_IDS)


def link_authors(G: nx.DiGraph, pid: str, index: AuthorIndex) -> None:
    """(Re)build the authorship edges of paper *pid* from its ``authors`` (and ``author_ids``)."""
    old = [v for v in G.successors(pid) if G.edges[pid, v]["type"] == AUTHORED]
    G.remove_edges_from([(pid, v) for v in old])
    d = G.nodes[pid]
    ids = d.get("author_ids") or []
    for pos, name in enumerate(d["authors"]):
        aid = index.resolve(name, ids[pos] if pos < len(ids) else {})
        if not G.has_edge(pid, aid):
            G.add_edge(pid, aid, type=AUTHORED, position=pos)
    for v in old:  # an author replaced by a fuller author list and left with no paper
        if v in G and G.in_degree(v) == 0 and G.nodes[v].get("type") == AUTHOR:
            G.remove_node(v)


def _coauthor_keys(G: nx.DiGraph, aid: str, own: str) -> set[str]:
    out = set()
    for p in G.predecessors(aid):
        for v in G.successors(p):
            if v != aid and G.edges[p, v].get("type") == AUTHORED:
                k = accent_key(G.nodes[v].get("name", ""))
                if k != own:
                    out.add(k)
    return out


def merge_accent_variants(G: nx.DiGraph) -> int:
    """Merge author nodes whose names differ only by accents ("René Vidal" / "Rene Vidal")
    when they share a co-author and their ids do not contradict; the node with more papers
    (then the accented spelling) stays, the other spelling joins its ``aliases``. Returns the
    number of nodes merged away.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        if d.get("type") == AUTHOR:
            groups[accent_key(d.get("name", ""))].append(n)
    merged = 0
    for key, nodes in groups.items():
        if len(nodes) < 2:
            continue
        nodes.sort(key=lambda n: (-G.in_degree(n), G.nodes[n]["name"].isascii(), n))
        co = {n: _coauthor_keys(G, n, key) for n in nodes}
        keep: list[str] = []
        for n in nodes:
            target = next((k for k in keep if co[k] & co[n] and not _conflict(G.nodes[k], G.nodes[n])), None)
            if target is None:
                keep.append(n)
                continue
            _merge_author(G, target, n)
            co[target] |= co[n]
            merged += 1
    return merged


def _merge_author(G: nx.DiGraph, keep: str, gone: str) -> None:
    dk, dg = G.nodes[keep], G.nodes[gone]
    for p in list(G.predecessors(gone)):
        e = G.edges[p, gone]
        if not G.has_edge(p, keep):
            G.add_edge(p, keep, **e)
    aliases = set(dk.get("aliases", ())) | {dg["name"], *dg.get("aliases", ())}
    dk["aliases"] = sorted(aliases - {dk["name"]})
    for k in AUTHOR_IDS:
        if dg.get(k) and not dk.get(k):
            dk[k] = dg[k]
    G.remove_node(gone)


def flag_possibly_several(G: nx.DiGraph) -> int:
    """Mark author nodes without an identifier whose papers fall into two or more groups that
    share no co-author (papers without co-authors are not counted): ``possibly_several=True``
    and ``coauthor_groups=n``; the marks of nodes no longer in that state are removed. Returns
    the number of flagged authors.
    """
    flagged = 0
    team: dict[str, list[str]] = {}  # paper -> its authors
    for a, d in G.nodes(data=True):
        if d.get("type") != AUTHOR:
            continue
        d.pop("possibly_several", None)
        d.pop("coauthor_groups", None)
        papers = list(G.predecessors(a))
        if len(papers) < 2 or any(d.get(k) for k in AUTHOR_IDS):
            continue
        uf = UnionFind()
        by_coauthor: dict[str, str] = {}
        for p in papers:
            if p not in team:
                team[p] = [v for v, e in G.adj[p].items() if e.get("type") == AUTHORED]
            others = [v for v in team[p] if v != a]
            if not others:
                continue
            uf[p]  # noqa: B018 (registers the paper)
            for v in others:
                if v in by_coauthor:
                    uf.union(by_coauthor[v], p)
                else:
                    by_coauthor[v] = p
        n = sum(1 for _ in uf.to_sets())
        if n >= 2:
            d["possibly_several"] = True
            d["coauthor_groups"] = n
            flagged += 1
    return flagged


def author_identity(G: nx.DiGraph, aid: str) -> dict[str, Any]:
    """What the graph knows about who an author node is, for an author profile: its ids
    (``orcid``, ``openalex``, ``s2``), ``iris`` (:func:`kg.model.identifier_iris`), ``aliases``
    and, when set, ``possibly_several`` with ``coauthor_groups``.

    >>> from kg.graph import new_graph, add_records
    >>> G = new_graph()
    >>> _ = add_records(G, [Record("P", ["Ann Lee"], None, "a", author_ids=[{"orcid": "0000-0002-5577-3516"}])])
    >>> author_identity(G, "author:ann-lee")
    {'orcid': '0000-0002-5577-3516', 'iris': ['https://orcid.org/0000-0002-5577-3516'], 'aliases': []}
    """
    d = G.nodes[aid]
    out: dict[str, Any] = {k: d[k] for k in AUTHOR_IDS if d.get(k)}
    out["iris"] = identifier_iris(d)
    out["aliases"] = list(d.get("aliases", ()))
    if d.get("possibly_several"):
        out.update(possibly_several=True, coauthor_groups=d.get("coauthor_groups"))
    return out
