"""The one atomic writer: readers see the old file or the new one, never half of one.

Every file the tool writes (reports, reviews.yml, extracted editions) goes through
:func:`write_atomic`. It sits at the bottom of the package, beside errors and yamlio,
so any stage may use it without importing the renderers.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, text: str | bytes) -> Path:
    """Write UTF-8 text (or bytes: report.pdf) so readers see the old file or the new one, never half of one.

    The text goes to a temporary file in the same directory, is flushed and
    fsynced, then renamed over ``path`` with :func:`os.replace`.
    """
    path = Path(path)
    tmp = stage(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        remove_quietly(tmp)
        raise
    sync_dir(path.parent)
    return path


def stage(path: Path, text: str | bytes) -> str:
    """``text`` in a fsynced temporary file next to ``path`` (``.<name>.<pid>-<random>.tmp``); its name.

    The writer's process id is in the name, so :func:`remove_stale` can tell a file a killed
    run left behind from one a concurrent run is about to rename into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp")
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        remove_quietly(tmp)
        raise
    return tmp


def remove_quietly(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def sync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable; not every platform can open a directory."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def remove_stale(path: Path) -> None:
    """Remove the temporary files of ``path`` that a killed run left behind.

    Only files whose writer is gone: a run writing into the same folder at the same time
    keeps its staged files (removing them would make its rename fail)."""
    for stale in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
        pid = stale.name[len(Path(path).name) + 2:].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        remove_quietly(str(stale))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process stages its files after cleaning up; any older one is left over
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    except OSError:
        return False
    return True
