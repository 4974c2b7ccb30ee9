"""Writing files so that nobody ever sees half of one.

Every file the project writes (results, baselines, reports, plots, calibrated scenarios) goes
through :func:`atomic_path`: the content is written to a temporary file in the same folder, which
then replaces the target in one rename. A reader sees the old file or the new one, never a torn
one, and a crash or Ctrl-C leaves no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class CannotWrite(OSError):
    """A file could not be written; the message names the file, the reason and the fix."""


def _usual_mode() -> int:
    """The mode a new file gets from ``open()`` (mkstemp makes files private, 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path``; when the block ends without error it replaces ``path``.

    The folder is created if needed. An :class:`OSError` (a read-only folder, a full disk) is
    raised as :class:`CannotWrite` with a plain message; any other error propagates, and in every
    case the temporary file is removed.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as err:
        raise _cannot(target, err) from None
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _usual_mode())
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise _cannot(target, err) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text (``\\n`` line ends on every system) atomically; returns the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write bytes atomically; returns the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_with(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Let ``writer(tmp)`` write the file (``frame.to_parquet``, ``fig.savefig``) atomically."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def _cannot(target: Path, err: OSError) -> CannotWrite:
    reason = err.strerror or str(err)
    return CannotWrite(f"cannot write {target}: {reason} (fix: choose a writable folder)")
