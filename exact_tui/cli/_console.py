"""Open the console on a profile (what `exact-tui` does without a sub-command)."""
from __future__ import annotations

import argparse
import gc
import sys


def run(args: argparse.Namespace) -> int:
    # Start-up makes a few hundred thousand objects (modules, classes, styles, widgets) and frees
    # almost none, so the cyclic collector's passes over them before the first frame find nothing:
    # it is off until the console has painted (`ExactApp` turns it back on and freezes what start-up
    # made, so later passes skip it too), and on again here if the console never got that far.
    gc.disable()
    try:
        return _open(args)
    finally:
        gc.enable()


def _open(args: argparse.Namespace) -> int:
    from ..services.problems import explain
    from ..services.session import ConsoleSession

    try:
        session = ConsoleSession.open(args.profile, args.data_dir)
    except Exception as exc:  # noqa: BLE001 - ProfileLocked / SchemaTooNew / a bad profile name: say what and why
        problem = explain(exc)
        print("error: " + "\n  ".join(line[0].lower() + line[1:] if i else line
                                      for i, line in enumerate(problem.lines())), file=sys.stderr)
        return 2
    from ..ui.app import ExactApp

    try:
        app = ExactApp(session, data_dir=args.data_dir, start_step=getattr(args, "step", None))
        result = app.run()
    finally:
        session.close_store()
    return int(result or 0)
