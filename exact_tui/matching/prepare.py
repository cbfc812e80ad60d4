"""One side's records normalised once into columns, so scoring works on arrays, not objects.

Keys that are only ever compared for equality (postcode, phone, VAT, ...) are encoded as integers
from one dictionary shared by both sides (0 = missing), which turns 300,000 pair comparisons into
a numpy expression instead of a Python loop.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .model import MatchRecord
from .normalise import (
    AddressKey, NameKey, email_parts, normalise_address, normalise_city, normalise_code, normalise_coc,
    normalise_country, normalise_name, normalise_phone, normalise_postcode, normalise_vat, phone_key,
    website_domain,
)

KEY_FIELDS = ("pc", "pc_area", "house", "street", "country", "phone", "email", "domain", "web", "vat", "coc",
              "code", "flags")


class KeyCodes:
    """What the two sides of one run share: the string -> int dictionary for equality keys ("" is
    always 0) and the normalised names and addresses seen so far."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {"": 0}
        # one run's normalised names and addresses by their text: both sides often hold the very
        # same spelling (a customer copied from one system to the other), normalised only once
        self.names: dict[str, NameKey] = {}
        self.addresses: dict[str, AddressKey] = {}

    def encode(self, values: list[str]) -> np.ndarray:
        codes = self._codes
        new = sorted(set(values) - codes.keys())  # sorted: the same records always get the same codes
        codes.update(zip(new, range(len(codes), len(codes) + len(new))))
        return np.fromiter(map(codes.__getitem__, values), dtype=np.int64, count=len(values))


@dataclass(slots=True)
class Side:
    """Normalised columns of one side; row i is `records[i]` (sorted by id for determinism)."""

    records: list[MatchRecord]
    names: list[NameKey]
    name: list[str]
    address: list[str]
    city: list[str]
    raw: dict[str, list[str]]  # normalised equality keys as text, for explanations
    keys: dict[str, np.ndarray] = field(default_factory=dict)
    has_address: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    has_city: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    block_tokens: list[tuple[str, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records)


_GENERIC_STREET = frozenset({"str", "st", "ln", "av", "bd", "rd", "wg", "pln", "gr", "kd", "sq", "dr",
                             "pl", "rue", "via", "calle", "postbus", "po", "box", "van", "der", "den"})


def prepare(records: Sequence[MatchRecord], codes: KeyCodes) -> Side:
    """Normalise every record of a side once; O(n) Python, the only per-record loop of the engine."""
    recs = list(records)
    n = len(recs)
    names: list[NameKey] = []
    name, address, city = [""] * n, [""] * n, [""] * n
    raw: dict[str, list[str]] = {k: [""] * n for k in KEY_FIELDS}
    block_tokens: list[tuple[str, ...]] = [()] * n
    name_cache, address_cache = codes.names, codes.addresses
    for i, r in enumerate(recs):
        nk = name_cache.get(r.name)
        if nk is None:
            nk = name_cache[r.name] = normalise_name(r.name)
        names.append(nk)
        name[i] = nk.core
        country = normalise_country(r.country) if r.country else ""
        toks = set(nk.tokens)
        if r.address:
            ak = address_cache.get(r.address)
            if ak is None:
                ak = address_cache[r.address] = normalise_address(r.address)
            address[i] = ak.text
            raw["house"][i] = ak.house
            core = [t for t in ak.street.split() if t not in _GENERIC_STREET]
            toks.update(core)
            # the street without "Street"/"Rd."/"Pl.": one side writes "998 Spring", the other
            # "998 Spring Boulevard"
            raw["street"][i] = " ".join(core)
        block_tokens[i] = tuple(toks)
        if r.postcode:
            raw["pc"][i], raw["pc_area"][i] = normalise_postcode(r.postcode, country)
        if r.city:
            city[i] = normalise_city(r.city)
        raw["country"][i] = country
        if r.phone:
            raw["phone"][i] = phone_key(normalise_phone(r.phone, country))
        if r.email:
            raw["email"][i], raw["domain"][i] = email_parts(r.email)
        if r.website:
            raw["web"][i] = website_domain(r.website)
        if r.vat:
            raw["vat"][i] = normalise_vat(r.vat)
        if r.coc:
            raw["coc"][i] = normalise_coc(r.coc)
        if r.code:
            raw["code"][i] = normalise_code(r.code)
        if nk.flags:
            raw["flags"][i] = "|".join(sorted(nk.flags))
    side = Side(recs, names, name, address, city, raw, block_tokens=block_tokens)
    for k in KEY_FIELDS:
        side.keys[k] = codes.encode(raw[k])
    side.has_address = np.array([bool(a) for a in address], dtype=bool)
    side.has_city = np.array([bool(c) for c in city], dtype=bool)
    # postcode + house number: the address block that survives a mistyped street name
    side.keys["pc_house"] = codes.encode([f"{p}#{h}" if p and h else "" for p, h in zip(raw["pc"], raw["house"])])
    # street + house number: the address block where postcodes are missing or mistyped
    side.keys["street_house"] = codes.encode([f"{a}#{h}" if h and a else "" for a, h in zip(raw["street"], raw["house"])])
    side.keys["city"] = codes.encode(city)
    # house number + place: survives a mistyped street name where the postcode is missing
    side.keys["house_city"] = codes.encode([f"{h}#{c}" if h and c else "" for h, c in zip(raw["house"], city)])
    # street + place: the block for a mistyped house number where the postcode is missing too
    side.keys["street_city"] = codes.encode([f"{a}#{c}" if a and c else "" for a, c in zip(raw["street"], city)])
    return side
