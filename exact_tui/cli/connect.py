"""`exact-tui connect`: connect a profile to Exact Online from a terminal, also over SSH.

Prints the login URL; the user opens it in a browser on any machine, logs in, and pastes back the
address the browser ends on (or just its code). With `--listen` a one-shot listener on 127.0.0.1
catches the redirect instead (when the browser runs on this machine). `--status` shows who the
connection belongs to, how old the tokens are and when the refresh token runs out.
"""
from __future__ import annotations

import argparse
import json
import sys

from ..domain.text import printable

NAME = "connect"
PROFILE = lambda args: "existing" if args.status or args.disconnect else "create"  # noqa: E731 - a login may start a profile
HELP = "connect a profile to Exact Online (SSH-friendly: paste back the redirect URL), or show --status"
ORDER = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--country", help="Exact country host: nl, be, de, uk, fr, es, us (default: saved or nl)")
    where.add_argument("--base-url", help="Exact host URL instead of a country (e.g. a sandbox's base URL)")
    parser.add_argument("--client-id", help="app client id (default: saved, or $EXACT_CLIENT_ID)")
    parser.add_argument("--redirect-uri", help="app redirect URI, exactly as registered (default: saved, or $EXACT_REDIRECT_URI)")
    parser.add_argument("--division", type=int, help="division to work in (default: the user's current division)")
    parser.add_argument("--keep-secret", action="store_true",
                        help="store the client secret in the profile (0600 file) so later runs need no $EXACT_CLIENT_SECRET")
    parser.add_argument("--listen", action="store_true",
                        help="catch the browser's redirect on 127.0.0.1 (redirect URI must be http://127.0.0.1:PORT/...)")
    parser.add_argument("--url-only", action="store_true",
                        help="only print the login URL (and remember its state); finish later with --paste")
    parser.add_argument("--paste", metavar="URL_OR_CODE",
                        help="the redirect URL or code, instead of reading it from stdin (checked against the "
                             "state of the last printed URL)")
    parser.add_argument("--state", help=argparse.SUPPRESS)  # with --paste: the state of a URL printed earlier
    parser.add_argument("--force-login", action="store_true", help="make Exact ask for the login even if a session exists")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait with --listen (default: %(default)s)")
    parser.add_argument("--status", action="store_true", help="show the connection's owner, token ages and warnings")
    parser.add_argument("--check", action="store_true", help="with --status: also ask Exact who we are (uses one call)")
    parser.add_argument("--disconnect", action="store_true",
                        help="forget this profile's tokens (the app settings stay); Exact keeps the app's consent")


def _finish_hint(args: argparse.Namespace) -> str:
    """The command that finishes a `--url-only` login, with the same data dir and profile (pasted into
    another shell, it must find the state and settings this one saved)."""
    import shlex

    where = f"--data-dir {shlex.quote(str(args.data_dir))} " if getattr(args, "data_dir", None) else ""
    return (f"Finish with: exact-tui {where}--profile {shlex.quote(args.profile)} connect --paste "
            "'<the address the browser ends on>'")


def _profile_dir(args: argparse.Namespace):
    from ..paths import profile_dir

    return profile_dir(args.profile, args.data_dir)


def _ask(prompt: str, secret: bool) -> str:
    import getpass

    return getpass.getpass(prompt) if secret else input(prompt)


def _config(args: argparse.Namespace, *, need_secret: bool = True):
    from ..services import connect

    return connect.app_config(_profile_dir(args), host=args.base_url or args.country, client_id=args.client_id,
                              redirect_uri=args.redirect_uri, division=args.division, need_secret=need_secret,
                              ask=_ask if sys.stdin.isatty() else None)


def _out(args: argparse.Namespace, text: str) -> None:
    """Human text: on stdout, or on stderr when stdout carries the --json document."""
    print(text, file=sys.stderr if args.json else sys.stdout, flush=True)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from ..services import connect

    try:
        if args.disconnect:
            removed = connect.disconnect(_profile_dir(args))
            if args.json:
                print(json.dumps({"disconnected": removed}))
            else:
                print("Disconnected: tokens removed." if removed else "Not connected: nothing to remove.")
            return 0
        if args.status:
            return asyncio.run(_status(args))
        return asyncio.run(_connect(args))
    except connect.ConnectFailure as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)  # Exact's own text may be in it
        return 2
    except EOFError:
        print("error: nothing was pasted (stdin closed)", file=sys.stderr)
        return 2


async def _connect(args: argparse.Namespace) -> int:
    from ..services import connect

    config = _config(args, need_secret=not args.url_only)
    folder = _profile_dir(args)
    link = connect.login_link(folder, config, state=args.state, pasting=bool(args.paste), force_login=args.force_login)
    if args.url_only:
        connect.save_settings(folder, config, keep_secret=args.keep_secret)
        print(json.dumps({"url": link.url, "state": link.state}) if args.json else link.url)
        print(_finish_hint(args), file=sys.stderr)
        return 0
    if args.paste:
        pasted = args.paste
    elif args.listen:
        where = connect.listen_address(config)
        _out(args, "Open this address in a browser on this machine and log in to Exact Online:\n")
        _out(args, f"  {link.url}\n")
        _out(args, f"Waiting for the browser on {where} (up to {args.timeout:.0f} s)…")
        pasted = await connect.listen(config, timeout=args.timeout)
    else:
        _out(args, "1. Open this address in a browser (on any machine) and log in to Exact Online:\n")
        _out(args, f"  {link.url}\n")
        _out(args, "2. After you approve, the browser goes to an address starting with")
        _out(args, f"   {config.redirect_uri}?code=…  (the page itself may not load: that is fine).")
        _out(args, "3. Copy that whole address (or just the code) and paste it here.\n")
        pasted = input("Paste the address: ")

    done = await connect.finish(folder, config, link, pasted, keep_secret=args.keep_secret)
    if args.json:
        print(json.dumps(done.as_dict(), ensure_ascii=False))
        return 0
    print(printable(f"Connection established: {done.who}, "
                    f"division {done.division}{' ' + done.division_name if done.division_name else ''}."))
    print(f"Tokens stored in {done.tokens_path} (mode 0600); access token valid for "
          f"{done.valid_for:.0f} s, renewed automatically.")
    if done.warning:
        print(printable(f"Advice: {done.warning}"))
    return 0


async def _status(args: argparse.Namespace) -> int:
    from ..services import connect

    folder = _profile_dir(args)
    report = connect.status(args.profile, folder)
    if report.connected and args.check:
        await connect.check(report, folder, _config(args))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        for line in report.lines():
            print(printable(line))
    return report.exit_code
