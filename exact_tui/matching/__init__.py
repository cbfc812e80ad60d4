"""Customer matching: which local customer is which Exact account.

Pure Python + rapidfuzz + numpy, no I/O and no UI, so the Link customers screen, the headless
`exact-tui match` command and the benchmarks all run the same engine:

    from exact_tui.matching import MatchRecord, match, explain
    result = match(exact_records, local_records, decisions=Decisions(links={...}, ignored={...}))
    result.one["<exact id>"].score, explain(result.one["<exact id>"])
"""
from .engine import match
from .explain import explain
from .rank import Ranked, rank
from .model import Candidate, Decisions, FieldScore, MatchConfig, MatchRecord, MatchResult, Pair
from .normalise import (
    NameKey, email_parts, fold, normalise_address, normalise_coc, normalise_code, normalise_country,
    normalise_name, normalise_phone, normalise_postcode, normalise_vat, phone_key, website_domain,
)

__all__ = [
    "Candidate", "Decisions", "FieldScore", "MatchConfig", "MatchRecord", "MatchResult", "NameKey", "Pair",
    "email_parts", "explain", "fold", "match", "normalise_address", "normalise_coc", "normalise_code",
    "normalise_country", "normalise_name", "normalise_phone", "normalise_postcode", "normalise_vat",
    "phone_key", "rank", "Ranked", "website_domain",
]
