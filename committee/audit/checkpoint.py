"""Checkpoints of the audit log, to keep outside the database.

A checkpoint is an event's sequence number, its hash and its time. Because every hash covers the
one before it, a checkpoint pins down the whole history up to that event. Published on the
public page at every decision, in the Atom feed and as a small file signed with an Ed25519 key
(the public key is published too), it lets anyone who saved one later check that the log still
holds exactly that history: `flask audit verify --against FILE`. Someone who rewrites the database
and recomputes every hash passes the plain `verify`, but not this one.

What a checkpoint cannot do: show a change made before anyone saved a checkpoint, or prove that
an event was ever written at all (an action the app never logged leaves no trace).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from committee.audit.models import AuditEvent
from committee.extensions import db

FORMAT = "wijkiezen-audit-checkpoint/1"
LINE = re.compile(r"nr\.\s*(?P<seq>\d+)\s+sha256:(?P<hash>[0-9a-f]{64})")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime  # naive UTC, as events store it

    @property
    def at_iso(self) -> str:
        return self.at.replace(microsecond=0).isoformat() + "Z"


def at_seq(seq: int | None) -> Checkpoint | None:
    if seq is None:
        return None
    row = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash, AuditEvent.at).where(AuditEvent.seq == seq)
    ).first()
    return Checkpoint(row.seq, row.hash, row.at) if row else None


def at_seqs(seqs) -> dict[int, Checkpoint]:
    """The checkpoints at these sequence numbers, in one query (for lists such as the feed)."""
    wanted = {seq for seq in seqs if seq is not None}
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash, AuditEvent.at).where(AuditEvent.seq.in_(wanted))
    )
    return {row.seq: Checkpoint(row.seq, row.hash, row.at) for row in rows}


def current() -> Checkpoint | None:
    """The chain's head now."""
    seq = db.session.scalar(sa.select(sa.func.max(AuditEvent.seq)))
    return at_seq(seq)


def line(checkpoint: Checkpoint) -> str:
    """The checkpoint as one line a resident can print, copy or read out."""
    return f"WijKiezen-logboek nr. {checkpoint.seq} sha256:{checkpoint.hash} {checkpoint.at_iso}"


# -- the signing key ---------------------------------------------------------------------------


def _load_private_key() -> Ed25519PrivateKey:
    pem = current_app.config.get("AUDIT_SIGNING_KEY")
    if not pem:
        path = current_app.config["AUDIT_SIGNING_KEY_FILE"]
        if not os.path.exists(path):
            fresh = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            try:  # exclusive: two processes starting at once keep the first one's key
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(fresh)
        with open(path, "rb") as handle:
            pem = handle.read()
    key = serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("AUDIT_SIGNING_KEY must be an Ed25519 private key (PEM, PKCS#8).")
    return key


def _private_key() -> Ed25519PrivateKey:
    key = current_app.extensions.get("audit_signing_key")
    if key is None:
        key = current_app.extensions["audit_signing_key"] = _load_private_key()
    return key


def public_key() -> Ed25519PublicKey:
    return _private_key().public_key()


def public_key_pem() -> bytes:
    return public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(key: Ed25519PublicKey | None = None) -> str:
    raw = (key or public_key()).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# -- the signed file ---------------------------------------------------------------------------


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _payload(checkpoint: Checkpoint, origin: str) -> dict:
    return {
        "format": FORMAT,
        "origin": origin,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "at": checkpoint.at_iso,
        "key": key_id(),
    }


def signed(checkpoint: Checkpoint, origin: str) -> dict:
    """The checkpoint as a JSON object with an Ed25519 signature over its canonical form (all
    fields except ``signature``, keys sorted, no spaces): anyone verifies it with the public key."""
    payload = _payload(checkpoint, origin)
    signature = _private_key().sign(_canonical(payload))
    return {**payload, "line": line(checkpoint), "signature": base64.b64encode(signature).decode()}


def signature_ok(document: dict, key: Ed25519PublicKey | None = None) -> bool:
    payload = {k: v for k, v in document.items() if k not in ("signature", "line")}
    try:
        signature = base64.b64decode(document["signature"], validate=True)
        (key or public_key()).verify(signature, _canonical(payload))
    except (KeyError, ValueError, TypeError, InvalidSignature):
        return False
    return True


# -- checking the log against saved checkpoints ------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """A checkpoint as read from a saved file or line; ``signed`` is None for a bare line."""

    source: str
    seq: int
    hash: str
    at: str = ""
    signed: bool | None = None

    @property
    def name(self) -> str:
        return f"{self.source}: nr. {self.seq}" + (f" ({self.at})" if self.at else "")


def parse(text: str, source: str) -> list[Saved]:
    """Checkpoints in a saved file: the signed JSON (one object or a list), or printed lines."""
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if document is not None:
        items = document if isinstance(document, list) else [document]
        saved = []
        for item in items:
            if not isinstance(item, dict) or item.get("format") != FORMAT:
                raise ValueError(f"{source}: not a WijKiezen checkpoint")
            seq, digest = item.get("seq"), item.get("hash")
            if (
                not isinstance(seq, int)
                or not isinstance(digest, str)
                or not re.fullmatch(r"[0-9a-f]{64}", digest)
            ):
                raise ValueError(f"{source}: a checkpoint without a valid number and hash")
            saved.append(Saved(source, seq, digest, str(item.get("at", "")), signature_ok(item)))
        return saved
    found = [Saved(source, int(m["seq"]), m["hash"]) for m in LINE.finditer(text)]
    if not found:
        raise ValueError(f"{source}: no checkpoint found (expected the JSON file or a line 'nr. N sha256:…')")
    return found


def problems_against(saved: list[Saved]) -> list[str]:
    """What in the log now differs from each saved checkpoint (empty: every one still holds)."""
    problems = []
    last = db.session.scalar(sa.select(sa.func.max(AuditEvent.seq))) or 0
    for point in saved:
        if point.signed is False:
            problems.append(f"{point.name}: the signature does not match this site's key")
        now = at_seq(point.seq)
        if now is None:
            problems.append(
                f"{point.name}: the log now has {last} events, fewer than this checkpoint: "
                "events were removed"
            )
        elif now.hash != point.hash:
            problems.append(
                f"{point.name}: the log's event {point.seq} now has hash {now.hash}, not {point.hash}: "
                "the history up to this checkpoint was changed"
            )
    return problems
