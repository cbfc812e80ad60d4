"""`exact-tui connect`: connect a profile to Exact Online from a terminal, also over SSH.

Prints the login URL; the user opens it in a browser on any machine, logs in, and pastes back the
address the browser ends on (or just its code). With `--listen` a one-shot listener on 127.0.0.1
catches the redirect instead (when the browser runs on this machine). `--status` shows who the
connection belongs to, how old the tokens are and when the refresh token runs out.
"""
from __future__ import annotations

import argparse
import sys

from ..domain.text import printable

NAME = "connect"
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


def _profile_dir(args: argparse.Namespace):
    from ..paths import profile_dir

    return profile_dir(args.profile, args.data_dir)


def _config(args: argparse.Namespace, *, need_secret: bool = True):
    import getpass

    from ..exact.appconfig import load_app_config
    from ..exact.config import COUNTRY_HOSTS, ExactConfig

    stored = load_app_config(_profile_dir(args))
    base_url = args.base_url or (COUNTRY_HOSTS.get(args.country.lower(), args.country) if args.country else None) \
        or stored.get("base_url") or COUNTRY_HOSTS["nl"]
    client_id = args.client_id or stored.get("client_id") or ""
    redirect_uri = args.redirect_uri or stored.get("redirect_uri") or ""
    secret = stored.get("client_secret") or ""
    missing = [what for what, value, needed in (("client id (--client-id)", client_id, True),
                                                 ("redirect URI (--redirect-uri)", redirect_uri, True),
                                                 ("client secret", secret, need_secret)) if needed and not value]
    if missing and not sys.stdin.isatty():
        # No one to ask: say what is missing and where it can come from, instead of a failed prompt.
        raise ValueError(f"this profile has no {' and no '.join(missing)} stored and there is no terminal to ask; "
                         f"pass it, set $EXACT_CLIENT_SECRET for the secret, or store it once with "
                         f"`connect --keep-secret`")
    if not client_id:
        client_id = input("Exact app client id: ").strip()
    if not redirect_uri:
        redirect_uri = input("Exact app redirect URI (exactly as registered): ").strip()
    if not secret and need_secret:
        secret = getpass.getpass("Exact app client secret (not shown): ").strip()
    division = args.division if args.division is not None else stored.get("division")
    return ExactConfig(str(base_url), str(client_id), str(secret), str(redirect_uri),
                       int(division) if division not in (None, "") else None)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from ..exact.errors import ExactError

    try:
        if args.disconnect:
            from ..exact.tokens import TokenStore

            removed = TokenStore.for_profile(_profile_dir(args)).remove()
            print("Disconnected: tokens removed." if removed else "Not connected: nothing to remove.")
            return 0
        if args.status:
            return asyncio.run(_status(args))
        return asyncio.run(_connect(args))
    except (ExactError, ValueError) as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)  # Exact's own text may be in it
        return 2
    except EOFError:
        print("error: nothing was pasted (stdin closed)", file=sys.stderr)
        return 2


async def _connect(args: argparse.Namespace) -> int:
    from ..exact import oauth
    from ..exact.appconfig import save_app_config
    from ..exact.client import ExactClient
    from ..exact.errors import ExactError
    from ..exact.tokens import TokenStore

    config = _config(args, need_secret=not args.url_only)
    if not config.client_id or not config.redirect_uri or not (config.client_secret or args.url_only):
        raise ValueError("client id, client secret and redirect URI are all needed to connect")
    folder = _profile_dir(args)
    store = TokenStore.for_profile(folder)
    if args.paste:
        state = args.state or _pending_state(folder)
    else:
        state = args.state or oauth.new_state()
        _remember_state(folder, state)
    url = oauth.authorize_url(config, state, force_login=args.force_login)

    if args.url_only:
        save_app_config(folder, config, keep_secret=args.keep_secret or None)
        print(url)
        print(f"Finish with: exact-tui --profile {args.profile} connect --paste '<the address the browser ends on>'",
              file=sys.stderr)
        return 0
    if args.paste:
        pasted = args.paste
    elif args.listen:
        target = oauth.listen_target(config.redirect_uri)
        print("Open this address in a browser on this machine and log in to Exact Online:\n")
        print(f"  {url}\n")
        print(f"Waiting for the browser on http://{target.host}:{target.port}{target.path} "
              f"(up to {args.timeout:.0f} s)…", flush=True)
        pasted = await oauth.listen_for_redirect(config.redirect_uri, timeout=args.timeout)
    else:
        print("1. Open this address in a browser (on any machine) and log in to Exact Online:\n")
        print(f"  {url}\n")
        print("2. After you approve, the browser goes to an address starting with")
        print(f"   {config.redirect_uri}?code=…  (the page itself may not load: that is fine).")
        print("3. Copy that whole address (or just the code) and paste it here.\n", flush=True)
        pasted = input("Paste the address: ")

    tokens = await oauth.exchange_redirect(config, store, pasted, expected_state=state)
    _forget_state(folder)
    save_app_config(folder, config, keep_secret=args.keep_secret or None)
    async with ExactClient(config, store) as exact:
        me = await exact.me()
        division = config.division or me.current_division
        name = ""
        try:
            for item in await exact.divisions():
                if item.code == division:
                    name = item.description
        except ExactError:
            pass  # the connection works; the division list is a courtesy here
    save_app_config(folder, config, keep_secret=args.keep_secret or None)
    print(printable(f"Connection established: {me.full_name or me.user_name} ({me.user_name}), "
                    f"division {division}{' ' + name if name else ''}."))
    print(f"Tokens stored in {store.path} (mode 0600); access token valid for "
          f"{tokens.expires_at - tokens.obtained_at:.0f} s, renewed automatically.")
    if me.user_name and not any(w in me.user_name.lower() for w in ("api", "integrat", "koppel", "sync")):
        print("Advice: connect with a dedicated integration user with full rights; the link dies when "
              "this user leaves, is blocked or changes password.")
    return 0


PENDING_FILE = "login-state.json"
PENDING_SECONDS = 1800  # a printed login URL stays usable for half an hour (Exact's code itself: 3 minutes)


def _remember_state(folder, state: str) -> None:
    """Keep the state of a printed login URL, so a later `--paste` (another SSH session) can check it."""
    import json
    import time

    from ..exact.tokens import atomic_write

    atomic_write(folder / PENDING_FILE, json.dumps({"state": state, "created": time.time()}).encode())


def _pending_state(folder) -> str | None:
    import json
    import time

    try:
        data = json.loads((folder / PENDING_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None  # no URL printed from this profile: a pasted URL's state cannot be checked, a code can be used
    if time.time() - float(data.get("created", 0)) > PENDING_SECONDS:
        raise ValueError("the login URL printed earlier is older than 30 minutes; run `exact-tui connect` again")
    return str(data["state"])


def _forget_state(folder) -> None:
    (folder / PENDING_FILE).unlink(missing_ok=True)


async def _status(args: argparse.Namespace) -> int:
    import time

    from ..exact.tokens import TokenStore, describe_age, epoch_to_datetime

    folder = _profile_dir(args)
    store = TokenStore.for_profile(folder)
    tokens = store.load()
    if tokens is None:
        print(f"Not connected (no {store.path}). Run `exact-tui --profile {args.profile} connect`.")
        return 1
    now = time.time()
    owner = tokens.owner
    who = owner.full_name or owner.user_name or "unknown user"
    print(printable(f"Connection of profile {args.profile!r}: {who}" + (f" ({owner.user_name})" if owner.user_name else "")
          + (f", division {owner.division}" if owner.division else "")))
    print(f"  host:            {tokens.base_url}   client id: {tokens.client_id}")
    print(f"  connected:       {epoch_to_datetime(tokens.connected_at):%Y-%m-%d %H:%M} UTC "
          f"({describe_age(now - tokens.connected_at)} ago), {tokens.refresh_count} refreshes since")
    left = tokens.expires_at - now
    print(f"  access token:    {describe_age(now - tokens.obtained_at)} old, "
          + (f"valid for {describe_age(left)} more" if left > 0 else "expired (renewed on the next call)"))
    print(f"  refresh token:   {describe_age(now - tokens.obtained_at)} old, "
          f"expires {epoch_to_datetime(tokens.refresh_expires_at):%Y-%m-%d %H:%M} UTC if unused")
    warning = tokens.refresh_warning(now)
    if warning:
        print(f"  WARNING: {warning}")
    if args.check:
        from ..exact.client import ExactClient

        config = _config(args)
        async with ExactClient(config, store) as exact:
            me = await exact.me()
            print(printable(f"  Exact says:      {me.full_name} ({me.user_name}), current division {me.current_division}; "
                            f"{exact.budget.describe(exact.clock.time())}"))
    return 0 if warning is None or "expired" not in warning else 1
