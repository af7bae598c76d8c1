"""The English catalogue covers every Dutch string, with the same placeholders.

Strings are written in Dutch in the source and extracted to ``translations/messages.pot``
(``make translations``). These tests fail when a string in the source is missing from the
template, when a msgid has no English translation (or a fuzzy one), or when a translation
drops, adds or changes a placeholder, HTML tag or line break: at run time that would raise
a ``KeyError`` or show the wrong value.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "translations" / "messages.pot"
LOCALES = ["en"]

# %(name)s / %(n)d / %s / %% (python-format), {name} (str.format), HTML tags and entities, line breaks.
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sdifr]|\{[A-Za-z_]\w*\}|<[^>]+>|&#?\w+;|\n"
)


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def _edges(text: str) -> tuple[str, str]:
    """Leading and trailing whitespace, which the translation must keep."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _key(msgid: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return msgid if isinstance(msgid, str) else tuple(msgid)


def _label(msgid: str | tuple[str, ...]) -> str:
    return repr(msgid if isinstance(msgid, str) else msgid[0])[:100]


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(POT)


def test_template_has_every_string_in_the_source(template: Catalog) -> None:
    """Run ``make translations`` after adding or changing a string."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    # Jinja's extractor skips a template it cannot parse without a word (an extension the app
    # uses but babel.cfg does not name, for one): here such a template fails the test instead.
    for pattern, method in method_map:
        if method == "jinja2":
            options_map[pattern] = {**options_map.get(pattern, {}), "silent": "false"}
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}  # as in the Makefile
    in_source = {
        _key(message)
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    }
    in_template = {_key(m.id) for m in template if m.id}
    missing = sorted(in_source - in_template, key=str)
    assert not missing, f"{len(missing)} strings are not in messages.pot: " + "; ".join(map(_label, missing))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_msgid_is_translated(template: Catalog, locale: str) -> None:
    catalogue = _read(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    problems: list[str] = []
    for entry in template:
        if not entry.id:
            continue
        translated = catalogue.get(entry.id, context=entry.context)
        if translated is None:
            problems.append(f"missing from messages.po: {_label(entry.id)}")
            continue
        if translated.fuzzy:
            problems.append(f"marked fuzzy: {_label(entry.id)}")
        if isinstance(entry.id, str):
            pairs = [(entry.id, translated.string)]
        else:
            strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
            if len(strings) != catalogue.num_plurals:
                problems.append(
                    f"{len(strings)} plural forms, expected {catalogue.num_plurals}: {_label(entry.id)}"
                )
            # Singular form against msgid, every other form against msgid_plural.
            pairs = [(entry.id[0] if i == 0 else entry.id[1], s) for i, s in enumerate(strings)]
        for source, target in pairs:
            if not target or not target.strip():
                problems.append(f"no translation: {_label(source)}")
                continue
            if _placeholders(source) != _placeholders(target):
                want, got = sorted(_placeholders(source).elements()), sorted(_placeholders(target).elements())
                problems.append(f"placeholders differ: {_label(source)} -> {target!r} ({want} vs {got})")
            if _edges(source) != _edges(target):
                problems.append(f"leading or trailing whitespace differs: {_label(source)} -> {target!r}")
    assert not problems, f"{len(problems)} problems in {locale}/messages.po:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_passes_babel_checks(locale: str) -> None:
    """The checks ``pybabel compile`` runs: python-format and the number of plural forms."""
    catalogue = _read(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    errors = [
        f"{_label(message.id)}: {'; '.join(map(str, errs))}" for message, errs in catalogue.check() if errs
    ]
    assert not errors, "\n".join(errors)
