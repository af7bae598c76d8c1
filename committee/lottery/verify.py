"""Check a published draw: ``python -m committee.lottery.verify loting.json``.

``loting.json`` is the file the public draw page offers. The verifier checks, in this order:

1. the inputs' fingerprint (``inputs_sha256``) against the inputs in the file;
2. the pool's fingerprint (``pool_sha256``) against the pool in the file, and against the
   fingerprint published when applications closed;
3. that the revealed seed and nonce match the commitment published before applications closed,
   and that the times are in the right order (commitment, closing, reveal);
4. the draw itself: it reruns it and compares the committee and the reserve order.

It prints one line per check (``OK``, ``LET OP`` for something to look into, ``FOUT`` for a
failure) and exits with 0 when nothing failed, 1 otherwise. It needs only the standard library,
numpy and highspy (``committee/lottery/requirements.txt``), never the web app.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from committee.lottery import draw as lottery

OK, WARN, FAIL = "OK", "LET OP", "FOUT"


@dataclass
class Report:
    lines: list[tuple[str, str]] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)
    reserves: list[str] = field(default_factory=list)

    def add(self, status: str, text: str) -> None:
        self.lines.append((status, text))

    @property
    def failed(self) -> bool:
        return any(status == FAIL for status, _ in self.lines)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.removesuffix("Z")) if text else None


def _check_commitment(inputs: dict, report: Report, published: dict) -> None:
    commitment = inputs.get("commitment")
    seed, nonce = inputs.get("seed"), inputs.get("nonce")
    if not commitment:
        report.add(WARN, "geen vooraf gepubliceerde vingerafdruk van het startgetal (oude loting)")
        return
    if seed is None:
        report.add(FAIL, "het startgetal is nog niet openbaar: de loting is niet begonnen")
        return
    if lottery.seed_commitment(int(seed), str(nonce)) != commitment.get("sha256"):
        report.add(
            FAIL,
            f"startgetal {seed} met nonce {nonce} past NIET bij de vingerafdruk {commitment.get('sha256')}",
        )
        return
    report.add(OK, f"startgetal {seed} past bij de vingerafdruk {commitment['sha256']}")
    committed = _time(commitment.get("committed_at"))
    closed = _time((inputs.get("pool_at_close") or {}).get("closed_at"))
    revealed = _time(inputs.get("revealed_at") or published.get("revealed_at"))
    prepared = _time(published.get("prepared_at"))
    if committed and closed:
        if committed < closed:
            report.add(OK, f"vingerafdruk vastgelegd op {committed:%Y-%m-%d %H:%M:%S} UTC, vóór het sluiten")
        else:
            report.add(WARN, "de vingerafdruk is pas vastgelegd toen het aanmelden al gesloten was")
    if revealed and prepared and revealed < prepared:
        report.add(FAIL, "het startgetal werd openbaar vóórdat pool en quota vastlagen")
    elif revealed:
        report.add(OK, f"startgetal openbaar gemaakt op {revealed:%Y-%m-%d %H:%M:%S} UTC, na het klaarzetten")


def _check_pool(inputs: dict, report: Report) -> None:
    if "pool_sha256" not in inputs:
        return
    people = [
        lottery.Person(str(r["id"]), {c: str(r[c]) for c in inputs["categories"]}) for r in inputs["pool"]
    ]
    actual = lottery.pool_sha256(people, inputs["categories"])
    if actual != inputs["pool_sha256"]:
        report.add(
            FAIL, f"de vingerafdruk van de pool klopt niet: {actual} in plaats van {inputs['pool_sha256']}"
        )
        return
    report.add(OK, f"vingerafdruk van de pool ({len(people)} mensen): {actual}")
    closed = inputs.get("pool_at_close")
    if not closed:
        report.add(WARN, "geen vingerafdruk van de pool bij het sluiten van het aanmelden")
    elif closed.get("sha256") == actual:
        report.add(OK, "de pool is dezelfde als toen het aanmelden sloot")
    else:
        report.add(
            WARN,
            f"de pool is veranderd sinds het aanmelden sloot ({closed.get('size')} toen, "
            f"{len(people)} nu): vraag de gemeente waarom (bijvoorbeeld papieren aanmeldingen)",
        )


def _compare(label: str, published: list[str], again: list[str], report: Report) -> None:
    if published == again:
        report.add(OK, f"{label}: hetzelfde als gepubliceerd")
        return
    missing = [p for p in published if p not in again]
    extra = [p for p in again if p not in published]
    detail = []
    if missing:
        detail.append("gepubliceerd maar niet nagerekend: " + ", ".join(missing))
    if extra:
        detail.append("nagerekend maar niet gepubliceerd: " + ", ".join(extra))
    if not missing and not extra:
        detail.append(
            "andere volgorde: gepubliceerd " + ", ".join(published) + "; nagerekend " + ", ".join(again)
        )
    report.add(FAIL, f"{label} verschilt: " + "; ".join(detail))


def verify(data: dict) -> Report:
    """Check a downloaded draw file; the returned report lists every check and the rerun."""
    report = Report()
    inputs = data.get("inputs", data)
    fmt = inputs.get("format")
    if fmt not in lottery.FORMATS:
        report.add(FAIL, f"onbekend formaat {fmt!r}")
        return report
    expected = data.get("inputs_sha256")
    if expected:
        actual = lottery.inputs_sha256(inputs)
        if actual == expected:
            report.add(OK, f"controlegetal van de invoer: {actual}")
        else:
            report.add(FAIL, f"controlegetal van de invoer klopt niet: {actual} in plaats van {expected}")
    _check_pool(inputs, report)
    if fmt == lottery.FORMAT:
        _check_commitment(inputs, report, data)
    result = data.get("result")
    if not result:
        report.add(WARN, "het bestand heeft (nog) geen uitslag om na te rekenen")
        return report
    try:
        with lottery._solver_chatter_to_stderr():
            again = lottery.draw(**lottery.rerun_arguments(data))
    except lottery.InfeasibleQuotas as exc:
        report.add(FAIL, f"nagerekend: de quota zijn niet te halen ({exc})")
        return report
    except lottery.LotteryError as exc:
        report.add(FAIL, f"nagerekend: {exc}")
        return report
    report.chosen, report.reserves = again.chosen, again.reserves
    _compare("commissie", list(result.get("chosen", [])), again.chosen, report)
    _compare("reservelijst", list(result.get("reserves", [])), again.reserves, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Controleer een gepubliceerde loting van WijKiezen.")
    parser.add_argument("file", help="het bestand van de openbare lotingpagina, bijvoorbeeld loting.json")
    args = parser.parse_args(argv)
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"{FAIL}: kan {args.file} niet lezen: {exc}")
        return 1
    report = verify(data)
    for status, text in report.lines:
        print(f"{status}: {text}")
    if report.chosen:
        print("Commissie: " + ", ".join(report.chosen))
        print("Reservelijst, op volgorde: " + ", ".join(report.reserves))
    print("Alles klopt." if not report.failed else "Niet alles klopt: zie de regels met FOUT.")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
