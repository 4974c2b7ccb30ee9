"""The report's scenario section: its description and the notes of its file, the key inputs of
the baseline, the products, and every parameter that differs between the policies."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..present import numbers
from ..present.numbers import YUAN
from .parts import Parts, tr

#: Key inputs of the baseline scenario (dotted paths; labels are the words ``report.key.PATH``).
KEY_INPUTS = ("scenario.platform", "scenario.start_date", "scenario.warmup_days",
              "scenario.horizon_days", "market.daily_visitors", "market.base_conversion",
              "market.return_fraudster_share", "shop.dispatch.daily_capacity",
              "platform.dispatch_promise_hours", "carrier.transit_median_days",
              "shop.cs.agents", "shop.cs.bot", "shop.repair.technicians", "repeat.alpha_days",
              "feedback.strength", "rating.window_days", "bad_actors.extortion.rate_per_day")


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths of a nested dump (``shop.products[0].price``); lists of plain values stay
    whole (``calendar.weekday_factors``)."""
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(obj, list) and any(isinstance(v, dict | list) for v in obj):
        for i, value in enumerate(obj):
            out.update(flatten(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = obj
    return out


def param_value(value: Any, lang: str, path: str = "") -> str:
    """A scenario value for people: yes/no, platform names, dates, numbers without noise
    (:func:`sim.present.numbers.parameter`), lists comma-separated."""
    if isinstance(value, bool):
        return str(tr(lang, "yes" if value else "no"))
    if value is None:
        return str(tr(lang, "none"))
    if path == "scenario.platform":
        return str(tr(lang, f"platform.{value}"))
    if path == "scenario.start_date" and isinstance(value, str):
        try:
            return numbers.date(dt.date.fromisoformat(value), lang)
        except ValueError:
            return value
    if isinstance(value, list):
        return "[" + ", ".join(param_value(v, lang) for v in value) + "]"
    return numbers.parameter(value)


def header_notes(source: str) -> str:
    """The comment block at the top of a scenario file (its notes on sources), unwrapped."""
    path = Path(source)
    if not path.is_file():
        return ""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        text = stripped[1:]
        text = text[1:] if text.startswith(" ") else text
        if text and set(text) <= set("=-#*_ "):
            continue  # a rule line
        lines.append(text.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def file_sha256(source: str) -> str | None:
    path = Path(source)
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assumptions(page: Parts) -> dict[str, Any]:
    """The scenario's description and notes, key inputs, products and every difference."""
    base = flatten(page.base.model_dump(mode="json"))
    key_rows = [(page.t(f"key.{path}"), path, param_value(base.get(path), page.lang, path))
                for path in KEY_INPUTS if path in base]
    shop = page.base.shop.products
    p_dig = 0 if all(float(pr.price).is_integer() for pr in shop) else 2
    c_dig = 0 if all(float(pr.unit_cost).is_integer() for pr in shop) else 2
    products = [{"name": pr.name, "price": numbers.money(pr.price, digits=p_dig, symbol=YUAN),
                 "cost": numbers.money(pr.unit_cost, digits=c_dig, symbol=YUAN),
                 "share": pr.share, "defect": numbers.share(pr.defect_prob),
                 "mismatch": numbers.share(pr.mismatch_prob),
                 "whim": param_value(pr.whim_return_factor, page.lang)}
                for pr in page.base.shop.products]
    total = sum(pr["share"] for pr in products) or 1.0
    for pr in products:
        pr["share"] = numbers.share(pr["share"] / total)
    notes = header_notes(page.file.source)
    overrides = page.meta.overrides or {}
    return {"description": page.base.scenario.description, "notes": notes,
            "file": page.file.source, "key": key_rows, "products": products,
            "diff": parameter_diff(page),
            "overrides": Markup(", ").join(
                Markup("<code>{}={}</code>").format(k, v) for k, v in overrides.items())}


def parameter_diff(page: Parts) -> list[dict[str, Any]]:
    """Every parameter whose resolved value differs between policies."""
    flat = {p: flatten(s.model_dump(mode="json")) for p, s in page.resolved.items()}
    paths = list(dict.fromkeys(k for f in flat.values() for k in f))
    rows = []
    base = flat[page.baseline]
    for path in paths:
        if path == "policy_name":
            continue
        values = [f.get(path) for f in flat.values()]
        if all(v == values[0] for v in values):
            continue
        cells = []
        for p in page.policies:
            v = flat[p].get(path)
            same = p != page.baseline and v == base.get(path)
            cells.append({"text": str(page.t("none")) if same
                          else param_value(v, page.lang, path), "changed": not same
                          and p != page.baseline})
        rows.append({"path": path, "cells": cells})
    return rows
