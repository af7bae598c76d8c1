"""Anonymisation rules for offer text."""

from types import SimpleNamespace

from committee.offers.anonymise import MARK, identifiers_for, pseudonym_letters, redact


def test_declared_name_is_removed_whatever_its_case():
    assert redact("Wij zijn STICHTING BUURTKRACHT.", ["Stichting Buurtkracht"]) == f"Wij zijn {MARK}."


def test_a_name_broken_over_a_line_or_extra_spaces_is_still_removed():
    text = "Stichting\nBuurtkracht en stichting   buurtkracht"
    assert redact(text, ["Stichting Buurtkracht"]) == f"{MARK} en {MARK}"


def test_accents_do_not_hide_a_name():
    assert redact("Coöperatie Samen Sterk en Cooperatie Samen Sterk",
                  ["Coöperatie Samen Sterk"]) == f"{MARK} en {MARK}"


def test_part_of_a_longer_word_is_left_alone():
    assert redact("Buurtkrachtig werk", ["Buurtkracht"]) == "Buurtkrachtig werk"


def test_email_web_address_and_phone_number_are_removed():
    text = "Mail info@voorbeeld.nl, zie www.voorbeeld.nl of bel 06-12345678."
    redacted = redact(text, [])
    assert "voorbeeld" not in redacted and "12345678" not in redacted
    assert redacted.count(MARK) == 3


def test_identifiers_include_website_domain_and_kvk_number():
    organisation = SimpleNamespace(name="Stichting X", kvk_number="12345678",
                                   website="https://www.buurtkracht.example/over")
    found = identifiers_for(organisation, ["Anna de Vries"])
    assert {"Stichting X", "12345678", "buurtkracht.example", "Anna de Vries"} <= set(found)
    assert MARK in redact("kijk op buurtkracht.example", found)


def test_pseudonyms_run_a_to_z_then_aa():
    labels = pseudonym_letters(28)
    assert labels[:3] == ["A", "B", "C"] and labels[25:] == ["Z", "AA", "AB"]


def test_the_full_stop_after_a_web_address_stays():
    assert redact("Kijk op www.voorbeeld.example.", []) == f"Kijk op {MARK}."
    assert redact("(https://voorbeeld.example/pad?x=1), en meer", []) == f"({MARK}), en meer"
