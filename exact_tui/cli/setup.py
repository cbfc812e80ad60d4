"""`exact-tui setup`: the console's eight set-up steps from a script, one client company after another.

    exact-tui setup                                  # the checklist: each step done or not, what is missing
    exact-tui setup division [CODE]                  # list the divisions, or choose one (step 2)
    exact-tui setup journal [CODE]                   # list the sales journals, or choose one (step 3)
    exact-tui setup model entries|invoices [--drafts]
    exact-tui setup maintenance manual|auto|exact-first            # step 5
    exact-tui setup products [--import] [--activate all|CODE,CODE]  # step 6
    exact-tui setup default DATA_TYPE --item CODE | --by KIND [--map VALUE=CODE ...] | --select  # step 7
    exact-tui setup activate --yes                   # step 8, with its checks

Each choice is the same service call as the console's step (`services/division.py`, `journal.py`,
`maintenance.py`, `products.py`, `defaults.py`, `activation.py`); step 4 is `exact-tui link`.
Progress goes to stderr, `--json` to stdout. Exit 0: done (the checklist: every step done);
1: done with something to look at (a warning, a step not done); 2: could not run (bad input,
not connected, the profile busy), with the record and field named.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

NAME = "setup"
HELP = "the set-up checklist, and each step from a script (division, journal, model, maintenance, products, default, activate)"
DESCRIPTION = __doc__.split("\n\n")[0]
ORDER = 25

MODES = {"manual": "manual", "auto": "auto_create", "auto_create": "auto_create", "exact-first": "created_in_exact",
         "created_in_exact": "created_in_exact"}
MARK = {"done": "✓"}


class Refused(Exception):
    """Bad input or a refused step: exit 2 with the message."""


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument("--json", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="the outcome as JSON on stdout")
    parser.add_argument("--profile", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..domain.products import DataType, DimensionKind
    from ..domain.settings import TRANSFER_MODELS

    _common(parser, top=True)
    sub = parser.add_subparsers(dest="setup_step", metavar="STEP")
    p = sub.add_parser("division", help="list the divisions the user may use, or choose one by its code (step 2)")
    p.add_argument("code", nargs="?", type=int, metavar="CODE", help="the division's code (e.g. 786431)")
    _common(p)
    p = sub.add_parser("journal", help="list the sales journals, or choose one by its code (step 3)")
    p.add_argument("code", nargs="?", metavar="CODE", help="the journal's code (e.g. 70)")
    _common(p)
    p = sub.add_parser("model", help="book invoices as sales entries or as sales invoices")
    p.add_argument("model", choices=TRANSFER_MODELS)
    p.add_argument("--drafts", action="store_true", help="with 'invoices': leave them as drafts in Exact")
    _common(p)
    p = sub.add_parser("maintenance", help="who maintains customers (step 5)")
    p.add_argument("mode", choices=("manual", "auto", "exact-first"),
                   help="manual: link each by hand; auto: create and link at the first invoice; "
                        "exact-first: made in Exact, imported in Link customers")
    _common(p)
    p = sub.add_parser("products", help="import items from Exact and choose the active ones (step 6)")
    p.add_argument("--import", dest="do_import", action="store_true", help="import (or re-import) the items")
    p.add_argument("--activate", action="append", metavar="all|CODE,CODE",
                   help="make exactly these items active (comma-separated or repeated; 'all' for every item)")
    _common(p)
    p = sub.add_parser("default", help="the product-number principle of one data type (step 7)")
    p.add_argument("data_type", choices=[d.value for d in DataType], metavar="DATA_TYPE",
                   help="one of " + ", ".join(d.value for d in DataType))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--item", metavar="CODE", help="every line of this data type gets this active item")
    how.add_argument("--by", choices=[k.value for k in DimensionKind], metavar="KIND",
                     help="the line's dimension decides: " + ", ".join(k.value for k in DimensionKind))
    how.add_argument("--select", action="store_true", help="chosen per line when invoicing")
    p.add_argument("--map", action="append", default=[], metavar="VALUE=CODE",
                   help="with --by (or a by-dimension principle): map a dimension value (id or name) to an item")
    _common(p)
    p = sub.add_parser("activate", help="run step 8's checks and switch the integration on")
    p.add_argument("--yes", action="store_true", help="confirm (needed when there is no terminal to ask)")
    p.add_argument("--off", action="store_true", help="switch the integration off instead")
    _common(p)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from ..services.headless import CannotRun, StoreError

    step = getattr(args, "setup_step", None)
    handler = HANDLERS[step]
    try:
        return asyncio.run(handler(args))
    except (CannotRun, StoreError, Refused, ValueError, LookupError) as exc:
        from ..domain.text import printable

        text = printable(str(exc))
        print(f"exact-tui setup{' ' + step if step else ''}: {text}", file=sys.stderr)
        if args.json:
            _dump({"ok": False, "error": text})
        return 2


# -- helpers ---------------------------------------------------------------------------------------
def _session(args: argparse.Namespace, **kw: Any):
    from ..services.headless import connected, progress_printer

    return connected(args.profile, args.data_dir, progress=progress_printer(sys.stderr, as_json=args.json), **kw)


def _dump(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def _emit(args: argparse.Namespace, payload: dict[str, Any], lines: list[str], code: int) -> int:
    from ..domain.text import printable

    if args.json:
        _dump({"ok": code != 2, **payload})
    else:
        for line in lines:
            print(printable(line))
    return code


async def _connect_if_possible(session: Any) -> str:
    """Use the stored connection when there is one; why not, otherwise (the checklist shows it)."""
    from ..services import connection
    from ..services.problems import explain

    try:
        report = await connection.resume(session)
    except Exception as exc:  # noqa: BLE001 - said plainly; the checklist shows the step not done
        return explain(exc).what
    return "" if report is not None else "not connected (run `exact-tui connect --keep-secret`)"


# -- the checklist ---------------------------------------------------------------------------------
async def checklist(args: argparse.Namespace) -> int:
    from ..services import activation

    async with _session(args, need_exact=False) as session:
        offline = await _connect_if_possible(session)
        if offline:
            print(f"offline: {offline}", file=sys.stderr)
        steps = await activation.check(session)
    rows = [{"number": n, "key": s.key, "title": s.title, "state": str(s.state), "done": s.state == "done",
             "summary": s.summary, "missing": s.missing, "blocking": s.blocking} for n, s in enumerate(steps, 1)]
    lines = []
    for row in rows:
        lines.append(f"{'✓' if row['done'] else '✗'} {row['number']}. {row['title']}"
                     + (f" — {row['summary']}" if row["summary"] else ""))
        lines.extend(f"     • {m}" for m in row["missing"])
    done = all(r["done"] for r in rows)
    return _emit(args, {"done": done, "steps": rows}, lines, 0 if done else 1)


# -- steps 2, 3 and the model ----------------------------------------------------------------------
async def division_step(args: argparse.Namespace) -> int:
    from ..services import division

    async with _session(args, need_division=False) as session:
        if args.code is None:
            divisions = await division.load_divisions(session)
            chosen = getattr(session.settings(), "division", None)
            current = session.me.current_division if session.me else None
            rows = [{"code": d.code, "name": d.description or "", "blocked": bool(d.blocked),
                     "chosen": d.code == chosen, "current": d.code == current} for d in divisions]
            lock = division.division_lock(session)
            lines = [f"{'●' if r['chosen'] else ' '} {r['code']:>7}  {r['name']}"
                     + ("  (user's current)" if r["current"] else "") + ("  blocked" if r["blocked"] else "")
                     for r in rows] + ([f"locked: {lock}"] if lock else [])
            return _emit(args, {"divisions": rows, "chosen": chosen, "locked": lock}, lines, 0)
        found = await division.find_division(session, args.code)
        division.choose_division(session, found.code, found.description or "")
        settings = session.settings()
    return _emit(args, {"division": found.code, "name": found.description or "", "journal": settings.journal,
                        "active": settings.active},
                 [f"division {found.code} {found.description or ''} chosen"], 0)


async def journal_step(args: argparse.Namespace) -> int:
    from collections import Counter

    from ..services import journal

    async with _session(args) as session:
        currencies = Counter(journal.invoice_currencies(session))
        if args.code is None:
            chosen = getattr(session.settings(), "journal", "")
            journals = await journal.load_journals(session)
            rows = [{"code": j.code, "name": j.description, "currency": j.currency or "EUR",
                     "variable_currency": bool(j.allow_variable_currency), "chosen": j.code == chosen,
                     "warning": journal.journal_warning(j, currencies)} for j in journals]
            lines = [f"{'●' if r['chosen'] else ' '} {r['code']:>4}  {r['name']}  {r['currency']}"
                     + ("  variable currency" if r["variable_currency"] else "  fixed currency")
                     + (f"\n       ⚠ {r['warning']}" if r["warning"] else "") for r in rows]
            if not rows:
                lines = ["this division has no sales journal: create one in Exact (type Sales)"]
            return _emit(args, {"journals": rows, "chosen": chosen}, lines, 0 if rows else 1)
        found = await journal.find_journal(session, args.code)
        journal.choose_journal(session, found)
        warning = journal.journal_warning(found, currencies)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    return _emit(args, {"journal": found.code, "name": found.description, "warning": warning},
                 [f"journal {found.code} {found.description} chosen"], 1 if warning else 0)


async def model_step(args: argparse.Namespace) -> int:
    from ..services import journal

    async with _session(args, need_exact=False) as session:
        journal.choose_model(session, args.model, drafts=args.drafts)
    return _emit(args, {"model": args.model, "drafts": bool(args.drafts)},
                 [f"invoices are booked as {'sales entries' if args.model == 'entries' else 'sales invoices'}"
                  + (" (left as drafts)" if args.drafts else "")], 0)


async def maintenance_step(args: argparse.Namespace) -> int:
    from ..domain.link import MaintenanceMode
    from ..services import maintenance

    mode = MaintenanceMode(MODES[args.mode])
    async with _session(args, need_exact=False) as session:
        maintenance.choose_maintenance(session, mode)
    title, explained = maintenance.MAINTENANCE_EXPLAINED[mode]
    return _emit(args, {"maintenance": mode.value, "title": title}, [f"{title}: {explained}"], 0)


from .setup_items import activate_step, default_step, products_step  # noqa: E402 - steps 6-8 live beside

HANDLERS = {None: checklist, "division": division_step, "journal": journal_step, "model": model_step,
            "maintenance": maintenance_step, "products": products_step, "default": default_step,
            "activate": activate_step}
