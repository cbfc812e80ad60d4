"""`exact-tui demo`: the whole set-up against a local sandbox Exact Online, in a throw-away profile."""
from __future__ import annotations

import argparse
import sys

NAME = "demo"
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


def run(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    if args.customers < 1:
        print("--customers must be at least 1", file=sys.stderr)
        return 2
    from ..sandbox import SandboxConfig, SandboxServer
    from ..services.demo import open_demo_session
    from ..ui.app import ExactApp

    folder = tempfile.mkdtemp(prefix="exact-tui-demo-")
    print(f"Starting the sandbox Exact Online with {args.customers:,} customers (seed {args.seed})…", file=sys.stderr)
    server = SandboxServer(SandboxConfig(port=args.port, customers=args.customers, seed=args.seed))
    server.start()
    session = None
    try:
        session = open_demo_session(server, folder)
        app = ExactApp(session, data_dir=args.data_dir, start_step="connection", resume=False)
        result = app.run()
    finally:
        if session is not None:
            session.close_store()
        server.stop()
        if args.keep:
            print(f"Demo profile kept in {folder} (use --data-dir {folder} --profile demo)", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return int(result or 0)
