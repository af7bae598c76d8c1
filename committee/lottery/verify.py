"""Check a published draw: ``python -m committee.lottery.verify loting.json``.

``loting.json`` is the file the public draw page offers. The verifier checks, in this order:

1. the inputs' fingerprint (``inputs_sha256``) against the inputs in the file;
2. the pool's fingerprint (``pool_sha256``) against the pool in the file, and against the
   fingerprint published when applications closed;
3. that the revealed seed and nonce match the commitment published before applications closed,
   and that the times are in the right order (commitment, closing, reveal);
4. the draw itself: it reruns it and compares the committee and the reserve order.

A public file (format ``wijkiezen-draw-public/4``) has no categories per pseudonym, only
receipts. From it the verifier checks the receipts' fingerprint, the seed against its commitment,
that every committee in the lottery has the right size and the probabilities add up to 1, that
each pseudonym's chance is what the lottery gives them, and that the committee and the reserve
order follow from the seed. It says which checks need the auditor's file (``wijkiezen-draw-audit/4``:
the whole input and every receipt code), from which it reruns the whole draw and checks every
receipt against the categories.

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
from committee.lottery import leximin
from committee.lottery import public as published_file

OK, WARN, FAIL = "OK", "LET OP", "FOUT"


@dataclass
class Report:
    lines: list[tuple[str, str]] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)
    reserves: list[str] = field(default_factory=list)
    receipts_sha256: str | None = None

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


def _check_receipts(data: dict, report: Report) -> None:
    """The auditor's file: every receipt recomputed from its code and the person's categories."""
    inputs = data["inputs"]
    receipts = data.get("receipts") or {}
    wrong, missing = [], 0
    for row in inputs["pool"]:
        entry = receipts.get(row["id"]) or {}
        if not entry.get("code"):
            missing += 1
            continue
        if published_file.receipt(entry["code"], row, inputs["categories"]) != entry.get("receipt"):
            wrong.append(row["id"])
    if wrong:
        report.add(FAIL, "bewijsjes passen niet bij de categorieën van: " + ", ".join(wrong))
    else:
        report.add(OK, f"alle {len(inputs['pool']) - missing} bewijsjes passen bij de categorieën")
    if missing:
        report.add(WARN, f"{missing} aanmelder(s) zonder bewijscode (gewist of van vóór de bewijsjes)")
    pairs = [{"id": pid, "receipt": e["receipt"]} for pid, e in receipts.items() if e.get("receipt")]
    report.receipts_sha256 = published_file.receipts_sha256(pairs)
    report.add(
        OK, f"vingerafdruk van de bewijsjes (vergelijk met het openbare bestand): {report.receipts_sha256}"
    )


def _check_sampling(inputs: dict, result: dict, report: Report) -> None:
    """What anyone can check without categories: the lottery is a lottery of committees of the
    right size from the pool, the chances are its marginals, and committee and reserves follow
    from the seed."""
    pool = [str(r["id"]) for r in inputs["pool"]]
    ids, seats = set(pool), int(inputs["seats"])
    panels = [(tuple(panel), float(p)) for panel, p in result.get("lottery", [])]
    if not panels:
        report.add(FAIL, "het bestand heeft geen lijst van mogelijke commissies")
        return
    bad = [i for i, (panel, _) in enumerate(panels, 1) if len(set(panel)) != seats or not set(panel) <= ids]
    if bad:
        report.add(FAIL, f"commissies met een verkeerde grootte of onbekende schuilnamen: nummers {bad}")
    else:
        report.add(OK, f"{len(panels)} mogelijke commissies, elk van {seats} mensen uit de pool")
    total = sum(p for _, p in panels)
    if any(p < 0 for _, p in panels) or abs(total - 1) > 1e-6:
        report.add(FAIL, f"de kansen van de commissies tellen op tot {total!r}, niet tot 1")
    else:
        report.add(OK, "de kansen van de commissies tellen op tot 1")
    marginal = dict.fromkeys(pool, 0.0)
    for panel, p in panels:
        for pid in panel:
            marginal[pid] = marginal.get(pid, 0.0) + p
    chances = result.get("chances") or {}
    off = [pid for pid in pool if abs(marginal[pid] - float(chances.get(pid, 0.0))) > 1e-5]
    if off:
        report.add(FAIL, "de gepubliceerde kans klopt niet met de commissies voor: " + ", ".join(off))
    else:
        report.add(OK, "ieders gepubliceerde kans is de kans die de lijst van commissies geeft")
    seed = inputs.get("seed")
    if seed is None:
        return
    chosen = sorted(leximin.draw(panels, int(seed)))
    chosen_set = set(chosen)
    recipe = 2 if inputs.get("source_format") == "wijkiezen-draw/2" else 3
    reserves = lottery.reserve_order(
        (p for p in pool if p not in chosen_set), int(seed), int(inputs["reserves"]), recipe
    )
    report.chosen, report.reserves = chosen, reserves
    _compare("commissie", list(result.get("chosen", [])), chosen, report)
    _compare("reservelijst", list(result.get("reserves", [])), reserves, report)


def _verify_public(data: dict, report: Report) -> Report:
    inputs = data["inputs"]
    pool = inputs.get("pool", [])
    if published_file.receipts_sha256(r for r in pool if r.get("receipt")) == inputs.get("receipts_sha256"):
        report.add(OK, f"vingerafdruk van de bewijsjes ({len(pool)} mensen): {inputs['receipts_sha256']}")
    else:
        report.add(FAIL, "de vingerafdruk van de bewijsjes klopt niet met de lijst")
    closed = inputs.get("pool_at_close")
    if not closed:
        report.add(WARN, "geen vingerafdruk van de pool bij het sluiten van het aanmelden")
    elif closed.get("sha256") == inputs.get("pool_sha256"):
        report.add(OK, "de pool is dezelfde als toen het aanmelden sloot (volgens de vingerafdrukken)")
    else:
        report.add(
            WARN,
            f"de pool is veranderd sinds het aanmelden sloot ({closed.get('size')} toen, "
            f"{len(pool)} nu): vraag de gemeente waarom (bijvoorbeeld papieren aanmeldingen)",
        )
    if inputs.get("source_format") == lottery.FORMAT:
        _check_commitment(inputs, report, data)
    result = data.get("result")
    if not result:
        report.add(WARN, "het bestand heeft (nog) geen uitslag om na te rekenen")
    else:
        _check_sampling(inputs, result, report)
    report.add(
        WARN,
        "niet te controleren zonder de volledige invoer (die krijgt alleen de aangewezen controleur): "
        "dat elke commissie aan de quota voldoet, dat de kansen de leximin-kansen zijn, en dat de "
        "vingerafdruk van de pool bij de categorieën past. Uw eigen regel controleert u met uw bewijscode.",
    )
    return report


def verify(data: dict) -> Report:
    """Check a downloaded draw file; the returned report lists every check and the rerun."""
    report = Report()
    inputs = data.get("inputs", data)
    fmt = inputs.get("format")
    if fmt == published_file.PUBLIC_FORMAT:
        return _verify_public(data, report)
    if data.get("format") == published_file.AUDIT_FORMAT:
        _check_receipts(data, report)
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
