"""Explain what went wrong: any answer of Exact's turned into kind, field, side, cause and remedy.

Built from the peers' error catalogue (shared/exact-error-catalogue.md). `unwrap` takes the coats
off (JSON/XML envelopes, `Error NNN:`, topics, joined messages, OAuth JSON, HTML pages); `shapes`
finds each message's kind and field in Dutch, English, German or French; `rules` maps them to a
cause and the place to fix it, and a message never seen before is explained from its shape.
"""
from .auth import diagnose_http, diagnose_oauth
from .model import BUNDLE_ADVICE, KINDS, SIDES, Diagnosis
from .rules import diagnose

__all__ = ["BUNDLE_ADVICE", "KINDS", "SIDES", "Diagnosis", "diagnose", "diagnose_http", "diagnose_oauth"]
