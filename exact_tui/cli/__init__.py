"""`exact-tui`: the console (no sub-command) and the headless commands.

Each sub-command is a module in this package with `NAME`, `HELP`, `add_arguments(parser)` and
`run(args) -> int`; adding one is adding a module (it is found by `pkgutil`, nothing to register
here). Optional module attributes:

- `ORDER` (int): its place in `--help`.
- `PROFILE`: what the command does with `--profile`. `"existing"` (the default) refuses a profile
  that does not exist — "profile 'X' does not exist (known: a, b)", exit 2 — so a typo never
  creates an empty profile; `"create"` may make it (the console, `connect`, `import`); `"none"` does
  not use one (`diagnose`, `sandbox`). May be a function of the parsed args (`connect --status`
  only reads).
- `JSON = False`: the command has no `--json` output (a server, the console); `--json` is refused.

The global options `--profile`, `--data-dir` and `--json` are accepted before or after the
sub-command (`exact-tui --profile acme doctor` = `exact-tui doctor --profile acme`); after it
wins. Modules import their heavy dependencies (Textual, httpx, the sandbox) inside `run`, so
`--help` and `--version` stay fast; the console's own command line (global options only) is parsed
without importing the command modules at all (`_console_args`).
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import NoReturn

from .. import __version__
from ..paths import DEFAULT_PROFILE

# The options every command takes, wherever they stand: (flags, add_argument keywords, top-level default).
GLOBAL_OPTIONS: tuple[tuple[str, dict, object], ...] = (
    ("--profile", {"metavar": "NAME", "help": "profile (one per client company); default: default"}, DEFAULT_PROFILE),
    ("--data-dir", {"metavar": "DIR", "help": "folder for profiles instead of the platform's data dir "
                                              "(or $EXACT_TUI_DATA_DIR)"}, None),
    ("--json", {"action": "store_true", "help": "the result as one JSON document on stdout; progress on stderr as "
                                                "one JSON event per line"}, False),
)


def _command_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            modules.append(module)
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 50), m.NAME))


def add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The global options on the top parser (with their defaults) or on a sub-command's parser.

    On a sub-command they default to SUPPRESS: a flag given after the sub-command sets the value,
    one not given leaves what the top parser read (a flag before the sub-command) untouched. A
    sub-command that declared one of them itself (its own `--json` help text) keeps its help; only
    its default becomes SUPPRESS, for the same reason.
    """
    own = getattr(parser, "_option_string_actions", {})
    for flag, options, default in GLOBAL_OPTIONS:
        if flag in own:
            if not top:
                own[flag].default = argparse.SUPPRESS
            continue
        parser.add_argument(flag, default=default if top else argparse.SUPPRESS, **options)


class _NotTheConsole(Exception):
    """The command line is not the console's own (see `_console_args`)."""


class _ConsoleParser(argparse.ArgumentParser):
    """The top options without the commands; a mistake is the full parser's to report."""

    def error(self, message: str) -> NoReturn:
        raise _NotTheConsole(message)


def _top_parser(*, add_help: bool = True, cls: type[argparse.ArgumentParser] = argparse.ArgumentParser
                ) -> argparse.ArgumentParser:
    parser = cls(
        prog="exact-tui",
        description="Set up, run and diagnose a time-tracking ↔ Exact Online integration from the terminal.",
        epilog="--profile, --data-dir and --json may stand before or after the command.",
        add_help=add_help,
    )
    parser.add_argument("--version", action="version", version=f"exact-tui {__version__}")
    add_global_options(parser, top=True)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=getattr(module, "DESCRIPTION", module.HELP))
        module.add_arguments(cmd)
        add_global_options(cmd, top=False)
        cmd.set_defaults(_run=module.run, _module=module)
    return parser


def _profile_mode(module: ModuleType | None, args: argparse.Namespace) -> str:
    if module is None:
        return "create"  # the console: its first start makes the profile
    mode: str | Callable[[argparse.Namespace], str] = getattr(module, "PROFILE", "existing")
    return mode(args) if callable(mode) else mode


def _refuse(args: argparse.Namespace, module: ModuleType | None) -> str | None:
    """Why the command cannot run with these global options, or None."""
    from ..paths import UnknownProfile, existing_profile_dir

    name = f"exact-tui {module.NAME}" if module is not None else "exact-tui"
    if args.json and (module is None or getattr(module, "JSON", True) is False):
        return f"{name}: --json is not available here (it has no result to print as JSON)"
    if _profile_mode(module, args) == "existing":
        try:
            existing_profile_dir(args.profile, args.data_dir)
        except (UnknownProfile, ValueError) as exc:
            return f"{name}: {exc}"
    return None


def _console_args(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The parsed global options when `argv` opens the console (no sub-command), else None.

    The full parser imports every command module (~0.1 s of a launch whose first frame should take
    at most 0.6 s) only to find none was asked for. The top options alone parse the console's own
    command line; anything else in it (a command, `--help`, a typo) goes to the full parser, so
    its help, its errors and every command stay exactly as they are."""
    try:
        args, rest = _top_parser(add_help=False, cls=_ConsoleParser).parse_known_args(argv)
    except _NotTheConsole:
        return None
    if rest:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _console_args(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    run = getattr(args, "_run", None)
    module = getattr(args, "_module", None)
    problem = _refuse(args, module)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if run is None:
        # No sub-command: open the console on the chosen profile.
        try:
            from . import _console
        except ImportError:  # pragma: no cover - the console arrives with the UI package
            build_parser().print_help()
            return 0
        return _console.run(args)
    from ._output import printable_output

    try:
        with printable_output(args):  # names and Exact's words are printed as data, never obeyed
            return int(run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
