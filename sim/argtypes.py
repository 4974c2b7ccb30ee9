"""Argument types shared by every ``sim`` subcommand: one message per mistake, never a traceback."""

from __future__ import annotations

import argparse
import tomllib
from typing import Any


def seed(text: str) -> int:
    """A random seed: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; use a seed >= 0")
    return value


def count(text: str) -> int:
    """A count of replications, jobs, repeats: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def days(text: str) -> int:
    """A number of days: 1 to 3650."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None
    if not 1 <= value <= 3650:
        raise argparse.ArgumentTypeError(f"{value} days is out of range; use 1 to 3650")
    return value


def toml_value(raw: str) -> Any:
    """A value read as TOML (number, true/false, date, [list]); anything else stays text."""
    try:
        return tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return raw.strip()


def setting(text: str) -> tuple[str, Any]:
    """``PATH=VALUE`` for one scenario override; the value is read with :func:`toml_value`."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise argparse.ArgumentTypeError(
            f"'{text}' is not PATH=VALUE (e.g. scenario.horizon_days=90)")
    return path.strip(), toml_value(raw)
