"""Reading CBS "Kerncijfers wijken en buurten" files into a neighbourhood profile."""

from pathlib import Path

import pytest

from committee.wijk import profile
from committee.wijk.profile import ProfileFileError, build_profile, parse_cbs_csv

EXAMPLE = Path(__file__).parents[2] / "static" / "examples" / "kerncijfers-voorbeeldstad-fictief.csv"
DEMO_BUURTEN = [
    ("Molenbuurt", None),
    ("Parkbuurt", None),
    ("Stationsbuurt", None),
    ("De Akkers", None),
]

KWB = """\
gwb_code_10;gwb_code;regio;gm_naam;recs;a_inw;a_man;a_vrouw;a_00_14;a_15_24;a_25_44;a_45_64;a_65_oo
WK999901;999901;Wijk fictief;Proefstad;Wijk;300;150;150;50;50;100;60;40
BU99990101;99990101;Noord;Proefstad;Buurt;200;100;100;30;30;70;40;30
BU99990102;99990102;Zuid;Proefstad;Buurt;100;50;50;20;20;30;20;10
"""


def test_the_shipped_example_file_gives_the_demo_neighbourhood_its_figures():
    rows = parse_cbs_csv(profile.decode(EXAMPLE.read_bytes()))
    result = build_profile(rows, wijk_code="WK999901", buurten=DEMO_BUURTEN)
    assert result.missing_buurten == []
    assert result.amounts[("buurt", "Molenbuurt")] == 3100
    assert result.amounts[("leeftijd", "65+")] == 2000  # from the wijk's own row
    assert result.amounts[("geslacht", "Vrouw")] == 5050


def test_the_kwb_column_style_is_understood_and_buurten_are_found_by_code():
    rows = parse_cbs_csv(KWB)
    result = build_profile(
        rows, wijk_code=None, buurten=[("Noord", "BU99990101"), ("Andere naam", "BU99990102")]
    )
    assert result.amounts[("buurt", "Andere naam")] == 100
    # Without the wijk's code, the age groups are the sum over the buurten found.
    assert result.amounts[("leeftijd", "25-45")] == 100


def test_a_buurt_that_is_not_in_the_file_is_reported():
    result = build_profile(parse_cbs_csv(KWB), wijk_code=None, buurten=[("Noord", None), ("Oost", None)])
    assert result.missing_buurten == ["Oost"]


def test_secret_numbers_count_as_unknown():
    text = "Codering_3;WijkenEnBuurten;AantalInwoners_5\nBU00000001;Haven;.\n"
    result = build_profile(parse_cbs_csv(text), wijk_code=None, buurten=[("Haven", None)])
    assert result.missing_buurten == ["Haven"] and result.amounts == {}


def test_a_file_without_inhabitants_is_refused_in_words():
    with pytest.raises(ProfileFileError) as caught:
        parse_cbs_csv("naam;kleur\nNoord;blauw\n")
    assert caught.value.kind == "columns"


def test_an_empty_file_is_refused():
    with pytest.raises(ProfileFileError):
        parse_cbs_csv("   ")


def test_a_windows_encoded_file_is_read():
    text = "Codering_3;WijkenEnBuurten;AantalInwoners_5\nBU00000001;Café-buurt;12\n"
    rows = parse_cbs_csv(profile.decode(text.encode("cp1252")))
    assert rows[0].name == "Café-buurt"
