"""Levers: the policy values a search may move, named by their dotted path in the scenario.

A lever is written ``PATH=LOW:HIGH`` (a range; ``LOW:HIGH:STEP`` for a grid step),
``PATH=A,B,C`` (a choice) or ``PATH`` alone (every value of a yes/no or named-choice field).
Its kind follows the scenario schema's field: a float field gives a continuous lever, an int
field an integer lever, a ``bool`` or a ``Literal`` field a choice. A range must lie inside the
field's own bounds (``ge``/``gt``/``le``/``lt`` of the pydantic field), so a search never proposes
a value the scenario would refuse.

Levers are the policy (``policy.*``) and the shop's capacity (:data:`SHOP_LEVERS`): what an owner
decides. Facts about the market or the buyers are not levers; ``--set`` fixes them for a search.

Some tables must be written whole (``policy.delay.strict`` has no defaults for its rate, minimum
and cap): a lever inside one brings the table's other required values along, from the base
scenario (:attr:`Lever.fill`), so that every candidate and the recommended policy's TOML are
complete.
"""

from __future__ import annotations

import difflib
import math
import tomllib
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ...scenario import Problem, Scenario, ScenarioError

#: The shop's capacity fields that are levers (everything under ``policy.`` is one too).
SHOP_LEVERS = ("shop.dispatch.daily_capacity", "shop.cs.agents", "shop.cs.bot",
               "shop.repair.technicians")
#: Grid points of a continuous lever's range when no step is given (values stay readable).
DEFAULT_GRID = 1000

_LEVER_HELP = "levers are policy.* fields and " + ", ".join(SHOP_LEVERS)


@dataclass(frozen=True)
class Lever:
    """One lever of a search: a continuous or integer range, or a choice of values."""

    path: str
    kind: str  # "float", "int" or "choice"
    low: float | int | None = None
    high: float | int | None = None
    step: float | None = None  # grid of a continuous lever
    choices: tuple[Any, ...] = ()
    fill: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def spec(self) -> dict[str, Any]:
        """What identifies the lever in a study's key (plain JSON)."""
        return {"path": self.path, "kind": self.kind, "low": self.low, "high": self.high,
                "step": self.step, "choices": list(self.choices)}

    def describe(self) -> str:
        """``7.0:30.0:0.01`` (low, high, step), ``1:6`` or ``false, true``: the lever's values
        in short, as a lever is written."""
        if self.kind == "choice":
            return ", ".join(_text(c) for c in self.choices)
        text = f"{_text(self.low)}:{_text(self.high)}"
        return f"{text}:{_text(self.step)}" if self.kind == "float" else text

    def value(self, raw: Any) -> Any:
        """A suggested value as the scenario takes it (a grid value rounded to its step)."""
        if self.kind == "float":
            places = max(0, -Decimal(str(self.step)).as_tuple().exponent)  # type: ignore[operator]
            return round(float(raw), places)
        if self.kind == "int":
            return int(raw)
        return raw


# ------------------------------------------------------------------------------------------------
# Reading a lever
# ------------------------------------------------------------------------------------------------
def split_lever(text: str) -> tuple[str, str | None]:
    """``PATH=VALUES`` -> (PATH, VALUES); ``PATH`` alone -> (PATH, None)."""
    path, sep, raw = text.partition("=")
    return path.strip(), (raw.strip() if sep else None)


def _toml(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return raw.strip()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def make_levers(texts: list[str], base: Scenario) -> list[Lever]:
    """Levers from their texts, checked against the schema; every problem at once.

    ``base`` is the resolved base scenario: it supplies the values a lever's table must carry
    along (:attr:`Lever.fill`). Raises :class:`ScenarioError`, one problem per bad lever.
    """
    levers: list[Lever] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for text in texts:
        path, raw = split_lever(text)
        if path in seen:
            problems.append(Problem(path, "is given twice as a lever",
                                    f"give one --lever {path}=..."))
            continue
        seen.add(path)
        try:
            levers.append(_one_lever(path, raw, base))
        except ScenarioError as err:
            problems += err.problems
    if not texts:
        problems.append(Problem("--lever", "no lever to search",
                                "give at least one --lever PATH=LOW:HIGH or PATH=A,B,C"))
    if problems:
        raise ScenarioError(problems)
    return levers


def _one_lever(path: str, raw: str | None, base: Scenario) -> Lever:
    info = schema_field(path)
    kind = _kind(path, info.annotation)
    bounds = {name: getattr(meta, name) for meta in info.metadata
              for name in ("ge", "gt", "le", "lt") if getattr(meta, name, None) is not None}
    fill = _required_siblings(path, base)
    if kind == "choice":
        allowed = _allowed_choices(info.annotation)
        if raw is not None and ":" in raw:
            raise _bad(path, f"'{raw}' is a range, and this field is a choice",
                       "choose among " + ", ".join(_text(a) for a in allowed))
        values = allowed if raw is None else _choices(path, raw, allowed, bounds, info.annotation)
        return Lever(path, "choice", choices=tuple(values), fill=fill)
    if raw is None:
        raise _bad(path, "needs values", f"write {path}=LOW:HIGH or {path}=A,B,C")
    if ":" not in raw:  # a choice among numbers
        values = _choices(path, raw, None, bounds, info.annotation)
        return Lever(path, "choice", choices=tuple(values), fill=fill)
    return _range(path, raw, kind, bounds, fill)


class _FieldInfo(typing.NamedTuple):
    annotation: Any
    metadata: list[Any]


def schema_field(path: str) -> _FieldInfo:
    """The schema field at a lever's dotted path; a clear problem when it is no lever."""
    if not (path.startswith("policy.") or path in SHOP_LEVERS):
        if _field_or_none(path) is not None:
            raise _bad(path, "is a fact about the shop or its market, not a policy lever",
                       f"{_LEVER_HELP}; use --set {path}=VALUE to fix it for the whole search")
        raise _bad(path, "is not a lever path", _suggest(path))
    found = _field_or_none(path)
    if found is None:
        raise _bad(path, "is not a lever path", _suggest(path))
    if isinstance(found, type) and issubclass(found, BaseModel):
        names = ", ".join(f"{path}.{n}" for n in found.model_fields)
        raise _bad(path, "is a table, not one value", f"name one of its fields: {names}")
    return found


def _field_or_none(path: str) -> Any:
    """The field info (or the model class of a table) at ``path``, or ``None``."""
    model: Any = Scenario
    parts = path.split(".")
    for i, part in enumerate(parts):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = model.model_fields.get(part)
        if info is None or part == "policy_name":
            return None
        annotation = info.annotation
        if i == len(parts) - 1:
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                return annotation
            return _FieldInfo(annotation, list(info.metadata))
        model = annotation
    return None


def _all_lever_paths() -> list[str]:
    out = list(SHOP_LEVERS)

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, f"{prefix}.{name}")
            else:
                out.append(f"{prefix}.{name}")

    walk(Scenario.model_fields["policy"].annotation, "policy")  # type: ignore[arg-type]
    return out


def _suggest(path: str) -> str:
    near = difflib.get_close_matches(path, _all_lever_paths(), n=1, cutoff=0.6)
    return f"did you mean {near[0]}? ({_LEVER_HELP})" if near else _LEVER_HELP


def _kind(path: str, annotation: Any) -> str:
    if annotation is bool or typing.get_origin(annotation) is typing.Literal:
        return "choice"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    raise _bad(path, "is neither a number nor a choice", "choose a numeric, yes/no or named-"
               "choice field")


def _allowed_choices(annotation: Any) -> list[Any]:
    if annotation is bool:
        return [False, True]
    return list(typing.get_args(annotation))


def _bad(path: str, message: str, fix: str) -> ScenarioError:
    return ScenarioError([Problem(path, message, fix)])


def _number(path: str, raw: str, kind: str) -> float | int:
    value = _toml(raw)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(path, f"'{raw.strip()}' is not a number, and this field is numeric",
                   f"write numbers, e.g. {path}=1:10")
    if kind == "int":
        if not float(value).is_integer():
            raise _bad(path, f"{raw.strip()} is not a whole number, and this field counts",
                       "write whole numbers, e.g. 1:6")
        return int(value)
    return float(value)


def _bounds_text(bounds: dict[str, Any]) -> str:
    parts = [f"{'>=' if k == 'ge' else '>' if k == 'gt' else '<=' if k == 'le' else '<'} "
             f"{_text(v)}" for k, v in bounds.items()]
    return " and ".join(parts)


def _within(path: str, value: float, bounds: dict[str, Any]) -> None:
    ok = ((bounds.get("ge") is None or value >= bounds["ge"])
          and (bounds.get("gt") is None or value > bounds["gt"])
          and (bounds.get("le") is None or value <= bounds["le"])
          and (bounds.get("lt") is None or value < bounds["lt"]))
    if not ok:
        raise _bad(path, f"{_text(value)} is outside the field's bounds ({_bounds_text(bounds)})",
                   f"keep the lever's values {_bounds_text(bounds)}")


def _range(path: str, raw: str, kind: str, bounds: dict[str, Any],
           fill: dict[str, Any]) -> Lever:
    parts = raw.split(":")
    if len(parts) not in (2, 3) or not all(p.strip() for p in parts):
        raise _bad(path, f"'{raw}' is not a range", f"write {path}=LOW:HIGH (or LOW:HIGH:STEP)")
    low, high = _number(path, parts[0], kind), _number(path, parts[1], kind)
    if not low < high:
        raise _bad(path, f"the range {raw} is empty or reversed", "write the smaller value first")
    for value in (low, high):
        _within(path, value, bounds)
    if kind == "int":
        if len(parts) == 3:
            raise _bad(path, "an integer lever takes every whole number of its range",
                       f"write {path}={low}:{high}")
        return Lever(path, "int", low, high, fill=fill)
    step = _step(path, parts[2], low, high) if len(parts) == 3 else _grid_step(low, high, raw)
    # The highest grid point at or below HIGH, so that the grid holds LOW and its top.
    top = float(Decimal(str(low)) + int((Decimal(str(high)) - Decimal(str(low)))
                                        / Decimal(str(step))) * Decimal(str(step)))
    return Lever(path, "float", float(low), top, step, fill=fill)


def _step(path: str, raw: str, low: float, high: float) -> float:
    step = float(_number(path, raw, "float"))
    if not 0 < step <= high - low:
        raise _bad(path, f"step {raw} does not fit the range", "a step above 0 and at most "
                   "HIGH - LOW")
    return step


def _grid_step(low: float, high: float, raw: str) -> float:
    """A power of ten giving about :data:`DEFAULT_GRID` points, no finer than the bounds' digits
    need, so that LOW and HIGH are grid points and values print short."""
    exponent = math.floor(math.log10((high - low) / DEFAULT_GRID))
    for text in raw.split(":"):
        digits = Decimal(text.strip()).as_tuple().exponent
        if isinstance(digits, int):
            exponent = min(exponent, digits)
    return float(Decimal(1).scaleb(exponent))


def _choices(path: str, raw: str, allowed: list[Any] | None, bounds: dict[str, Any],
             annotation: Any) -> list[Any]:
    parts = [part for part in raw.split(",") if part.strip()]
    values = [_toml(part) for part in parts]
    if len(values) < 2:
        raise _bad(path, "a choice needs two values or more",
                   f"write {path}=A,B (or use --set {path}=VALUE to fix one value)")
    if allowed is not None:
        wrong = [v for v in values if v not in allowed or type(v) is not type(allowed[0])]
        if wrong:
            raise _bad(path, f"{_text(wrong[0])} is not one of its values",
                       "choose among " + ", ".join(_text(a) for a in allowed))
    else:
        kind = "int" if annotation is int else "float"
        values = [_number(path, part, kind) for part in parts]
        for value in values:
            _within(path, value, bounds)
    if len(set(values)) != len(values):
        raise _bad(path, "a value is given twice", "list each value once")
    return values


def _required_siblings(path: str, base: Scenario) -> dict[str, Any]:
    """Values of the other required fields of the lever's table, from ``base``."""
    parent_path, _, _ = path.rpartition(".")
    node: Any = base
    for part in parent_path.split("."):
        node = getattr(node, part)
    if not isinstance(node, BaseModel):
        return {}
    return {f"{parent_path}.{name}": getattr(node, name)
            for name, info in type(node).model_fields.items()
            if info.is_required() and f"{parent_path}.{name}" != path}
