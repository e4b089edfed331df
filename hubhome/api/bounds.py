"""Integers from outside are range-checked before they reach the database.

A path's `<int:…>` only matches 0…2³¹−1 (a larger number is no object: 404); an integer in
an API query or JSON body outside −2³¹…2³¹−1 is refused with 422 whatever the schema says,
so no id, count or page number overflows a PostgreSQL integer (or SQLite's 64 bits) into
a 500.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter, Map

INT_MAX = 2**31 - 1
INT_MIN = -(2**31)


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that matches only what fits a database integer."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


def out_of_range(value: Any, path: str = "") -> list[str]:
    """The places in a loaded value that hold an integer no column could store."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [path or "value"] if not INT_MIN <= value <= INT_MAX else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in out_of_range(v, f"{path}.{k}".strip("."))]
    if isinstance(value, list | tuple | set):
        return [p for i, v in enumerate(value) for p in out_of_range(v, f"{path}.{i}")]
    return []


def db_int(text: str) -> int:
    """`int` for `request.args.get(name, type=db_int)`: out of range is not a number."""
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError("out of range")
    return value


class BoundedParser(FlaskParser):
    """webargs' Flask parser, refusing integers out of a database integer's range."""

    def _validate_arguments(self, data: Any, validators: Any) -> None:
        places = out_of_range(data)
        if places:
            message = f"must be between {INT_MIN} and {INT_MAX}"
            raise ValidationError({place: [message] for place in places}, data=data)
        super()._validate_arguments(data, validators)
