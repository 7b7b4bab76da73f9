"""Small I/O helpers shared by the stages: atomic writes and terminal-aware progress."""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside *path*; rename it over *path* only if the block succeeds.

    An interrupted or failed write leaves the previous file intact.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_open(p) as f:
    ...     _ = f.write("hello")
    >>> p.read_text()
    'hello'
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; give the usual permissions
    if "b" in mode:
        encoding = None
    try:
        with os.fdopen(fd, mode, encoding=encoding, **({} if "b" in mode else {"newline": ""})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        fault("atomic-written")
        os.replace(tmp, path)
        fault("atomic-replaced")
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write *data* to *path* atomically (temporary file, then rename).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.bin"
    >>> atomic_write(p, b"ab"); p.read_bytes()
    b'ab'
    """
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def progress(iterable, total: int | None = None, desc: str = "", unit: str = "it"):
    """Wrap *iterable* in a tqdm bar on an interactive terminal; return it unchanged when piped.

    >>> list(progress([1, 2]))   # not a terminal under doctest: no bar
    [1, 2]
    """
    if not sys.stderr.isatty() or os.environ.get("KG_NO_PROGRESS"):
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, leave=False, file=sys.stderr)


# --------------------------------------------------------------------------- fault injection
_FAULT_HITS: dict[str, int] = {}


def fault(name: str) -> None:
    """A named point of the write path where the tests may kill this process.

    ``KG_FAULT_POINT=name:count`` makes the *count*-th pass (default 1) through point *name*
    send SIGKILL to this process (``KG_FAULT_SIGNAL=TERM`` sends SIGTERM instead), as a power
    cut or ``kill -9`` would. Without the variable this does nothing.

    >>> fault("nowhere")
    """
    spec = os.environ.get("KG_FAULT_POINT")
    if not spec:
        return
    want, _, count = spec.partition(":")
    if want != name:
        return
    _FAULT_HITS[name] = _FAULT_HITS.get(name, 0) + 1
    if _FAULT_HITS[name] == int(count or 1):
        import signal

        sig = signal.SIGTERM if os.environ.get("KG_FAULT_SIGNAL") == "TERM" else signal.SIGKILL
        os.kill(os.getpid(), sig)


# --------------------------------------------------------------------------- one writer at a time
def lock_path(target: str | os.PathLike) -> Path:
    """The lock file guarding *target* (an output folder or a graph file): a hidden file beside it.

    >>> lock_path("/data/exports").as_posix()
    '/data/.exports.kg-lock'
    """
    target = Path(os.path.realpath(target))  # one lock whatever the path (relative, symlinked)
    return target.parent / f".{target.name}.kg-lock"


@contextlib.contextmanager
def writer_lock(target: str | os.PathLike, wait: bool = True) -> Iterator[Path]:
    """Hold the writer lock of *target* (see :func:`lock_path`) for the block.

    A second writer waits, saying so once on stderr (``wait=True``), or stops with a one-line
    :class:`kg.model.KGError` (``wait=False``). The lock is an OS file lock (``filelock``): a
    killed holder releases it with its death, so a dead run never blocks the next one.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "exports"
    >>> with writer_lock(out):
    ...     with writer_lock(out, wait=False):
    ...         pass
    Traceback (most recent call last):
    ...
    kg.model.KGError: another kg process is writing .../exports (lock .../.exports.kg-lock); try again later, or use --wait
    """
    import filelock

    from .model import KGError

    path = lock_path(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    lock = filelock.FileLock(str(path), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if not wait:
            raise KGError(f"another kg process is writing {Path(os.path.abspath(target))} (lock {path}); "
                          "try again later, or use --wait") from None
        print(f"kg: waiting for another kg process writing {os.path.abspath(target)} (lock {path})",
              file=sys.stderr, flush=True)
        lock.acquire()
    try:
        yield path
    finally:
        lock.release()


# --------------------------------------------------------------------------- all-or-nothing folders
_STAGE, _OLD = ".kg-staging.", ".kg-old."
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    import ctypes

    if os.environ.get("KG_NO_EXCHANGE"):  # tests: take the two-rename path of other systems
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _is_stale(entry: str, name: str) -> bool:
    for prefix in (_STAGE, _OLD):
        if entry.startswith(prefix) and entry[len(prefix):].rpartition(".")[0] == name:
            return True
    return False


def clean_stale(out: str | os.PathLike) -> list[Path]:
    """Remove what dead runs writing folder *out* left behind (call it holding the writer lock):
    staging folders beside *out*, the ``.kg-staging-*`` folders of older versions inside it and
    temporary files of interrupted atomic writes. If a run died between the two renames of the
    non-Linux fallback (so *out* is missing), its previous generation is put back first; if it
    died renaming a committed set into a folder with sub-folders, the renames are finished.
    Returns what was removed.

    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp()); (base / ".kg-staging.exports.abc").mkdir()
    >>> [p.name for p in clean_stale(base / "exports")]
    ['.kg-staging.exports.abc']
    """
    out = Path(os.path.realpath(out))
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    old = sorted(p for p in out.parent.iterdir() if p.name.startswith(_OLD) and _is_stale(p.name, out.name))
    if old and not out.exists():
        os.rename(old.pop(), out)
    junk = [p for p in out.parent.iterdir() if _is_stale(p.name, out.name)
            or (p.name.startswith(f".{out.name}.") and p.name.endswith(".tmp"))]
    for p in junk:
        if p.name.startswith(_STAGE) and (p / _COMMIT).is_file() and out.is_dir():
            _roll_forward(p, out)  # died renaming a committed set in: finish it
    if out.is_dir():
        junk += [p for p in out.iterdir() if p.name.startswith(".kg-staging-")
                 or (p.name.startswith(".graph.") and p.name.endswith(".tmp"))]
    for p in sorted(junk):
        if p.is_dir() and not p.is_symlink():
            shutil_rmtree(p)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
        removed.append(p)
    return removed


def shutil_rmtree(p: Path) -> None:
    import shutil

    shutil.rmtree(p, ignore_errors=True)


def _carry_over(out: Path, stage: Path) -> bool:
    """Link the files of *out* that this run does not rewrite into *stage*; False when *out*
    holds folders (or is the working folder), which a generation swap would not carry."""
    if not out.exists():
        return True
    cwd = Path(os.getcwd())
    if out == cwd or out in cwd.parents or os.path.ismount(out):
        return False
    entries = list(out.iterdir())
    if any(p.is_dir() and not p.is_symlink() for p in entries):
        return False
    for p in entries:
        dest = stage / p.name
        if dest.exists() or dest.is_symlink() or p.name.startswith(".kg-staging-"):
            continue
        if p.is_symlink():
            os.symlink(os.readlink(p), dest)
            continue
        try:
            os.link(p, dest)
        except OSError:
            import shutil

            shutil.copy2(p, dest)
    return True


def publish_folder(out: str | os.PathLike, fill) -> list[Path]:
    """Write a set of files into folder *out* as one unit: ``fill(stage)`` writes them into a
    fresh staging folder beside *out*, the other files of *out* are linked in, and the staging
    folder is swapped with *out* in one atomic step (``renameat2`` exchange on Linux; elsewhere
    two renames, undone by :func:`clean_stale` if a run dies between them). A reader of *out*
    sees the old set or the new set, never a mix; a failed or killed run leaves the old set.
    A folder holding sub-folders (or the working folder) is not swapped: the files are renamed
    in one by one after a commit mark, and a run killed in between is finished by the next.
    Returns the paths written.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "o"
    >>> [p.name for p in publish_folder(out, lambda d: (d / "a.txt").write_text("x"))]
    ['a.txt']
    >>> sorted(p.name for p in out.parent.iterdir())
    ['o']
    """
    given, out = Path(out), Path(os.path.realpath(out))  # a symlinked folder: swap its target
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{_STAGE}{out.name}.", dir=out.parent))
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(out)) from exc
    try:
        os.chmod(stage, (out.stat().st_mode & 0o7777) if out.exists() else 0o777 & ~_UMASK)
        fault("staging-created")
        fill(stage)
        names = sorted(p.name for p in stage.iterdir())
        fault("staged")
        if not _carry_over(out, stage):
            _rename_in(out, stage, names)
            return [given / n for n in names]
        fault("carried-over")
        if not out.exists():
            os.rename(stage, out)
        elif not _exchange(stage, out):
            old = out.parent / f"{_OLD}{out.name}.{os.getpid()}"
            os.rename(out, old)  # kept until the new generation is in place (see clean_stale)
            fault("fallback-between")
            os.rename(stage, out)
            stage = old
        fault("swapped")
        return [given / n for n in names]
    finally:
        if stage.exists():
            shutil_rmtree(stage)
        fault("cleaned")


_COMMIT = ".kg-commit"


def _rename_in(out: Path, stage: Path, names: list[str]) -> None:
    """Rename the staged files into *out* one by one, after a commit mark: a run killed
    in between has its renames finished by the next run (:func:`clean_stale`)."""
    atomic_write(stage / _COMMIT, "\n".join(names))
    fault("committed")
    for n in names:
        os.replace(stage / n, out / n)
        fault("renamed")


def _roll_forward(stage: Path, out: Path) -> None:
    names = (stage / _COMMIT).read_text(encoding="utf-8").split("\n")
    for n in names:
        if n and (stage / n).exists():
            os.replace(stage / n, out / n)
