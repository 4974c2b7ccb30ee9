"""Plain-word errors for scenario files: one line per problem, naming the field and the fix."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where (a dotted path), what, and how to fix it."""

    path: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text} (fix: {self.fix})" if self.fix else text


class ScenarioError(ValueError):
    """A scenario (or a policy, a sweep path, a value) that cannot be used, with every problem."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + str(p) for p in problems))


def dotted(loc: tuple[Any, ...]) -> str:
    """('shop', 'products', 0, 'price') -> 'shop.products[0].price'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class that holds the field at ``loc`` (the parent of its last part)."""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[Product] -> Product; Section -> Section; X | None -> X."""
    args = getattr(annotation, "__args__", None)
    if args:
        for arg in args:
            inner = _unwrap(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


def _field_bounds(root: type[BaseModel], loc: tuple[Any, ...]) -> dict[str, Any]:
    """Both bounds of a field (pydantic reports only the one that was broken)."""
    model = _model_at(root, loc)
    field = model.model_fields.get(str(loc[-1])) if model else None
    bounds: dict[str, Any] = {}
    for meta in field.metadata if field else []:
        for name in ("ge", "gt", "le", "lt"):
            if getattr(meta, name, None) is not None:
                bounds[name] = getattr(meta, name)
    return bounds


def _bounds_text(ctx: dict[str, Any]) -> str:
    lo = ctx.get("ge", ctx.get("gt"))
    hi = ctx.get("le", ctx.get("lt"))
    if lo == 0 and hi == 1:
        return "use a probability between 0 and 1"
    if lo is not None and hi is not None:
        return f"use a value between {lo} and {hi}"
    if lo is not None:
        return f"use a value {'>=' if 'ge' in ctx else '>'} {lo}"
    return f"use a value {'<=' if 'le' in ctx else '<'} {hi}"


def problems_from_validation(
    err: ValidationError, root: type[BaseModel], prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    """Turn pydantic's errors into one plain :class:`Problem` each."""
    problems = []
    for e in err.errors():
        loc = tuple(e["loc"])
        path = dotted(prefix + loc)
        kind, ctx, value = e["type"], e.get("ctx") or {}, e.get("input")
        if kind == "extra_forbidden":
            model = _model_at(root, loc)
            known = sorted(k for k in model.model_fields if k != "policy_name") if model else []
            near = difflib.get_close_matches(str(loc[-1]), known, n=1)
            fix = f"did you mean '{near[0]}'?" if near else "remove it or check the spelling"
            if known and not near:
                fix += "; known keys here: " + ", ".join(known)
            problems.append(Problem(path, f"unknown key '{loc[-1]}'", fix))
        elif kind == "missing":
            problems.append(Problem(path, "required key is missing", "add it"))
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            bounds = _field_bounds(root, loc) or ctx
            problems.append(Problem(path, f"{value!r} is out of range", _bounds_text(bounds)))
        elif kind == "literal_error":
            problems.append(Problem(path, f"{value!r} is not allowed",
                                    f"use one of {ctx.get('expected')}"))
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            want = {"float": "number", "int": "whole number", "bool": "true or false",
                    "string": "text in quotes", "date": "date (YYYY-MM-DD)", "list": "list",
                    "dict": "table", "model": "table"}.get(kind.split("_")[0], kind.split("_")[0])
            problems.append(Problem(path, f"{value!r} is not a valid {want}",
                                    f"write a {want} here"))
        elif kind == "value_error":
            problems.append(Problem(path, str(ctx.get("error", e["msg"])), ""))
        else:
            problems.append(Problem(path, e["msg"], ""))
    return problems
