"""kg — a knowledge graph of papers, authors, methods and benchmarks from paper listings.

Pipeline: :mod:`kg.ingest` (listings → records) → :mod:`kg.extract` (abstracts → methods and
benchmarks) → :mod:`kg.graph` (a typed :class:`networkx.DiGraph`) → :mod:`kg.query` and
:mod:`kg.export`.

>>> import kg
>>> G = kg.build(["seeds/001_3f13293f3bb4fd6f.txt"], extract=False)
>>> kg.summary(G)["papers"]
12
"""
__version__ = "0.1.0"

from .graph import add, build, load, save, summary  # noqa: E402
from .model import KGError  # noqa: E402

__all__ = ["build", "add", "load", "save", "summary", "KGError", "__version__"]
