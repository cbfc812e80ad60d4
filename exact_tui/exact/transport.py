"""The request engine under the typed calls: auth, pacing, retries, paging, errors, observation.

One request at a time per client (Exact forbids parallel calls; parallel paging returns duplicate
or missing rows), so every HTTP exchange runs under one asyncio lock. Around each exchange:

1. the breaker refuses endpoints that keep failing (hourly error cap, counted per endpoint and
   division like Exact counts it, shared with the profile's other processes);
2. the pacer waits as the calls sent by every process of the profile and the `X-RateLimit-*`
   budget (read on Exact's clock, via the `Date` header) demand;
3. a fresh-enough access token is fetched (refresh only in its last 30 s or after a 401);
4. the answer updates the budget, is reported to the observer and becomes data or a typed error.

Reads (GET, and DELETE, whose retry is harmless) are retried on network errors and 5xx with
bounded backoff. A POST is retried only when it provably never left (connect error) or Exact
said 429; after a timeout or a dropped answer it raises `OutcomeUnknown` with the lookup keys.

Why over 400 lines: the steps above share one lock and one request's state; split, each needs the others.
"""
from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from .auth import TokenManager
from .breaker import ErrorBreaker, endpoint_key, endpoint_label
from .budget import RateBudget
from .clock import SYSTEM_CLOCK, Clock
from .config import ExactConfig
from .errors import (AuthError, EndpointBlocked, ExactError, ForbiddenError, NetworkError, NotFound, OutcomeUnknown,
                     RateLimited, ServerError, ValidationError)
from ..domain.exact_messages import parse
from .odata import dumps, loads
from .pacer import Reservation, SharedPacer
from .shared import SharedLimits
from .tokens import TokenSet, TokenStore

SAVE = "SAVE"  # ApiCall.method of a report about saving refreshed tokens (not an HTTP exchange)
ERROR_CAP = 10  # Exact blocks an endpoint after more than this many failing calls in an hour
ERROR_CAP_HINT = 5  # failures on an endpoint that make an unexplained 429 there the error cap
REQUEST_ID_HEADERS = ("X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Exact-Request-Id")
FORBIDDEN_REASONS = ("BlockedUser", "InactiveUser", "BlockedCustomer", "LicenseExpired", "DivisionBlocked",
                     "NoDivisionAccess", "Application Scope Violated")


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One HTTP exchange with Exact, as reported to the observer (and from there to the log).

    `endpoint` is the path without query (no secrets, no filter values); `duration` is wall seconds;
    `waited` is how long the pacer (or a 429) made this call wait on the client's clock.
    """

    method: str
    endpoint: str
    status: int | None
    duration: float
    budget: RateBudget
    attempt: int = 1
    waited: float = 0.0
    error: str = ""
    request_id: str = ""
    at: float = 0.0

    def summary(self) -> str:
        """One log line: 'GET /api/v1/301/bulk/CRM/Accounts → 200 in 45 ms · 57/60 this minute · 4,940/5,000 today'."""
        if self.method == SAVE:
            return f"tokens: {self.error}"
        outcome = str(self.status) if self.status is not None else (self.error or "no answer")
        line = f"{self.method} {self.endpoint} → {outcome} in {self.duration * 1000:.0f} ms"
        if self.waited > 0:
            line += f" (paced {self.waited:.1f} s)"
        if self.attempt > 1:
            line += f" (attempt {self.attempt})"
        if self.budget.known:
            line += " · " + self.budget.describe(self.at)
        if self.status is not None and self.status >= 400 and self.error:
            line += f" · {self.error}"
        return line


Observer = Callable[[ApiCall], None]


@dataclass(slots=True)
class Page:
    rows: list[dict[str, Any]]
    next_url: str | None
    raw: dict[str, Any] = field(default_factory=dict)


def error_text(response: httpx.Response) -> str:
    """Exact's message from its error envelope (or the raw body, shortened)."""
    try:
        data = loads(response.content)
    except ValueError:
        return response.text.strip()[:500] or response.reason_phrase
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict):
            message = err.get("message")
            if isinstance(message, dict):
                return str(message.get("value") or err.get("code") or "")
            return str(message or err.get("code") or "")
        if isinstance(err, str):
            return str(data.get("error_description") or err)
        if "Message" in data:
            return str(data["Message"])
    return response.text.strip()[:500]


_GENERIC_FAILURE = re.compile(
    r"unexpected error|service unavailable|internal server error|server error|gateway|time-?out|try again later|"
    r"onverwachte fout|niet beschikbaar|probeer het later", re.IGNORECASE)


def is_business_refusal(response: httpx.Response, text: str) -> bool:
    """A 500 that is Exact refusing the data (its error envelope with a real message), not Exact failing.

    Exact answers business-rule failures with HTTP 500 and its JSON error envelope; outages come as
    502/503/504, bodies that are not the envelope, or generic texts ("An unexpected error occurred").
    """
    if response.status_code != 500 or not text or _GENERIC_FAILURE.search(text):
        return False
    if parse(text) is not None:
        return True
    try:
        data = loads(response.content)
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("error"), dict)


class ExactTransport:
    """HTTP + rules. Subclassed by `ExactClient`, which adds the typed calls."""

    def __init__(self, config: ExactConfig, tokens: TokenStore, *, observer: Observer | None = None,
                 clock: Clock | None = None, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = 30.0, max_retries: int = 3, max_429_waits: int = 5,
                 breaker_threshold: int = 8, max_minute_wait: float = 65.0,
                 limits: SharedLimits | None = None) -> None:
        self.config = config
        self.tokens = tokens
        self.observer = observer
        self.clock: Clock = clock or tokens.clock or SYSTEM_CLOCK
        self.max_retries = max_retries
        self.max_429_waits = max_429_waits
        self.max_minute_wait = max_minute_wait
        # beside tokens.json: every process of the profile paces and counts failures together
        self.limits = limits if limits is not None else SharedLimits.beside(tokens.path)
        self.pacer = SharedPacer(self.limits, self.clock)
        self.breaker = ErrorBreaker(self.clock, threshold=breaker_threshold, limits=self.limits)
        self._budget = RateBudget()
        self._lock = asyncio.Lock()
        self._http_kwargs: dict[str, Any] = {"timeout": timeout, "transport": transport}
        self._http: httpx.AsyncClient | None = None
        self._auth: TokenManager | None = None
        self.calls = 0  # HTTP exchanges with the REST API (not the token endpoint)

    # -- lifecycle ------------------------------------------------------------------------------
    async def __aenter__(self) -> "ExactTransport":
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def open(self) -> None:
        if self._http is None:
            self._http = httpx.AsyncClient(headers={"Accept": "application/json"}, follow_redirects=False,
                                           **self._http_kwargs)
            self._auth = TokenManager(self.config, self.tokens, self._http, self.clock)
            self._auth.on_token_call = self._observe_token_call
            self._auth.on_save_problem = self._observe_token_save

    async def aclose(self) -> None:
        if self._auth is not None and self._auth.unsaved:
            with contextlib.suppress(Exception):
                if not await self._auth.flush():
                    self._observe_token_save(f"the refreshed Exact tokens could still not be saved to "
                                             f"{self.tokens.path} ({self._auth.save_error}); the connection "
                                             "must be made again (exact-tui connect)", False)
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise RuntimeError("use `async with ExactClient(...)` (or await client.open()) first")
        return self._http

    @property
    def auth(self) -> TokenManager:
        if self._auth is None:
            raise RuntimeError("use `async with ExactClient(...)` (or await client.open()) first")
        return self._auth

    def connection(self) -> TokenSet:
        """The stored tokens with their owner and times (for "connected as …" and the 30-day warning:
        `client.connection().refresh_warning(client.clock.time())`)."""
        return self.auth.current()

    @property
    def budget(self) -> RateBudget:
        """What Exact last said about the call budget (state for the UI's header)."""
        return self._budget

    # -- URLs -----------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """`crm/Accounts` → `{base}/api/v1/{division}/crm/Accounts`; `current/Me` has no division."""
        if path.startswith(("http://", "https://")):
            return path
        path = path.lstrip("/")
        if path.startswith("api/"):
            return f"{self.config.base_url}/{path}"
        if path.startswith("current/"):
            return f"{self.config.api_url}/{path}"
        if self.config.division is None:
            raise ExactError("no division chosen: pick a division first (Exact needs one in every call)")
        return f"{self.config.api_url}/{self.config.division}/{path}"

    def _check_same_host(self, url: str) -> None:
        """Never send the bearer token to a host other than the configured one (a `__next` could point anywhere)."""
        ours = urllib.parse.urlsplit(self.config.base_url)
        theirs = urllib.parse.urlsplit(url)
        if (theirs.scheme, theirs.netloc) != (ours.scheme, ours.netloc):
            raise ExactError(f"refusing to follow a link to another host ({theirs.netloc})")

    # -- observation ----------------------------------------------------------------------------
    def _observe(self, call: ApiCall) -> None:
        if self.observer is None:
            return
        try:
            self.observer(call)
        except Exception:  # an observer's bug must not break a transfer half-way
            pass

    def _observe_token_call(self, status: int | None, duration: float, error: str) -> None:
        self._observe(ApiCall("POST", "/api/oauth2/token", status, duration, self._budget, error=error[:200],
                              at=self.clock.time()))

    def _observe_token_save(self, message: str, saved: bool) -> None:
        self._observe(ApiCall("SAVE", self.tokens.path.name, 200 if saved else None, 0.0, self._budget,
                              error=message, at=self.clock.time()))

    # -- the exchange ---------------------------------------------------------------------------
    def _scope(self) -> str:
        """Exact's limits are per division (and app): the pacer's key."""
        return str(self.config.division) if self.config.division is not None else "current"

    async def _pace(self) -> tuple[float, Reservation]:
        """Wait until a call may leave; (seconds waited, the slot). Raises for a used-up day."""
        waited = 0.0
        while True:
            slot = self.pacer.reserve(self._scope())
            if slot.sent_at is not None:
                return waited, slot
            delay = min(slot.delay, self.max_minute_wait)
            await self.clock.asleep(delay)
            waited += delay

    async def _backoff(self, attempt: int, retry_after: str = "") -> float:
        """Exponential backoff with jitter (0.5 s, 1 s, 2 s … at most 8 s); a `Retry-After` in
        seconds that asks for longer is honoured up to a minute."""
        delay = min(8.0, 0.5 * 2 ** (attempt - 1)) * (0.75 + random.random() / 2)
        asked = retry_after.strip()
        if asked.replace(".", "", 1).isdigit():
            delay = max(delay, min(float(asked), 60.0))
        await self.clock.asleep(delay)
        return delay

    async def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                      json: Any = None, entity: str = "", lookup: Mapping[str, Any] | None = None,
                      prefer_representation: bool = False) -> httpx.Response:
        """Send one logical request (with its retries) and return the successful answer.

        `entity` and `lookup` matter for POST: they go into `OutcomeUnknown` so the caller can find
        the record that may have been created.
        """
        method = method.upper()
        url = self.url(path)
        self._check_same_host(url)
        label = urllib.parse.urlsplit(url).path
        key = endpoint_key(method, label)
        idempotent = method in {"GET", "DELETE", "HEAD", "PUT"}  # PUT sets values: sending it twice is harmless
        content = dumps(json) if json is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else {}
        if prefer_representation:
            headers["Prefer"] = "return=representation"
        attempt = 0
        waits_429 = 0
        rejected: str | None = None
        async with self._lock:
            while True:
                attempt += 1
                self.breaker.check(key)
                waited, slot = await self._pace()
                try:
                    token = await self.auth.access_token(rejected=rejected)
                except BaseException:
                    self.pacer.release(self._scope(), slot)
                    raise
                started = time.perf_counter()
                try:
                    response = await self.http.request(method, url, params=params, content=content,
                                                       headers={**headers, "Authorization": f"Bearer {token}"})
                    body = response.content  # read fully: an answer cut off half-way is an error too
                except httpx.HTTPError as exc:
                    self.calls += 1
                    duration = time.perf_counter() - started
                    self._observe(ApiCall(method, label, None, duration, self._budget, attempt, waited,
                                          f"{type(exc).__name__}", at=self.clock.time()))
                    never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
                    if (idempotent or never_sent) and attempt <= self.max_retries:
                        await self._backoff(attempt)
                        continue
                    if not idempotent and not never_sent:
                        raise OutcomeUnknown(
                            f"Exact's answer to {method} {label} never arrived ({type(exc).__name__}); the "
                            f"{entity or 'record'} may have been created: look it up before sending it again",
                            entity=entity, lookup=dict(lookup or {}), endpoint=key, cause=type(exc).__name__,
                        ) from None
                    raise NetworkError(f"could not reach Exact Online ({type(exc).__name__}: {exc})",
                                       endpoint=key) from None
                self.calls += 1
                duration = time.perf_counter() - started
                now = self.clock.time()
                self._budget = self._budget.with_headers(response.headers, now)
                self.pacer.heard(self._scope(), self._budget, slot)
                request_id = next((response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), "")
                status = response.status_code
                text = error_text(response) if status >= 400 else ""
                self._observe(ApiCall(method, label, status, duration, self._budget, attempt, waited,
                                      text[:200], request_id, now))
                del body
                if status < 400:
                    return response
                self.breaker.record(key, status, text)
                if status == 401 and rejected is None:
                    rejected = token  # refresh once (even early: the token is dead), then retry
                    attempt -= 1
                    continue
                if status == 429 and self._is_error_cap(response, key):
                    # Exact's hourly error cap: waiting a minute will not help, and every retry escalates
                    failed = self.breaker.failures(key)
                    self.breaker.block(key)
                    raise EndpointBlocked(
                        f"Exact has blocked this app on {endpoint_label(key)}: it answered 429 after {failed} failing "
                        f"calls there within the hour, which is its error cap (more than {ERROR_CAP} failing calls per endpoint in an hour "
                        "block the app for an hour, longer when it happens again). Fix the cause of the failures; "
                        "this endpoint is not called again for an hour", reset_at=None, endpoint=key, last_error=text)
                if status == 429:
                    waits_429 += 1
                    if waits_429 > self.max_429_waits:
                        raise RateLimited(f"Exact keeps answering 429 on {label}: {text}", scope="minute",
                                          reset_at=RateBudget.at(self._budget.minute_reset), endpoint=key)
                    await self._wait_after_429(response, key, text)
                    attempt -= 1
                    continue
                if status >= 500:
                    if method != "GET" and is_business_refusal(response, text):
                        # a business rule ("Verplicht: …", "Periode is afgesloten: …"): a definite
                        # refusal, nothing was written, retrying cannot help
                        raise ValidationError(text, status=status, endpoint=key, request_id=request_id)
                    if idempotent and attempt <= self.max_retries:
                        # a read changes nothing: a transient 5xx is tried again, later each time
                        await self._backoff(attempt, response.headers.get("Retry-After", ""))
                        continue
                    if not idempotent:
                        raise OutcomeUnknown(
                            f"Exact answered HTTP {status} to {method} {label} ({text or 'no message'}); the "
                            f"{entity or 'record'} may or may not have been created: look it up first",
                            entity=entity, lookup=dict(lookup or {}), endpoint=key, status=status, cause=f"HTTP {status}",
                        )
                    raise ServerError(f"Exact Online is failing: {text or response.reason_phrase}", status=status,
                                      endpoint=key, request_id=request_id)
                if status == 404 and method == "DELETE" and attempt > 1:
                    return response  # an earlier attempt deleted it before its answer got lost
                raise self._client_error(response, status, text, key, request_id)

    def _is_error_cap(self, response: httpx.Response, key: str) -> bool:
        """Is this 429 Exact's error cap rather than a call limit?

        Exact sends no reason with it. A call-limit 429 shows the exhausted set (remaining 0); a
        429 that shows no exhausted limit, on an endpoint that has been failing this hour, is the
        cap: retrying it would only lengthen the block.
        """
        headers = response.headers
        for name in ("X-RateLimit-Minutely-Remaining", "X-RateLimit-Remaining"):
            value = headers.get(name, "").strip()
            if value.isdigit() and int(value) == 0:
                return False
        return self.breaker.failures(key) >= ERROR_CAP_HINT

    async def _wait_after_429(self, response: httpx.Response, key: str, text: str) -> None:
        """Wait until the reset Exact gives; a daily limit is raised instead of waited out."""
        now = self.clock.time()
        headers = response.headers
        if "X-RateLimit-Minutely-Reset" in headers and self._budget.minute_reset is not None:
            delay = self._budget.minute_reset - now + 0.25
        elif "X-RateLimit-Reset" in headers and self._budget.day_reset is not None:
            if self._budget.day_reset - now > self.max_minute_wait:
                raise RateLimited(f"Exact's daily call limit is used up ({text or '429'})", scope="day",
                                  reset_at=RateBudget.at(self._budget.day_reset), endpoint=key)
            delay = self._budget.day_reset - now + 0.25
        else:
            retry_after = headers.get("Retry-After", "")
            delay = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else 5.0
        await self.clock.asleep(min(max(delay, 0.25), self.max_minute_wait))

    def _client_error(self, response: httpx.Response, status: int, text: str, key: str, request_id: str) -> ExactError:
        if status == 401:
            return AuthError(f"Exact refused the access token even after a refresh: {text}", status=status,
                             endpoint=key, request_id=request_id)
        if status == 403:
            reason = response.headers.get("Reason") or response.headers.get("X-Reason") or ""
            if not reason:
                reason = next((r for r in FORBIDDEN_REASONS if r.lower() in text.lower()), "")
            return ForbiddenError(f"Exact refused access: {text or 'Forbidden'}" + (f" ({reason})" if reason and
                                  reason not in text else ""), reason=reason, endpoint=key, request_id=request_id)
        if status == 404:
            return NotFound(f"not found in Exact Online: {text or key}", status=status, endpoint=key,
                            request_id=request_id)
        return ValidationError(text or f"HTTP {status}", status=status, endpoint=key, request_id=request_id)

    # -- JSON helpers ---------------------------------------------------------------------------
    @staticmethod
    def _d(response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            data = loads(response.content)
        except ValueError:
            raise ServerError("Exact answered with something that is not JSON", status=response.status_code) from None
        return data.get("d") if isinstance(data, dict) else data

    async def get_page(self, path_or_url: str, params: Mapping[str, Any] | None = None) -> Page:
        response = await self.request("GET", path_or_url, params=params)
        d = self._d(response)
        if isinstance(d, dict) and "results" in d:
            return Page(list(d["results"]), d.get("__next"), d)
        if isinstance(d, list):
            return Page(d, None)
        return Page([d] if d else [], None)

    async def iter_pages(self, path: str, params: Mapping[str, Any] | None = None) -> AsyncIterator[list[dict[str, Any]]]:
        """Every page of a list, following `__next` until Exact stops giving one."""
        page = await self.get_page(path, params)
        yield page.rows
        followed: set[str] = set()
        while page.next_url:
            if page.next_url in followed:  # a server that loops would otherwise eat the daily budget
                raise ExactError(f"Exact returned the same next-page link twice for {path}; stopped paging")
            followed.add(page.next_url)
            page = await self.get_page(page.next_url)
            yield page.rows

    async def get_all(self, path: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        async for chunk in self.iter_pages(path, params):
            rows.extend(chunk)
        return rows

    async def get_one(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        d = self._d(await self.request("GET", path, params=params))
        if isinstance(d, dict) and "results" in d:
            results = d["results"]
            if not results:
                raise NotFound(f"not found in Exact Online: {path}", status=200, endpoint=path)
            return results[0]
        return d

    async def post(self, path: str, payload: Mapping[str, Any], *, entity: str, lookup: Mapping[str, Any]) -> dict[str, Any]:
        # return=representation: Exact otherwise answers null for every field we did not send,
        # and the caller needs what Exact assigned (EntryNumber, Code, Status, totals)
        response = await self.request("POST", path, json=payload, entity=entity, lookup=lookup,
                                      prefer_representation=True)
        try:
            d = self._d(response)
        except ServerError:
            raise OutcomeUnknown(f"Exact's answer to creating the {entity} was unreadable; look it up first",
                                 entity=entity, lookup=dict(lookup), endpoint=path, status=response.status_code) from None
        return d or {}

    async def put(self, path: str, payload: Mapping[str, Any]) -> None:
        await self.request("PUT", path, json=payload)

    async def delete(self, path: str) -> None:
        await self.request("DELETE", path)
