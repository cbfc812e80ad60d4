"""`exact-tui sandbox`: run the local Exact Online stand-in for demos, training and reproducing cases."""
from __future__ import annotations

import argparse
import sys

NAME = "sandbox"
PROFILE = "none"  # serves a stand-in Exact; no profile involved
JSON = False  # a server: its address and log go to the terminal
HELP = "run a local Exact Online stand-in (OAuth + REST API) on 127.0.0.1"
DESCRIPTION = (
    "Serve a faithful local Exact Online (OAuth, REST API, limits, business rules, fault profiles) with "
    "deterministic seed data. Prints the base URL, app credentials and users, and runs until Ctrl+C. "
    "Admin endpoints for support engineers live under /sandbox (see GET /sandbox)."
)
ORDER = 80


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s; keep it loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (default: 0 = any free port)")
    parser.add_argument("--customers", type=int, default=200, help="seeded customer accounts (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the deterministic data (default: %(default)s)")
    parser.add_argument("--faults", default=None, metavar="PROFILE",
                        help="fault profiles, e.g. 'latency:500,flaky-5xx' (latency, flaky-5xx, burst-429, "
                             "drop-after-commit, refresh-expired, refresh-rotated, user-revoked)")
    parser.add_argument("--time-scale", type=float, default=1.0, metavar="X",
                        help="run the sandbox clock X times faster (tokens, codes, limits); default 1")
    parser.add_argument("--state", default=None, metavar="FILE",
                        help="keep the world in FILE (JSON, reloaded on start); default: memory only")
    parser.add_argument("--behave", action="append", default=[], metavar="KEY=VALUE",
                        help="switch a 'likely' behaviour, e.g. refresh_rotation=grace (repeatable; GET /sandbox lists them)")
    parser.add_argument("--export-local", default=None, metavar="DIR",
                        help="write the seed's local side (customers, contacts, invoices, …) as CSV files to DIR and exit")
    parser.add_argument("--quiet", action="store_true", help="do not print one line per request")


def run(args: argparse.Namespace) -> int:
    from exact_tui.sandbox import Behaviour, SandboxConfig

    if args.customers < 0:
        print("--customers must be 0 or more", file=sys.stderr)
        return 2
    if args.time_scale <= 0:
        print("--time-scale must be greater than 0", file=sys.stderr)
        return 2
    behaviour = Behaviour()
    try:
        behaviour.update(dict(_pair(item) for item in args.behave))
        if args.faults:
            from exact_tui.sandbox.faults import parse_profile

            parse_profile(args.faults)
    except ValueError as exc:
        print(f"exact-tui sandbox: {exc}", file=sys.stderr)
        return 2
    if args.export_local:
        return _export(args)
    config = SandboxConfig(host=args.host, port=args.port, customers=args.customers, seed=args.seed,
                           faults=args.faults, time_scale=args.time_scale, state_file=args.state,
                           behaviour=behaviour, log_requests=not args.quiet)
    return _serve(config)


def _pair(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep:
        raise ValueError(f"--behave needs KEY=VALUE, not {item!r}")
    return key.strip(), value.strip()


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from exact_tui.sandbox import seed as seed_module

    data = seed_module.generate(customers=args.customers, seed=args.seed)
    demo = next((u for u in data.users if u.username == "demo"), data.users[0])
    division = getattr(demo, "current_division", None) or sorted(data.tables)[0]
    accounts = data.tables.get(division, {}).get("crm/Accounts", [])
    written = seed_module.export_local(data.local, accounts, Path(args.export_local))
    for path in written:
        print(path)
    print(f"wrote {len(written)} files for {len(data.local.customers)} local customers to {args.export_local}")
    return 0


def _serve(config) -> int:
    import signal
    import threading

    from exact_tui.sandbox import SandboxServer
    from exact_tui.sandbox.server import is_loopback

    if not is_loopback(config.host):
        print("!" * 78, file=sys.stderr)
        print(f"WARNING: binding to {config.host}, which is not loopback. The sandbox has no real security: the",
              file=sys.stderr)
        print("admin endpoints under /sandbox are open and the login page accepts the seeded passwords.", file=sys.stderr)
        print("!" * 78, file=sys.stderr)
    try:
        server = SandboxServer(config)
        server.start()
    except OSError as exc:
        print(f"exact-tui sandbox: cannot listen on {config.host}:{config.port}: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # e.g. a state file of another seed
        print(f"exact-tui sandbox: {exc}", file=sys.stderr)
        return 1
    world = server.world
    lines = [
        "Exact Online sandbox is running",
        f"  base URL       {server.base_url}",
        f"  authorize URL  {server.base_url}/api/oauth2/auth",
        f"  client id      {server.client_id}",
        f"  client secret  {server.client_secret}",
        f"  redirect URI   {server.redirect_uri}",
        f"  divisions      granted to the app: {', '.join(map(str, sorted(world.granted_divisions)))}",
        f"  customers      {config.customers} (seed {config.seed})" + (f", time x{config.time_scale:g}" if config.time_scale != 1 else ""),
        f"  faults         {config.faults or 'none'}",
        f"  state          {config.state_file or 'memory only'}",
        "  users (username / password):",
    ]
    for user in world.users.values():
        state = "active" if user.active else "INACTIVE"
        lines.append(f"    {user.username:<10} / {user.password:<10} {user.full_name} ({user.language}, {state}, "
                     f"divisions {', '.join(map(str, user.divisions))})")
    lines.append(f"  admin          {server.base_url}/sandbox   (Ctrl+C to stop)")
    print("\n".join(lines), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        total = server.runtime.stats.as_dict()["total"]
        print(f"sandbox stopped after {total} API calls" + (f"; state saved to {config.state_file}" if config.state_file else ""),
              flush=True)
    return 0
