"""Reading a TOML file a user hands in, with plain-word errors.

Scenario files, regression tolerance files and calibration column mappings are all TOML. They are
data: parsed with :mod:`tomllib`, never executed. A file that cannot be read gives one
:class:`ScenarioError` (or the subclass the caller names) saying what is wrong and how to fix it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import Problem, ScenarioError


def read_toml(path: str | Path, *, missing_fix: str = "check the path",
              error: type[ScenarioError] = ScenarioError, where: str = "") -> dict[str, Any]:
    """The tables of the TOML file at ``path``.

    Raises ``error`` (a :class:`ScenarioError`) when the file is missing, is not UTF-8 text or is
    not valid TOML. ``missing_fix`` is the advice for a missing file; ``where`` names the
    option that gave the path (``--mapping``), if any. A byte-order mark is accepted (files saved
    by Windows editors have one).
    """
    source = str(path)
    p = Path(path)
    if not p.is_file():
        raise error([Problem(where, f"no such file '{source}'", missing_fix)])
    try:
        return tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as err:
        raise error([Problem("", f"not valid TOML: {err}", "fix the syntax there")],
                    source) from None
    except UnicodeDecodeError:
        raise error([Problem("", "not a UTF-8 text file", "save it as UTF-8")],
                    source) from None
