"""The standard plots (:mod:`sim.present.plots`) in English and Chinese; the CJK font
(:mod:`sim.present.fonts`).

One tiny comparison (three policies, three replications of a 40-day flat scenario) feeds every
plot. Each plot must return a Figure with the expected axes and artists, save as a PNG, and in
Chinese draw every Chinese character with the registered CJK font: no "Glyph ... missing"
warning, no box.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.experiment import Executor, compare
from sim.experiment.stats import compare_table
from sim.present import fonts, loyalty_plots, numbers, plots
from sim.present.words import kpi_name
from sim.scenario import scenario_from_dict

RAW = {
    "scenario": {"name": "tiny", "platform": "taobao", "start_date": "2025-03-01",
                 "horizon_days": 40, "warmup_days": 5},
    "calendar": {"peaks": [], "trend_per_year": 0.0},
    "market": {"daily_visitors": 1500.0},
    "shop": {"products": [{"name": "tee", "price": 80.0, "unit_cost": 30.0,
                           "defect_prob": 0.03}]},
}
POLICIES = ["baseline", "seven_day_return", "strict_delay_compensation"]


@pytest.fixture(scope="module")
def comparison():
    file = scenario_from_dict(RAW, "<test>")
    return compare(file, POLICIES, reps=3, executor=Executor("serial"), progress=False)


@pytest.fixture(scope="module")
def tornado_table() -> pd.DataFrame:
    table = pd.DataFrame({
        "parameter": ["market.base_conversion", "policy.returns.no_reason_days"],
        "low": [0.02, 0], "high": [0.04, 15], "kpi_at_low": [-10_000.0, 16_000.0],
        "kpi_at_high": [32_000.0, 10_700.0], "base": [11_300.0, 11_300.0],
        "swing": [42_000.0, 5_300.0]})
    table.attrs["kpi"] = "profit"
    return table


def _save(fig: Figure, path) -> list[str]:
    """Save ``fig``; returns the messages of every warning raised while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.save(fig, path)
    return [str(w.message) for w in caught]


def _texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _make(name: str, comparison, tornado_table, lang: str) -> Figure:
    if name == "tornado":
        return plots.tornado(tornado_table, lang=lang)
    return {
        "kpi_comparison": lambda: plots.kpi_comparison(comparison, lang=lang),
        "kpi_differences": lambda: plots.kpi_comparison(comparison, lang=lang, show="diff"),
        "cost_breakdown": lambda: plots.cost_breakdown(comparison, lang=lang),
        "rating_over_time": lambda: plots.rating_over_time(comparison, lang=lang),
        "tradeoff": lambda: plots.tradeoff(comparison, lang=lang),
        "negative_and_repeat": lambda: plots.negative_and_repeat(comparison, lang=lang),
        "repeat_curves": lambda: loyalty_plots.repeat_curves(comparison, lang=lang),
        "customer_base": lambda: loyalty_plots.customer_base(comparison, lang=lang),
    }[name]()


ALL = ["kpi_comparison", "kpi_differences", "cost_breakdown", "rating_over_time", "tradeoff",
       "negative_and_repeat", "tornado", "repeat_curves", "customer_base"]


# ------------------------------------------------------------------------------------------------
# Shapes of the figures
# ------------------------------------------------------------------------------------------------
def test_kpi_comparison_one_panel_per_kpi(comparison, tmp_path):
    fig = plots.kpi_comparison(comparison, kpis=["profit", "return_rate", "rating_end"])
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    for ax in fig.axes:
        # one error bar per policy (the baseline's mean marked by a dashed line)
        assert len(ax.containers) == len(POLICIES)
        assert any(line.get_linestyle() == "--" for line in ax.get_lines())
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == POLICIES
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        kpi_name(k, "en") for k in ("profit", "return_rate", "rating_end")]
    assert not _save(fig, tmp_path / "k.png")


def test_kpi_differences_baseline_at_zero(comparison):
    fig = plots.kpi_comparison(comparison, kpis=["profit", "return_rate"], show="diff")
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert len(ax.containers) == len(POLICIES) - 1  # the baseline is the zero line
        assert any(list(line.get_xdata()) == [0.0, 0.0] for line in ax.get_lines())
    assert fig.legends  # verdict colours explained
    with pytest.raises(ValueError):
        plots.kpi_comparison(comparison, show="both")


def test_cost_breakdown_stacks_types_per_policy(comparison):
    fig = plots.cost_breakdown(comparison)
    (ax,) = fig.axes
    money = comparison.money
    types = {t for t, v in money.groupby("type")["amount"].mean().items() if v}
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert 1 <= len(legend) <= 9
    # every bar series has one bar per policy; bar ends are labelled with the net total
    for container in ax.containers:
        assert len(container) == len(POLICIES)
    totals = [t for t in ax.texts]
    assert len(totals) == len(POLICIES)
    assert types  # the tiny world has after-sales costs at all


def test_cost_breakdown_totals_match_the_ledger(comparison):
    from sim.model.ledger import AFTERSALES

    fig = plots.cost_breakdown(comparison)
    money = comparison.money
    names = {e.name.lower() for e in AFTERSALES}
    expected = (-money[money["type"].isin(names)].groupby(["policy", "replication"])["amount"]
                .sum().groupby("policy").mean())
    kpi = comparison.kpis
    by_kpi = kpi[kpi["kpi"] == "aftersales_cost"].groupby("policy")["value"].mean()
    shown = [float(t.get_text().replace(",", "")) for t in fig.axes[0].texts]
    for policy, value in zip(POLICIES, shown, strict=True):
        assert value == pytest.approx(expected[policy], abs=1.0)
        assert value == pytest.approx(by_kpi[policy], abs=1.0)


def test_rating_over_time_line_and_band_per_policy(comparison):
    fig = plots.rating_over_time(comparison)
    (ax,) = fig.axes
    assert len(ax.get_lines()) == len(POLICIES)
    assert len(ax.collections) == len(POLICIES)  # the 5-95% bands
    days = comparison.daily["date"].nunique()
    assert all(len(line.get_xdata()) == days for line in ax.get_lines())


def test_tradeoff_one_point_per_policy(comparison):
    fig = plots.tradeoff(comparison, x="aftersales_cost", y="rating_end")
    (ax,) = fig.axes
    assert len(ax.containers) == len(POLICIES)
    for container in ax.containers:
        assert container.has_xerr and container.has_yerr
    assert "After-sales cost" in ax.get_xlabel() and "lower = better" in ax.get_xlabel()
    assert "rating" in ax.get_ylabel()


def test_negative_and_repeat_two_panels(comparison):
    fig = plots.negative_and_repeat(comparison)
    assert len(fig.axes) == 2
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "Negative-review share", "Repeat-purchase rate"]
    for ax in fig.axes:
        assert len(ax.containers) == len(POLICIES)


def test_tornado_largest_swing_on_top(tornado_table):
    fig = plots.tornado(tornado_table.iloc[::-1])
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ticks = list(ax.get_yticks())
    top = labels[ticks.index(max(ticks))]
    assert top == "market.base_conversion"
    assert len(ax.patches) == 2 * 2 + 2  # two bars per parameter (+ two legend swatches)
    assert {t.get_text() for t in ax.texts} == {"0.02", "0.04", "0", "15"}


# ------------------------------------------------------------------------------------------------
# Repeat curves and the value of the customer base (sim.present.loyalty_plots)
# ------------------------------------------------------------------------------------------------
class Known:
    """A comparison with KPI values chosen by the test (what the loyalty charts read of one)."""

    def __init__(self, values: dict[str, dict[str, list[float]]], baseline: str = "baseline"):
        rows = [(policy, rep, kpi, v) for kpi, by_policy in values.items()
                for policy, reps in by_policy.items() for rep, v in enumerate(reps)]
        self.kpis = pd.DataFrame(rows, columns=["policy", "replication", "kpi", "value"])
        self.policies = list(next(iter(values.values())))
        self.baseline, self.scenario, self.reps = baseline, "known", 3

    def table(self, kpis=None, level=0.95):
        return compare_table(self.kpis, self.baseline, level, kpis)


#: Repeat shares per window: the seller-paid returns clearly above the baseline, the strict
#: compensation level with it (noise only); nobody measured at 365 days (an empty cohort).
KNOWN = Known({
    "repeat_within_90": {"baseline": [0.20, 0.22, 0.21], "free": [0.25, 0.27, 0.26],
                         "strict": [0.21, 0.21, 0.22]},
    "repeat_within_180": {"baseline": [0.30, 0.32, 0.31], "free": [0.36, 0.38, 0.37],
                          "strict": [0.30, 0.33, 0.31]},
    "repeat_within_365": {"baseline": [0.0] * 3, "free": [0.0] * 3, "strict": [0.0] * 3},
    "profit": {"baseline": [1000.0, 1100.0, 1050.0], "free": [900.0, 980.0, 950.0],
               "strict": [-200.0, -150.0, -180.0]},
    "customer_value": {"baseline": [400.0, 420.0, 410.0], "free": [600.0, 640.0, 610.0],
                       "strict": [300.0, 310.0, 320.0]},
})
KNOWN.kpis = pd.concat([KNOWN.kpis, KNOWN.kpis[KNOWN.kpis["kpi"].isin(["profit",
                                                                          "customer_value"])]
                        .groupby(["policy", "replication"], as_index=False)["value"].sum()
                        .assign(kpi="long_run_value")], ignore_index=True)


def test_repeat_curves_one_line_per_policy_from_zero(tmp_path):
    fig = loyalty_plots.repeat_curves(KNOWN)
    levels, diffs = fig.axes
    table = KNOWN.table().set_index(["kpi", "policy"])
    assert loyalty_plots.measured_windows(KNOWN) == [90, 180]  # 365: an empty cohort
    lines = [line for line in levels.get_lines() if len(line.get_xdata()) == 3]
    assert len(lines) == 3  # one curve per policy: day 0, 90, 180
    for line, policy in zip(lines, KNOWN.policies, strict=True):
        x, y = list(line.get_xdata()), list(line.get_ydata())
        assert x[0] == 0.0 and y[0] == 0.0
        assert [round(v) for v in x[1:]] == pytest.approx([90, 180], abs=5)  # dodged a little
        assert y[1:] == pytest.approx([table.loc[(f"repeat_within_{w}", policy), "mean"]
                                       for w in (90, 180)])
    assert len(levels.containers) == 3  # the 95% intervals
    assert [t.get_text() for t in levels.get_xticklabels()] == ["0 d", "90 d", "180 d"]
    # differences: two policies x two windows, filled where the difference is clear
    assert len(diffs.containers) == 4
    faces = [c.lines[0].get_markerfacecolor() for c in diffs.containers]
    verdicts = [table.loc[(f"repeat_within_{w}", p), "verdict"]
                for p in ("free", "strict") for w in (90, 180)]
    for face, verdict in zip(faces, verdicts, strict=True):
        assert (face == "white") == (verdict == "no clear difference"), (face, verdict)
    assert "better" in verdicts and "no clear difference" in verdicts
    assert not _save(fig, tmp_path / "repeat.png")


def test_repeat_curves_without_a_measured_window(comparison):
    """The tiny study is shorter than every window: no curve, a sentence saying why."""
    assert loyalty_plots.measured_windows(comparison) == []
    fig = loyalty_plots.repeat_curves(comparison)
    (ax,) = fig.axes
    assert not ax.containers
    assert any("too short" in t.get_text() for t in ax.texts)


def test_customer_base_stacks_profit_and_value(tmp_path):
    fig = loyalty_plots.customer_base(KNOWN)
    levels, diffs = fig.axes
    table = KNOWN.table().set_index(["kpi", "policy"])
    bars = [(p.get_x(), p.get_width(), p.get_y()) for p in levels.patches]
    assert len(bars) == 2 * 3  # profit and customer-base value per policy
    for policy in KNOWN.policies:
        profit = table.loc[("profit", policy), "mean"]
        value = table.loc[("customer_value", policy), "mean"]
        assert any(x == 0 and w == pytest.approx(profit) for x, w, _ in bars)
        # stacked on a profit, beside a loss (it starts at zero)
        assert any(x == pytest.approx(max(profit, 0.0)) and w == pytest.approx(value)
                   for x, w, _ in bars)
    totals = [t.get_text() for t in levels.texts]
    assert totals == [numbers.value(table.loc[("long_run_value", p), "mean"], "yuan")
                      for p in KNOWN.policies]
    diamonds = [c for c in levels.containers if hasattr(c, "has_xerr") and c.has_xerr]
    assert len(diamonds) == 3
    assert len(diffs.containers) == 3 * 2  # three differences for each other policy
    assert [t.get_text() for t in diffs.get_yticklabels()] == ["free", "strict"]
    assert not _save(fig, tmp_path / "value.png")


def test_value_formatter_by_unit():
    money = plots.value_formatter("yuan")
    money.set_locs([0, 20_000, 40_000])
    assert [money(v) for v in (0, 20_000, 40_000)] == ["0", "20k", "40k"]
    share = plots.value_formatter("share")
    share.set_locs([0.1, 0.15, 0.2])
    assert share(0.15) == "15%"
    diff = plots.value_formatter("share", diff=True)
    diff.set_locs([-0.001, 0.0, 0.001])
    assert diff(0.001) == "+0.1" and diff(0.0) == "0"


def test_save_all_writes_the_standard_set(comparison, tmp_path):
    written = plots.save_all(comparison, tmp_path / "plots", lang="en")
    assert set(written) == set(plots.STANDARD_PLOTS)
    assert {"repeat_curves", "customer_base"} <= set(written)
    for path in written.values():
        assert path.exists() and path.stat().st_size > 10_000
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------------------------
# Chinese
# ------------------------------------------------------------------------------------------------
def test_a_cjk_font_is_found_and_registered():
    name = fonts.cjk_font()
    assert name is not None, "no Chinese font: pip install noto-cjk-sans-otc"
    family = fonts.cjk_rc(["DejaVu Sans"])["font.family"]
    assert family == ["DejaVu Sans", name]  # Chinese behind the usual font
    resolved = fonts.font_for("利润 (元) profit", family)
    assert resolved[0] == resolved[1] == resolved[4] == name
    assert set(resolved[-6:]) == {"DejaVu Sans"}  # Latin letters keep matplotlib's font


@pytest.mark.parametrize("name", ALL)
def test_chinese_plots_render_with_the_cjk_font(name, comparison, tornado_table, tmp_path):
    fig = _make(name, comparison, tornado_table, "zh")
    messages = _save(fig, tmp_path / f"{name}.png")
    assert not [m for m in messages if "missing" in m.lower() or "glyph" in m.lower()], messages
    cjk = fonts.cjk_font()
    chinese = [t for t in _texts(fig) if _has_cjk(t.get_text())]
    assert chinese, "a Chinese plot without Chinese text"
    for text in chinese:
        family = text.get_fontproperties().get_family()
        assert cjk in family, (text.get_text(), family)
        drawn = fonts.font_for(text.get_text(), family)
        for char, font in zip(text.get_text(), drawn, strict=True):
            if _has_cjk(char):
                assert font == cjk, (text.get_text(), char, font)
    assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_english_plots_have_no_chinese_and_no_warnings(comparison, tornado_table, tmp_path):
    for name in ALL:
        fig = _make(name, comparison, tornado_table, "en")
        assert not _save(fig, tmp_path / f"{name}.png")
        assert not [t.get_text() for t in _texts(fig) if _has_cjk(t.get_text())]


def test_plots_leave_global_settings_alone(comparison):
    import matplotlib

    before = list(matplotlib.rcParams["font.family"])
    plots.kpi_comparison(comparison, lang="zh")
    assert list(matplotlib.rcParams["font.family"]) == before
