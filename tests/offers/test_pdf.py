"""Rebuilding a PDF annex: what the new file keeps, what it leaves behind, and the limits."""

import io

import pytest
from pypdf import PdfReader, PdfWriter

from committee.offers import pdf
from tests.pdfs import everything_in, flate_bomb, make_pdf, with_earlier_revision

SECRET = "Kwispelstaart"
LIMITS = pdf.Limits(max_pages=5, seconds=30, memory_mb=768)


def _rebuild(tmp_path, data: bytes, limits=LIMITS, keep=None):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(data)
    pages = pdf.rebuild(source, target, limits, keep=keep)
    return pages, target.read_bytes()


def test_the_pages_and_their_text_survive(tmp_path):
    pages, out = _rebuild(tmp_path, make_pdf([["Een huiskamer."], ["Twee buurtwerkers."]]))
    assert [p.text.strip() for p in pages] == ["Een huiskamer.", "Twee buurtwerkers."]
    assert len(PdfReader(io.BytesIO(out)).pages) == 2


@pytest.mark.parametrize(
    "extra",
    [
        {"info": {"/Author": SECRET, "/Title": SECRET, "/Creator": SECRET}},
        {"xmp": SECRET},
        {"annotation": SECRET},
        {"link": f"https://{SECRET}.nl"},
        {"bookmark": SECRET},
        {"attachment": (f"{SECRET}.txt", SECRET.encode())},
        {"field_value": SECRET},
        {"javascript": f"app.alert('{SECRET}')"},
        {"page_piece_info": SECRET},
        {"image": True, "image_metadata": SECRET},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_what_is_not_on_the_page_is_not_in_the_new_file(tmp_path, extra):
    data = make_pdf(**extra)
    assert SECRET.lower() in everything_in(data).lower()  # the hostile file really holds it
    pages, out = _rebuild(tmp_path, data)
    assert SECRET.lower() not in everything_in(out).lower()
    assert not any(SECRET.lower() in (p.text + p.hidden).lower() for p in pages)


def test_an_earlier_revision_is_not_carried_over(tmp_path):
    data = with_earlier_revision(make_pdf([[f"Stichting {SECRET}"]]), ["Ons plan."])
    assert SECRET.encode() in data
    pages, out = _rebuild(tmp_path, data)
    assert pages[0].text.strip() == "Ons plan."
    assert SECRET.lower() not in everything_in(out).lower()


def test_the_new_file_has_no_document_information_and_a_bare_catalogue(tmp_path):
    _, out = _rebuild(tmp_path, make_pdf(info={"/Producer": SECRET}, bookmark=SECRET))
    reader = PdfReader(io.BytesIO(out))
    assert reader.metadata is None
    assert set(reader.trailer["/Root"].keys()) == {"/Type", "/Pages"}


@pytest.mark.parametrize(
    "extra",
    [
        {"actual_text": SECRET},
        {"form_text": SECRET},
        {"font_name": SECRET},
        {"resource_name": SECRET},
        {"invisible_text": SECRET},
        {"hex_text": SECRET},
        {"tj_pieces": ["Kwis", "pel", "staart"]},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_text_that_stays_on_the_page_is_reported_for_the_scan(tmp_path, extra):
    pages, _ = _rebuild(tmp_path, make_pdf(**extra))
    assert SECRET.lower() in (pages[0].text + pages[0].hidden).lower()


def test_pages_with_images_are_flagged(tmp_path):
    pages, _ = _rebuild(tmp_path, make_pdf([["a"], ["b"]], image=True))
    assert [p.images for p in pages] == [True, True]
    pages, _ = _rebuild(tmp_path, make_pdf([["a"]]))
    assert pages[0].images is False


def test_only_the_kept_pages_are_written(tmp_path):
    pages, out = _rebuild(tmp_path, make_pdf([["een"], ["twee"], ["drie"]]), keep=[1, 3])
    assert [p.text.strip() for p in pages] == ["een", "drie"]
    assert "twee" not in everything_in(out)


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path):
    with pytest.raises(pdf.PdfRefused) as refused:
        _rebuild(tmp_path, b"PK\x03\x04 a zip file pretending to be a PDF")
    assert refused.value.code == "not_pdf"


def test_a_broken_pdf_is_refused(tmp_path):
    with pytest.raises(pdf.PdfRefused) as refused:
        _rebuild(tmp_path, b"%PDF-1.7\n this is not really a PDF at all")
    assert refused.value.code == "unreadable"


def test_a_password_protected_pdf_is_refused(tmp_path):
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf()))
    writer.encrypt("geheim", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(pdf.PdfRefused) as refused:
        _rebuild(tmp_path, out.getvalue())
    assert refused.value.code == "encrypted"


def test_too_many_pages_is_refused_with_the_count(tmp_path):
    with pytest.raises(pdf.PdfRefused) as refused:
        _rebuild(tmp_path, make_pdf([["x"]] * 6))
    assert (refused.value.code, refused.value.pages) == ("too_many_pages", 6)


def test_the_worker_is_stopped_at_its_time_limit(tmp_path):
    with pytest.raises(pdf.PdfRefused) as refused:
        _rebuild(tmp_path, make_pdf(), limits=pdf.Limits(seconds=0.01))
    assert refused.value.code == "timeout"
    assert not (tmp_path / "out.pdf").exists()


def test_a_decompression_bomb_beyond_pypdfs_own_limit_is_refused(tmp_path):
    with pytest.raises(pdf.PdfRefused) as refused:
        _rebuild(tmp_path, flate_bomb(300))
    assert refused.value.code == "unreadable"


def test_a_decompression_bomb_within_pypdfs_limit_hits_the_memory_limit(tmp_path):
    small = pdf.Limits(memory_mb=128)
    assert _rebuild(tmp_path, make_pdf(), limits=small)[0]  # an ordinary PDF fits in 128 MB
    with pytest.raises(pdf.PdfRefused) as refused:
        _rebuild(tmp_path, flate_bomb(70), limits=small)
    assert refused.value.code == "memory"
