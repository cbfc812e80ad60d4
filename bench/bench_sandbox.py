"""Sandbox speed: start-up with N seeded customers, and a 1,000-row bulk page over loopback HTTP.

    /work/venv/bin/python bench/bench_sandbox.py [--customers 50000] [--pages 30]

Prints figures; asserts nothing (tests never assert wall-clock times). The machine is shared, so
run it a few times and read the medians.
"""
from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from exact_tui.sandbox import SandboxConfig, SandboxServer
from exact_tui.sandbox import seed as seed_module
from exact_tui.sandbox.testing import approve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()

    t0 = time.perf_counter()
    data = seed_module.generate(customers=args.customers, seed=1)
    t1 = time.perf_counter()
    server = SandboxServer(SandboxConfig(customers=args.customers), seed=data).start()
    t2 = time.perf_counter()
    print(f"seed.generate({args.customers:,} customers): {t1 - t0:.2f} s")
    print(f"sandbox start (world + uvicorn):      {t2 - t1:.2f} s")
    print(f"start-up total:                       {t2 - t0:.2f} s")
    try:
        query = urlencode({"client_id": server.client_id, "redirect_uri": server.redirect_uri,
                           "response_type": "code", "state": "bench"})
        code = parse_qs(urlsplit(approve(f"{server.base_url}/api/oauth2/auth?{query}")).query)["code"][0]
        tokens = httpx.post(f"{server.base_url}/api/oauth2/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": server.redirect_uri,
            "client_id": server.client_id, "client_secret": server.client_secret}).json()
        division = server.world.users["demo"].current_division
        headers = {"Accept": "application/json", "Authorization": f"Bearer {tokens['access_token']}"}
        server.runtime.apply_behaviour({"minute_limit": 10**6, "day_limit": 10**7})
        with httpx.Client(headers=headers) as client:
            for label, params in (("bulk page, 4 fields", "ID,Code,Name,City"),
                                  ("bulk page, all 21 fields", ",".join(
                                      __import__("exact_tui.sandbox.schema", fromlist=["ACCOUNT_FIELDS"]).ACCOUNT_FIELDS))):
                url = f"{server.base_url}/api/v1/{division}/bulk/CRM/Accounts"
                times, rows, seen = [], 0, 0
                for _ in range(args.pages):
                    start = time.perf_counter()
                    answer = client.get(url, params={"$select": params})
                    times.append((time.perf_counter() - start) * 1000)
                    page = answer.json()["d"]
                    rows = len(page["results"])
                    url = page.get("__next") or f"{server.base_url}/api/v1/{division}/bulk/CRM/Accounts"
                    seen += rows
                print(f"{label} ({rows} rows): median {statistics.median(times):.1f} ms, "
                      f"p90 {sorted(times)[int(len(times) * 0.9) - 1]:.1f} ms over {args.pages} pages")
            start = time.perf_counter()
            url = f"{server.base_url}/api/v1/{division}/sync/CRM/Accounts"
            params = {"$select": "ID,Code,Name,Timestamp"}
            total = 0
            while url:
                page = client.get(url, params=params).json()["d"]
                params = None
                total += len(page["results"])
                url = page.get("__next")
            print(f"full sync/CRM/Accounts pull: {total:,} rows in {time.perf_counter() - start:.2f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
