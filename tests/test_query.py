"""kg.query and ``kg query``: every answer is checked against one computed here by scanning the
input records (and, for methods/benchmarks, the mention lists the test itself feeds in)."""
from __future__ import annotations

import gzip
import json
import math
import random
from collections import Counter, defaultdict, deque
from pathlib import Path

import networkx as nx
import pytest

from kg import query as q
from kg.cli import main
from kg.graph import add_records, new_graph, save, to_json
from kg.model import Record, author_key, entity_id, entity_key, title_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"
needs_corpus = pytest.mark.skipif(not CORPUS.is_file(), reason=f"corpus not found at {CORPUS}")


def corpus_records(limit: int | None = None) -> list[Record]:
    """The first *limit* corpus records with a title not seen before (so that one record is
    one paper and the expected answers can be read off the records directly)."""
    out, seen = [], set()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            d = json.loads(line)
            k = title_key(d["title"])
            if not k or k in seen:
                continue
            seen.add(k)
            out.append(Record(d["title"], d.get("authors") or [], d.get("abstract"), "corpus.jsonl",
                              year=d.get("year"), venue=d.get("venue"), line=i))
            if limit and len(out) >= limit:
                break
    return out


class Expected:
    """Co-author facts read off records: author keys, joint papers, BFS distances."""

    def __init__(self, records: list[Record]):
        self.records = records
        self.papers_of: dict[str, set[str]] = defaultdict(set)  # author key -> titles
        self.co: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for r in records:
            keys = sorted({author_key(a) for a in r.authors})
            for a in keys:
                self.papers_of[a].add(r.title)
                for b in keys:
                    if a != b:
                        self.co[a][b].add(r.title)

    def dist(self, a: str, b: str) -> int | None:
        seen, todo = {a: 0}, deque([a])
        while todo:
            x = todo.popleft()
            if x == b:
                return seen[x]
            for y in self.co[x]:
                if y not in seen:
                    seen[y] = seen[x] + 1
                    todo.append(y)
        return None

    def within(self, a: str, k: int) -> dict[str, int]:
        seen, todo = {a: 0}, deque([a])
        while todo:
            x = todo.popleft()
            if seen[x] == k:
                continue
            for y in self.co[x]:
                if y not in seen:
                    seen[y] = seen[x] + 1
                    todo.append(y)
        del seen[a]
        return seen


# ----------------------------------------------------------------------------- fixtures
METHODS = ["Transformer", "ResNet", "Llama 2", "Adam", "LoRA", "Diffusion Transformer", "BERT",
           "CLIP", "PPO", "DQN", "ViT", "GAN", "VAE", "U-Net", "SGD"]
BENCHMARKS = ["ImageNet", "CIFAR-10", "MMLU", "GLUE", "COCO", "Atari 2600"]
ALIASES = {"Diffusion Transformer": ["DiT"], "Llama 2": ["LLaMA-2"]}


def add_mentions(G: nx.DiGraph, mentions: dict[str, list[tuple[str, str, str]]]) -> None:
    """Method/benchmark nodes and edges in the graph model's form, from
    ``{paper id: [(kind, name, role)]}`` (one mention per entity and paper)."""
    for pid, ments in mentions.items():
        for kind, name, role in ments:
            nid = entity_id(kind, entity_key(name))
            if nid not in G:
                G.add_node(nid, type=kind, label=name, name=name, key=entity_key(name),
                           aliases=ALIASES.get(name, []))
            G.add_edge(pid, nid, type=role, surface=name, aliases=[], evidence="", start=0,
                       end=0, confidence=0.9)


@pytest.fixture(scope="module")
def corpus():
    """A 3000-paper slice of the corpus with seeded random mentions; (G, records, mentions by
    title, Expected)."""
    if not CORPUS.is_file():
        pytest.skip(f"corpus not found at {CORPUS}")
    records = corpus_records(3000)
    G = new_graph()
    add_records(G, records)
    rng = random.Random(7)
    by_title: dict[str, list[tuple[str, str, str]]] = {}
    pid_of = {d["title"]: n for n, d in G.nodes(data=True) if d.get("type") == "paper"}
    for r in records:
        ms = [("method", m, "proposes" if rng.random() < 0.2 else "uses")
              for m in rng.sample(METHODS, rng.choice([0, 1, 2, 3]))]
        ms += [("benchmark", b, "uses") for b in rng.sample(BENCHMARKS, rng.choice([0, 1, 1, 2]))]
        by_title[r.title] = ms
    add_mentions(G, {pid_of[t]: ms for t, ms in by_title.items()})
    return G, records, by_title, Expected(records)


@pytest.fixture
def toy(tmp_path):
    G = q.toy_graph()
    path = tmp_path / "graph.json"
    save(G, path)
    return G, str(path)


# ----------------------------------------------------------------------------- co-authors
def busy_authors(exp: Expected, n: int = 25) -> list[str]:
    ranked = sorted(exp.papers_of, key=lambda a: (-len(exp.co[a]), a))
    return ranked[:n] + ranked[len(ranked) // 2: len(ranked) // 2 + 5]


def test_coauthors_match_records(corpus):
    G, _, _, exp = corpus
    for a in busy_authors(exp):
        got = {author_key(r["name"]): (r["papers"], set(r["titles"])) for r in q.coauthors(G, a)}
        want = {b: (len(ts), ts) for b, ts in exp.co[a].items()}
        assert got == want, a
        rows = q.coauthors(G, a)
        assert [r["papers"] for r in rows] == sorted((r["papers"] for r in rows), reverse=True)


def test_collaboration_path_is_shortest_and_linked_by_real_papers(corpus):
    G, records, _, exp = corpus
    authors_of = {r.title: {author_key(a) for a in r.authors} for r in records}
    rng = random.Random(3)
    pool = sorted(a for a in exp.papers_of if exp.co[a])
    checked = connected = 0
    for _ in range(40):
        a, b = rng.choice(pool), rng.choice(pool)
        want = exp.dist(a, b)
        steps = q.collaboration_path(G, a, b)
        assert q.collaboration_distance(G, a, b) == want
        if want is None or want == 0:
            assert steps == []
        else:
            connected += 1
            assert len(steps) == want
            assert author_key(steps[0]["from"]) == a and author_key(steps[-1]["to"]) == b
            for s, t in zip(steps, steps[1:]):
                assert s["to_id"] == t["from_id"]
            for s in steps:
                assert s["papers"], s
                for title in s["papers"]:
                    assert {author_key(s["from"]), author_key(s["to"])} <= authors_of[title]
        checked += 1
    assert checked == 40 and connected > 0


def test_neighbourhood_matches_bfs(corpus):
    G, _, _, exp = corpus
    for a in busy_authors(exp, 5):
        for k in (1, 2):
            got = {author_key(r["name"]): r["distance"] for r in q.neighbourhood(G, a, k=k)}
            assert got == exp.within(a, k)


def test_central_degree_pagerank_betweenness(corpus):
    G, _, _, exp = corpus
    top = q.central(G, "degree", top=10)
    want = sorted((len(exp.co[a]) for a in exp.papers_of), reverse=True)[:10]
    assert [r["score"] for r in top] == want
    assert all(len(exp.co[author_key(r["name"])]) == r["score"] for r in top)
    # PageRank and exact betweenness against NetworkX on a co-author graph built here
    small, ex = small_graph(corpus[1])
    H = nx.Graph()
    H.add_nodes_from(ex.papers_of)
    H.add_weighted_edges_from((a, b, len(ts)) for a in ex.co for b, ts in ex.co[a].items())
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    ref = _pagerank_python(H, weight="weight")
    got = q.central(small, "pagerank", top=20)
    assert [r["score"] for r in got] == pytest.approx(sorted(ref.values(), reverse=True)[:20], rel=1e-3, abs=1e-6)
    assert ref[author_key(got[0]["name"])] == max(ref.values())
    tiny, ex = small_graph(corpus[1], 250)  # < 2000 authors: exact betweenness
    assert len(ex.papers_of) <= q.BIG_GRAPH
    T = nx.Graph()
    T.add_nodes_from(ex.papers_of)
    T.add_edges_from((a, b) for a in ex.co for b in ex.co[a])
    ref_b = nx.betweenness_centrality(T)
    got_b = q.central(tiny, "betweenness", top=5)
    assert [r["score"] for r in got_b] == pytest.approx(sorted(ref_b.values(), reverse=True)[:5], abs=1e-6)


def small_graph(records: list[Record], n: int = 600):
    G = new_graph()
    add_records(G, records[:n])
    return G, Expected(records[:n])


def test_communities_partition_deterministic_and_good(corpus):
    G, records, _, exp = corpus
    comms = q.communities(G, min_size=1, top=3)
    assert sum(c["size"] for c in comms) == len(exp.papers_of)
    again = q.communities(G, min_size=1, top=3)
    assert again == comms
    # a graph built from the same records in another order gives the same communities
    G2 = new_graph()
    add_records(G2, list(reversed(records)))
    ids = [[m["id"] for m in c["members"]] for c in comms]  # (names: the first spelling seen)
    assert [[m["id"] for m in c["members"]] for c in q.communities(G2, min_size=1, top=3)] == ids
    # each author is in exactly one community; quality close to NetworkX's Louvain
    _, ex = small_graph(records, 1500)
    parts = [set(c) for c in q.louvain(sorted(ex.papers_of), {a: dict(ex.co[a]) for a in ex.papers_of})]
    assert sorted(a for p in parts for a in p) == sorted(ex.papers_of)
    H = nx.Graph()
    H.add_nodes_from(ex.papers_of)
    H.add_weighted_edges_from((a, b, len(ts)) for a in ex.co for b, ts in ex.co[a].items())
    ref = nx.community.louvain_communities(H, weight="weight", seed=0)
    assert nx.community.modularity(H, parts) >= nx.community.modularity(H, ref) - 0.01
    # an author's community: its members, papers, and top methods counted over their papers
    a = busy_authors(exp, 1)[0]
    c = q.community(G, a, top=0)
    members = {author_key(m["name"]) for m in c["members"]}
    assert a in members and len(members) == c["size"]
    titles = {t for m in members for t in exp.papers_of[m]}
    assert c["papers"] == len(titles)
    counts = Counter(name for t in titles for kind, name, _ in corpus[2][t] if kind == "method")
    assert {m["name"]: m["papers"] for m in c["methods"]} == dict(counts)


def test_author_profile(corpus):
    G, records, by_title, exp = corpus
    for a in busy_authors(exp, 8):
        p = q.author_profile(G, a)
        assert {x["title"] for x in p["papers"]} == exp.papers_of[a]
        assert {author_key(c["name"]): c["papers"] for c in p["coauthors"]} == \
            {b: len(ts) for b, ts in exp.co[a].items()}
        want = defaultdict(Counter)
        for t in exp.papers_of[a]:
            for kind, name, role in by_title[t]:
                group = "benchmarks" if kind == "benchmark" else f"methods_{'proposed' if role == 'proposes' else 'used'}"
                want[group][name] += 1
        for group in ("methods_proposed", "methods_used", "benchmarks"):
            assert {x["name"]: x["papers"] for x in p[group]} == dict(want[group])
        for x in p["papers"]:
            rec = next(r for r in records if r.title == x["title"])
            assert author_key(rec.authors[x["position"]]) == a


def test_cache_follows_graph_changes(corpus):
    G = new_graph()
    add_records(G, [Record("One", ["Ann Lee", "Bo Chen"], None, "x")])
    assert [c["name"] for c in q.coauthors(G, "Ann Lee")] == ["Bo Chen"]
    add_records(G, [Record("Two", ["Ann Lee", "Cy Dias"], None, "x")])
    assert [c["name"] for c in q.coauthors(G, "Ann Lee")] == ["Bo Chen", "Cy Dias"]
    G.remove_edge("paper:one", "author:bo-chen")
    assert [c["name"] for c in q.coauthors(G, "Ann Lee")] == ["Cy Dias"]


def test_queries_never_change_the_graph(corpus):
    G, _, _, exp = corpus
    before = to_json(G)
    graph_attrs = json.dumps(G.graph, sort_keys=True, default=str)
    a, b = busy_authors(exp, 2)[:2]
    q.coauthors(G, a), q.collaboration_path(G, a, b), q.neighbourhood(G, a, 3)
    q.communities(G), q.community(G, a), q.central(G, "pagerank"), q.author_profile(G, a)
    q.papers(G, "Transformer"), q.papers(G, "trans", like=True), q.evaluated_on(G, "ResNet")
    q.methods_on(G, "ImageNet"), q.cooccurring(G, "Adam"), q.top_entities(G, by="year")
    q.similar_papers(G, corpus[1][0].title), q.experts(G, "PPO")
    assert to_json(G) == before
    assert json.dumps(G.graph, sort_keys=True, default=str) == graph_attrs


# ----------------------------------------------------------------------------- concepts
def test_papers_of_method_and_benchmark(corpus):
    G, _, by_title, _ = corpus
    for name in ("Transformer", "Diffusion Transformer", "ImageNet", "Atari 2600"):
        want = {t: role for t, ms in by_title.items() for _, n, role in ms if n == name}
        got = q.papers(G, name)
        assert {p["title"]: p["role"] for p in got} == want
        assert [p["role"] for p in got] == sorted((p["role"] for p in got), key=lambda r: r != "proposes")
        assert {p["title"] for p in q.papers(G, name, role="uses")} == {t for t, r in want.items() if r == "uses"}
    like = {p["title"] for p in q.papers(G, "transformer", like=True)}
    assert like == {t for t, ms in by_title.items() if any("Transformer" in n for _, n, _ in ms)}


def test_evaluated_on_and_methods_on(corpus):
    G, _, by_title, _ = corpus
    for m in ("ResNet", "Llama 2"):
        want = Counter(b for ms in by_title.values() if any(n == m for _, n, _ in ms)
                       for k, b, _ in ms if k == "benchmark")
        assert {r["name"]: r["papers"] for r in q.evaluated_on(G, m)} == dict(want)
    for b in ("MMLU", "COCO"):
        want = Counter(x for ms in by_title.values() if any(n == b for _, n, _ in ms)
                       for k, x, _ in ms if k == "method")
        got = q.methods_on(G, b)
        assert {r["name"]: r["papers"] for r in got} == dict(want)
        assert [r["papers"] for r in got] == sorted(want.values(), reverse=True)


def test_cooccurring_counts_and_lift(corpus):
    G, _, by_title, _ = corpus
    n = len(by_title)
    count = Counter(x for ms in by_title.values() for k, x, _ in ms if k == "method")
    for m in ("Adam", "BERT"):
        pair = Counter(x for ms in by_title.values() if any(y == m for _, y, _ in ms)
                       for k, x, _ in ms if k == "method" and x != m)
        got = q.cooccurring(G, m)
        assert {r["name"]: r["count"] for r in got} == dict(pair)
        for r in got:
            lift = pair[r["name"]] * n / (count[m] * count[r["name"]])
            assert r["lift"] == pytest.approx(lift, abs=1e-3)
            assert r["pmi"] == pytest.approx(math.log2(lift), abs=1e-3)
        assert len(q.cooccurring(G, m, top=3)) == 3


def test_top_entities_overall_and_by_year_and_venue(corpus):
    G, records, by_title, _ = corpus
    count = Counter(x for ms in by_title.values() for k, x, _ in ms if k == "benchmark")
    got = q.top_entities(G, "benchmark", top=None)
    assert {r["name"]: r["papers"] for r in got} == dict(count)
    assert [r["papers"] for r in got] == sorted(count.values(), reverse=True)
    for by in ("year", "venue"):
        want: dict[str, Counter] = defaultdict(Counter)
        for r in records:
            g = getattr(r, by)
            if g not in (None, ""):
                for k, x, _ in by_title[r.title]:
                    if k == "method":
                        want[str(g)][x] += 1
        got = q.top_entities(G, "method", top=None, by=by)
        assert {g: {r["name"]: r["papers"] for r in rows} for g, rows in got.items()} == \
            {g: dict(c) for g, c in want.items()}


def test_similar_papers_jaccard_and_reason(corpus):
    G, records, by_title, _ = corpus
    feats = {r.title: {("a", author_key(a)) for a in r.authors} | {(k, n) for k, n, _ in by_title[r.title]}
             for r in records}
    target = next(r.title for r in records if len(r.authors) >= 3 and len(by_title[r.title]) >= 2)
    want = {t: len(feats[target] & f) / len(feats[target] | f) for t, f in feats.items()
            if t != target and feats[target] & f}
    got = q.similar_papers(G, target, top=None)
    assert {r["title"]: r["score"] for r in got} == pytest.approx({t: round(s, 4) for t, s in want.items()})
    first = got[0]
    shared = feats[target] & feats[first["title"]]
    assert set(first["shared"]["methods"]) == {n for k, n in shared if k == "method"}
    assert {author_key(a) for a in first["shared"]["authors"]} == {n for k, n in shared if k == "a"}
    assert first["reason"].startswith("shares ")
    aa = q.similar_papers(G, target, score="adamic-adar", top=5)
    assert all(x["score"] >= y["score"] for x, y in zip(aa, aa[1:]))


def test_experts(corpus):
    G, records, by_title, _ = corpus
    for m in ("PPO", "CIFAR-10"):
        want = defaultdict(lambda: [0, 0])
        for r in records:
            for _, n, role in by_title[r.title]:
                if n == m:
                    for a in {author_key(x) for x in r.authors}:
                        want[a][0] += 1
                        want[a][1] += role == "proposes"
        got = q.experts(G, m, top=None)
        assert {author_key(r["name"]): [r["papers"], r["proposes"]] for r in got} == dict(want)
        assert got[0]["papers"] == max(v[0] for v in want.values())


# ----------------------------------------------------------------------------- name lookup
def test_forgiving_lookup(corpus):
    G, _, _, exp = corpus
    assert q.find_node(G, "llama2") == q.find_node(G, "LLaMA-2") == "method:llama2"
    assert q.find_node(G, "DiT") == "method:diffusiontransformer"
    assert q.find_node(G, "benchmark:cifar10") == "benchmark:cifar10"
    a = busy_authors(exp, 1)[0]
    node = q.find_node(G, a)
    name = G.nodes[node]["name"]
    assert q.find_node(G, name.upper()) == node
    assert q.find_node(G, "  " + name.replace(" ", "   ") + " ") == node
    assert q.find_node(G, name.replace(" ", "-"), "author") == node
    assert q.find_node(G, " ".join(reversed(name.split())), "author") == node
    assert q.find_node(G, node) == node
    with pytest.raises(q.NameNotFound) as e:
        q.find_node(G, name + "x", "author")
    assert name in str(e.value) and node in e.value.suggestions
    with pytest.raises(q.NameNotFound):
        q.find_node(G, "method:" + name)


def test_ambiguous_names_list_candidates():
    G = new_graph()
    add_records(G, [Record("P", ["Kianté Brantley", "Kiante Brantley"], None, "x")])
    with pytest.raises(q.AmbiguousName) as e:
        q.find_node(G, "KianteBrantley")  # loose form: both spellings match
    assert sorted(e.value.candidates) == sorted(n for n, t in G.nodes(data="type") if t == "author")
    assert q.find_node(G, "Kianté Brantley") == "author:kianté-brantley" or \
        G.nodes[q.find_node(G, "Kianté Brantley")]["name"] == "Kianté Brantley"
    add_mentions(G, {"paper:p": [("method", "ImageNet", "uses"), ("benchmark", "ImageNet", "uses")]})
    with pytest.raises(q.AmbiguousName):
        q.papers(G, "imagenet")
    assert q.papers(G, "benchmark:imagenet")[0]["title"] == "P"


def test_user_mistakes_are_kg_errors():
    G = q.toy_graph()
    for call in (lambda: q.coauthors(G, ""), lambda: q.papers(G, "Ann Lee"),
                 lambda: q.central(G, "fame"), lambda: q.papers(G, "EDT", role="cites"),
                 lambda: q.top_entities(G, "dataset"), lambda: q.similar_papers(G, "nope nope"),
                 lambda: q.neighbourhood(G, "Ann Lee", -1), lambda: q.papers(G, "zzz", like=True)):
        with pytest.raises(q.KGError):
            call()


# ----------------------------------------------------------------------------- CLI
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_forms(toy, capsys):
    G, path = toy
    code, out, _ = run(capsys, "query", "coauthors", "bo chen", "--json", "--graph", path)
    assert code == 0
    rows = json.loads(out)
    assert {(r["name"], r["papers"]) for r in rows} == {("Ann Lee", 2), ("Cy Dias", 1)}
    code, out, _ = run(capsys, "query", "path", "ann lee", "DEE EVANS", "--json", "--graph", path)
    steps = json.loads(out)
    assert [(s["from"], s["to"]) for s in steps] == [("Ann Lee", "Bo Chen"), ("Bo Chen", "Cy Dias"),
                                                    ("Cy Dias", "Dee Evans")]
    assert steps[1]["papers"] == ["Scaling Llama 2"]
    code, out, _ = run(capsys, "query", "papers", "llama-2", "--json", "--graph", path)
    assert {p["title"] for p in json.loads(out)} == {"Scaling Llama 2", "Solo Work"}
    for argv, kind in ((["community", "Cy Dias"], dict), (["central", "--top", "2"], list),
                       (["author", "Ann Lee"], dict), (["cooccur", "transformer"], list),
                       (["similar", "Solo Work"], list), (["experts", "EDT"], list),
                       (["benchmarks", "Transformer"], list), (["methods", "ImageNet"], list),
                       (["top", "benchmark", "--by", "venue"], dict), (["neighbours", "Ann Lee"], list),
                       (["communities"], list), (["find", "edt"], dict)):
        code, out, err = run(capsys, "query", *argv, "--json", "--graph", path)
        assert code == 0, (argv, err)
        assert isinstance(json.loads(out), kind), argv
    code, out, _ = run(capsys, "query", "experts", "EDT", "--json", "--graph", path)
    assert [(r["name"], r["proposes"]) for r in json.loads(out)][:2] == [("Ann Lee", 1), ("Bo Chen", 1)]


def test_cli_tables_and_default_graph(toy, capsys, monkeypatch, tmp_path):
    G, path = toy
    (tmp_path / "exports").mkdir()
    Path(path).rename(tmp_path / "exports" / "graph.json")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "query", "coauthors", "Ann Lee")
    assert code == 0 and "Bo Chen" in out and "Lee and Chen Again" in out
    code, out, _ = run(capsys, "query", "path", "Ann Lee", "Eve Fox")
    assert code == 0 and "no collaboration path" in out
    code, out, _ = run(capsys, "query", "author", "ann lee")
    assert "methods proposed" in out and "Efficient Diffusion Transformer" in out
    code, out, _ = run(capsys, "query", "central", "--measure", "pagerank")
    assert code == 0 and "Bo Chen" in out


def test_cli_user_mistakes_exit_2_without_traceback(toy, capsys, tmp_path):
    _, path = toy
    cases = [(["coauthors", "Bo Chenn"], "closest matches: Bo Chen"),
             (["papers", "diffusion transformerz"], "closest matches"),
             (["similar", "diffusion"], "matches 2 papers"),
             (["coauthors", "Ann Lee", "--graph", str(tmp_path / "none.json")], "kg build"),
             (["papers", "Ann Lee"], "no method or benchmark")]
    for argv, msg in cases:
        if "--graph" not in argv:
            argv = [*argv, "--graph", path]
        code, out, err = run(capsys, "query", *argv)
        assert code == 2, argv
        assert msg in err and "Traceback" not in err, err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, "query", "central", "--graph", str(bad))
    assert code == 2 and "Traceback" not in err
    code, _, err = run(capsys, "query", "central", "--top", "-3", "--graph", path)
    assert code == 2


def test_ambiguous_acronym_says_which_is_which():
    """Two entities written alike (one acronym, two expansions) are told apart in the message,
    by an id the user can pass back and by the expansion."""
    G = new_graph()
    add_records(G, [Record("Paper One", ["Ann Lee"], None, "a.txt"),
                    Record("Paper Two", ["Bo Chen"], None, "a.txt")])
    for pid, long in (("paper:paper-one", "Absolute Convergence Scores"),
                      ("paper:paper-two", "Adaptive Chance-constrained Safeguards")):
        nid = entity_id("method", entity_key("ACS " + long))
        G.add_node(nid, type="method", label="ACS", name="ACS", key=entity_key("ACS " + long),
                   aliases=[long])
        G.add_edge(pid, nid, type="proposes", surface="ACS", aliases=[long], evidence="",
                   start=0, end=0, confidence=1.0)
    with pytest.raises(q.AmbiguousName) as err:
        q.find_node(G, "acs")
    msg = str(err.value)
    assert "Absolute Convergence Scores" in msg and "Adaptive Chance-constrained Safeguards" in msg
    ids = sorted(err.value.candidates)
    assert all(i in msg for i in ids)
    assert [q.find_node(G, i) for i in ids] == ids
