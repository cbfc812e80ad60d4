"""Normalisation tables: each row is a spelling seen in real customer files."""
import pytest

from exact_tui.matching import (
    email_parts, fold, normalise_address, normalise_coc, normalise_code, normalise_country, normalise_name,
    normalise_phone, normalise_postcode, normalise_vat, website_domain,
)


@pytest.mark.parametrize("name, core", [
    ("Jansen Bouw B.V.", "jansen bouw"),
    ("JANSEN BOUW BV", "jansen bouw"),
    ("jansen bouw b.v", "jansen bouw"),
    ("Jansen Bouw Besloten Vennootschap", "jansen bouw"),
    ("Philips N.V.", "philips"),
    ("Bakkerij de Vries V.O.F.", "bakkerij vries"),
    ("Smits C.V.", "smits"),
    ("Müller GmbH & Co. KG", "muller"),
    ("Siemens AG", "siemens"),
    ("Acme Ltd.", "acme"),
    ("Acme Limited", "acme"),
    ("Acme LLC", "acme"),
    ("Acme, Inc.", "acme"),
    ("Acme plc", "acme"),
    ("Dupont S.A.", "dupont"),
    ("Dupont SARL", "dupont"),
    ("Dupont S.A.R.L.", "dupont"),
    ("Peeters SPRL", "peeters"),
    ("Peeters BVBA", "peeters"),
    ("Peeters B.V.B.A.", "peeters"),
    ("Nordisk ApS", "nordisk"),
    ("Nordisk A/S", "nordisk"),
    ("Volvo AB", "volvo"),
    ("Nokia Oy", "nokia"),
    ("Nokia Oyj", "nokia"),
    ("The Smith Company", "smith"),
    ("Het Bakkershuis", "bakkershuis"),
    ("Van der Berg Installatietechniek", "van der berg installatietechniek"),
    ("Crème Brûlée Café", "creme brulee cafe"),
    ("A.B.C. Consultancy", "abc consultancy"),
    ("A B C Consultancy", "abc consultancy"),
    ("Intl Mgmt Svcs", "international management services"),
    ("Größer Maschinenbau", "grosser maschinenbau"),
    ("Sørensen & Søn", "sorensen son"),
])
def test_legal_forms_accents_articles(name, core):
    assert normalise_name(name).core == core


def test_removed_words_are_kept_for_explanations():
    key = normalise_name("Jansen Bouw B.V.")
    assert key.removed == ("B.V.",)


@pytest.mark.parametrize("name, flag", [("Jansen Holding B.V.", "Holding"), ("Stichting Het Gilde", "Stichting"),
                                         ("Jansen Beheer", "Beheer")])
def test_entity_words_are_flagged_not_silently_dropped(name, flag):
    key = normalise_name(name)
    assert flag in key.flags
    assert flag.lower() not in key.core


def test_name_that_is_only_a_legal_form_is_kept():
    assert normalise_name("B.V.").core == "bv"
    assert normalise_name("Holding").core == "holding"


@pytest.mark.parametrize("name, core", [
    ("Иванов", "ivanov"), ("Παπαδόπουλος", "papadopoylos"), ("東京商事", "東京商事"), ("Ελληνικά Α.Ε.", "ellinika"),
])
def test_unicode_names(name, core):
    assert normalise_name(name).core == core


def test_fold_keeps_scripts_it_cannot_transliterate():
    assert fold("株式会社") == "株式会社"
    assert fold("ÉCOLE") == "ecole"


@pytest.mark.parametrize("text, street, house", [
    ("Kerkstraat 12a", "kerkstr", "12a"),
    ("Kerkstr. 12-A", "kerkstr", "12a"),
    ("Hauptstraße 5", "hauptstr", "5"),
    ("12 High Street", "high st", "12"),
    ("12 High St.", "high st", "12"),
    ("Stationsweg 1", "stationswg", "1"),
])
def test_addresses(text, street, house):
    key = normalise_address(text)
    assert (key.street, key.house) == (street, house)


@pytest.mark.parametrize("postcode, country, full, area", [
    ("1234 AB", "NL", "1234AB", "1234"),
    ("1234ab", "", "1234AB", "1234"),
    ("NL-1234 AB", "NL", "1234AB", "1234"),
    ("B-1000", "BE", "1000", "100"),
    ("1000", "BE", "1000", "100"),
    ("D-80331", "DE", "80331", "803"),
    ("80331", "DE", "80331", "803"),
    ("SW1A 1AA", "GB", "SW1A1AA", "SW1A"),
    ("sw1a1aa", "", "SW1A1AA", "SW1A"),
    ("", "NL", "", ""),
])
def test_postcodes(postcode, country, full, area):
    assert normalise_postcode(postcode, country) == (full, area)


@pytest.mark.parametrize("phone, country, digits", [
    ("+31 (0)20-123 4567", "", "31201234567"),
    ("020 123 4567", "NL", "31201234567"),
    ("0031 20 1234567", "", "31201234567"),
    ("+32 3 123 45 67", "", "3231234567"),
    ("03 123 45 67", "BE", "3231234567"),
    ("+49 (0)30 1234567", "", "49301234567"),
    ("+44 20 7946 0958", "GB", "442079460958"),
    ("020 7946 0958", "GB", "442079460958"),
    ("'+31 20 1234567", "", "31201234567"),
    ("", "NL", ""),
])
def test_phones(phone, country, digits):
    assert normalise_phone(phone, country) == digits


@pytest.mark.parametrize("vat, body", [
    ("NL812345678B01", "812345678B01"), ("nl 8123.45.678.b01", "812345678B01"), ("812345678B01", "812345678B01"),
    ("BE0123456789", "123456789"), ("BE 0123.456.789", "123456789"), ("DE123456789", "123456789"),
    ("GB123 4567 89", "123456789"), ("", ""), ("n/a", ""),
])
def test_vat_numbers(vat, body):
    assert normalise_vat(vat) == body


@pytest.mark.parametrize("coc, key", [("12345678", "12345678"), ("1234 5678", "12345678"),
                                      ("123456780001", "12345678"), ("01234567", "1234567"), ("12", "")])
def test_chamber_of_commerce_numbers(coc, key):
    assert normalise_coc(coc) == key


def test_codes_ignore_padding_and_leading_zeros():
    assert normalise_code("              1042") == "1042"
    assert normalise_code("001042") == "1042"
    assert normalise_code("ab-12") == "AB-12"


def test_several_addresses_in_one_field_use_the_first_real_one():
    assert email_parts("a@jansen.nl; b@bakker.nl") == ("a@jansen.nl", "jansen.nl")
    # text before the address that is none: once this raised IndexError and ended the whole run
    assert email_parts("attn. Jan;jan@Jansen.nl") == ("jan@jansen.nl", "jansen.nl")
    assert email_parts("x,;@") == ("@", "")


def test_email_domains_ignore_free_mail():
    assert email_parts("Info@Jansen-Bouw.NL") == ("info@jansen-bouw.nl", "jansen-bouw.nl")
    assert email_parts("piet@gmail.com") == ("piet@gmail.com", "")
    assert email_parts("jan@mail.jansen.nl") == ("jan@mail.jansen.nl", "jansen.nl")
    assert email_parts("not an address") == ("", "")
    assert website_domain("https://www.jansen.co.uk/contact") == "jansen.co.uk"


@pytest.mark.parametrize("text, iso", [("Nederland", "NL"), ("the Netherlands", "NL"), ("NL", "NL"),
                                       ("België", "BE"), ("Deutschland", "DE"), ("United Kingdom", "GB"),
                                       ("dk", "DK"), ("", ""), ("Atlantis", "")])
def test_countries(text, iso):
    assert normalise_country(text) == iso
