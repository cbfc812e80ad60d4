"""Where the connection goes and with which app registration."""
from __future__ import annotations

import os
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

    @classmethod
    def from_env(cls, *, base_url: str | None = None, client_id: str | None = None, client_secret: str | None = None,
                 redirect_uri: str | None = None, division: int | None = None) -> "ExactConfig":
        """A config from explicit values, falling back to EXACT_* environment variables.

        Lets a consultant keep the client secret out of shell history and out of the profile.
        """
        values = {
            "base_url": base_url or os.environ.get(ENV_BASE_URL) or COUNTRY_HOSTS["nl"],
            "client_id": client_id or os.environ.get(ENV_CLIENT_ID, ""),
            "client_secret": client_secret or os.environ.get(ENV_CLIENT_SECRET, ""),
            "redirect_uri": redirect_uri or os.environ.get(ENV_REDIRECT_URI, ""),
        }
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise ValueError("missing Exact app settings: " + ", ".join(missing)
                             + f" (pass them or set {ENV_CLIENT_ID}/{ENV_CLIENT_SECRET}/{ENV_REDIRECT_URI})")
        return cls(division=division, **values)
