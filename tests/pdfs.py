"""Build small PDFs for tests with pypdf, including hostile ones that hide a bidder's identity.

Each keyword argument of ``make_pdf`` puts text somewhere a careless rebuild would carry over.
"""

from __future__ import annotations

import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator><rdf:Seq><rdf:li>{text}</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252), as Helvetica shows it."""
    return b"(" + _escape(text.encode("cp1252", errors="replace")) + b")"


def text_ops(lines: list[str], *, y: int = 740, font: str = "/F1", mode: int = 0) -> bytes:
    ops = [b"BT", font.encode() + b" 12 Tf", b"16 TL", b"%d Tr" % mode, b"72 %d Td" % y]
    for line in lines:
        ops.append(pdf_string(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def _font(writer: PdfWriter, base_font: str = "/Helvetica"):
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(base_font),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )


def _stream(writer: PdfWriter, data: bytes, **entries) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject("/" + key)] = value
    return writer._add_object(stream)


def _xmp_stream(writer: PdfWriter, text: str):
    return _stream(
        writer,
        XMP.format(text=text).encode(),
        Type=NameObject("/Metadata"),
        Subtype=NameObject("/XML"),
    )


def make_pdf(
    pages: list[list[str]] | None = None,
    *,
    info: dict | None = None,
    xmp: str | None = None,
    annotation: str | None = None,
    link: str | None = None,
    bookmark: str | None = None,
    attachment: tuple[str, bytes] | None = None,
    image: bool = False,
    image_metadata: str | None = None,
    form_text: str | None = None,
    actual_text: str | None = None,
    invisible_text: str | None = None,
    font_name: str | None = None,
    resource_name: str | None = None,
    page_piece_info: str | None = None,
    field_value: str | None = None,
    javascript: str | None = None,
    hex_text: str | None = None,
    tj_pieces: list[str] | None = None,
) -> bytes:
    """A PDF with one page per entry of ``pages`` (lines of text), and extras where asked."""
    pages = pages if pages is not None else [["Ons plan voor de wijk."]]
    writer = PdfWriter()
    font_key = "/" + resource_name if resource_name else "/F1"
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        fonts = DictionaryObject(
            {NameObject(font_key): _font(writer, "/" + font_name if font_name else "/Helvetica")}
        )
        resources = DictionaryObject({NameObject("/Font"): fonts})
        content = text_ops(lines, font=font_key)
        if invisible_text:
            content += b"\n" + text_ops([invisible_text], y=400, font=font_key, mode=3)
        if actual_text:
            content += (
                b"\n/Span << /ActualText "
                + pdf_string(actual_text)
                + b" >> BDC\n"
                + text_ops(["(zie bijlage)"], y=380, font=font_key)
                + b"\nEMC"
            )
        if hex_text:
            content += (
                b"\nBT "
                + font_key.encode()
                + b" 12 Tf 72 360 Td <"
                + hex_text.encode("cp1252").hex().encode()
                + b"> Tj ET"
            )
        if tj_pieces:
            array = b" -30 ".join(pdf_string(piece) for piece in tj_pieces)
            content += b"\nBT " + font_key.encode() + b" 12 Tf 72 340 Td [" + array + b"] TJ ET"
        xobjects = DictionaryObject()
        if image:
            img = StreamObject()
            img._data = b"\xff\x00\x00"
            img.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Image"),
                    NameObject("/Width"): NumberObject(1),
                    NameObject("/Height"): NumberObject(1),
                    NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                    NameObject("/BitsPerComponent"): NumberObject(8),
                }
            )
            if image_metadata:
                img[NameObject("/Metadata")] = _xmp_stream(writer, image_metadata)
            xobjects[NameObject("/Im1")] = writer._add_object(img)
            content += b"\nq 100 0 0 100 72 200 cm /Im1 Do Q"
        if form_text:
            form = DecodedStreamObject()
            form.set_data(text_ops([form_text], y=300, font="/F1"))
            form.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): ArrayObject(
                        [FloatObject(0), FloatObject(0), FloatObject(612), FloatObject(792)]
                    ),
                    NameObject("/Resources"): DictionaryObject(
                        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): _font(writer)})}
                    ),
                    NameObject("/Metadata"): _xmp_stream(writer, form_text),
                }
            )
            xobjects[NameObject("/Fm1")] = writer._add_object(form)
            content += b"\n/Fm1 Do"
        if xobjects:
            resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = _stream(writer, content)
        if page_piece_info:
            page[NameObject("/PieceInfo")] = DictionaryObject(
                {
                    NameObject("/Maker"): DictionaryObject(
                        {NameObject("/Private"): TextStringObject(page_piece_info)}
                    )
                }
            )
            page[NameObject("/Metadata")] = _xmp_stream(writer, page_piece_info)
        annots = ArrayObject()
        if annotation:
            annots.append(
                writer._add_object(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Annot"),
                            NameObject("/Subtype"): NameObject("/Text"),
                            NameObject("/Rect"): ArrayObject(
                                [FloatObject(50), FloatObject(50), FloatObject(80), FloatObject(80)]
                            ),
                            NameObject("/Contents"): TextStringObject(annotation),
                            NameObject("/T"): TextStringObject(annotation),
                        }
                    )
                )
            )
        if link:
            annots.append(
                writer._add_object(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Annot"),
                            NameObject("/Subtype"): NameObject("/Link"),
                            NameObject("/Rect"): ArrayObject(
                                [
                                    FloatObject(72),
                                    FloatObject(700),
                                    FloatObject(300),
                                    FloatObject(720),
                                ]
                            ),
                            NameObject("/A"): DictionaryObject(
                                {
                                    NameObject("/S"): NameObject("/URI"),
                                    NameObject("/URI"): TextStringObject(link),
                                }
                            ),
                        }
                    )
                )
            )
        if field_value:
            field = writer._add_object(
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Annot"),
                        NameObject("/Subtype"): NameObject("/Widget"),
                        NameObject("/FT"): NameObject("/Tx"),
                        NameObject("/T"): TextStringObject("naam"),
                        NameObject("/V"): TextStringObject(field_value),
                        NameObject("/Rect"): ArrayObject(
                            [FloatObject(72), FloatObject(100), FloatObject(300), FloatObject(120)]
                        ),
                    }
                )
            )
            annots.append(field)
            writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
                {
                    NameObject("/Fields"): ArrayObject([field]),
                    NameObject("/NeedAppearances"): BooleanObject(True),
                }
            )
        if annots:
            page[NameObject("/Annots")] = annots
    if info:
        writer.add_metadata(info)
    if xmp:
        writer._root_object[NameObject("/Metadata")] = _xmp_stream(writer, xmp)
    if bookmark:
        writer.add_outline_item(title=bookmark, page_number=0)
    if attachment:
        writer.add_attachment(*attachment)
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(javascript),
            }
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_earlier_revision(first: bytes, replacement_lines: list[str]) -> bytes:
    """``first`` plus an incremental update that replaces page 1's text: the old text stays in
    the file as an earlier revision."""
    writer = PdfWriter(io.BytesIO(first), incremental=True)
    page = writer.pages[0]
    page[NameObject("/Contents")] = _stream(writer, text_ops(replacement_lines))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flate_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` of spaces."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = StreamObject()
    stream._data = data
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def everything_in(data: bytes) -> str:
    """All text a person could get out of a PDF file: raw bytes, every stream inflated, every
    string and name, the metadata and each page's extracted text."""
    parts = [data.decode("latin-1")]
    for chunk in data.split(b"stream")[1:]:
        body = chunk.split(b"endstream")[0].strip(b"\r\n")
        try:
            parts.append(zlib.decompress(body).decode("latin-1"))
        except zlib.error:
            pass
    reader = PdfReader(io.BytesIO(data))
    if reader.metadata:
        parts.extend(str(v) for v in reader.metadata.values())
    for page in reader.pages:
        parts.append(page.extract_text() or "")
    return "\n".join(parts)
