"""`exact-tui`: the console (no sub-command) and the headless commands.

Each sub-command is a module in this package with `NAME`, `HELP`, `add_arguments(parser)` and
`run(args) -> int`. Modules import their heavy dependencies (Textual, httpx, the sandbox) inside
`run`, so `--help` and `--version` stay fast.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from .. import __version__


def _command_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            modules.append(module)
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 50), m.NAME))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exact-tui",
        description="Set up, run and diagnose a time-tracking ↔ Exact Online integration from the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"exact-tui {__version__}")
    parser.add_argument("--profile", default="default", help="profile (one per client company); default: %(default)s")
    parser.add_argument("--data-dir", default=None, help="folder for profiles instead of the platform's data dir")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=getattr(module, "DESCRIPTION", module.HELP))
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "_run", None)
    if run is None:
        # No sub-command: open the console on the chosen profile.
        try:
            from . import _console
        except ImportError:  # pragma: no cover - the console arrives with the UI package
            parser.print_help()
            return 0
        return _console.run(args)
    try:
        return int(run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
