"""Speed of the HTML export: page generation time (Python) and time until the page is usable
(laid out, labelled, interactive: ``window.kg.ready``) in headless Chromium, for the seed graph
and a 5,000-node graph from the corpus (../shared).

    python benchmarks/html_speed.py [--shot docs/img/seed-graph.png]

Targets: seed graph usable in < 2 s, 5,000 nodes in < 10 s.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402
from kg.export import html  # noqa: E402
from kg.graph import add_records, new_graph  # noqa: E402
from kg.model import Record  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "conference-papers-2022-2024.jsonl.gz"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")


def browser(width: int = 1200, height: int = 800):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for f in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp()}", f"--window-size={width},{height}"):
        opts.add_argument(f)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def usable_ms(driver, path: Path, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(path.resolve().as_uri())
        while not driver.execute_script("return !!(window.kg && window.kg.ready)"):
            time.sleep(0.02)
        times.append(driver.execute_script("return window.kg.readyMs"))
        errors = [m for m in driver.get_log("browser") if m["level"] == "SEVERE"]
        assert not errors, errors
    return times


def corpus_graph(n_nodes: int = 5000):
    records = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            records.append(Record(r["title"], r.get("authors") or [], r.get("abstract"), "corpus",
                                  r.get("year"), r.get("venue"), r.get("url")))
            if len(records) >= 1300:
                break
    G = new_graph()
    add_records(G, records)
    return G


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shot", metavar="PNG", help="also save a screenshot of the seed graph")
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp())
    cases = [("seed graph (with extraction)", kg.build([ROOT / "seeds"]), 2000, 2.0)]
    if CORPUS.is_file():
        cases.append(("corpus, 5,000 most connected", corpus_graph(), 5000, 10.0))
    else:
        print(f"skipping the corpus graph: {CORPUS} not found")
    driver = browser()
    try:
        print(f"{'graph':32} {'nodes':>6} {'edges':>6} {'generate':>9} {'usable (min/median of 3)':>26} target")
        for i, (name, G, max_nodes, target) in enumerate(cases):
            path = out / f"g{i}.html"
            t = time.perf_counter()
            sel = html.write_html(G, path, max_nodes=max_nodes)
            gen = time.perf_counter() - t
            ms = sorted(usable_ms(driver, path))
            ok = "ok" if ms[1] / 1000 < target else "SLOW"
            print(f"{name:32} {sel.graph.number_of_nodes():6} {sel.graph.number_of_edges():6} "
                  f"{gen:8.2f}s {ms[0] / 1000:12.2f}s / {ms[1] / 1000:.2f}s {'':6} < {target:.0f}s {ok}")
            if i == 0 and args.shot:
                driver.get(path.resolve().as_uri())
                while not driver.execute_script("return !!(window.kg && window.kg.ready)"):
                    time.sleep(0.02)
                driver.save_screenshot(args.shot)
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
