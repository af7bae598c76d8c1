"""Rebuild an uploaded PDF page by page into a clean new file, inside a process with limits.

Started by ``committee/offers/pdf.py`` as ``python -I pdf_worker.py SOURCE TARGET [options]``. It
imports only the standard library and pypdf, caps its own memory, CPU time and output size before
it reads a byte, and answers with one line of JSON on stdout.

What the new file keeps of each page: its size, rotation, resources and content. What it never
carries over: document information (metadata), XMP, bookmarks, embedded files, forms, JavaScript,
annotations and links, page thumbnails, structure and piece information, earlier revisions (only
objects the current pages use are copied) and anything else that is not on the list below.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys

# Page keys that are copied; everything else on a page is left behind.
PAGE_KEYS = {
    "/Type",
    "/MediaBox",
    "/CropBox",
    "/BleedBox",
    "/TrimBox",
    "/ArtBox",
    "/Rotate",
    "/Resources",
    "/Contents",
    "/UserUnit",
    "/Group",
}
# Keys removed wherever they occur inside the copied resources.
DROP_KEYS = {
    "/Metadata",
    "/PieceInfo",
    "/AA",
    "/A",
    "/JS",
    "/OPI",
    "/Ref",
    "/StructParent",
    "/StructParents",
    "/LastModified",
    "/Thumb",
    "/Annots",
    "/URI",
    "/EF",
    "/EmbeddedFiles",
    "/Alternates",
    "/Names",
    "/Outlines",
    "/AcroForm",
    "/OpenAction",
}
MAX_TEXT = 200_000  # characters of text kept per page for scanning
MAX_DEPTH = 64


def set_limits(memory_mb: int, cpu_seconds: int, output_mb: int) -> None:
    mb = 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * mb, memory_mb * mb))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_mb * mb, output_mb * mb))


class Refused(Exception):
    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def sanitise(obj, seen: set[int], depth: int = 0) -> None:
    """Remove ``DROP_KEYS`` from every dictionary reachable from ``obj`` (in the new file)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if depth > MAX_DEPTH:
        raise Refused("too_deep")
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, DictionaryObject):
        for key in list(obj.keys()):
            if key in DROP_KEYS:
                del obj[key]
        for value in list(obj.values()):
            sanitise(value, seen, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            sanitise(value, seen, depth + 1)


def _strings(value, out: list[str], depth: int = 0) -> None:
    """Collect the text of every string and name inside a content-stream operand."""
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject

    if depth > MAX_DEPTH:
        return
    if isinstance(value, ByteStringObject):
        out.append(bytes(value).decode("latin-1"))
    elif isinstance(value, str):  # TextStringObject and NameObject are str
        out.append(value[1:] if isinstance(value, NameObject) else str(value))
    elif isinstance(value, DictionaryObject):
        for key, item in value.items():
            out.append(str(key)[1:])
            _strings(item, out, depth + 1)
    elif isinstance(value, ArrayObject):
        pieces: list[str] = []
        for item in value:
            _strings(item, pieces, depth + 1)
        out.append("".join(pieces))  # a TJ array: pieces of one run of text


def _content_strings(stream, pdf, out: list[str]) -> bool:
    """Strings in a content stream's operators; True when it holds an inline image."""
    from pypdf.generic import ContentStream

    inline_image = False
    for operands, operator in ContentStream(stream, pdf).operations:
        if operator == b"INLINE IMAGE":
            inline_image = True
            continue
        for operand in operands:
            _strings(operand, out)
    return inline_image


def inspect(obj, pdf, out: list[str], seen: set[int], depth: int = 0) -> bool:
    """Collect every string and name reachable from ``obj``; True when an image is among them.

    Form XObjects' content streams are parsed too; font programs and image data are binary and
    are not read.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if depth > MAX_DEPTH:
        raise Refused("too_deep")
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    if id(obj) in seen:
        return False
    seen.add(id(obj))
    images = False
    if isinstance(obj, DictionaryObject):
        if obj.get("/Subtype") == "/Image":
            images = True
        if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Form":
            images |= _content_strings(obj, pdf, out)
        for key, value in obj.items():
            if key == "/Parent":
                continue
            out.append(str(key)[1:])
            images |= inspect(value, pdf, out, seen, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            images |= inspect(value, pdf, out, seen, depth + 1)
    else:
        _strings(obj, out, depth)
    return images


def scan(path: str) -> list[dict]:
    """Per page of the new file: its text, every other string in it, and whether it has images."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = []
    for page in reader.pages:
        hidden: list[str] = []
        images = False
        contents = page.get_contents()
        if contents is not None:
            images |= _content_strings(contents, reader, hidden)
        images |= inspect(page, reader, hidden, set())
        try:
            text = page.extract_text() or ""
        except Exception:  # a font pypdf cannot read: the moderator sees an empty page text
            text = ""
        pages.append(
            {
                "text": text[:MAX_TEXT],
                "hidden": "\n".join(s for s in hidden if s.strip())[:MAX_TEXT],
                "images": images,
            }
        )
    return pages


def rebuild(source: str, target: str, max_pages: int, keep: list[int] | None) -> list[dict]:
    from pypdf import PdfReader, PdfWriter

    with open(source, "rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise Refused("not_pdf")
    try:
        reader = PdfReader(source, strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise Refused("encrypted")
            except Refused:
                raise
            except Exception as exc:
                raise Refused("encrypted") from exc
        count = len(reader.pages)
    except Refused:
        raise
    except Exception as exc:
        raise Refused("unreadable") from exc
    if count == 0:
        raise Refused("unreadable")
    if count > max_pages:
        raise Refused("too_many_pages", pages=count)

    numbers = keep if keep is not None else list(range(1, count + 1))
    first = PdfWriter()
    for number in numbers:
        page = reader.pages[number - 1]
        excluded = [key for key in page.keys() if key not in PAGE_KEYS]
        new = first.add_page(page, excluded_keys=excluded)
        for key in list(new.keys()):
            if key not in PAGE_KEYS and key != "/Parent":
                del new[key]
        sanitise(new.get("/Resources"), set())
    # A second copy from the cleaned pages takes along only what they still use: whatever the
    # first pass cut loose (a dropped XMP stream, an action chain) is not reachable any more.
    buffer = io.BytesIO()
    first.write(buffer)
    cleaned = PdfReader(buffer)
    writer = PdfWriter()
    for page in cleaned.pages:
        writer.add_page(page)
    writer.metadata = None
    writer.compress_identical_objects()
    root = writer.root_object
    for key in list(root.keys()):
        if key not in ("/Type", "/Pages"):
            del root[key]
    with open(target, "wb") as handle:
        writer.write(handle)
    return scan(target)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--max-pages", type=int, default=30)
    parser.add_argument("--keep", default=None, help="page numbers to keep, e.g. 1,3,4")
    parser.add_argument("--memory-mb", type=int, default=768)
    parser.add_argument("--cpu-seconds", type=int, default=30)
    parser.add_argument("--output-mb", type=int, default=64)
    args = parser.parse_args(argv)
    set_limits(args.memory_mb, args.cpu_seconds, args.output_mb)
    keep = [int(n) for n in args.keep.split(",") if n] if args.keep is not None else None
    try:
        pages = rebuild(args.source, args.target, args.max_pages, keep)
    except Refused as refused:
        print(json.dumps({"ok": False, "error": refused.code, **refused.details}))
        return 2
    except MemoryError:
        print(json.dumps({"ok": False, "error": "memory"}))
        return 3
    except RecursionError:
        print(json.dumps({"ok": False, "error": "too_deep"}))
        return 2
    except Exception as exc:  # anything pypdf raises on a broken file
        print(json.dumps({"ok": False, "error": "unreadable", "detail": type(exc).__name__}))
        return 2
    print(json.dumps({"ok": True, "pages": pages}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
