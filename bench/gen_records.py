"""An independent generator of customer records with known true pairs, for the matcher's bench.

Deliberately unlike the sandbox seed, so the matcher is not tuned to one generator's quirks:
companies AND persons in ten countries (NL, BE, DE, GB, FR, DK, SE, NO, FI, plus Cyrillic and Greek
names), and noise of other kinds: OCR-like character confusions (rn/m, l/1, O/0, cl/d), dropped and
doubled letters, abbreviations ("Intl", "Mgmt", "Str."), transliterations (ü/ue, ß/ss, ø/oe,
Cyrillic/Latin), legal forms in other spellings, swapped word order, missing fields, moved
addresses, other e-mail domains. Hard negatives too: branches of one chain with the same name in
other cities, "X Holding" next to "X", namesakes among persons, and duplicates within one side.

    from gen_records import generate
    exact, local, truth = generate(10_000, seed=7)   # truth: local_id -> exact_id
"""
from __future__ import annotations

import random
import string

from exact_tui.matching import MatchRecord

SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "de Wit", "Dijkstra",
            "Smits", "Peeters", "Maes", "Janssens", "Wouters", "Claes", "Goossens", "Müller", "Schmidt",
            "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch",
            "Größer", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Thomas",
            "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Lefèvre",
            "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Sørensen", "Johansson", "Karlsson",
            "Nilsson", "Eriksson", "Larsson", "Olsen", "Virtanen", "Korhonen", "Mäkinen", "Nieminen",
            "Иванов", "Петров", "Смирнов", "Кузнецов", "Παπαδόπουλος", "Γεωργίου", "Οικονόμου", "Østergård"]
FIRST = ["Jan", "Piet", "Kees", "Anna", "Sanne", "Lotte", "Thomas", "Lukas", "Hannah", "Sophie", "James",
         "Oliver", "Emma", "Marie", "Louis", "Lars", "Ingrid", "Mika", "Aino", "Björn", "Søren", "Åsa"]
WORDS = ["Bouw", "Techniek", "Installatie", "Advies", "Consultancy", "Logistics", "Transport", "Media", "Design",
         "Software", "Systems", "Solutions", "Trading", "Import", "Export", "Food", "Bakery", "Print", "Elektro",
         "Metaal", "Hout", "Glas", "Schilders", "Dakwerken", "Tuinen", "Groen", "Zorg", "Dental", "Optiek",
         "Makelaardij", "Accountants", "Notarissen", "Advocaten", "Architecten", "Engineering", "Maschinenbau",
         "Handel", "Services", "Management", "International", "Nordic", "Scandinavia", "Europe", "Digital",
         "Energy", "Solar", "Water", "Marine", "Agro", "Pharma", "Medical", "Automotive", "Garage", "Fietsen",
         "Reclame", "Vastgoed", "Beveiliging", "Schoonmaak", "Catering", "Events", "Studio", "Lab", "Data"]
BRANDS = ["Alfa", "Nova", "Vector", "Orion", "Delta", "Zenit", "Polar", "Atlas", "Kronos", "Helix", "Pixel",
          "Quantum", "Sigma", "Titan", "Vertex", "Nimbus", "Aurora", "Boreal", "Cobalt", "Fjord", "Granite",
          "Harbor", "Iris", "Juniper", "Krypton", "Lumen", "Magma", "Nexus", "Onyx", "Prism"]
COUNTRIES = {
    "NL": (["B.V.", "BV", "b.v.", "V.O.F.", "N.V.", ""], ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Zwolle", "Groningen"], ["straat", "laan", "weg", "plein", "gracht"]),
    "BE": (["BVBA", "B.V.B.A.", "NV", "SPRL", "BV", ""], ["Antwerpen", "Gent", "Brussel", "Leuven", "Liège"], ["straat", "laan", "steenweg"]),
    "DE": (["GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", ""], ["Berlin", "München", "Köln", "Hamburg", "Düsseldorf"], ["straße", "weg", "platz", "allee"]),
    "GB": (["Ltd", "Limited", "Ltd.", "PLC", "LLP", ""], ["London", "Manchester", "Leeds", "Bristol", "Glasgow"], [" Street", " Road", " Lane", " Avenue"]),
    "FR": (["SARL", "S.A.", "SAS", "S.A.R.L.", ""], ["Paris", "Lyon", "Lille", "Nantes", "Marseille"], [""]),
    "DK": (["ApS", "A/S", "AS", ""], ["København", "Aarhus", "Odense"], ["vej", "gade"]),
    "SE": (["AB", "Aktiebolag", "HB", ""], ["Stockholm", "Göteborg", "Malmö"], ["gatan", "vägen"]),
    "NO": (["AS", "ASA", "A/S", ""], ["Oslo", "Bergen", "Trondheim"], ["gata", "veien"]),
    "FI": (["Oy", "Oyj", "Ab", ""], ["Helsinki", "Espoo", "Tampere"], ["katu", "tie"]),
}
CC = {"NL": "31", "BE": "32", "DE": "49", "GB": "44", "FR": "33", "DK": "45", "SE": "46", "NO": "47", "FI": "358"}
OCR = [("rn", "m"), ("m", "rn"), ("l", "1"), ("O", "0"), ("o", "0"), ("cl", "d"), ("e", "c"), ("i", "l"),
       ("S", "5"), ("B", "8"), ("h", "b"), ("u", "v")]
TRANSLIT = [("ü", "ue"), ("ö", "oe"), ("ä", "ae"), ("ß", "ss"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("è", "e"),
            ("Иванов", "Ivanov"), ("Петров", "Petrov"), ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"),
            ("Παπαδόπουλος", "Papadopoulos"), ("Γεωργίου", "Georgiou"), ("Οικονόμου", "Oikonomou")]
ABBR = [("International", "Intl"), ("Management", "Mgmt"), ("Services", "Svcs"), ("straat", "str."),
        ("straße", "str."), ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Engineering", "Eng."),
        ("Consultancy", "Consulting"), ("Technology", "Tech")]
FREE = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "ziggo.nl", "web.de", "orange.fr"]


def _postcode(rng: random.Random, c: str) -> str:
    if c == "NL":
        return f"{rng.randint(1000, 9999)} {rng.choice(string.ascii_uppercase)}{rng.choice(string.ascii_uppercase)}"
    if c == "GB":
        return f"{rng.choice(['SW', 'E', 'N', 'M', 'LS', 'BS', 'G'])}{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTUW')}"
    if c in ("DE", "FR"):
        return f"{rng.randint(10000, 99999)}"
    if c in ("SE",):
        return f"{rng.randint(100, 999)} {rng.randint(10, 99)}"
    if c == "FI":
        return f"{rng.randint(0, 99999):05d}"
    return f"{rng.randint(1000, 9999)}"


def _base(rng: random.Random, k: int) -> dict:
    c = rng.choice(list(COUNTRIES))
    forms, cities, streets = COUNTRIES[c]
    person = rng.random() < 0.2
    if person:
        name = f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"
        domain = ""
    else:
        style = rng.random()
        if style < 0.4:
            core = f"{rng.choice(SURNAMES)} {rng.choice(WORDS)}"
        elif style < 0.7:
            core = f"{rng.choice(BRANDS)}{rng.choice(['', ' ', '-'])}{rng.choice(WORDS)} {rng.choice(WORDS)}"
        else:
            core = f"{rng.choice(BRANDS)} {rng.choice(SURNAMES)} {rng.choice(WORDS)}"
        name = f"{core} {rng.choice(forms)}".strip()
        domain = "".join(ch for ch in core.lower() if ch.isascii() and ch.isalnum())[:20] + rng.choice([".nl", ".com", ".eu", ".de", ".be", ".co.uk"])
    street = rng.choice(SURNAMES + BRANDS + ["Kerk", "Dorps", "Markt", "Haven", "Station", "Molen", "Linden"])
    sfx = rng.choice(streets)
    number = rng.randint(1, 250)
    address = (f"{number} {street}{sfx}" if c in ("GB", "FR") else f"{street}{sfx} {number}{rng.choice(['', '', '', 'a', 'B'])}")
    if c == "FR":
        address = f"{number} rue {street}"
    phone = f"+{CC[c]} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    email = (f"info@{domain}" if domain else f"{name.split()[0].lower()}{k}@{rng.choice(FREE)}")
    vat = f"{c}{rng.randint(10**8, 10**9 - 1)}{'B01' if c == 'NL' else ''}" if not person and rng.random() < 0.5 else ""
    coc = f"{rng.randint(10**7, 10**8 - 1)}" if c == "NL" and not person and rng.random() < 0.5 else ""
    return dict(name=name, address=address, postcode=_postcode(rng, c), city=rng.choice(cities), country=c,
                email=email, phone=phone, vat=vat, coc=coc, website=f"www.{domain}" if domain and rng.random() < 0.5 else "")


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 4:
        return s
    kind = rng.random()
    if kind < 0.4:
        a, b = rng.choice(OCR)
        if a in s:
            return s.replace(a, b, 1)
    i = rng.randrange(1, len(s) - 1)
    if kind < 0.7:
        return s[:i] + s[i + 1:]
    if kind < 0.85:
        return s[:i] + s[i] + s[i:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2:] if i + 2 <= len(s) else s


def _noisy(rng: random.Random, b: dict) -> dict:
    r = dict(b)
    name = r["name"]
    if rng.random() < 0.35:
        name = _typo(rng, name)
    if rng.random() < 0.15:
        name = _typo(rng, name)
    for a, z in TRANSLIT:
        if a in name and rng.random() < 0.5:
            name = name.replace(a, z)
    for a, z in ABBR:
        if a in name and rng.random() < 0.4:
            name = name.replace(a, z)
    forms = COUNTRIES.get(r["country"], ([""],))[0]
    for f in sorted(forms, key=len, reverse=True):
        if f and name.endswith(" " + f) and rng.random() < 0.5:
            name = name[: -len(f) - 1] + (" " + rng.choice(forms) if rng.random() < 0.6 else "")
            break
    if rng.random() < 0.2:
        name = name.upper()
    if rng.random() < 0.05:
        parts = name.split()
        if len(parts) >= 2:
            parts[0], parts[1] = parts[1], parts[0]
            name = " ".join(parts)
    r["name"] = name.strip() or b["name"]
    for a, z in ABBR:
        if a in r["address"] and rng.random() < 0.5:
            r["address"] = r["address"].replace(a, z)
    if rng.random() < 0.15:
        r["address"] = _typo(rng, r["address"])
    if rng.random() < 0.07:  # moved
        nb = _base(rng, 0)
        r["address"], r["postcode"], r["city"] = nb["address"], nb["postcode"], r["city"]
    if rng.random() < 0.3:
        r["postcode"] = r["postcode"].replace(" ", "").lower()
    if r["phone"].startswith("+") and rng.random() < 0.3:  # national phone format
        digits = r["phone"].split(" ", 1)[1].replace(" ", "")
        r["phone"] = "0" + digits
    for f, p in (("address", 0.12), ("postcode", 0.12), ("city", 0.1), ("email", 0.3), ("phone", 0.3),
                 ("vat", 0.3), ("coc", 0.3), ("country", 0.3), ("website", 0.5)):
        if rng.random() < p:
            r[f] = ""
    if r["email"] and rng.random() < 0.1:
        r["email"] = "admin@" + r["email"].split("@")[1]
    return r


def generate(n: int, seed: int = 7, overlap: float = 0.8) -> tuple[list[MatchRecord], list[MatchRecord], dict[str, str]]:
    """`n` Exact and `n` local records; `overlap` of them are the same customer on both sides."""
    rng = random.Random(seed)
    bases = [_base(rng, k) for k in range(n)]
    # hard negatives: chain branches (same name, other city/address) and holdings
    for k in range(0, n, 25):
        src = bases[rng.randrange(n)]
        if k < n:
            nb = _base(rng, k)
            if rng.random() < 0.5:
                nb["name"] = src["name"]
            else:
                nb["name"] = src["name"].replace(" ", " Holding ", 1) if " " in src["name"] else src["name"] + " Holding"
            nb["country"] = src["country"]
            bases[k] = nb
    # one company, one domain: two companies that happen to share a name get different domains
    seen: dict[str, int] = {}
    for k, b in enumerate(bases):
        for f in ("email", "website"):
            if b[f] and "@" in b[f] and b[f].split("@")[1].split(".")[0] in seen and seen[b[f].split("@")[1].split(".")[0]] != k:
                user, dom = b[f].split("@")
                b[f] = f"{user}@{dom.split('.')[0]}{k}.{dom.split('.', 1)[1]}"
            elif b[f].startswith("www.") and b[f][4:].split(".")[0] in seen and seen[b[f][4:].split(".")[0]] != k:
                label, rest = b[f][4:].split(".", 1)
                b[f] = f"www.{label}{k}.{rest}"
        for f in ("email", "website"):
            if b[f]:
                label = b[f].split("@")[-1].removeprefix("www.").split(".")[0]
                seen.setdefault(label, k)
    n_pairs = int(n * overlap)
    idx = list(range(n))
    rng.shuffle(idx)
    paired = idx[:n_pairs]
    exact: list[MatchRecord] = []
    local: list[MatchRecord] = []
    truth: dict[str, str] = {}
    codes = rng.sample(range(1000, 1000 + 5 * n), n)
    for k in paired:
        e_id, l_id = f"E{k:07d}", f"L{k:07d}"
        eb = _noisy(rng, bases[k]) if rng.random() < 0.5 else dict(bases[k])
        lb = _noisy(rng, bases[k])
        same_code = rng.random() < 0.3
        exact.append(MatchRecord(e_id, code=str(codes[k]), **eb))
        local.append(MatchRecord(l_id, code=str(codes[k]) if same_code else str(rng.randint(1, 5 * n)), **lb))
        truth[l_id] = e_id
    rest = idx[n_pairs:]
    for m, k in enumerate(rest):
        if m % 2 == 0:
            exact.append(MatchRecord(f"E{k:07d}", code=str(codes[k]), **bases[k]))
        else:
            local.append(MatchRecord(f"L{k:07d}", code=str(rng.randint(1, 5 * n)), **bases[k]))
    # fill both sides up to n with fresh one-sided records
    k = n
    while len(exact) < n or len(local) < n:
        b = _base(rng, k)
        if len(exact) < n:
            exact.append(MatchRecord(f"E{k:07d}", code=str(5 * n + 1000 + k), **b))
        else:
            local.append(MatchRecord(f"L{k:07d}", code=str(rng.randint(1, 5 * n)), **b))
        k += 1
    # duplicates within the local side (the same customer entered twice): added, not part of the truth
    for m in range(n // 200):
        src = local[rng.randrange(len(local))]
        d = _noisy(rng, {f: getattr(src, f) for f in ("name", "address", "postcode", "city", "country", "email",
                                                      "phone", "vat", "coc", "website")})
        local.append(MatchRecord(f"D{m:07d}", code="", **d))
    exact_ids = {r.id for r in exact}
    local_ids = {r.id for r in local}
    truth = {l: e for l, e in truth.items() if l in local_ids and e in exact_ids}
    rng.shuffle(exact)
    rng.shuffle(local)
    return exact, local, truth
