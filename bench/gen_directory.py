"""Businesses as two independent directories list them: a third generator for the matcher's bench.

Unlike gen_records (European companies with VAT numbers and e-mail) and the sandbox seed, these are
shops, restaurants and practices in US-style cities with only name, street address, city and phone,
written the way two guide books write them: one abbreviates ("Delicatessen" / "Deli", "Street" /
"St."), adds the kind of business ("... Restaurant", "... Cafe") or the district in brackets, moves
the article ("The Palm" / "Palm, The"), formats the phone differently ("310/246-1501",
"(310) 246-1501"), names the city otherwise ("New York" / "New York City"), or has a typo. Hard
negatives: branches of one chain (same name, other address and phone), several businesses in one
building (same address, other name and phone), and namesakes in other cities.

    from gen_directory import generate
    exact, local, truth = generate(2000, seed=3)   # truth: local_id -> exact_id
"""
from __future__ import annotations

import random

from exact_tui.matching import MatchRecord

HEADS = ["Golden", "Blue", "Red", "Little", "Grand", "Old", "Royal", "Silver", "Green", "Lucky", "Happy", "Star",
         "Sunset", "Ocean", "Harbor", "Village", "Uptown", "Downtown", "Corner", "Garden", "Empire", "Liberty",
         "Cedar", "Maple", "Olive", "Lotus", "Jade", "Saffron", "Basil", "Fig", "Copper", "Iron", "Crystal"]
NOUNS = ["Dragon", "Lion", "Palm", "Oak", "Moon", "Sun", "Rose", "Anchor", "Bell", "Crown", "Door", "Fork",
         "Spoon", "Kettle", "Lantern", "Pearl", "Tiger", "Horse", "Duck", "Swan", "Bridge", "Mill", "Barn"]
OWNERS = ["Mario's", "Luigi's", "Chen's", "Rosa's", "Nick's", "Tony's", "Joe's", "Ling's", "Maria's", "Sal's",
          "Antoine's", "Yuki's", "Ahmed's", "Olga's", "Pat's", "Hugo's", "Carmen's", "Raj's", "Kim's"]
KINDS = [("Delicatessen", "Deli"), ("Restaurant", "Rest."), ("Cafe", "Café"), ("Bar & Grill", "Bar and Grill"),
         ("Steakhouse", "Steak House"), ("Bakery", "Bakery"), ("Pizzeria", "Pizza"), ("Brasserie", "Brasserie"),
         ("Bistro", "Bistro"), ("Dental Care", "Dental"), ("Hardware", "Hardware Store"), ("Florist", "Flowers"),
         ("Auto Repair", "Auto Service"), ("Pharmacy", "Drugstore"), ("Tavern", "Pub"), ("Noodle House", "Noodles")]
CITIES = [("New York", "New York City", "212"), ("Los Angeles", "LA", "310"), ("San Francisco", "SF", "415"),
          ("Atlanta", "Atlanta", "404"), ("Las Vegas", "Las Vegas", "702"), ("Chicago", "Chicago", "312"),
          ("Boston", "Boston", "617"), ("Seattle", "Seattle", "206"), ("Hollywood", "Hollywood", "323"),
          ("Beverly Hills", "Beverly Hills", "310"), ("Santa Monica", "Santa Monica", "310")]
DISTRICTS = ["Midtown", "SoHo", "Downtown", "Uptown", "West Side", "Chinatown", "Marina", "Harbor"]
STREETS = ["Main", "Broadway", "Sunset", "Ventura", "Madison", "Lexington", "Market", "Mission", "Peachtree",
           "Wilshire", "Melrose", "Columbus", "Union", "Park", "Lake", "Hill", "Elm", "Pine", "Washington",
           "Lincoln", "Jefferson", "Franklin", "Grand", "Canal", "Spring", "Mulberry", "Hudson", "Bleecker"]
SUFFIX = [("Street", "St."), ("Avenue", "Ave."), ("Boulevard", "Blvd."), ("Road", "Rd."), ("Place", "Pl."),
          ("Drive", "Dr.")]


def _phone(rng: random.Random, area: str) -> tuple[str, str, str]:
    a, b = rng.randint(200, 999), rng.randint(1000, 9999)
    return area, str(a), str(b)


def _fmt_phone(rng: random.Random, p: tuple[str, str, str]) -> str:
    area, a, b = p
    return rng.choice([f"{area}/{a}-{b}", f"{area}-{a}-{b}", f"({area}) {a}-{b}", f"{area}.{a}.{b}", f"+1 {area} {a} {b}"])


def _base(rng: random.Random) -> dict:
    style = rng.random()
    kind = rng.choice(KINDS)
    if style < 0.35:
        core = f"{rng.choice(OWNERS)} {rng.choice(NOUNS)}"
    elif style < 0.7:
        core = f"{rng.choice(HEADS)} {rng.choice(NOUNS)}"
    else:
        core = f"The {rng.choice(HEADS)} {rng.choice(NOUNS)}"
    city = rng.choice(CITIES)
    street = (rng.randint(1, 12999), rng.choice(STREETS), rng.choice(SUFFIX))
    return dict(core=core, kind=kind, with_kind=rng.random() < 0.6, city=city, street=street,
                phone=_phone(rng, city[2]), district=rng.choice(DISTRICTS))


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 5:
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.random()
    if k < 0.4:
        return s[:i] + s[i + 1:]
    if k < 0.7:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + rng.choice("aeiounrst") + s[i + 1:]


def _render(rng: random.Random, b: dict, noisy: bool) -> dict:
    core, (long_kind, short_kind) = b["core"], b["kind"]
    name = core
    if b["with_kind"]:
        name = f"{core} {long_kind}"
    if noisy:
        r = rng.random()
        if b["with_kind"] and r < 0.25:
            name = f"{core} {short_kind}"  # "... Delicatessen" / "... Deli"
        elif b["with_kind"] and r < 0.4:
            name = core  # the kind left out
        elif not b["with_kind"] and r < 0.3:
            name = f"{core} {long_kind}"  # the kind added
        if rng.random() < 0.12:
            name = f"{name} ({b['district']})"
        if name.startswith("The ") and rng.random() < 0.4:
            name = f"{name[4:]}, The"
        if rng.random() < 0.2:
            name = _typo(rng, name)
    num, street, (long_sfx, short_sfx) = b["street"]
    address = f"{num} {street} {long_sfx}"
    if noisy:
        if rng.random() < 0.5:
            address = f"{num} {street} {short_sfx}"
        if rng.random() < 0.1:
            address = _typo(rng, address)
        if rng.random() < 0.05:
            address = f"{num} {street}"
        if rng.random() < 0.06:  # another number in the block, or the corner entrance
            address = f"{num + rng.choice([1, 2, 10])} {street} {long_sfx}"
    city_long, city_short, _ = b["city"]
    city = city_short if noisy and rng.random() < 0.3 else city_long
    phone = _fmt_phone(rng, b["phone"])
    if noisy:
        if rng.random() < 0.05:
            area, a, bb = b["phone"]
            phone = _fmt_phone(rng, (area, a, bb[:-1] + str((int(bb[-1]) + 1) % 10)))
        if rng.random() < 0.08:
            phone = ""
        if rng.random() < 0.04:
            address = ""
    return dict(name=name, address=address, city=city, phone=phone, country="US")


def generate(n: int, seed: int = 3, overlap: float = 0.3) -> tuple[list[MatchRecord], list[MatchRecord], dict[str, str]]:
    """`n` businesses in guide A (Exact), about 0.6 n in guide B (local), `overlap` n of them in both."""
    rng = random.Random(seed)
    bases = [_base(rng) for _ in range(int(n * 1.3))]
    for k in range(0, len(bases), 20):  # chain branches: the same name elsewhere
        src = bases[rng.randrange(len(bases))]
        bases[k] = {**_base(rng), "core": src["core"], "kind": src["kind"], "with_kind": src["with_kind"]}
    for k in range(5, len(bases), 30):  # one building, several businesses
        src = bases[rng.randrange(len(bases))]
        bases[k] = {**bases[k], "street": src["street"], "city": src["city"]}
    idx = list(range(len(bases)))
    rng.shuffle(idx)
    both = idx[:int(n * overlap)]
    only_a = idx[int(n * overlap):n]
    only_b = idx[n:n + int(n * 0.3)]
    exact, local, truth = [], [], {}
    for k in both:
        exact.append(MatchRecord(f"A{k:06d}", **_render(rng, bases[k], rng.random() < 0.5)))
        local.append(MatchRecord(f"B{k:06d}", **_render(rng, bases[k], True)))
        truth[f"B{k:06d}"] = f"A{k:06d}"
    exact += [MatchRecord(f"A{k:06d}", **_render(rng, bases[k], False)) for k in only_a]
    local += [MatchRecord(f"B{k:06d}", **_render(rng, bases[k], True)) for k in only_b]
    rng.shuffle(exact)
    rng.shuffle(local)
    return exact, local, truth
