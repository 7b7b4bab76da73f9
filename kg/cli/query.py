"""``kg query``: co-author and concept questions to a built graph.

Each question is a sub-command printing a readable table, or with ``--json`` a JSON list or
object (the values returned by the :mod:`kg.query` function of the same name). The graph is
read from ``--graph`` (default ``exports/graph.json``, written by ``kg build``), or the part of
it a question needs from ``graph.sqlite`` or a SPARQL ``--endpoint`` (:mod:`kg.cli.query_source`).
"""
from __future__ import annotations

import argparse
import json
import sys

from ..model import KGError
from . import int_at_least
from .query_source import ask, graph_for, path_graph_for

DEFAULT_GRAPH = "exports/graph.json"
TITLE_WIDTH = 70


# --------------------------------------------------------------------------- output helpers
def _cut(text, width: int = TITLE_WIDTH) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def table(rows: list[dict], columns: list[tuple[str, str]], empty: str = "(none)") -> str:
    """A plain-text table of *rows* with *columns* ``(key, header)``; lists are joined with
    "; " and cells cut to a readable width.

    >>> print(table([{"name": "Ann", "papers": 2}], [("name", "co-author"), ("papers", "papers")]))
    co-author  papers
    ---------  ------
    Ann        2
    """
    if not rows:
        return empty
    cells = []
    for r in rows:
        line = []
        for key, _ in columns:
            v = r.get(key)
            if isinstance(v, (list, tuple)):
                v = "; ".join(map(str, v))
            elif isinstance(v, float):
                v = f"{v:.4g}"
            line.append(_cut("" if v is None else v))
        cells.append(line)
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (_, h) in enumerate(columns)]
    out = ["  ".join(h.ljust(w) for (_, h), w in zip(columns, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in cells]
    return "\n".join(out)


def _emit(args, data, text: str) -> int:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=None if args.compact else 2))
    else:
        print(text)
    return 0


_PAPERS = [("title", "title"), ("year", "year"), ("venue", "venue")]


# --------------------------------------------------------------------------- commands
def run_coauthors(args) -> int:
    from .. import query as q

    G = graph_for(args, (args.name, "author"))
    who = q.find_node(G, args.name, "author")
    rows = q.coauthors(G, who)
    if args.top:
        rows = rows[: args.top]
    head = f"{len(rows)} co-author(s) of {G.nodes[who]['name']}:\n"
    return _emit(args, rows, head + table(rows, [("name", "co-author"), ("papers", "papers"),
                                                 ("titles", "joint papers")]))


def run_path(args) -> int:
    from .. import query as q

    G = path_graph_for(args)
    a, b = q.find_node(G, args.a, "author"), q.find_node(G, args.b, "author")
    steps = q.collaboration_path(G, a, b)
    na, nb = G.nodes[a]["name"], G.nodes[b]["name"]
    if a == b:
        text = f"{na} and {nb} are the same author (distance 0)"
    elif not steps:
        text = f"no collaboration path between {na} and {nb}: they are not connected"
        if args.json:
            print(f"kg: {text}", file=sys.stderr)
    else:
        text = f"collaboration distance {len(steps)} from {na} to {nb}:\n" + table(
            steps, [("from", "author"), ("to", "co-author"), ("papers", "joint papers")])
    return _emit(args, steps, text)


def run_neighbours(args) -> int:
    from .. import query as q

    G = graph_for(args, (args.name, "author"), hops=args.hops)
    who = q.find_node(G, args.name, "author")
    rows = q.neighbourhood(G, who, k=args.hops)
    head = f"{len(rows)} author(s) within {args.hops} hop(s) of {G.nodes[who]['name']}:\n"
    return _emit(args, rows, head + table(rows, [("name", "author"), ("distance", "hops"),
                                                 ("via", "via")]))


def _community_text(c: dict) -> str:
    lines = [f"community {c['community']}: {c['size']} authors, {c['papers']} papers"]
    lines.append("  most central: " + ", ".join(f"{m['name']} ({m['degree']})" for m in c["members"]))
    for key in ("methods", "benchmarks"):
        if c[key]:
            lines.append(f"  top {key}: " + ", ".join(f"{e['name']} ({e['papers']})" for e in c[key]))
    return "\n".join(lines)


def run_community(args) -> int:
    from .. import query as q

    G = graph_for(args)
    who = q.find_node(G, args.name, "author")
    c = q.community(G, who, top=args.top, seed=args.seed, resolution=args.resolution)
    return _emit(args, c, f"{c['author']} is in " + _community_text(c))


def run_communities(args) -> int:
    from .. import query as q

    G = graph_for(args)
    cs = q.communities(G, top=args.members, min_size=args.min_size, seed=args.seed,
                       resolution=args.resolution, limit=args.top or None)
    return _emit(args, cs, "\n".join(map(_community_text, cs)) or "(no communities)")


def run_central(args) -> int:
    if args.endpoint and args.measure != "degree":
        raise KGError(f"`kg query central --measure {args.measure}` needs the whole co-author graph: "
                      "ask graph.json with --graph PATH (an --endpoint answers --measure degree)")
    rows = ask(args, "central", args.measure, top=args.top, sample=args.sample, seed=args.seed)
    return _emit(args, rows, f"most central authors by {args.measure}:\n" + table(
        rows, [("name", "author"), ("score", args.measure), ("coauthors", "co-authors"),
               ("papers", "papers")]))


def _identity_lines(ident: dict) -> list[str]:
    """The profile's identity lines: ids with their IRIs, other spellings, and the
    possibly-several-people flag."""
    lines = [f"ids: {'  '.join(ident['iris'])}"] if ident.get("iris") else []
    if ident.get("aliases"):
        lines.append(f"also written: {', '.join(ident['aliases'])}")
    if ident.get("possibly_several"):
        lines.append(f"possibly several people: the papers fall into {ident['coauthor_groups']} "
                     "groups with no co-author in common")
    return lines


def run_author(args) -> int:
    from .. import query as q

    G = graph_for(args, (args.name, "author"))
    p = q.author_profile(G, q.find_node(G, args.name, "author"))
    if args.json:
        return _emit(args, p, "")
    parts = [f"{p['name']} ({p['id']}): {len(p['papers'])} paper(s), {len(p['coauthors'])} co-author(s)",
             *_identity_lines(p["identity"]),
             "", "papers:", table(p["papers"], _PAPERS + [("position", "pos")]),
             "", "co-authors:", table(p["coauthors"], [("name", "co-author"), ("papers", "papers")])]
    for key, head in (("methods_proposed", "methods proposed"), ("methods_used", "methods used"),
                      ("benchmarks", "benchmarks")):
        parts += ["", f"{head}:", table(p[key], [("name", "name"), ("papers", "papers")])]
    print("\n".join(parts))
    return 0


def _entity(G, name: str, types=("method", "benchmark")) -> tuple[str, str]:
    from .. import query as q

    e = q.find_node(G, name, types)
    return e, f"{G.nodes[e]['type']} {G.nodes[e]['name']}"


def run_papers(args) -> int:
    from .. import query as q

    G = (graph_for(args) if not args.endpoint else graph_for(args, like=True)) if args.like \
        else graph_for(args, (args.name, ("method", "benchmark")))
    if args.like:
        rows = q.papers(G, args.name, role=args.role, like=True)
        what = f"a method or benchmark like {args.name!r}"
    else:
        e, what = _entity(G, args.name)
        rows = q.papers(G, e, role=args.role)
    return _emit(args, rows, f"{len(rows)} paper(s) mentioning {what}:\n"
                 + table(rows, [("role", "role")] + ([("via", "via")] if args.like else []) + _PAPERS))


def _entity_question(question: str, types, head: str, columns: list[tuple[str, str]], local: bool = True):
    """A command asking :mod:`kg.query`'s *question* about the method/benchmark NAME, printing
    *head* (``{what}``: the entity) and a table of *columns*; *local*: the answer depends only
    on the papers of NAME (so it can be read from the store)."""
    def run(args) -> int:
        from .. import query as q

        G = graph_for(args, *([(args.name, types)] if local or args.endpoint else []), hops=int(local))
        e, what = _entity(G, args.name, types)
        if args.endpoint and not local:  # counts over every paper: a SPARQL aggregate
            rows = ask(args, question, args.name, top=args.top)
        else:
            rows = getattr(q, question)(G, e, top=args.top)
        return _emit(args, rows, head.format(what=what) + "\n" + table(rows, columns))

    run.__name__ = f"run_{question}"
    return run


_SHARED = [("papers", "papers"), ("titles", "shared papers")]
run_benchmarks = _entity_question("evaluated_on", "method", "benchmarks {what} is evaluated on:",
                                  [("name", "benchmark"), *_SHARED])
run_methods = _entity_question("methods_on", "benchmark", "methods evaluated on {what}:",
                               [("name", "method"), *_SHARED])
run_cooccur = _entity_question("cooccurring", ("method", "benchmark"), "co-occurring with {what}:",
                               [("name", "name"), ("count", "papers"), ("lift", "lift"), ("pmi", "pmi")], local=False)
run_experts = _entity_question("experts", ("method", "benchmark"), "experts on {what}:",
                               [("name", "author"), ("papers", "papers"), ("proposes", "proposes"), ("uses", "uses")])


def run_top(args) -> int:
    res = ask(args, "top_entities", args.kind, top=args.top, by=args.by, role=args.role)
    cols = [("name", args.kind), ("papers", "papers")]
    if args.by is None:
        text = f"most used {args.kind}s:\n" + table(res, cols)
    else:
        text = "\n\n".join(f"{args.by} {g}:\n" + table(rows, cols) for g, rows in res.items()) or "(none)"
    return _emit(args, res, text)


def run_similar(args) -> int:
    from .. import query as q

    G = graph_for(args, (args.title, "paper"), hops=2, follow=("author", "method", "benchmark"))
    p = q.find_node(G, args.title, "paper")
    rows = q.similar_papers(G, p, top=args.top, score=args.score)
    return _emit(args, rows, f"papers similar to \"{G.nodes[p]['title']}\" ({args.score}):\n" + table(
        rows, [("title", "title"), ("score", "score"), ("reason", "why")]))


def run_find(args) -> int:
    from .. import query as q

    G = graph_for(args, (args.name, args.type), hops=0)
    n = q.find_node(G, args.name, args.type)
    d = G.nodes[n]
    row = {"id": n, "type": d.get("type"), "name": d.get("name") or d.get("title"),
           "aliases": d.get("aliases", [])}
    return _emit(args, row, f"{row['id']}  ({row['type']}) {row['name']}")


# --------------------------------------------------------------------------- errors
#: the command-line form of each :mod:`kg.query` parameter a :class:`kg.query.BadArgument` names
FLAGS = {"k": "--hops", "types": "--type", "role": "--role", "measure": "--measure",
         "score": "--score", "by": "--by", "kind": "KIND", "top": "--top", "sample": "--sample",
         "min_size": "--min-size", "resolution": "--resolution", "seed": "--seed"}


def with_flags(func):
    """*func* with the :mod:`kg.query` errors that name a parameter re-worded to name its
    command-line option (a :class:`kg.model.KGError`: one line, exit code 2).

    >>> from kg import query as q
    >>> with_flags(lambda args: q.neighbourhood(q.toy_graph(), "Ann Lee", k=-1))(None)
    Traceback (most recent call last):
    ...
    kg.model.KGError: --hops -1: the number of hops must be 0 or more
    """
    def run(args) -> int:
        from ..query import BadArgument

        try:
            return func(args)
        except BadArgument as exc:
            raise KGError(exc.describe(FLAGS.get(exc.parameter, exc.parameter))) from None

    run.__name__, run.__doc__ = func.__name__, func.__doc__
    return run


# --------------------------------------------------------------------------- parser
def _common() -> argparse.ArgumentParser:
    """The options every question takes: where to ask (``--graph``, ``--no-store``,
    ``--endpoint``; :mod:`kg.cli.query_source`) and how to print (``--json``, ``--compact``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--graph", default=DEFAULT_GRAPH, metavar="PATH",
                        help=f"graph.json to query (default: {DEFAULT_GRAPH})")
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")
    common.add_argument("--compact", action="store_true", help="with --json: one line")
    common.add_argument("--no-store", action="store_true",
                        help="load graph.json even when a fresh graph.sqlite is beside it")
    common.add_argument("--endpoint", metavar="URL", default=None,
                        help="ask a SPARQL endpoint holding the RDF export (e.g. "
                        "http://127.0.0.1:7878/query) or a pyoxigraph store folder instead of "
                        "--graph (communities, PageRank, betweenness need the graph)")
    return common


def _coauthor_questions(add) -> None:
    """The co-author questions (*add*: ``(name, func, help, top=, aliases=) -> sub-parser``)."""
    sp = add("coauthors", run_coauthors, "co-authors of an author, with joint papers", top=0)
    sp.add_argument("name", metavar="NAME")
    sp = add("path", run_path, "shortest collaboration path between two authors")
    sp.add_argument("a", metavar="NAME_A")
    sp.add_argument("b", metavar="NAME_B")
    sp = add("neighbours", run_neighbours, "authors within K co-authorship hops",
             aliases=("neighbourhood", "neighbors"))
    sp.add_argument("name", metavar="NAME")
    sp.add_argument("--hops", "-k", type=int_at_least(0), default=2, metavar="K", help="hops (default 2)")
    for name, func, help_ in (("community", run_community, "the community of collaborating authors of an author"),
                              ("communities", run_communities, "communities of collaborating authors, largest first")):
        sp = add(name, func, help_, top=5 if name == "community" else 10)
        if name == "community":
            sp.add_argument("name", metavar="NAME")
        else:
            sp.add_argument("--members", type=int_at_least(0), default=5, metavar="N",
                            help="central members and methods shown per community (default 5)")
            sp.add_argument("--min-size", type=int_at_least(0), default=2, metavar="N",
                            help="leave out smaller communities (default 2)")
        sp.add_argument("--seed", type=int, default=0, help="Louvain seed (default 0)")
        sp.add_argument("--resolution", type=float, default=1.0, help="Louvain resolution (default 1)")
    sp = add("central", run_central, "most central authors", top=10)
    sp.add_argument("--measure", choices=("degree", "pagerank", "betweenness"), default="degree")
    sp.add_argument("--sample", type=int_at_least(0), default=None, metavar="K",
                    help="betweenness: sampled sources on big graphs (default 32)")
    sp.add_argument("--seed", type=int, default=0)
    sp = add("author", run_author, "author profile: papers, co-authors, methods, benchmarks",
             aliases=("profile",))
    sp.add_argument("name", metavar="NAME")


def _concept_questions(add) -> None:
    """The method / benchmark / paper questions (*add* as in :func:`_coauthor_questions`)."""
    sp = add("papers", run_papers, "papers proposing or using a method or benchmark")
    sp.add_argument("name", metavar="NAME")
    sp.add_argument("--role", choices=("proposes", "uses"), default=None)
    sp.add_argument("--like", action="store_true",
                    help="every method/benchmark whose name contains NAME (e.g. transformer)")
    sp = add("benchmarks", run_benchmarks, "benchmarks a method is evaluated on", top=0)
    sp.add_argument("name", metavar="METHOD")
    sp = add("methods", run_methods, "methods evaluated on a benchmark", top=0)
    sp.add_argument("name", metavar="BENCHMARK")
    sp = add("cooccur", run_cooccur, "methods co-occurring with a method (benchmarks with a benchmark)", top=20)
    sp.add_argument("name", metavar="NAME")
    sp = add("top", run_top, "most used methods or benchmarks", top=10)
    sp.add_argument("kind", nargs="?", choices=("method", "benchmark"), default="method")
    sp.add_argument("--by", choices=("year", "venue"), default=None)
    sp.add_argument("--role", choices=("proposes", "uses"), default=None)
    sp = add("similar", run_similar, "papers similar to a paper by shared methods, benchmarks, authors", top=10)
    sp.add_argument("title", metavar="TITLE")
    sp.add_argument("--score", choices=("jaccard", "adamic-adar"), default="jaccard")
    sp = add("experts", run_experts, "authors ranked by their papers proposing or using a method", top=10)
    sp.add_argument("name", metavar="NAME")
    sp = add("find", run_find, "resolve a name to its node id")
    sp.add_argument("name", metavar="NAME")
    sp.add_argument("--type", choices=("paper", "author", "method", "benchmark"), default=None)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``query`` command and its questions."""
    common = _common()
    p = sub.add_parser("query", help="ask the graph: co-authors, paths, communities, methods…",
                       description="Ask the graph co-author and concept questions. Names are "
                       "matched forgivingly (case, spacing, hyphens, aliases); a 'method:' / "
                       "'benchmark:' / 'author:' / 'paper:' prefix picks the node type.")
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
    qs = p.add_subparsers(dest="question", metavar="QUESTION")

    def add(name, func, help_, *, top=None, aliases=()):
        sp = qs.add_parser(name, parents=[common], help=help_, description=help_, aliases=list(aliases))
        if top is not None:
            sp.add_argument("--top", type=int_at_least(0), default=top, metavar="N",
                            help=f"show the first N (0: all; default {top})")
        sp.set_defaults(func=with_flags(func))
        return sp

    _coauthor_questions(add)
    _concept_questions(add)
