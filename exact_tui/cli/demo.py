"""`exact-tui demo`: the whole set-up against a local sandbox Exact Online, in a throw-away profile."""
from __future__ import annotations

import argparse
import sys

NAME = "demo"
PROFILE = "none"  # makes its own throw-away profile
JSON = False  # opens the console
HELP = "try the console against a local sandbox Exact Online with seeded data (nothing real is touched)"
DESCRIPTION = (
    "Starts the sandbox Exact Online in this process with seeded data, creates a throw-away demo profile "
    "with the matching local customers, contacts, invoices and dimensions, and opens the console at step 1 "
    "with the connection pre-filled. Log in as demo/demo (or use the labelled demo shortcut ctrl+e)."
)
ORDER = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--customers", type=int, default=2000, help="seeded Exact customers (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the deterministic data (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="sandbox port (default: any free port)")
    parser.add_argument("--keep", action="store_true", help="keep the demo profile folder afterwards (path printed)")


def _exit_on_signals(current_app) -> dict:
    """SIGTERM/SIGHUP (a closed SSH window, `kill`) end the console like ctrl+q, so `run`'s cleanup
    still removes the throw-away profile and stops the sandbox. A second signal exits at once."""
    import asyncio
    import signal

    def handler(signum, frame) -> None:  # noqa: ARG001 - signal API
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        app = current_app()
        if app is not None and loop is not None and loop.is_running() and not handler.fired:
            handler.fired = True
            loop.call_soon_threadsafe(app.exit, 128 + signum)  # signal-safe: wakes the loop through its pipe
        else:
            raise SystemExit(128 + signum)

    handler.fired = False
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    return previous


def run(args: argparse.Namespace) -> int:
    import shutil
    import signal
    import tempfile

    if args.customers < 1:
        print("--customers must be at least 1", file=sys.stderr)
        return 2
    from ..sandbox import SandboxConfig, SandboxServer
    from ..sandbox.testing import approve
    from ..services.demo import open_demo_session
    from ..ui.app import ExactApp

    folder = tempfile.mkdtemp(prefix="exact-tui-demo-")
    print(f"Starting the sandbox Exact Online with {args.customers:,} customers (seed {args.seed})…", file=sys.stderr)
    server = None
    session = None
    app = None
    result = None
    previous = _exit_on_signals(lambda: app)  # before the sandbox starts: a kill while seeding cleans up too
    try:
        server = SandboxServer(SandboxConfig(port=args.port, customers=args.customers, seed=args.seed))
        server.start()
        session = open_demo_session(server, folder, approve)
        app = ExactApp(session, data_dir=args.data_dir, start_step="connection", resume=False)
        result = app.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if session is not None:
            session.close_store()
        if server is not None:
            server.stop()
        if args.keep:
            print(f"Demo profile kept in {folder} (use --data-dir {folder} --profile demo)", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return int(result or 0)
