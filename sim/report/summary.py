"""The report's executive summary: who wins on profit, rating and repeat purchases, by how much
and how surely, the trade-off between profit and rating, which policy builds the most valuable
customer base and whether counting it changes the profit verdict, and the chance of being
best."""

from __future__ import annotations

from markupsafe import Markup

from ..present import numbers
from .loyalty import percent
from .parts import HIGHER, UNITS, Parts, clear, paired

#: The summary's three questions: profit, rating, repeat purchases.
SUMMARY_KPIS = {"profit": "profit", "rating": "rating_mean", "repeat": "repeat_purchase_rate"}


def summary(page: Parts) -> list[Markup]:
    """The summary's paragraphs."""
    days = page.base.scenario.horizon_days
    paras: list[Markup] = []
    winners = {}
    for key, kpi in SUMMARY_KPIS.items():
        if kpi not in set(page.table["kpi"]):
            continue
        ranked = _ranked(page, kpi)
        winner = ranked[0]
        winners[key] = winner
        mean = _mean(page, kpi, winner)
        shown = numbers.share(mean) if UNITS[kpi] == "share" else page.val(kpi, mean, words=True)
        parts = [page.t(f"sum.{key}", winner=page.who(winner, initial=True), mean=shown,
                        days=f"{days:,}")]
        if winner != page.baseline:
            d, lo, hi = paired(page.c, kpi, winner, page.baseline)
            which = "sum.vs_base_clear" if clear(lo, hi) else "sum.vs_base_unclear"
            d_text, ci_text = page.est(kpi, d, lo, hi)
            parts.append(page.t(which, baseline=page.bref(), diff=d_text, ci=ci_text))
        else:
            parts.append(page.t("sum.base_first"))
        second = ranked[1] if len(ranked) > 1 else None
        if second is not None and second != page.baseline:
            d, lo, hi = paired(page.c, kpi, winner, second)
            which = "sum.lead_clear" if clear(lo, hi) else "sum.lead_unclear"
            if d == 0 and lo == 0 and hi == 0:
                which = "sum.tie"
            d_text, ci_text = page.est(kpi, d, lo, hi, signed=False)
            parts.append(page.t(which, second=page.pstrong(second), diff=d_text,
                                ci=ci_text, n=page.n))
        paras.append(page.join(parts))
    paras.append(_tradeoff(page, winners))
    value = _customer_base(page, winners.get("profit"))
    if value is not None:
        paras.append(value)
    if "profit" in set(page.table["kpi"]):
        pbest = page.c.probability_best("profit")
        items = [Markup("{} {:.0%}").format(page.pname(p), float(pbest.get(p, 0.0)))
                 for p in sorted(page.policies, key=lambda p: -float(pbest.get(p, 0.0)))]
        paras.append(page.t("sum.pbest", n=page.n,
                            items=Markup(page.t("sum.list_sep")).join(items)))
    penalties = _penalties(page)
    if penalties is not None:
        paras.append(penalties)
    paras.append(page.join([page.t("sum.precision", n=page.n),
                            page.t("sum.caveat", assumptions=page.number["assumptions"])]))
    return paras


#: Penalty points a year from which their (assumed) rules weigh on a policy's result: at the
#: default 0.5% of conversion per point, two points cost about 1% of the orders.
MATERIAL_POINTS_A_YEAR = 2.0


def _penalties(page: Parts) -> Markup | None:
    """A warning when penalty points, whose rules are assumptions, weigh on a policy: it was
    hidden, or it collected points worth about 1% of its orders."""
    frame = page.c.kpis
    means = frame[frame["kpi"].isin(["penalty_points", "days_hidden"])].groupby(
        ["policy", "kpi"])["value"].mean().unstack()
    scale = 365.0 / page.base.scenario.horizon_days
    hit = [p for p in page.policies if p in means.index and (
        means.loc[p, "days_hidden"] > 0
        or means.loc[p, "penalty_points"] * scale >= MATERIAL_POINTS_A_YEAR)]
    if not hit:
        return None
    items = [page.t("sum.penalty_item", policy=page.pname(p),
                    points=f"{means.loc[p, 'penalty_points'] * scale:.1f}",
                    days=f"{means.loc[p, 'days_hidden'] * scale:.0f}") for p in hit]
    rules = page.base.platform
    return page.t("sum.penalties", items=Markup(page.t("sum.item_sep")).join(items),
                  points=f"{rules.penalty_points_per_lost_case:g}",
                  loss=numbers.share(rules.traffic_loss_per_point),
                  hide=f"{rules.hide_days:g}", threshold=f"{rules.hide_threshold_points:g}")


def _tradeoff(page: Parts, winners: dict[str, str]) -> Markup:
    p, r = winners.get("profit"), winners.get("rating")
    if p is None or r is None:
        return Markup("")
    rating = SUMMARY_KPIS["rating"]
    if p == r:
        text = page.t("sum.no_tradeoff", p=page.who(p, initial=True))
        if p != page.baseline and "aftersales_cost" in set(page.table["kpi"]):
            dc, cic = page.est("aftersales_cost",
                               *paired(page.c, "aftersales_cost", p, page.baseline))
            dr, cir = page.est(rating, *paired(page.c, rating, p, page.baseline))
            text = page.join([text, page.t("sum.cost_rating", p=page.pstrong(p), dc=dc,
                                           cic=cic, dr=dr, cir=cir)])
        return text
    dp, plo, phi = paired(page.c, "profit", p, r)
    dr, rlo, rhi = paired(page.c, rating, r, p)  # how much lower p's rating is
    dp_text, cip = page.est("profit", dp, plo, phi, signed=False)
    dr_text, cir = page.est(rating, dr, rlo, rhi, signed=False)
    text = page.t("sum.tradeoff", p=page.who(p, initial=True), r=page.who(r), dp=dp_text,
                  cip=cip, dr=dr_text, cir=cir)
    if not (clear(plo, phi) and clear(rlo, rhi)):
        text = page.join([text, page.t("sum.tradeoff_unclear")])
    return text


def _customer_base(page: Parts, profit_winner: str | None) -> Markup | None:
    """Which policy builds the most valuable customer base, and whether the long-run value
    (profit + customer-base value) crowns the same policy as profit does."""
    have = set(page.table["kpi"])
    if profit_winner is None or not {"customer_value", "long_run_value"} <= have:
        return None
    ranked = _ranked(page, "customer_value")
    winner = ranked[0]
    if _mean(page, "customer_value", winner) <= 0:
        return page.t("sum.value_none")
    rate = percent(page.base.repeat.discount_rate_per_year)
    parts = [page.t("sum.value", winner=page.who(winner, initial=True), rate=rate,
                    mean=page.val("customer_value", _mean(page, "customer_value", winner),
                                  words=True))]
    if winner != page.baseline:
        d, lo, hi = paired(page.c, "customer_value", winner, page.baseline)
        d_text, ci_text = page.est("customer_value", d, lo, hi)
        parts.append(page.t("sum.vs_base_clear" if clear(lo, hi) else "sum.vs_base_unclear",
                            baseline=page.bref(), diff=d_text, ci=ci_text))
    long_run = _ranked(page, "long_run_value")[0]
    lr_mean = page.val("long_run_value", _mean(page, "long_run_value", long_run), words=True)
    if long_run == profit_winner:
        parts.append(page.t("sum.long_run_same", p=page.who(long_run), mean=lr_mean))
    else:
        d, lo, hi = paired(page.c, "long_run_value", long_run, profit_winner)
        d_text, ci_text = page.est("long_run_value", d, lo, hi, signed=False)
        parts.append(page.t("sum.long_run_changes", lr=page.who(long_run), mean=lr_mean,
                            p=page.who(profit_winner), diff=d_text, ci=ci_text))
        parts.append(page.t("sum.long_run_clear" if clear(lo, hi) else "sum.long_run_unclear"))
    return page.join(parts)


def _mean(page: Parts, kpi: str, policy: str) -> float:
    return float(page.stats.loc[(kpi, policy), "mean"])


def _ranked(page: Parts, kpi: str) -> list[str]:
    sign = -1.0 if HIGHER.get(kpi) is False else 1.0
    return sorted(page.policies, key=lambda p: (-sign * _mean(page, kpi, p),
                                                page.policies.index(p)))
