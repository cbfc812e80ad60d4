"""Diagnosis cost: 10,000 mixed Exact answers (every coat and language, known and never-seen texts).

    python bench/bench_diagnose.py [--n 10000]

Prints the per-message cost (median of 5 runs) and how the kinds came out, so a change to the rules
that makes a family fall through to the no-shape fallback shows up here too.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter

from exact_tui.diagnose import diagnose

FIELDS_NL = ["Betalingsconditie", "Dagboek", "Klant", "Grootboekrekening", "Btw-code", "Artikel", "Kostenplaats",
             "Serie", "Zoekcode", "Valuta", "Boekjaar", "Factuur voor", "Aantal", "Naam"]
FIELDS_EN = ["Payment condition", "Journal", "Customer", "GL account", "VAT code", "Item", "Cost center", "Series"]
KINDS_NL = ["Verplicht", "Ongeldig", "Ongeldige referentie", "Bestaat reeds", "In gebruik", "Niet toegestaan",
            "Onbekend", "Geblokkeerd"]
KINDS_EN = ["Required", "Invalid", "Invalid reference", "Already exists", "In use", "Not allowed", "Unknown", "Blocked"]
KINDS_DE = ["Pflichtfeld", "Ungültig", "Existiert bereits", "Nicht erlaubt", "Unbekannt", "Gesperrt"]
KINDS_FR = ["Obligatoire", "Invalide", "Référence invalide", "Existe déjà", "Non autorisé", "Inconnu", "Bloqué"]
FIXED = [
    "Periode is afgesloten: 2025 – 3", "Too Many Requests", "Object reference not set to an instance of an object.",
    "De Exact Online divisie '123456' is niet opgenomen in de rechten die aan deze applicatie werden verleend",
    "Error 400: Operator 'eq' incompatible with operand types 'System.Guid' and 'System.String' at position 8.",
    "This endpoint has mandatory filtering applied. A GET request for this endpoint must have a $filter parameter",
    '{"error":"invalid_grant","error_description":"The user is not active"}',
    "<html><head><title>Object moved</title></head><body><a href='/docs/Login.aspx'>here</a></body></html>",
    "Het bedrag van de BTW regel met BTW code 4 komt niet overeen met het totaal aan BTW-bedragen in de grondslagregels",
    "Something entirely new went sideways in Exact today",
]


def message(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(FIXED)
    kinds, fields = rng.choice([(KINDS_NL, FIELDS_NL), (KINDS_EN, FIELDS_EN), (KINDS_DE, FIELDS_EN),
                                (KINDS_FR, FIELDS_EN)])
    text = f"{rng.choice(kinds)}: {rng.choice(fields)}" + rng.choice(["", " (type)", " [x]"])
    coat = rng.random()
    if coat < 0.3:
        return json.dumps({"error": {"code": "", "message": {"lang": "nl-NL", "value": text}}})
    if coat < 0.5:
        return f"Error 500: {text}"
    if coat < 0.6:
        return f"Onderwerp [GLTransactions] {text}\r\n{rng.choice(kinds)}: {rng.choice(fields)}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(13)
    messages = [message(rng) for _ in range(args.n)]
    diagnose(messages[0])  # compile the patterns outside the timing
    runs = []
    kinds: Counter[str] = Counter()
    for run in range(5):
        start = time.perf_counter()
        for text in messages:
            d = diagnose(text)
            if run == 0:
                kinds[d.kind] += 1
        runs.append(time.perf_counter() - start)
    total = statistics.median(runs)
    print(f"{args.n:,} mixed messages: {total:.2f} s median of 5 runs = {total / args.n * 1e6:.0f} µs per message")
    print("kinds:", ", ".join(f"{k} {v}" for k, v in kinds.most_common()))


if __name__ == "__main__":
    main()
