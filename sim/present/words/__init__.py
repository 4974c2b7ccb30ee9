"""The words of every table, report, chart and command-line message, in English and Simplified
Chinese, looked up with one function.

:func:`word` takes a dotted key and a language::

    word("kpi.profit", "zh")                 # 利润
    word("kpi_def.return_rate", "zh")        # the KPI's short definition
    word("unit.yuan", "zh")                  # 元
    word("entry.return_shipping", "zh")      # 退货运费 (店铺承担)
    word("verdict.better", "zh")             # 更好
    word("col.mean", "zh")                   # 均值
    word("plot.tornado", "zh", kpi="利润")    # a plot title, its {kpi} filled in
    word("cli.wrote", "en", n=4, out="res")  # a message of the command line

The tables are split by what they describe, one module each: :mod:`.kpis` (names and
definitions), :mod:`.units`, :mod:`.ledger` (entry types), :mod:`.policies`, :mod:`.tables`
(verdicts and column headers), :mod:`.plots`, :mod:`.cli` (messages of the command line and of
``sim regress``), :mod:`.whatif` (what would change a verdict: ``sim verdict`` and its report
section), :mod:`.report`, :mod:`.stress` and :mod:`.loyalty` (the scenario report),
:mod:`.calibration` (the fit report) and :mod:`.optimize` (``sim optimize`` and its report).
The first part of a key names the table:

========== ======================= ========== ======================================
prefix     table                   prefix     table
========== ======================= ========== ======================================
kpi        KPI display names       plot       chart titles and axes
kpi_def    KPI definitions         cli        command-line messages
unit       units                   regress    ``sim regress`` messages
num        words of numbers        report     the report (page, STRESS-DES, workbook)
entry      ledger entry labels     calib      the fit report and ``sim calibrate``
entry_doc  ledger entry meanings   stat       holdout statistics
policy     built-in policy names   hint       why a statistic may miss
verdict    verdicts                fit        fitted values
col        column headers          opt        ``sim optimize``, its chart and report
flip       ``sim verdict``
========== ======================= ========== ======================================

A key with no Chinese text falls back to English, and a key unknown in both to its last part
(``kpi.my_new_kpi`` -> ``my_new_kpi``), so a new KPI or ledger type never breaks a table; the
tests check that every KPI and entry type has both languages. KPI and policy *identifiers* stay
English everywhere: they are what a user types. So do the one-line messages about bad input
(they quote the fields and values the user typed); the command line's ``--help`` texts carry
their Chinese in place.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import (
    calibration,
    cli,
    explain,
    kpis,
    ledger,
    loyalty,
    optimize,
    plots,
    policies,
    report,
    stress,
    tables,
    units,
    whatif,
)

LANGS = ("en", "zh")

Pairs = Mapping[str, tuple[str, str]]
ByLanguage = Mapping[str, Mapping[str, str]]

#: Tables written as (English, Chinese) pairs, by key prefix.
_PAIRS: tuple[tuple[str, Pairs], ...] = (
    ("kpi", kpis.NAMES), ("unit", units.UNITS), ("num", units.NUMBERS), ("entry", ledger.NAMES),
    ("policy", policies.NAMES), ("verdict", tables.VERDICTS), ("col", tables.COLUMNS),
    ("plot", plots.WORDS), ("stat", calibration.STATS), ("hint", calibration.HINTS),
    ("fit", calibration.FITTED),
)
#: Tables written one language at a time, by key prefix.
_TEXTS: tuple[tuple[str, ByLanguage], ...] = (
    ("kpi_def", kpis.DEFINITIONS), ("entry_doc", ledger.DOCS), ("cli", cli.TEXT),
    ("regress", cli.REGRESS), ("report", report.TEXT), ("report", stress.TEXT),
    ("report", loyalty.TEXT),
    ("calib", calibration.TEXT), ("opt", optimize.TEXT), ("explain", explain.TEXT),
    ("flip", whatif.TEXT),
)


def _build() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}

    def add(lang: str, key: str, text: str) -> None:
        if key in out[lang]:  # two tables claiming one key: a mistake in this package
            raise ValueError(f"the word '{key}' is defined twice")
        out[lang][key] = text

    for prefix, pairs in _PAIRS:
        for key, (en, zh) in pairs.items():
            add("en", f"{prefix}.{key}", en)
            add("zh", f"{prefix}.{key}", zh)
    for prefix, texts in _TEXTS:
        for lang in LANGS:
            for key, text in texts.get(lang, {}).items():
                add(lang, f"{prefix}.{key}", text)
    return out


#: Every word: ``WORDS[lang][key]``.
WORDS: dict[str, dict[str, str]] = _build()


def word(key: str, lang: str = "en", **fields: object) -> str:
    """The text of ``key`` (``"kpi.profit"``, ``"verdict.better"`` ...) in ``lang``.

    Falls back to English, then to the key's last part. Keyword arguments fill ``{...}`` fields;
    without them the text is returned as written (a template keeps its fields).
    """
    text = WORDS.get(lang, WORDS["en"]).get(key) or WORDS["en"].get(key)
    if text is None:
        text = key.split(".", 1)[-1]
    return text.format(**fields) if fields else text


def kpi_name(kpi: str, lang: str = "en") -> str:
    """Display name of a KPI."""
    return word(f"kpi.{kpi}", lang)


def kpi_definition(kpi: str, lang: str = "en") -> str:
    """Short definition of a KPI."""
    return word(f"kpi_def.{kpi}", lang)


def unit_name(unit: str, lang: str = "en") -> str:
    """A unit in ``lang`` (``yuan`` -> ``元``)."""
    return word(f"unit.{unit}", lang)


def entry_name(entry: str, lang: str = "en") -> str:
    """Short label of a ledger entry type (lower-case name, e.g. ``return_shipping``)."""
    return word(f"entry.{entry}", lang)


def verdict_word(verdict: str, lang: str = "en") -> str:
    """A verdict (``better``, ``worse``, ``no clear difference``, ``fits`` ...) in ``lang``."""
    return word(f"verdict.{verdict}", lang)


def policy_name(policy: str, lang: str = "en") -> str:
    """Short display name of a policy: Chinese for built-in policies, else the identifier."""
    return word(f"policy.{policy}", lang)


__all__ = ["LANGS", "WORDS", "entry_name", "kpi_definition", "kpi_name", "policy_name",
           "unit_name", "verdict_word", "word"]
