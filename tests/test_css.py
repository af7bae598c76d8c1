"""Our own stylesheet is well formed: a block left open makes every rule after it part of that
block (an unclosed ``@media print`` once hid the score chart's colours on screen)."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"


def _depths(text: str) -> list[int]:
    """The nesting depth after each brace, comments and strings left out."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", '""', text)
    depth, depths = 0, []
    for char in text:
        if char in "{}":
            depth += 1 if char == "{" else -1
            depths.append(depth)
    return depths


def test_every_block_in_app_css_closes_and_nothing_closes_twice():
    depths = _depths(CSS.read_text(encoding="utf-8"))
    assert depths, "no rules found"
    assert min(depths) >= 0, "a } without its {"
    assert depths[-1] == 0, "a block is left open: the rules after it only apply inside it"


def test_the_check_finds_a_block_left_open():
    assert _depths("@media print { .a { color: red; }\n.b { color: blue; }")[-1] == 1
    assert _depths("/* { */ .a { content: '}'; }")[-1] == 0
