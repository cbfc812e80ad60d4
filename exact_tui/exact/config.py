"""Where the connection goes and with which app registration."""
from __future__ import annotations

from dataclasses import dataclass

# One host per country serves both OAuth and the REST API.
COUNTRY_HOSTS: dict[str, str] = {
    "nl": "https://start.exactonline.nl",
    "be": "https://start.exactonline.be",
    "de": "https://start.exactonline.de",
    "uk": "https://start.exactonline.co.uk",
    "gb": "https://start.exactonline.co.uk",
    "fr": "https://start.exactonline.fr",
    "es": "https://start.exactonline.es",
    "us": "https://start.exactonline.com",
}

ENV_CLIENT_ID = "EXACT_CLIENT_ID"
ENV_CLIENT_SECRET = "EXACT_CLIENT_SECRET"
ENV_REDIRECT_URI = "EXACT_REDIRECT_URI"
ENV_BASE_URL = "EXACT_BASE_URL"


def host_for_country(country: str) -> str:
    """The Exact host of a country code ("nl", "be", "uk", ...); a full URL passes through."""
    value = country.strip().rstrip("/")
    if value.startswith(("http://", "https://")):
        return value
    try:
        return COUNTRY_HOSTS[value.lower()]
    except KeyError:
        known = ", ".join(sorted(COUNTRY_HOSTS))
        raise ValueError(f"unknown Exact Online country {country!r}; use one of {known} or a full URL") from None


@dataclass(slots=True)
class ExactConfig:
    """One app registration on one Exact host, and the division the integration works in.

    `client_secret` is kept out of `repr` so a config printed in a log or a traceback never shows it.
    """

    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    division: int | None = None

    def __post_init__(self) -> None:
        self.base_url = host_for_country(self.base_url)

    def __repr__(self) -> str:
        return (
            f"ExactConfig(base_url={self.base_url!r}, client_id={self.client_id!r}, client_secret='***', "
            f"redirect_uri={self.redirect_uri!r}, division={self.division!r})"
        )

    @property
    def auth_url(self) -> str:
        return f"{self.base_url}/api/oauth2/auth"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/api/oauth2/token"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v1"


class MissingAppSettings(ValueError):
    """Client id, client secret or redirect URI is not known: `missing` names them in the user's words."""

    def __init__(self, missing: list[str], message: str | None = None) -> None:
        self.missing = missing
        super().__init__(message or ("missing " + ", ".join(missing) + " (from the app registration in Exact's App "
                                     f"Center, or {ENV_CLIENT_ID} / {ENV_CLIENT_SECRET} / {ENV_REDIRECT_URI})"))


def make_config(host: str, client_id: str, client_secret: str, redirect_uri: str, division: object = None, *,
                need_secret: bool = True) -> ExactConfig:
    """The one way an `ExactConfig` is made — step 1's form, `exact-tui connect`, a stored profile.

    `host` is a country code or a URL; values are stripped; a missing value raises
    `MissingAppSettings` naming each (the secret only when `need_secret`: printing a login URL needs
    none); a redirect URI that is not http(s) is refused here rather than by Exact's login page;
    `division` may be text from a file ("" or None: not chosen yet)."""
    values = {"client id": client_id.strip(), "client secret": client_secret.strip(),
              "redirect URI": redirect_uri.strip()}
    missing = [label for label, value in values.items() if not value and (need_secret or label != "client secret")]
    if missing:
        raise MissingAppSettings(missing)
    if not values["redirect URI"].startswith(("http://", "https://")):
        raise ValueError(f"redirect URI {redirect_uri!r} must start with http:// or https://")
    return ExactConfig(host_for_country(str(host or "nl")), values["client id"], values["client secret"],
                       values["redirect URI"], int(str(division)) if division not in (None, "") else None)
