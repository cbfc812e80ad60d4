"""What goes into the matcher and what comes out: records, candidates, decisions, buckets."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """One customer as either side knows it, in plain strings (empty when unknown).

    `id` is the side's own key (local customer id, or Exact account GUID); `code` is the customer
    number / Exact account code (padding is ignored). `website` is optional extra evidence.
    """

    id: str
    name: str
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    vat: str = ""
    coc: str = ""
    code: str = ""
    website: str = ""

    @classmethod
    def of(cls, obj: Any) -> "MatchRecord":
        """From any object with the usual attribute names: a domain `LocalCustomer` (its `number` is
        the code) or an Exact client `Account` (its `code`). Missing attributes count as empty."""
        def get(name: str) -> str:
            value = getattr(obj, name, "")
            return "" if value is None else str(value)
        return cls(id=get("id"), name=get("name"), address=get("address"), postcode=get("postcode"),
                   city=get("city"), country=get("country"), email=get("email"), phone=get("phone"),
                   vat=get("vat"), coc=get("coc"), code=(get("code") or get("number")).strip(), website=get("website"))

    @classmethod
    def from_exact_row(cls, row: Mapping[str, Any]) -> "MatchRecord":
        """From a `crm/Accounts` row in Exact's own field names (ID, Name, AddressLine1, VATNumber ...)."""
        def get(name: str) -> str:
            value = row.get(name)
            return "" if value is None else str(value)
        return cls(id=get("ID"), name=get("Name"), address=get("AddressLine1"), postcode=get("Postcode"),
                   city=get("City"), country=get("Country"), email=get("Email"), phone=get("Phone"),
                   vat=get("VATNumber"), coc=get("ChamberOfCommerce"), code=get("Code").strip(),
                   website=get("Website"))


@dataclass(frozen=True, slots=True)
class FieldScore:
    """How one field compared: `similarity` 0-100 (None when a side lacks it) and its share of the score.

    Contributions of all fields add up to the candidate's `score`. `exact` and `local` are the
    normalised values that were compared, for explanations.
    """

    field: str
    similarity: float | None
    contribution: float
    exact: str = ""
    local: str = ""


class Candidate:
    """A possible pair: an Exact account and a local customer, with the evidence for it.

    `score` is 0-100 and equals the sum of `fields[...].contribution` (rounded to tenths);
    `reasons` are short sentences a user reads ("same VAT number", "postcode differs"); `rank` is 1
    for the best candidate of the Exact account. The matcher builds `fields` and `reasons` only
    when asked (a 10k run yields ~50k candidates, most never looked at).
    """

    __slots__ = ("exact_id", "local_id", "score", "rank", "_fields", "_reasons", "_source")

    def __init__(self, exact_id: str, local_id: str, score: float, fields: Mapping[str, FieldScore] | None = None,
                 reasons: tuple[str, ...] | None = None, rank: int = 1, *, source=None) -> None:
        self.exact_id = exact_id
        self.local_id = local_id
        self.score = score
        self.rank = rank
        self._fields = fields
        self._reasons = reasons
        self._source = source  # callable () -> (fields, reasons), from the engine

    def _load(self) -> None:
        if self._source is not None:
            self._fields, self._reasons = self._source()
            self._source = None

    @property
    def fields(self) -> Mapping[str, FieldScore]:
        if self._fields is None:
            self._load()
        return self._fields or {}

    @property
    def reasons(self) -> tuple[str, ...]:
        if self._reasons is None:
            self._load()
        return self._reasons or ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Candidate):
            return NotImplemented
        return (self.exact_id, self.local_id, self.score, self.rank) == \
            (other.exact_id, other.local_id, other.score, other.rank)

    def __hash__(self) -> int:
        return hash((self.exact_id, self.local_id, self.score, self.rank))

    def __repr__(self) -> str:
        return f"Candidate(exact_id={self.exact_id!r}, local_id={self.local_id!r}, score={self.score}, rank={self.rank})"


Pair = Candidate


@dataclass(slots=True)
class Decisions:
    """What the user already decided; a re-run must not undo it.

    `links`: exact_id -> local_id of pairs already linked (both records leave the matching);
    `ignored`: Exact accounts the user set aside (they land in the Ignored tab, candidates still
    computed so they can be un-ignored); `rejected`: (exact_id, local_id) pairs the user said are
    not the same customer (never proposed again).
    """

    links: dict[str, str] = field(default_factory=dict)
    ignored: set[str] = field(default_factory=set)
    rejected: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def from_pairs(cls, links: Iterable[tuple[str, str]] = (), ignored: Iterable[str] = (),
                   rejected: Iterable[tuple[str, str]] = ()) -> "Decisions":
        return cls(dict(links), set(ignored), set(rejected))


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Thresholds and weights. Defaults come from measurements on two independent generators
    (see bench/bench_match.py); change them only with figures in hand.

    A pair is a One match when its score >= `threshold`, it beats the runner-up on BOTH sides by
    `margin`, its name is at least `min_name` alike (`min_name_code` with the same customer number; any
    name with the same VAT/KvK number) and a second field
    (address, postcode, e-mail/web domain, phone) or a strong key agrees.
    """

    threshold: float = 70.0
    margin: float = 10.0
    min_name: float = 80.0
    min_name_code: float = 60.0  # with the same customer number the name need only be this alike
    candidate_floor: float = 45.0
    max_candidates: int = 5
    likeliest: int = 2  # ... of which the learned evidence's two likeliest are always among them
    # weights of the fuzzy fields in the weighted mean (only fields both sides have count)
    w_name: float = 60.0
    w_address: float = 14.0
    w_postcode: float = 12.0
    w_city: float = 4.0
    w_country: float = 3.0
    w_email: float = 12.0
    w_phone: float = 12.0
    # strong keys: added when equal, subtracted when both sides have one and they differ
    bonus_vat: float = 40.0
    bonus_coc: float = 40.0
    bonus_code: float = 25.0
    penalty_vat: float = 25.0
    penalty_coc: float = 25.0
    penalty_code: float = 5.0
    penalty_flag: float = 8.0  # "Holding"/"Stichting" on one side only
    # blocking: a word is "rare" when at most this many records of a side carry it
    rare_max: int = 40
    rare_per_record: int = 4
    block_max: int = 60  # postcode / domain / phone blocks larger than this are skipped
    prefilter_name: float = 50.0  # blocked pairs sharing no key are scored only with names this alike
    fallback_cutoff: float = 60.0  # name similarity the name-only pass must reach
    fallback_claimed: float = 70.0  # local customers with a pair this good are skipped by that pass
    fallback_keys: int = 16  # ... which looks a record up by this many of its rarest name keys
    fallback_share: float = 0.005  # ... each carried by at most this share of the local customers (or rare_max)
    fallback_budget: int = 150  # ... until it has this many local customers to compare names with
    # learned evidence (learned.py): a pair the score rule leaves is a One match when the model
    # gives it at least this probability and it leads every rival on both sides by `margin_bits`
    min_probability: float = 0.999
    margin_bits: float = 6.0  # 2^6: 64 times likelier than the runner-up
    min_other_bits: float = 6.0  # 2^6, as the margin: the rest of the record alone makes the pair 64 times likelier
    candidate_probability: float = 0.5  # ... or is at least this likely by the learned evidence
    u_sample: int = 20_000  # random pairs counted for the u probabilities
    em_top: int = 3  # EM learns from each record's best few candidates
    em_learn_u: bool = False  # u from random pairs only (as Splink does): measured better on every set
    workers: int = -1


class Notes(MutableMapping[str, list[str]]):
    """Per Exact id, why the account landed in its bucket; an entry may be left to be built when
    first read (`lazy`). The matcher decides every account, a user reads the notes of a few: at
    100,000 accounts building them all cost a second of every run. A built entry is kept."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, list[str]] | None = None) -> None:
        self._data: dict[str, list[str] | Callable[[], list[str]]] = dict(data or {})

    def lazy(self, key: str, source: Callable[[], list[str]]) -> None:
        """Notes of `key` are `source()`, called once, when first read."""
        self._data[key] = source

    def __getitem__(self, key: str) -> list[str]:
        value = self._data[key]
        if callable(value):
            value = self._data[key] = value()
        return value

    def __setitem__(self, key: str, value: list[str]) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Notes({dict(self.items())!r})"

    def view(self, key: str) -> "NoteView":
        """The notes of `key` as a sequence that builds them when first read (the Link screen keeps
        one per row and shows those of the row under the cursor)."""
        return NoteView(self, key)


class NoteView(Sequence[str]):
    """The notes of one account, read through `Notes` when first used; none if it has no entry."""

    __slots__ = ("_notes", "_key")

    def __init__(self, notes: Notes, key: str) -> None:
        self._notes = notes
        self._key = key

    def _list(self) -> list[str]:
        return self._notes.get(self._key, [])

    def __getitem__(self, index):  # type: ignore[override]
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())

    def __iter__(self) -> Iterator[str]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._list())


@dataclass(slots=True)
class MatchResult:
    """The four tabs of the Link customers screen.

    `one`: exact_id -> its single confident Candidate; `more`: exact_id -> ranked candidates (at most
    `max_candidates`); `none`: exact ids without a plausible partner; `ignored`: exact_id -> its
    candidates (ignored accounts keep theirs so a user can un-ignore). `notes` says, per exact id,
    why it is not a One match (runner-up too close, name only ...). `linked` echoes the decisions
    that took records out of the run.
    """

    one: dict[str, Candidate] = field(default_factory=dict)
    more: dict[str, list[Candidate]] = field(default_factory=dict)
    none: list[str] = field(default_factory=list)
    ignored: dict[str, list[Candidate]] = field(default_factory=dict)
    notes: Notes = field(default_factory=Notes)
    linked: dict[str, str] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    model: Any = None  # the learned.Model of the run: bits per field and level

    def counts(self) -> dict[str, int]:
        return {"one": len(self.one), "more": len(self.more), "none": len(self.none),
                "ignored": len(self.ignored), "linked": len(self.linked)}

    def bucket_of(self, exact_id: str) -> str:
        for name in ("one", "more", "ignored", "linked"):
            if exact_id in getattr(self, name):
                return name
        return "none"

    def candidates(self, exact_id: str) -> list[Candidate]:
        """The candidates shown for an Exact account, whatever its tab."""
        if exact_id in self.one:
            return [self.one[exact_id]]
        return list(self.more.get(exact_id) or self.ignored.get(exact_id) or [])
