"""Explain what went wrong: Exact's messages turned into cause, side and remedy.

Built from the peers' error catalogue (shared/exact-error-catalogue.md). Rules match on the parsed
`<Kind>: <Field>` pair in either language, on OAuth error texts and on 403 reasons, so a message we
have never seen still gets the closest explanation instead of a raw string.
"""
from .rules import Diagnosis, diagnose, diagnose_http, diagnose_oauth

__all__ = ["Diagnosis", "diagnose", "diagnose_http", "diagnose_oauth"]
