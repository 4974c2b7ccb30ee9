"""Plain copies of validated scenarios, for the simulation's hot path.

The model reads scenario values a few dozen times per simulated order. Reading a field of a
pydantic model costs about 25 ns, five times a plain attribute: pydantic models define
``__getattr__``, which keeps CPython from specialising the read. :func:`plain_copy` copies a
validated model, recursively, into instances of slotted classes that carry the same field names
(and the model's properties, such as :attr:`Scenario.total_days`), so the model code reads the
copy exactly as it would read the scenario.

The copy is made after validation and is not validated again: treat it as read-only. It is not
meant to be pickled or shown; keep the pydantic scenario for that.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

#: One plain class per pydantic model class, made on first use.
_PLAIN_CLASSES: dict[type[BaseModel], type] = {}


def plain_copy(model: M) -> M:
    """A copy of ``model`` whose fields are plain attributes (nested models copied likewise).

    Typed as the model's own class for the model code's readers: it has the same fields and
    properties, but none of pydantic's methods.
    """
    return _plain(model)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        copy = object.__new__(_plain_class(type(value)))
        for name in type(value).model_fields:
            object.__setattr__(copy, name, _plain(getattr(value, name)))
        return copy
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _plain_class(model_class: type[BaseModel]) -> type:
    plain_class = _PLAIN_CLASSES.get(model_class)
    if plain_class is None:
        namespace: dict[str, Any] = {
            "__slots__": tuple(model_class.model_fields),
            "__doc__": f"Plain copy of {model_class.__qualname__} (see sim.scenario.plain).",
            "__repr__": _repr,
        }
        for klass in reversed(model_class.__mro__):  # our properties, the most derived last
            if not klass.__module__.startswith("pydantic"):
                namespace.update({name: attr for name, attr in vars(klass).items()
                                  if isinstance(attr, property)})
        plain_class = type(f"Plain{model_class.__name__}", (), namespace)
        _PLAIN_CLASSES[model_class] = plain_class
    return plain_class


def _repr(self: Any) -> str:
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
    return f"{type(self).__name__}({fields})"
