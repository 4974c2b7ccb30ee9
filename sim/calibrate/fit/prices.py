"""Prices and freight: the catalogue as price bands with their shares, and the mean freight."""

from __future__ import annotations

import math

import pandas as pd

from ..stats import Z95
from .calibration import MIN_ROWS, Calibration, Fitted, period_of

#: Unit cost as a share of the price when the export has no cost column (assumption).
COST_SHARE = 0.5


def fit_prices(cal: Calibration) -> None:
    """Price bands (quantiles of the order value) with their shares; mean freight."""
    t = cal.train
    price = t["price"].dropna()
    price = price[price > 0]
    period = period_of(t.loc[price.index, "purchased_at"])
    cur = cal.export.currency
    if len(price) < MIN_ROWS:
        cal.state["products"] = None
        cal.add(Fitted("shop.products", "catalogue (price bands)", None, status="default",
                       n=len(price), method="too few prices in the export: one product at "
                       "100 (assumption)"))
        return
    bands = 5 if len(price) >= 200 else 3 if len(price) >= 60 else 1
    cut = pd.qcut(price, bands, duplicates="drop") if bands > 1 else pd.Series(0, price.index)
    products = []
    for i, (_, group) in enumerate(price.groupby(cut, observed=True)):
        mean = float(group.mean())
        se = float(group.std(ddof=1) / math.sqrt(len(group))) if len(group) > 1 else math.nan
        products.append({
            "name": f"price band {i + 1} ({group.min():.0f}-{group.max():.0f} {cur})",
            "price": round(mean, 2), "unit_cost": round(COST_SHARE * mean, 2),
            "share": round(len(group) / len(price), 4), "n": len(group), "se": se})
    cal.state["products"] = products
    cal.add(Fitted("shop.products", "catalogue: price bands (mean price, share)",
                   [(p["price"], p["share"]) for p in products], n=len(price),
                   period=period, method=f"{len(products)} quantile bands of the order value "
                   "(items summed, freight excluded); price = band mean",
                   note=f"unit cost = {COST_SHARE:.0%} of the price: not in the export "
                   "(assumption)"))
    mean, sd = float(price.mean()), float(price.std(ddof=1))
    se = sd / math.sqrt(len(price))
    cal.add(Fitted("", "mean order value", mean, mean - Z95 * se, mean + Z95 * se,
                   n=len(price), period=period, method="mean", status="measured", unit=cur))
    freight = t["freight"].dropna()
    if len(freight) >= MIN_ROWS:
        m, s = float(freight.mean()), float(freight.std(ddof=1)) / math.sqrt(len(freight))
        cal.add(Fitted("shop.outbound_shipping_cost", "outbound shipping cost per order", m,
                       m - Z95 * s, m + Z95 * s, n=len(freight), period=period,
                       method="mean freight charged on the order (if the buyer pays it on top "
                       "of the price, the shop's net cost is about 0)", unit=cur))
