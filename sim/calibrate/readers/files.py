"""Finding an export's files and reading one CSV table (plain or gzip, UTF-8 or GB18030)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pandas as pd

from ...scenario import Problem, ScenarioError
from .export import export_error

_TABLE_SUFFIXES = (".csv", ".csv.gz", ".txt", ".tsv", ".tsv.gz", ".txt.gz")


def _is_table(path: Path) -> bool:
    return path.name.lower().endswith(_TABLE_SUFFIXES)


def expand_paths(data: list[str | Path]) -> list[Path]:
    """Files named by ``data``: files as given, folders as their CSV files (sorted)."""
    if not data:
        raise export_error("DATA", "no export given", "name a folder or CSV files of the export")
    files: list[Path] = []
    problems = []
    for item in data:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and _is_table(f))
            if not found:
                problems.append(Problem(str(p), "folder holds no .csv or .csv.gz file",
                                        "point DATA at the export's files"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder", "check the path"))
    if problems:
        raise ScenarioError(problems)
    return files


def read_table(path: Path, encoding: str | None = None, delimiter: str | None = None
               ) -> tuple[pd.DataFrame, str]:
    """A CSV (plain or gzip, by content) as strings; returns the frame and the encoding used.

    Without an explicit encoding, UTF-8 (with or without BOM) is tried, then GB18030 (the usual
    encoding of Chinese exports saved from Excel).
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise export_error(str(path), f"cannot be read: {err.strerror or err}",
                           "check the file") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise export_error(str(path), f"is not a readable gzip file ({err})",
                               "re-export or decompress it") from None
    if not raw.strip():
        raise export_error(str(path), "is empty", "export the data again; the file has no rows")
    encodings = [encoding] if encoding else ["utf-8-sig", "gb18030"]
    text = None
    used = encodings[0]
    for enc in encodings:
        try:
            text = raw.decode(enc)
            used = enc
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise export_error(str(path), f"is not text in {' or '.join(encodings)}",
                           "save it as UTF-8, or set [format] encoding in the mapping file")
    sep = delimiter
    if sep is None:
        first = text.split("\n", 1)[0]
        sep = max((",", ";", "\t", "|"), key=first.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_values=[""], skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise export_error(str(path), "is empty",
                           "export the data again; the file has no rows") from None
    except pd.errors.ParserError as err:
        msg = str(err).strip().splitlines()[-1]
        raise export_error(str(path), f"is not a readable CSV table ({msg})",
                           "check the delimiter and quoting; set [format] delimiter in a mapping "
                           "file") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise export_error(str(path), "has a header but no rows", "export the data again")
    return frame, used
