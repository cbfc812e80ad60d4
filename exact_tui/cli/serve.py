"""`exact-tui serve`: the console in a browser tab (textual-serve), for a colleague without a terminal."""
from __future__ import annotations

import argparse
import shlex
import sys

NAME = "serve"
HELP = "serve the console in a browser tab via textual-serve (loopback only unless --host says otherwise)"
DESCRIPTION = (
    "Runs the console behind textual-serve: every browser connection starts its own console process. "
    "textual-serve has NO authentication: anyone who can reach the port uses the console with this "
    "profile's Exact connection, so it binds to 127.0.0.1 unless you pass --host (use an SSH tunnel)."
)
ORDER = 90
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument("--demo", action="store_true", help="serve `exact-tui demo` instead of the profile's console")
    parser.add_argument("--public-url", default=None, help="URL the browser uses, when behind a proxy or tunnel")


def command_line(args: argparse.Namespace) -> str:
    """The command each browser connection runs: this Python, this package, the same profile."""
    parts = [sys.executable, "-m", "exact_tui", "--profile", args.profile]
    if args.data_dir:
        parts += ["--data-dir", args.data_dir]
    if args.demo:
        parts.append("demo")
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    if not (0 < args.port < 65536):
        print(f"--port {args.port} is not a port number", file=sys.stderr)
        return 2
    from textual_serve.server import Server

    if args.host not in LOOPBACK:
        print(f"WARNING: serving on {args.host}: textual-serve has no authentication; anyone who reaches "
              f"port {args.port} uses this console and its Exact connection. Prefer 127.0.0.1 + an SSH tunnel.",
              file=sys.stderr)
    else:
        print("Note: textual-serve has no authentication; it is bound to loopback. From another machine use "
              f"`ssh -L {args.port}:127.0.0.1:{args.port} this-host`.", file=sys.stderr)
    server = Server(command_line(args), host=args.host, port=args.port, title="exact-tui",
                    public_url=args.public_url)
    server.serve()
    return 0
