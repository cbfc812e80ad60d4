"""Word lists for the seed: company names, legal forms, streets, cities with real postcode ranges,
people, e-mail providers, phone area codes.

Kept apart from the generator so the generator reads as rules and this file as data. Values are
real-world shaped (a Utrecht postcode starts with 35, an Amsterdam landline with 020) so that a
matcher or a support engineer looking at the sandbox sees data that behaves like a customer's.
"""
from __future__ import annotations

# Country mix of the seeded customers (share of accounts), and the legal forms per country with
# their weights. The variants are how the same form is spelled on the other side.
COUNTRY_WEIGHTS = {"NL": 64, "BE": 15, "DE": 12, "GB": 9}

LEGAL_FORMS: dict[str, list[tuple[str, int]]] = {
    "NL": [("B.V.", 62), ("", 14), ("V.O.F.", 9), ("N.V.", 4), ("C.V.", 2), ("Holding B.V.", 4), ("Stichting", 5)],
    "BE": [("BV", 55), ("NV", 20), ("BVBA", 10), ("CommV", 5), ("VZW", 5), ("", 5)],
    "DE": [("GmbH", 60), ("GmbH & Co. KG", 12), ("AG", 8), ("KG", 6), ("e.K.", 6), ("UG (haftungsbeschränkt)", 8)],
    "GB": [("Ltd", 70), ("Limited", 8), ("PLC", 6), ("LLP", 8), ("", 8)],
}
# Forms that are written before the name rather than after it.
PREFIX_FORMS = {"Stichting", "Stg.", "Stg", "St."}

LEGAL_FORM_VARIANTS: dict[str, list[str]] = {
    "B.V.": ["BV", "B.V", "b.v.", "Bv", "Besloten Vennootschap", ""],
    "Holding B.V.": ["Holding BV", "Holding", "holding b.v."],
    "N.V.": ["NV", "N.V", "Naamloze Vennootschap", ""],
    "V.O.F.": ["VOF", "vof", "v.o.f.", ""],
    "C.V.": ["CV", "C.V", ""],
    "Stichting": ["Stg.", "Stg", "St."],
    "BV": ["B.V.", "bv", "BVBA", ""],
    "NV": ["N.V.", "nv", "SA", ""],
    "BVBA": ["B.V.B.A.", "BV", "bvba", ""],
    "CommV": ["Comm.V.", "CV", ""],
    "VZW": ["vzw", "V.Z.W.", ""],
    "GmbH": ["Gmbh", "GMBH", "G.m.b.H.", "mbH", ""],
    "GmbH & Co. KG": ["GmbH & Co KG", "GmbH u. Co. KG", "KG", "GmbH"],
    "AG": ["A.G.", "Aktiengesellschaft", ""],
    "KG": ["K.G.", "Kommanditgesellschaft", ""],
    "e.K.": ["eK", "e. K.", ""],
    "UG (haftungsbeschränkt)": ["UG", "UG (haftungsbeschraenkt)", "UG haftungsbeschränkt"],
    "Ltd": ["Ltd.", "Limited", "LTD", "ltd", ""],
    "Limited": ["Ltd", "Ltd.", "LTD"],
    "PLC": ["plc", "P.L.C.", "Public Limited Company"],
    "LLP": ["L.L.P.", "llp", ""],
}

SURNAMES = {
    "NL": ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
           "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "de Wit", "Dijkstra",
           "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
           "van der Veen", "Schouten", "Willems", "van Leeuwen", "Hoekstra", "Kuipers", "Verhoeven", "Prins",
           "Postma", "Huisman", "Blom", "Kramer", "van Wijk", "Koster", "Timmermans", "Groen", "Sanders"],
    "BE": ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
           "De Smet", "Dubois", "Lambert", "Dupont", "Vermeulen", "Van Damme", "De Clercq", "Hermans", "Michiels",
           "Desmet", "Coppens", "Verstraete", "Van de Velde", "Pauwels", "Leclercq", "Aerts", "Segers"],
    "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
           "Hoffmann", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
           "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler"],
    "GB": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
           "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
           "Harris", "Lewis", "Cooper", "Hughes", "Edwards", "Turner", "Parker", "Morgan"],
}
FIRST_NAMES = {
    "NL": ["Jan", "Piet", "Kees", "Anna", "Sanne", "Lotte", "Daan", "Sem", "Eva", "Femke", "Bram", "Ruben",
           "Marieke", "Joost", "Ingrid", "Willem", "Marloes", "Thijs", "Esther", "Hanneke", "Gert", "Mark"],
    "BE": ["Lucas", "Louis", "Emma", "Marie", "Elise", "Arne", "Wout", "Lies", "Pieter", "An", "Tom", "Katrien",
           "Bart", "Sofie", "Jef", "Griet"],
    "DE": ["Lukas", "Jonas", "Hannah", "Sophie", "Leon", "Felix", "Lea", "Mia", "Stefan", "Andrea", "Jürgen",
           "Sabine", "Matthias", "Katrin", "Uwe", "Birgit"],
    "GB": ["James", "Oliver", "Emily", "Charlotte", "Harry", "George", "Amelia", "Sophie", "Jack", "Thomas",
           "Hannah", "Daniel", "Claire", "Paul", "Rachel", "Simon"],
}

# Trade words per language; the first element is what the name says, the optional second an
# abbreviation a bookkeeper might type instead.
TRADES = {
    "NL": ["Bouw", "Installatietechniek", "Advies", "Consultancy", "Logistiek", "Transport", "Media", "Design",
           "Software", "Automatisering", "Techniek", "Elektrotechniek", "Metaalbewerking", "Houtbewerking",
           "Schilderwerken", "Dakwerken", "Hoveniers", "Zorg", "Tandartsen", "Makelaardij", "Accountants",
           "Notarissen", "Advocaten", "Architecten", "Engineering", "Vastgoed", "Beveiliging", "Schoonmaak",
           "Catering", "Evenementen", "Reclame", "Drukkerij", "Vertalingen", "Personeelsdiensten", "Groothandel",
           "Kantoorinrichting", "Opleidingen", "Management", "ICT Services", "Administratiekantoor"],
    "BE": ["Bouw", "Advies", "Consultancy", "Logistics", "Transport", "Media", "Software", "Techniek", "Elektro",
           "Schrijnwerkerij", "Dakwerken", "Tuinaanleg", "Vastgoed", "Accountancy", "Engineering", "Catering",
           "Drukkerij", "ICT Solutions", "Management", "Interieur"],
    "DE": ["Bau", "Beratung", "Consulting", "Logistik", "Spedition", "Medien", "Software", "Technik",
           "Elektrotechnik", "Maschinenbau", "Metallbau", "Holzbau", "Immobilien", "Steuerberatung",
           "Ingenieurbüro", "Systemhaus", "Handel", "Druck", "Management", "IT-Dienstleistungen"],
    "GB": ["Building", "Consulting", "Consultancy", "Logistics", "Haulage", "Media", "Software", "Engineering",
           "Electrical", "Joinery", "Roofing", "Property", "Accountants", "Solicitors", "Architects", "Catering",
           "Print", "IT Solutions", "Management", "Recruitment", "Facilities", "Design"],
}
BRANDS = ["Alfa", "Nova", "Vector", "Orion", "Delta", "Zenit", "Polar", "Atlas", "Kronos", "Helix", "Pixel",
          "Quantum", "Sigma", "Titan", "Vertex", "Nimbus", "Aurora", "Boreal", "Cobalt", "Fjord", "Granite",
          "Horizon", "Lumen", "Meridian", "Nexus", "Octa", "Prisma", "Rivium", "Solvo", "Terra", "Unity",
          "Vita", "Waypoint", "Xenon", "Yield", "Zephyr", "Apex", "Blue Oak", "Cedar", "Dune", "Ember", "Flux",
          "Globe", "Harbor", "Iris", "Juno", "Kite", "Lynx", "Mosa", "Noord", "Oost", "Rijn", "Maas", "Kempen",
          "Veluwe", "Twente", "Brabant", "Zeeland", "Hanze", "Kennemer", "Amstel", "Eem", "Dommel", "Schelde"]
ADJECTIVES = {"NL": ["Nederlandse", "Hollandse", "Groene", "Snelle", "Eerste", "Nieuwe"],
              "BE": ["Vlaamse", "Belgische", "Nieuwe", "Groene"],
              "DE": ["Deutsche", "Neue", "Grüne", "Erste"],
              "GB": ["British", "Northern", "Royal", "United", "Premier", "Green"]}
# Words a bookkeeper abbreviates, and how.
ABBREVIATIONS = {
    "Installatietechniek": "Inst.techniek", "Consultancy": "Cons.", "Consulting": "Cons.", "Management": "Mgmt",
    "International": "Intl.", "Engineering": "Eng.", "Elektrotechniek": "Elektrotechn.", "Automatisering": "Autom.",
    "Administratiekantoor": "Adm.kantoor", "Personeelsdiensten": "Pers.diensten", "Evenementen": "Events",
    "Ingenieurbüro": "Ing.-Büro", "Steuerberatung": "StB", "Maschinenbau": "Masch.bau", "Logistiek": "Log.",
    "Solutions": "Sol.", "Services": "Svcs", "Recruitment": "Recr.", "Gebroeders": "Gebr.", "Brothers": "Bros.",
    "Schilderwerken": "Schilderw.", "Makelaardij": "Makelaars", "Accountants": "Acc.", "Groothandel": "Groothand.",
    "Technik": "Techn.", "Beratung": "Ber.", "Spedition": "Sped.", "Vastgoed": "Vastg.", "Tuinaanleg": "Tuinaanl.",
    "and": "&", "en": "&", "und": "&",
}
FAMILY_PATTERNS = {"NL": ["{s} & Zonen", "Gebroeders {s}", "{s} en {t}"], "BE": ["{s} & Zonen", "Gebroeders {s}", "{s} en {t}"],
                   "DE": ["{s} & Söhne", "Gebrüder {s}", "{s} und {t}"], "GB": ["{s} & Sons", "{s} Brothers", "{s} and {t}"]}

# City, first two postcode digits (or the full postcode range start), landline area code.
CITIES: dict[str, list[tuple[str, int, str]]] = {
    "NL": [("Amsterdam", 10, "20"), ("Rotterdam", 30, "10"), ("Den Haag", 25, "70"), ("Utrecht", 35, "30"),
           ("Eindhoven", 56, "40"), ("Groningen", 97, "50"), ("Tilburg", 50, "13"), ("Almere", 13, "36"),
           ("Breda", 48, "76"), ("Nijmegen", 65, "24"), ("Apeldoorn", 73, "55"), ("Haarlem", 20, "23"),
           ("Arnhem", 68, "26"), ("Enschede", 75, "53"), ("Amersfoort", 38, "33"), ("Zwolle", 80, "38"),
           ("Leiden", 23, "71"), ("Maastricht", 62, "43"), ("Deventer", 74, "570"), ("'s-Hertogenbosch", 52, "73"),
           ("Zaandam", 15, "75"), ("Leeuwarden", 89, "58"), ("Delft", 26, "15"), ("Alkmaar", 18, "72"),
           ("Hilversum", 12, "35"), ("Venlo", 59, "77"), ("Gouda", 28, "182"), ("Ede", 67, "318"),
           ("Hengelo", 75, "74"), ("Veenendaal", 39, "318")],
    "BE": [("Antwerpen", 2000, "3"), ("Gent", 9000, "9"), ("Brussel", 1000, "2"), ("Leuven", 3000, "16"),
           ("Brugge", 8000, "50"), ("Hasselt", 3500, "11"), ("Mechelen", 2800, "15"), ("Kortrijk", 8500, "56"),
           ("Aalst", 9300, "53"), ("Genk", 3600, "89"), ("Sint-Niklaas", 9100, "3"), ("Turnhout", 2300, "14"),
           ("Roeselare", 8800, "51"), ("Oostende", 8400, "59"), ("Liège", 4000, "4"), ("Namur", 5000, "81")],
    "DE": [("Berlin", 10115, "30"), ("Hamburg", 20095, "40"), ("München", 80331, "89"), ("Köln", 50667, "221"),
           ("Frankfurt am Main", 60311, "69"), ("Düsseldorf", 40210, "211"), ("Stuttgart", 70173, "711"),
           ("Aachen", 52062, "241"), ("Münster", 48143, "251"), ("Hannover", 30159, "511"), ("Bremen", 28195, "421"),
           ("Dortmund", 44135, "231"), ("Essen", 45127, "201"), ("Leipzig", 4109, "341"), ("Duisburg", 47051, "203"),
           ("Krefeld", 47798, "2151"), ("Emmerich am Rhein", 46446, "2822"), ("Kleve", 47533, "2821")],
    "GB": [("London", 0, "20"), ("Manchester", 0, "161"), ("Birmingham", 0, "121"), ("Leeds", 0, "113"),
           ("Bristol", 0, "117"), ("Edinburgh", 0, "131"), ("Glasgow", 0, "141"), ("Cambridge", 0, "1223"),
           ("Oxford", 0, "1865"), ("Reading", 0, "118"), ("Liverpool", 0, "151"), ("Sheffield", 0, "114")],
}
UK_OUTCODES = {"London": ["EC1A", "EC2M", "SW1A", "SE1", "N1", "E14", "W1D", "WC2N", "NW1"],
               "Manchester": ["M1", "M2", "M4", "M15"], "Birmingham": ["B1", "B2", "B3", "B15"],
               "Leeds": ["LS1", "LS2", "LS11"], "Bristol": ["BS1", "BS2", "BS8"], "Edinburgh": ["EH1", "EH2", "EH3"],
               "Glasgow": ["G1", "G2", "G3"], "Cambridge": ["CB1", "CB2", "CB4"], "Oxford": ["OX1", "OX2", "OX4"],
               "Reading": ["RG1", "RG2"], "Liverpool": ["L1", "L2", "L3"], "Sheffield": ["S1", "S2", "S3"]}

STREETS = {
    "NL": ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Hoofdstraat", "Molenweg", "Industrieweg", "Nieuwstraat",
           "Marktplein", "Schoolstraat", "Julianalaan", "Beatrixlaan", "Wilhelminastraat", "Parallelweg",
           "Kanaalweg", "Havenstraat", "Energieweg", "Zonnebaan", "Europalaan", "Laan van Nieuw Oost-Indië",
           "Keizersgracht", "Herengracht", "Vondellaan", "Edisonstraat", "Ambachtsweg", "Nijverheidsweg",
           "Handelsweg", "Poststraat", "Koningsweg", "Stadionweg", "Oude Gracht", "Plesmanlaan", "Rijksstraatweg",
           "Van Heemstraweg", "Mercuriusweg", "Pascalweg", "Röntgenweg", "Einsteinbaan", "Papendorpseweg"],
    "BE": ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Nieuwstraat", "Industrielaan", "Molenstraat",
           "Kouter", "Meir", "Grote Markt", "Leopoldlaan", "Koningin Astridlaan", "Brusselsesteenweg",
           "Antwerpsesteenweg", "Gentse Baan", "Ambachtenlaan", "Researchpark", "Veldkant", "Kortrijksesteenweg"],
    "DE": ["Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Industriestraße",
           "Lindenstraße", "Kirchstraße", "Goethestraße", "Schillerstraße", "Am Markt", "Ringstraße",
           "Friedrichstraße", "Königsallee", "Gewerbepark", "Rheinstraße", "Mühlenweg", "Hafenstraße"],
    "GB": ["High Street", "Station Road", "Church Street", "Victoria Road", "King Street", "Park Road",
           "Mill Lane", "London Road", "Queen Street", "Bridge Street", "Market Place", "Albert Road",
           "Canal Street", "Old Street", "Wharf Road", "Commercial Road", "Innovation Way", "Science Park"],
}
TLD = {"NL": "nl", "BE": "be", "DE": "de", "GB": "co.uk"}
FREE_MAIL = {"NL": ["gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "live.nl", "xs4all.nl"],
             "BE": ["gmail.com", "telenet.be", "skynet.be", "hotmail.com", "outlook.be"],
             "DE": ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"],
             "GB": ["gmail.com", "btinternet.com", "outlook.com", "yahoo.co.uk", "hotmail.co.uk"]}
MAILBOXES = {"NL": ["info", "administratie", "facturen", "finance", "contact", "boekhouding", "crediteuren"],
             "BE": ["info", "administratie", "facturatie", "boekhouding", "contact"],
             "DE": ["info", "buchhaltung", "rechnung", "kontakt", "office"],
             "GB": ["info", "accounts", "finance", "invoices", "hello", "office"]}
COUNTRY_CODE = {"NL": "31", "BE": "32", "DE": "49", "GB": "44"}
CURRENCY = {"NL": "EUR", "BE": "EUR", "DE": "EUR", "GB": "GBP"}
TYPO_NEIGHBOURS = {"a": "sq", "e": "wr", "i": "uo", "o": "ip", "u": "yi", "n": "bm", "m": "n", "r": "et",
                   "s": "ad", "t": "ry", "l": "k", "k": "lj", "d": "sf", "g": "fh", "b": "vn", "v": "bc"}
