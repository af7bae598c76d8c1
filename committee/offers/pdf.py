"""Running the PDF rebuild (``pdf_worker.py``) in a separate process with time and memory limits.

An uploaded PDF is untrusted input for a complex parser: a crafted file can make it loop or eat
memory. The worker caps its own memory (address space), CPU time and output size; this side adds a
wall-clock timeout and kills the process when it runs over. Nothing here touches the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

WORKER = Path(__file__).with_name("pdf_worker.py")
PDF_MAGIC = b"%PDF-"


class PdfRefused(Exception):
    """The file cannot be used; ``code`` says why (the caller turns it into a Dutch message)."""

    def __init__(self, code: str, pages: int | None = None):
        super().__init__(code)
        self.code = code
        self.pages = pages


@dataclass(frozen=True)
class Limits:
    max_pages: int = 30
    seconds: float = 30
    memory_mb: int = 768
    output_mb: int = 64

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(
            max_pages=config["ANNEX_MAX_PAGES"],
            seconds=config["PDF_TIME_LIMIT"],
            memory_mb=config["PDF_MEMORY_LIMIT_MB"],
            output_mb=max(16, 4 * config["ANNEX_MAX_BYTES"] // (1024 * 1024)),
        )


@dataclass(frozen=True)
class PageScan:
    """One page of a rebuilt file: its text, every other string in it, whether it has images."""

    text: str
    hidden: str
    images: bool


def looks_like_pdf(head: bytes) -> bool:
    """A PDF starts with ``%PDF-`` within its first kilobyte (the standard allows junk before)."""
    return PDF_MAGIC in head[:1024]


def rebuild(source: Path, target: Path, limits: Limits, keep: list[int] | None = None) -> list[PageScan]:
    """Write a clean copy of ``source`` (only the pages in ``keep``, if given) to ``target``.

    Raises ``PdfRefused`` when the file is not a usable PDF, has too many pages, or the worker
    runs over its time or memory limit.
    """
    command = [
        sys.executable,
        "-I",
        str(WORKER),
        str(source),
        str(target),
        "--max-pages",
        str(limits.max_pages),
        "--memory-mb",
        str(limits.memory_mb),
        "--cpu-seconds",
        str(max(1, int(limits.seconds))),
        "--output-mb",
        str(limits.output_mb),
    ]
    if keep is not None:
        command += ["--keep", ",".join(str(n) for n in keep)]
    try:
        done = subprocess.run(  # noqa: S603 (fixed command, our own script, no shell)
            command,
            capture_output=True,
            timeout=limits.seconds,
            check=False,
            env={"PATH": os.defpath, "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired as exc:
        target.unlink(missing_ok=True)
        raise PdfRefused("timeout") from exc
    try:
        answer = json.loads(done.stdout.decode() or "{}")
    except ValueError:
        answer = {}
    if done.returncode != 0 or not answer.get("ok"):
        target.unlink(missing_ok=True)
        # Killed by the CPU or memory limit: no answer at all.
        raise PdfRefused(answer.get("error") or "limit", pages=answer.get("pages"))
    return [PageScan(p["text"], p["hidden"], bool(p["images"])) for p in answer["pages"]]
