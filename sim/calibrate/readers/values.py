"""Parsing an export's text values: timestamps, numbers and review scores.

Each parser counts the values it could not read (they become row issues); when most of a column
fails, the column itself is wrong and :class:`sim.scenario.ScenarioError` names it and the fix.
"""

from __future__ import annotations

import re

import pandas as pd

from .export import export_error

#: A date column is an error (not a row problem) when more than this share of its values fail.
UNPARSABLE_ERROR_SHARE = 0.5


def parse_times(values: pd.Series, column: str, source: str, fmt: str | None = None,
                dayfirst: bool = False, fix: str | None = None
                ) -> tuple[pd.Series, int, str | None]:
    """Timestamps from text; returns (parsed, number of unparsable non-empty values, example).

    Raises when most non-empty values are not dates: then the column itself is wrong.
    """
    text = values.astype("string").str.strip()
    present = text.notna() & (text != "")
    parsed = pd.to_datetime(text, format=fmt or "ISO8601", errors="coerce")
    for other_format in (["ISO8601"] if fmt else []) + ["mixed"]:
        left = present & parsed.isna()
        if not left.any():
            break
        # Values in another format (a date-only column, a different export): try the next.
        other = pd.to_datetime(text.where(left), format=other_format, dayfirst=dayfirst,
                               errors="coerce")
        parsed = parsed.fillna(other)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    parsed = parsed.astype("datetime64[ns]")
    bad = present & parsed.isna()
    n_bad, n_present = int(bad.sum()), int(present.sum())
    example = str(text[bad].iloc[0]) if n_bad else None
    if n_present and n_bad > UNPARSABLE_ERROR_SHARE * n_present:
        if fix is None:
            fix = ("set [format] date_format in the mapping file (e.g. \"%Y/%m/%d %H:%M\")"
                   if fmt is None else f"the values do not match date_format {fmt!r}")
        raise export_error(f"{source}: column '{column}'",
                           f"{n_bad:,} of {n_present:,} values are not dates or times "
                           f"(e.g. {example!r})", fix)
    return parsed, n_bad, example


_NUMBER_JUNK = re.compile(r"[^\d.\-eE]")


def parse_numbers(values: pd.Series, column: str, source: str) -> tuple[pd.Series, int]:
    """Numbers from text (currency signs, spaces and thousands separators removed)."""
    text = values.astype("string").str.strip()
    present = text.notna() & (text != "")
    cleaned = text.str.replace(",", "", regex=False).str.replace(_NUMBER_JUNK, "", regex=True)
    parsed = pd.to_numeric(cleaned, errors="coerce").astype(float)
    bad = present & parsed.isna()
    n_bad, n_present = int(bad.sum()), int(present.sum())
    if n_present and n_bad > UNPARSABLE_ERROR_SHARE * n_present:
        example = str(text[bad].iloc[0])
        raise export_error(f"{source}: column '{column}'",
                           f"{n_bad:,} of {n_present:,} values are not numbers (e.g. {example!r})",
                           "map a numeric column here")
    return parsed, n_bad


def parse_scores(values: pd.Series, column: str, source: str,
                 score_map: dict[str, float] | None = None) -> tuple[pd.Series, int, int]:
    """Review scores 1-5; returns (scores, unparsable, out of range). Text via ``score_map``."""
    text = values.astype("string").str.strip()
    present = text.notna() & (text != "")
    if score_map:
        mapped = text.map(lambda v: score_map.get(v, v) if isinstance(v, str) else v)
        text = mapped.astype("string")
    parsed = pd.to_numeric(text, errors="coerce").astype(float)
    bad = present & parsed.isna()
    n_bad, n_present = int(bad.sum()), int(present.sum())
    if n_present and n_bad > UNPARSABLE_ERROR_SHARE * n_present:
        example = str(values.astype("string")[bad].iloc[0])
        raise export_error(f"{source}: column '{column}'",
                           f"{n_bad:,} of {n_present:,} values are not review scores "
                           f"(e.g. {example!r})",
                           "map text scores to 1-5 in the mapping's [scores] table")
    out_of_range = parsed.notna() & ~parsed.isin([1.0, 2.0, 3.0, 4.0, 5.0])
    parsed = parsed.where(~out_of_range)
    return parsed, n_bad, int(out_of_range.sum())
