"""`exact-tui setup products | default | activate`: steps 6, 7 and 8 of `exact-tui setup` (see `cli/setup.py`).

Apart from `setup.py` only to keep each module short; the helpers (`_session`, `_emit`) are that
module's, imported when a step runs.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any


def _codes(values: list[str] | None) -> list[str]:
    return [c.strip() for v in values or [] for c in v.split(",") if c.strip()]


async def products_step(args: argparse.Namespace) -> int:
    from ..services import products
    from .setup import Refused, _emit, _session

    wanted = _codes(args.activate)
    async with _session(args, need_exact=args.do_import) as session:
        result = await products.import_items(session) if args.do_import else None
        items = products.products(session)
        if args.activate is not None:
            if not items:
                raise Refused("--activate: no items imported from Exact yet; add --import")
            known = {p.code for p in items}
            codes = known if [c.lower() for c in wanted] == ["all"] else set(wanted)
            unknown = sorted(codes - known)
            if unknown:
                raise Refused(f"--activate: item {', '.join(unknown)} is not among the {len(known)} items imported "
                              f"from Exact ({', '.join(sorted(known)[:12])}{'…' if len(known) > 12 else ''})")
            products.set_active(session, codes)
            items = products.products(session)
        status = products.product_status(session)
    rows = [{"code": p.code, "description": p.description, "active": p.active, "problems": p.problems()}
            for p in items]
    lines = [f"{'●' if r['active'] else ' '} {r['code']:<12} {r['description']}"
             + (f"  ⚠ {'; '.join(r['problems'])}" if r["problems"] and r["active"] else "") for r in rows]
    lines.append(f"{status.active} of {status.imported} items active"
                 + (f"; {result.summary()}" if result is not None else ""))
    lines.extend(f"• {m}" for m in status.missing)
    payload = {"imported": status.imported, "active": status.active, "missing": status.missing, "items": rows,
               "added": result.added if result else [], "changed": result.changed if result else {},
               "removed": result.removed if result else []}
    return _emit(args, payload, lines, 1 if status.missing else 0)


def _dimension(session: Any, kind: Any, value: str) -> Any:
    """The dimension value named by id (exactly) or by name (ignoring case), or a Refused naming the kind."""
    from ..services import defaults
    from .setup import Refused

    rows = defaults.dimensions(session, kind)
    label = defaults.DIMENSION_LABELS[kind].lower()
    found = [d for d in rows if d.id == value] or [d for d in rows if d.name.casefold() == value.casefold()]
    if len(found) == 1:
        return found[0]
    if found:
        raise Refused(f"--map {value}: {len(found)} {label}s are called {value!r}; name it by id "
                      f"({', '.join(d.id for d in found)})")
    known = ", ".join(f"{d.id} {d.name}" for d in rows[:10]) + ("…" if len(rows) > 10 else "")
    raise Refused(f"--map {value}: no {label} with that id or name" + (f" (there are: {known})" if rows
                                                                      else f"; no {label}s imported (exact-tui import dimensions)"))


async def default_step(args: argparse.Namespace) -> int:
    from ..domain.products import DataType, DimensionKind, Principle, ProductPrinciple
    from ..services import defaults
    from .setup import Refused, _emit, _session

    data_type = DataType(args.data_type)
    label = defaults.DATA_TYPE_LABELS[data_type]
    async with _session(args, need_exact=False) as session:
        current = defaults.principles(session)[data_type]
        if args.item:
            new: ProductPrinciple | None = ProductPrinciple(data_type, Principle.SPECIFIC, product_number=args.item.strip())
        elif args.by:
            new = ProductPrinciple(data_type, Principle.BY_DIMENSION, DimensionKind(args.by))
        elif args.select:
            new = ProductPrinciple(data_type, Principle.SELECT_WHEN_INVOICING)
        else:
            new = None
        target = new or current
        pairs = []
        for item in args.map:
            value, sep, code = item.partition("=")
            if not sep or not value.strip():
                raise Refused(f"--map {item!r}: write VALUE=CODE (a dimension id or name, then an item code)")
            if target.principle is not Principle.BY_DIMENSION or target.dimension_kind is None:
                raise Refused(f"--map: {label} is '{defaults.describe(target)}', not by dimension; add --by KIND")
            pairs.append((_dimension(session, target.dimension_kind, value.strip()), code.strip()))
        if new is not None:
            defaults.set_principle(session, new)  # checks the item is active (step 6) or the kind is given
        mapped = [defaults.map_dimension(session, dim, code) for dim, code in pairs]
        chosen = defaults.principles(session)[data_type]
        status = defaults.defaults_status(session)
    payload = {"data_type": data_type.value, "principle": chosen.principle.value,
               "dimension_kind": chosen.dimension_kind.value if chosen.dimension_kind else None,
               "item": chosen.product_number or None, "described": defaults.describe(chosen),
               "mapped": [{"kind": d.kind, "id": d.id, "name": d.name, "item": d.product_number} for d in mapped],
               "missing": status.missing}
    lines = [f"{label}: {defaults.describe(chosen)}"]
    lines += [f"  {d.name} ({d.id}) → {d.product_number or '(unmapped)'}" for d in mapped]
    lines += [f"• {m}" for m in status.missing]
    return _emit(args, payload, lines, 1 if status.missing else 0)


async def activate_step(args: argparse.Namespace) -> int:
    from ..services import activation
    from .setup import Refused, _emit, _session

    if not (args.yes or args.off or sys.stdin.isatty()):
        raise Refused("activation needs --yes: there is no terminal here to confirm it on")
    async with _session(args, need_exact=not args.off, need_division=False) as session:  # step 8 says what is missing
        if args.off:
            activation.deactivate(session)
            return _emit(args, {"active": False}, ["integration deactivated: no invoices will be transferred"], 0)
        steps = await activation.check(session)  # step 8's checks, link counts included
        hard = activation.blocking(steps)
        warnings = [m for s in steps for m in s.missing]
        if hard:
            for m in warnings:
                print(f"missing: {m}", file=sys.stderr)
            return _emit(args, {"active": False, "blocking": hard, "warnings": warnings},
                         ["cannot activate yet: " + "; ".join(hard)], 1)
        if not args.yes:
            for m in warnings:
                print(f"warning: {m}", file=sys.stderr)
            if input("Activate the integration? [y/N] ").strip().lower() not in ("y", "yes"):
                return _emit(args, {"active": False, "warnings": warnings}, ["not activated"], 1)
        activation.activate(session, confirmed=True)
    lines = ["integration activated: transfer booked invoices with exact-tui transfer --all (--dry-run first)"]
    lines += [f"• {m}" for m in warnings]
    return _emit(args, {"active": True, "warnings": warnings}, lines, 1 if warnings else 0)
