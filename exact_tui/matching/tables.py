"""Word lists the normaliser uses: legal forms, articles, flag words, free-mail hosts, countries.

Kept as data, apart from the code, so a consultant who meets a new spelling ("B.V.B.A.", "Pty") can
see at once whether it is known. Entries are in normalised form: lower case, no accents, no dots.
"""
from __future__ import annotations

# Legal forms written as one token once dots are gone ("B.V." -> "bv", "S.A.R.L." -> "sarl").
# Short ones (`as`, `ab`, `sa`, `co` ...) are also ordinary words, so they are only dropped at the
# start or end of a name; the distinctive ones are dropped wherever they stand.
LEGAL_ANYWHERE = frozenset({
    # NL / BE
    "bv", "nv", "vof", "bvba", "cvba", "sprl", "scrl", "vzw", "asbl", "ebvba", "commv", "bvio",
    "eenmanszaak",
    # DE / AT / CH
    "gmbh", "mbh", "kgaa", "ohg", "gbr", "ug", "ev",
    # UK / IE / US
    "ltd", "plc", "llc", "llp", "inc", "incorporated", "corp", "pty", "pvt",
    # FR / ES / IT / PT / LU
    "sarl", "sas", "sasu", "eurl", "sca", "spa", "srl", "sl", "sau", "lda",
    # Nordic
    "aps", "oyj", "asa", "amba", "smba",
})
LEGAL_EDGE = LEGAL_ANYWHERE | frozenset({
    "limited", "company", "corporation", "co", "cie", "cv", "kg", "ag", "se", "sa", "as", "ab", "oy",
    "hb", "kb", "is", "ek", "lp", "og", "kft", "sro", "zoo", "sp", "ae", "ooo", "oao", "zao", "pao",
    "kk", "bhd", "sdn", "pte",
})
# How a legal form taken out of a name is shown in explanations ("after removing 'B.V.'"); others
# are shown in capitals.
LEGAL_DISPLAY = {
    "bv": "B.V.", "nv": "N.V.", "vof": "V.O.F.", "cv": "C.V.", "bvba": "BVBA", "gmbh": "GmbH",
    "ag": "AG", "kg": "KG", "ltd": "Ltd", "limited": "Limited", "llc": "LLC", "inc": "Inc",
    "plc": "plc", "sa": "S.A.", "sarl": "SARL", "sprl": "SPRL", "aps": "ApS", "as": "A/S", "ab": "AB",
    "oy": "Oy", "co": "& Co", "besloten vennootschap": "Besloten Vennootschap",
}
# Multi-word legal forms, replaced before tokens are looked at (normalised spelling).
LEGAL_PHRASES = (
    "besloten vennootschap met beperkte aansprakelijkheid",
    "besloten vennootschap",
    "naamloze vennootschap",
    "vennootschap onder firma",
    "commanditaire vennootschap",
    "cooperatieve vennootschap",
    "gesellschaft mit beschrankter haftung",
    "gesellschaft mbh",
    "aktiengesellschaft",
    "kommanditgesellschaft",
    "public limited company",
    "limited liability company",
    "limited liability partnership",
    "private limited company",
    "societe anonyme",
    "societe a responsabilite limitee",
    "societe par actions simplifiee",
    "sociedad limitada",
    "sociedad anonima",
    "anpartsselskab",
    "aktieselskab",
    "aktiebolag",
    "osakeyhtio",
    "allmennaksjeselskap",
    "aksjeselskap",
    "sp z o o",
    "s r o",
    "& co",
    "and co",
    "en co",
    "und co",
)

# Articles and joining words: carry no identity. "van" and "der" stay (part of surnames).
FILLER = frozenset({"de", "het", "the", "een", "le", "la", "les", "l", "d", "t", "die", "das", "den",
                    "and", "en", "und", "et", "y", "e", "i", "of"})

# Words that change WHICH legal entity is meant ("X Holding B.V." is not "X B.V."): left out of the
# comparison but remembered, so a word on one side only is flagged rather than silently dropped.
FLAG_WORDS = {
    "holding": "Holding", "holdings": "Holding", "stichting": "Stichting", "foundation": "Stichting",
    "stiftung": "Stichting", "beheer": "Beheer", "vereniging": "Vereniging", "verein": "Vereniging",
    "association": "Vereniging", "groep": "Group", "group": "Group", "gruppe": "Group", "groupe": "Group",
    "trust": "Trust",
}

# Abbreviations written out, so "Intl Mgmt Svcs" meets "International Management Services".
ABBREVIATIONS = {
    "intl": "international", "int": "international", "internat": "international",
    "mgmt": "management", "mgt": "management", "svc": "services", "svcs": "services",
    "serv": "services", "service": "services", "assoc": "associates", "bros": "brothers",
    "ctr": "centre", "center": "centre", "dept": "department", "tech": "technology",
    "technologies": "technology", "techn": "technology", "natl": "national", "univ": "university",
    "mfg": "manufacturing", "eng": "engineering", "engg": "engineering", "constr": "construction",
    "cons": "consultancy", "consulting": "consultancy", "adv": "advies", "bur": "bureau",
    "nl": "nederland", "ned": "nederland", "gebr": "gebroeders", "wed": "weduwe",
}

# Street words in their short form, so "Kerkstraat" meets "Kerkstr." and "Road" meets "Rd".
STREET_SUFFIXES = (
    ("strasse", "str"), ("straat", "str"), ("street", "st"), ("laan", "ln"), ("lane", "ln"),
    ("avenue", "av"), ("ave", "av"), ("boulevard", "bd"), ("blvd", "bd"), ("road", "rd"),
    ("weg", "wg"), ("plein", "pln"), ("gracht", "gr"), ("kade", "kd"), ("singel", "sngl"),
    ("square", "sq"), ("drive", "dr"), ("place", "pl"), ("platz", "pl"), ("gasse", "g"), ("vej", "v"),
    ("gatan", "g"), ("gata", "g"), ("katu", "k"),
)

# Hosts that say nothing about the company behind an address.
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.nl", "hotmail.be", "hotmail.de",
    "hotmail.co.uk", "hotmail.fr", "outlook.com", "outlook.nl", "live.com", "live.nl", "live.be",
    "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "icloud.com", "me.com",
    "mac.com", "aol.com", "protonmail.com", "proton.me", "gmx.de", "gmx.net", "gmx.com", "web.de",
    "t-online.de", "freenet.de", "ziggo.nl", "kpnmail.nl", "kpnplanet.nl", "planet.nl", "home.nl",
    "hetnet.nl", "xs4all.nl", "casema.nl", "chello.nl", "upcmail.nl", "zeelandnet.nl", "quicknet.nl",
    "telfort.nl", "tele2.nl", "skynet.be", "telenet.be", "scarlet.be", "proximus.be", "orange.fr",
    "free.fr", "wanadoo.fr", "laposte.net", "sfr.fr", "btinternet.com", "sky.com", "virginmedia.com",
    "mail.ru", "yandex.ru", "yandex.com", "qq.com", "163.com", "126.com", "naver.com", "mail.com",
    "online.no", "telia.com", "hotmail.se", "hotmail.dk", "jubii.dk",
})

# Country names and codes as people type them -> ISO 3166-1 alpha-2.
COUNTRY_NAMES = {
    "nederland": "NL", "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "nl": "NL",
    "nld": "NL", "pays bas": "NL", "niederlande": "NL",
    "belgie": "BE", "belgium": "BE", "belgique": "BE", "belgien": "BE", "be": "BE", "bel": "BE",
    "duitsland": "DE", "germany": "DE", "deutschland": "DE", "allemagne": "DE", "de": "DE", "deu": "DE",
    "united kingdom": "GB", "uk": "GB", "gb": "GB", "great britain": "GB", "england": "GB",
    "engeland": "GB", "verenigd koninkrijk": "GB", "gbr": "GB", "scotland": "GB", "wales": "GB",
    "france": "FR", "frankrijk": "FR", "frankreich": "FR", "fr": "FR", "fra": "FR",
    "luxembourg": "LU", "luxemburg": "LU", "lu": "LU",
    "denmark": "DK", "danmark": "DK", "denemarken": "DK", "dk": "DK",
    "sweden": "SE", "sverige": "SE", "zweden": "SE", "se": "SE",
    "norway": "NO", "norge": "NO", "noorwegen": "NO", "no": "NO",
    "finland": "FI", "suomi": "FI", "fi": "FI",
    "austria": "AT", "osterreich": "AT", "oostenrijk": "AT", "at": "AT",
    "switzerland": "CH", "schweiz": "CH", "suisse": "CH", "zwitserland": "CH", "ch": "CH",
    "spain": "ES", "espana": "ES", "spanje": "ES", "es": "ES",
    "italy": "IT", "italia": "IT", "italie": "IT", "it": "IT",
    "ireland": "IE", "ierland": "IE", "ie": "IE", "poland": "PL", "polska": "PL", "pl": "PL",
    "united states": "US", "usa": "US", "us": "US", "verenigde staten": "US",
    "russia": "RU", "rusland": "RU", "ru": "RU", "greece": "GR", "griekenland": "GR", "gr": "GR",
    "china": "CN", "cn": "CN", "japan": "JP", "jp": "JP", "portugal": "PT", "pt": "PT",
}

# Country calling codes, for phone numbers written with or without them.
CALLING_CODES = {
    "NL": "31", "BE": "32", "DE": "49", "GB": "44", "FR": "33", "LU": "352", "DK": "45", "SE": "46",
    "NO": "47", "FI": "358", "AT": "43", "CH": "41", "ES": "34", "IT": "39", "IE": "353", "PL": "48",
    "US": "1", "RU": "7", "GR": "30", "CN": "86", "JP": "81", "PT": "351",
}
KNOWN_CALLING_CODES = tuple(sorted(set(CALLING_CODES.values()), key=len, reverse=True))

# Cyrillic and Greek to Latin, so "Иванов" meets "Ivanov" and "Παπαδόπουλος" meets "Papadopoulos".
TRANSLITERATION = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i", "є": "e",
    "ґ": "g",
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    # Latin letters that do not decompose into a base letter and an accent
    "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "ŀ": "l", "ĳ": "ij",
}
