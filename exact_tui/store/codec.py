"""Domain dataclasses <-> JSON-ready dicts.

One generic codec driven by the dataclass field types, compiled once per class: Decimal and dates
become strings (exact, sortable, human-readable in the file), enums their value. Fields equal to
their default are left out, which keeps 100,000 invoices small and lets a later version add a
field with a default without a migration. Unknown keys are ignored when loading for the same reason.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

_MISSING = dataclasses.MISSING
Conv = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _converters(tp: Any) -> tuple[Conv, Conv]:
    """(dump, load) for one annotated type."""
    if tp in (str, int, bool):
        return _identity, _identity
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        dump, load = _converters(args[0]) if len(args) == 1 else (_identity, _identity)
        return (lambda v: None if v is None else dump(v)), (lambda v: None if v is None else load(v))
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        dump, load = _converters(item)
        return (lambda v: [dump(x) for x in v]), (lambda v: [load(x) for x in v])
    if origin is dict:
        _key, value = typing.get_args(tp) or (str, Any)
        dump, load = _converters(value)
        return (lambda v: {str(k): dump(x) for k, x in v.items()}), (lambda v: {k: load(x) for k, x in v.items()})
    if tp is Decimal:
        return str, Decimal
    if tp is dt.datetime:
        return (lambda v: v.isoformat()), _load_datetime
    if tp is dt.date:
        return (lambda v: v.isoformat()), dt.date.fromisoformat
    if isinstance(tp, type) and issubclass(tp, Enum):
        return (lambda v: v.value if isinstance(v, Enum) else v), tp
    if dataclasses.is_dataclass(tp):
        codec = codec_for(tp)  # type: ignore[arg-type]  # is_dataclass narrows to "instance or type"
        return codec.dump, codec.load
    return _identity, _identity


def _plain(tp: Any) -> bool:
    """True when JSON holds the value as it is (str, int, bool, or such | None)."""
    if tp in (str, int, bool, type(None)):
        return True
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return all(_plain(a) for a in typing.get_args(tp))
    return False


def _load_datetime(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


class Codec:
    def __init__(self, cls: type) -> None:
        self.cls = cls
        hints = typing.get_type_hints(cls)
        self.fields: list[tuple[str, Conv, Conv, Any]] = []
        self.names: frozenset[str] = frozenset()
        self.converted: list[tuple[str, Conv]] = []  # fields whose JSON form differs from the value
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            default = f.default if f.default is not _MISSING else (
                f.default_factory() if f.default_factory is not _MISSING else _MISSING)
            tp = hints[f.name]
            dump, load = _converters(tp)
            self.fields.append((f.name, dump, load, default))
            if not _plain(tp):
                self.converted.append((f.name, load))
        self.names = frozenset(name for name, *_ in self.fields)

    def dump(self, obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, dump, _load, default in self.fields:
            value = getattr(obj, name)
            if default is not _MISSING and value == default:
                continue
            out[name] = dump(value)
        return out

    def load(self, data: Mapping[str, Any]) -> Any:
        # Hot path (100,000 invoices at start-up): copy the dict, convert only what needs it.
        kwargs = dict(data)
        if not self.names.issuperset(kwargs):
            kwargs = {k: v for k, v in kwargs.items() if k in self.names}
        for name, load in self.converted:
            value = kwargs.get(name, _MISSING)
            if value is not _MISSING:
                kwargs[name] = load(value)
        return self.cls(**kwargs)


_CODECS: dict[type, Codec] = {}


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that hold no cycles.

    Decoding 100,000 invoices allocates millions of objects, and each allocation burst triggers
    a collection that scans everything built so far: about 20-30% of the load time for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def codec_for(cls: type) -> Codec:
    codec = _CODECS.get(cls)
    if codec is None:
        codec = _CODECS[cls] = Codec(cls)
    return codec


def dump(obj: Any) -> dict[str, Any]:
    return codec_for(type(obj)).dump(obj)


def load(cls: type, data: Mapping[str, Any]) -> Any:
    return codec_for(cls).load(data)


def plain(value: Any) -> Any:
    """Any record (a dataclass from the Exact client, a dict) as JSON-ready plain data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
