"""Run extraction over many papers: in-process, over local processes, or on a Dask cluster.

Extraction of one paper depends on that paper alone (cross-paper resolution happens later, in
:func:`kg.graph.set_mentions`), so papers are cut into chunks, each chunk is extracted where a
worker is free, and the results are put back in input order: the graph is byte-identical
whatever the number of workers or the engine.

>>> run_extraction([{"id": "p", "title": "Adam", "abstract": "We train with Adam."}], jobs=1)[0]["id"]
'p'
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence

from ._io import progress
from .model import KGError

ENGINES = ("local", "dask")


class PoolTerminated(RuntimeError):
    """A process pool stopped by SIGTERM whose previous handler returned (no kg CLI around)."""

_WORKER_EXTRACTOR = None


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def extract_chunk(papers: Sequence[dict], lean: bool = False) -> list[dict]:
    """Extract one chunk of papers with a per-process cached :class:`kg.extract.Extractor`.
    With *lean*, a mention's evidence that is the paper's text at ``start:end`` is given as
    :data:`kg.model.AT_OFFSETS` (:func:`kg.model.lean_mention`), as the graph holds it: the
    results of a big run do not hold a copy of every evidence sentence.

    >>> extract_chunk([{"id": 1, "title": "", "abstract": ""}])[0]["methods"]
    []
    >>> r = extract_chunk([{"id": 1, "title": "Adam", "abstract": "We train with Adam."}], lean=True)
    >>> r[0]["methods"][0]["evidence"]
    AT_OFFSETS
    """
    global _WORKER_EXTRACTOR
    if _WORKER_EXTRACTOR is None:
        from .extract import Extractor

        _WORKER_EXTRACTOR = Extractor()
    results = list(_WORKER_EXTRACTOR.extract_many(papers))
    if lean:
        from .model import lean_mention, mention_text

        for paper, r in zip(papers, results):
            text = mention_text(paper)
            for m in (*r["methods"], *r["benchmarks"]):
                lean_mention(m, text)
    return results


def release_extractor() -> None:
    """Drop this process's extractor and free the pipeline and caches behind it
    (:func:`kg.extract.extractor.release`)."""
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = None
    from .extract.extractor import release

    release()


#: a local run of at least this many papers frees the pipeline afterwards (:func:`release_extractor`)
RELEASE_FROM = 2000


def run_extraction(papers: Sequence[dict], jobs: int = 1, engine: str = "local",
                   scheduler: str | None = None, chunk_size: int | None = None,
                   lean: bool = False) -> list[dict]:
    """Extract *papers* (dicts with id, title, abstract) and return the results in input order.

    ``engine="local"`` uses ``jobs`` processes (1: in this process); ``engine="dask"`` submits
    chunks to the ``dask.distributed`` scheduler at *scheduler* (an address such as
    ``tcp://127.0.0.1:8786``, or a ``Client``/``LocalCluster`` object). *lean*: evidence given
    as offsets where it can be (see :func:`extract_chunk`; local engine). A local run of
    :data:`RELEASE_FROM` papers or more frees the pipeline when it is done.
    """
    papers = list(papers)
    if not papers:
        return []
    if engine not in ENGINES:
        raise KGError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine == "dask":
        return _run_dask(papers, scheduler, chunk_size or 250)
    jobs = max(1, min(jobs, len(papers) // 50 or 1))
    if jobs == 1:
        results = _collect(_single(papers, lean), len(papers))
    else:
        size = chunk_size or max(20, min(250, len(papers) // (jobs * 8) or 1))  # short tail
        results = _run_local(papers, jobs, size, lean)
    if len(papers) >= RELEASE_FROM:
        release_extractor()
    return results


def _single(papers, lean: bool = False):
    for chunk in _chunks(papers, 256):
        yield from extract_chunk(chunk, lean)


def _collect(it: Iterable[dict], total: int) -> list[dict]:
    return list(progress(it, total=total, desc="extracting", unit="paper"))


def _die_with_parent(parent: int) -> None:
    """Worker initializer: this worker gets SIGKILL when its parent dies (Linux
    ``prctl(PR_SET_PDEATHSIG)``), so a killed ``kg build --jobs N`` leaves no worker behind.
    Elsewhere a thread polls the parent pid instead.

    >>> _die_with_parent(os.getppid())  # in a live process: returns at once
    """
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's clean-up handler (forked)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) != 0:  # 1 = PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        import threading
        import time

        def watch():
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _run_local(papers: list[dict], jobs: int, size: int, lean: bool = False) -> list[dict]:
    import functools
    import multiprocessing as mp

    if "fork" in mp.get_all_start_methods():
        extract_chunk([])  # load the pipeline once; forked workers inherit it
    return map_processes(functools.partial(extract_chunk, lean=lean), _chunks(papers, size), jobs,
                         flatten=True, total=len(papers), desc="extracting", unit="paper")


def map_processes(fn, items: Sequence, jobs: int, flatten: bool = False, total: int | None = None,
                  desc: str = "", unit: str = "it") -> list:
    """``[fn(x) for x in items]`` computed over *jobs* worker processes, in input order (with
    *flatten*: the results' items, concatenated; *total* then counts them for the progress
    bar). Workers are forked where possible, so they see this process's memory as it is when
    they start (module globals set before the call reach them without pickling); they die with
    their parent (:func:`_die_with_parent`) and are killed at once on SIGTERM, the signal being
    delivered again to the previous handler (kg's CLI: clean up, exit 143) once the pool is
    shut down.

    >>> map_processes(abs, [-1, 2, -3], 2)
    [1, 2, 3]
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    items = list(items)
    if not items:
        return []
    fork = "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork" if fork else "spawn")
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(items))), mp_context=ctx,
                               initializer=_die_with_parent, initargs=(os.getpid(),))

    def gen():
        for result in pool.map(fn, items):
            if flatten:
                yield from result
            else:
                yield result

    def collect() -> list:
        return list(progress(gen(), total=total if flatten else len(items), desc=desc, unit=unit))

    def kill_workers():
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.kill()  # the pool sees its workers gone, fails the pending items and stops
        # a worker killed while it was sending a result leaves half a message in the result
        # pipe, and the pool's manager thread waits for the rest for ever (CPython 3.11): with
        # this process's own write end closed (it never writes there), the pipe ends once the
        # workers are gone and the manager thread sees a broken pool
        writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()

    # SIGTERM while the pool runs: kill the workers at once, but raise nothing inside the
    # pool's own locked sections (an exception there deadlocks its shutdown); the signal is
    # delivered again, to the previous handler, once the pool is shut down.
    terminated: list[int] = []

    def on_term(signum, frame):
        terminated.append(signum)
        kill_workers()

    import signal
    import threading

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_term) if main else None
    try:
        out = collect()
    except BaseException:  # interrupted or terminated: stop the workers now, not after the queue
        kill_workers()
        pool.shutdown(wait=True)
        if not terminated:
            raise
    else:
        pool.shutdown()
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    if terminated:  # now at a safe point: the previous handler (kg's CLI: clean up and exit 143)
        os.kill(os.getpid(), signal.SIGTERM)
        raise PoolTerminated("terminated")  # a handler that returns: do not return partial results
    return out


def _run_dask(papers: list[dict], scheduler, size: int) -> list[dict]:
    with _dask_client(scheduler) as client:
        futures = client.map(extract_chunk, _chunks(papers, size), pure=False)
        out: list[dict] = []
        for chunk_result in client.gather(futures):
            out.extend(chunk_result)
        return out


def _read_one(item: tuple[str, str | None]):
    from .ingest import read_listing

    return read_listing(*item)


def read_all(paths: Sequence[str], fmt: str | None = None, engine: str = "local",
             scheduler=None, jobs: int = 1) -> list:
    """Read listing files (folders expanded) into :class:`kg.ingest.Listing` objects, in order;
    several files over *jobs* local processes; with ``engine="dask"`` each file is read by a
    Dask task on the cluster (the files must be reachable from the workers at the same paths).

    >>> [len(x.records) for x in read_all(["seeds/000_4258901d99358fab.txt"])]
    [12]
    >>> [len(x.records) for x in read_all(["seeds"], jobs=2)] == [len(x.records) for x in read_all(["seeds"])]
    True
    """
    from .ingest import expand_paths, read_listing

    files = expand_paths(list(paths))
    if engine != "dask":
        if jobs > 1 and len(files) > 1:
            try:
                return map_processes(_read_one, [(f, fmt) for f in files], jobs)
            except PoolTerminated:
                raise
            except Exception:  # noqa: BLE001 - re-read here to raise the user-facing error
                pass
        return [read_listing(f, fmt) for f in files]
    with _dask_client(scheduler) as client:
        futures = client.map(read_listing, files, fmt=fmt, pure=False)
        results = client.gather(futures, errors="skip")
        if len(results) != len(files):  # re-read locally to raise the user-facing error
            return [read_listing(f, fmt) for f in files]
        return results


def dask_client(scheduler, direct: bool | None = None):
    """A ``dask.distributed.Client`` for *scheduler* (an address, a ``LocalCluster``, or a Client,
    returned as it is); with *direct*, data is fetched from and sent to the workers directly
    (None: dask's default)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise KGError("the dask engine needs dask.distributed: pip install 'kg[scale]'") from None
    if scheduler is None:
        raise KGError("--engine dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    if isinstance(scheduler, Client):
        return scheduler
    address = getattr(scheduler, "scheduler_address", scheduler)
    try:
        return Client(address, timeout="20s", direct_to_workers=direct)
    except (OSError, TimeoutError) as exc:
        raise KGError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


@contextlib.contextmanager
def _dask_client(scheduler):
    client = dask_client(scheduler)
    try:
        yield client
    finally:
        if client is not scheduler:
            client.close()


def default_jobs() -> int:
    """All the cores this process may use.

    >>> default_jobs() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
