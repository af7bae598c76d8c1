"""The committee's Markdown: rendered for reading, never able to run or load anything."""

from committee.publication.markdown import first_paragraph, render


def test_emphasis_and_lists_become_html():
    html = render("Dit is **sterk** en *schuin*.\n\n- een\n- twee")
    assert "<strong>sterk</strong>" in html and "<em>schuin</em>" in html
    assert "<li>een</li>" in html


def test_raw_html_is_shown_as_text_not_run():
    html = render("Hallo <script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_dropped_and_web_links_get_a_safe_rel():
    html = render("[klik](javascript:alert(1)) en [gemeente](https://gemeente.example)")
    assert 'href="javascript' not in html
    assert 'href="https://gemeente.example"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_images_are_not_loaded():
    assert "<img" not in render("![foto](https://tracker.example/pixel.png)")


def test_a_hash_line_stays_a_paragraph_because_the_page_has_its_own_headings():
    assert render("# Groot") == "<p># Groot</p>\n"


def test_a_line_break_typed_on_a_phone_stays_a_line_break():
    assert "<br>" in render("regel een\nregel twee")


def test_empty_text_renders_nothing():
    assert render("  ") == "" and render(None) == ""


def test_first_paragraph_is_plain_text_cut_at_a_word():
    text = "Een **vette** zin met & teken.\n\nTweede alinea."
    assert first_paragraph(text) == "Een vette zin met & teken."
    assert first_paragraph("woord " * 100, limit=20) == "woord woord woord …"
