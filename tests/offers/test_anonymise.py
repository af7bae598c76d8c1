"""Anonymisation rules for offer text."""

from types import SimpleNamespace

from committee.offers.anonymise import (
    MARK,
    find,
    identifiers_for,
    pseudonym_letters,
    redact,
    segments,
)


def test_declared_name_is_removed_whatever_its_case():
    assert redact("Wij zijn STICHTING BUURTKRACHT.", ["Stichting Buurtkracht"]) == f"Wij zijn {MARK}."


def test_a_name_broken_over_a_line_or_extra_spaces_is_still_removed():
    text = "Stichting\nBuurtkracht en stichting   buurtkracht"
    assert redact(text, ["Stichting Buurtkracht"]) == f"{MARK} en {MARK}"


def test_accents_do_not_hide_a_name():
    assert (
        redact("Coöperatie Samen Sterk en Cooperatie Samen Sterk", ["Coöperatie Samen Sterk"])
        == f"{MARK} en {MARK}"
    )


def test_part_of_a_longer_word_is_left_alone():
    assert redact("Buurtkrachtig werk", ["Buurtkracht"]) == "Buurtkrachtig werk"


def test_email_web_address_and_phone_number_are_removed():
    text = "Mail info@voorbeeld.nl, zie www.voorbeeld.nl of bel 06-12345678."
    redacted = redact(text, [])
    assert "voorbeeld" not in redacted and "12345678" not in redacted
    assert redacted.count(MARK) == 3


def test_identifiers_include_website_domain_and_kvk_number():
    organisation = SimpleNamespace(
        name="Stichting X", kvk_number="12345678", website="https://www.buurtkracht.example/over"
    )
    found = identifiers_for(organisation, ["Anna de Vries"])
    assert {"Stichting X", "12345678", "buurtkracht.example", "Anna de Vries"} <= set(found)
    assert MARK in redact("kijk op buurtkracht.example", found)


def test_pseudonyms_run_a_to_z_then_aa():
    labels = pseudonym_letters(28)
    assert labels[:3] == ["A", "B", "C"] and labels[25:] == ["Z", "AA", "AB"]


def test_the_full_stop_after_a_web_address_stays():
    assert redact("Kijk op www.voorbeeld.example.", []) == f"Kijk op {MARK}."
    assert redact("(https://voorbeeld.example/pad?x=1), en meer", []) == f"({MARK}), en meer"


# The tolerant matching: what a bidder who wants to be recognised might try.

NAME = ["Stichting Kwispelstaart"]


def test_a_name_hyphenated_over_a_line_is_removed():
    assert redact("Wij, Stichting Kwispel-\n   staart, helpen", NAME) == f"Wij, {MARK}, helpen"


def test_letters_spaced_apart_do_not_hide_a_name():
    assert redact("S t i c h t i n g  K w i s p e l s t a a r t", NAME) == MARK


def test_invisible_characters_inside_a_name_do_not_hide_it():
    assert redact("Stichting Kwis\u00adpel\u200bstaart", NAME) == MARK


def test_full_width_letters_and_ligatures_count_as_plain_letters():
    assert redact("Ｓｔｉｃｈｔｉｎｇ Ｋｗｉｓｐｅｌｓｔａａｒｔ", NAME) == MARK
    assert redact("Stichting Oﬃcina", ["Stichting Officina"]) == MARK


def test_cyrillic_look_alike_letters_count_as_latin():
    assert redact("Stiсhting Kwispelstааrt", NAME) == MARK  # с and а are Cyrillic


def test_a_redaction_covers_exactly_the_original_characters():
    text = "Wij zijn Coöperatie Zonnebloem."
    [found] = find(text, ["Cooperatie Zonnebloem"])
    assert text[found.start : found.end] == "Coöperatie Zonnebloem"


def test_the_legal_form_may_be_left_out_in_the_text():
    organisation = SimpleNamespace(name="Stichting Kwispelstaart (Noord) B.V.", kvk_number=None, website=None)
    assert redact("Kwispelstaart helpt.", identifiers_for(organisation, [])) == f"{MARK} helpt."


def test_a_short_name_of_two_letters_is_not_used_as_identifier():
    assert redact("Wij zijn AB en doen veel.", ["AB"]) == "Wij zijn AB en doen veel."


def test_kvk_and_vat_numbers_are_removed_even_when_not_declared():
    redacted = redact("KvK-nummer: 1234 5678, btw NL123456789B01", [])
    assert "1234" not in redacted and "NL123456789B01" not in redacted


def test_iban_with_or_without_spaces_is_removed():
    redacted = redact("Rekening NL91 ABNA 0417 1643 00 of nl91abna0417164300.", [])
    assert redacted == f"Rekening {MARK} of {MARK}."


def test_postcode_with_house_number_and_street_is_removed():
    text = "Kom langs: Dorpsstraat 12, 1234 AB Proefstad"
    assert redact(text, []) == f"Kom langs: {MARK} Proefstad"
    assert redact("Postcode 5611ab 3a.", []) == f"Postcode {MARK}."


def test_phone_numbers_in_dutch_and_international_forms_are_removed():
    for number in (
        "06-12345678",
        "+31 (0)20 123 45 67",
        "020 - 123 45 67",
        "0031 6 1234 5678",
        "+32 470 12 34 56",
    ):
        assert redact(f"Bel {number} nu", []) == f"Bel {MARK} nu", number


def test_obfuscated_email_and_bare_domains_are_removed():
    redacted = redact("Mail info (at) kwispel (punt) nl of kijk op KWISPEL.NL/over", [])
    assert redacted == f"Mail {MARK} of kijk op {MARK}"


def test_ordinary_numbers_years_and_amounts_stay():
    text = (
        "In 2024 en 2025 werken we 12 weken met 1000 bewoners, voor € 90.000 per jaar. "
        "Dat is 3 keer per week.De wijk.Nu beginnen."
    )
    assert redact(text, NAME) == text


def test_segments_cut_the_text_into_kept_and_redacted_pieces():
    text = "Bel 06-12345678 of mail."
    pieces = segments(text, find(text, []))
    assert [(p.text, p.kind) for p in pieces] == [
        ("Bel ", None),
        ("06-12345678", "phone"),
        (" of mail.", None),
    ]


def test_identifiers_include_partners_contacts_and_other_names():
    partner = SimpleNamespace(name="Buurtbakkerij De Korst", kvk_number="87654321", website="korst.example")
    contact = SimpleNamespace(name="Joke Jansen", email="joke@korst.example", phone="06 1111 2222")
    organisation = SimpleNamespace(
        name="Coalitie Noord",
        kvk_number=None,
        website=None,
        partners=[partner],
        contacts=[contact],
        other_identifiers="CNW\nHuiskamer Het Anker",
    )
    found = set(identifiers_for(organisation, []))
    assert {
        "Buurtbakkerij De Korst",
        "87654321",
        "korst.example",
        "Joke Jansen",
        "joke@korst.example",
        "06 1111 2222",
        "CNW",
        "Huiskamer Het Anker",
    } <= found


def test_an_email_address_at_the_end_of_a_sentence_leaves_the_next_word():
    assert redact("Mail info@kwispel.nl.\nTweede zin.", []) == f"Mail {MARK}.\nTweede zin."


# redact remembers recent answers (the scoring page shows the same texts on every visit) ------


def test_a_remembered_redaction_is_never_given_for_another_text():
    identifiers = ["Stichting Buurtkracht"]
    first = redact("Stichting Buurtkracht helpt ouderen.", identifiers)
    second = redact("Stichting Buurtkracht helpt jongeren.", identifiers)
    assert first == f"{MARK} helpt ouderen."
    assert second == f"{MARK} helpt jongeren."


def test_a_name_declared_after_a_text_was_redacted_is_hidden_the_next_time():
    text = "Stichting Buurtkracht werkt met Huize Zonnebloem."
    assert redact(text, ["Stichting Buurtkracht"]) == f"{MARK} werkt met Huize Zonnebloem."
    assert redact(text, ["Stichting Buurtkracht", "Huize Zonnebloem"]) == f"{MARK} werkt met {MARK}."
    # and the shorter list again gives the answer for the shorter list, not the remembered one
    assert redact(text, ["Stichting Buurtkracht"]) == f"{MARK} werkt met Huize Zonnebloem."


def test_redact_takes_identifiers_from_any_iterable_and_remembers_a_bounded_number():
    from committee.offers import anonymise

    text = "Buurtkracht, altijd Buurtkracht."
    assert redact(text, (i for i in ["Buurtkracht"])) == f"{MARK}, altijd {MARK}."
    for n in range(anonymise.REDACT_CACHE_SIZE + 10):
        redact(f"Tekst {n}", ["Buurtkracht"])
    assert anonymise._redact.cache_info().currsize <= anonymise.REDACT_CACHE_SIZE
