"""The lottery is one package a resident can take away: it runs without the web app.

Each check runs in a fresh Python whose import system refuses Flask and its companions and every
part of ``committee`` outside ``committee.lottery``, so the test fails as soon as the lottery (or
``committee/__init__.py``) imports one of them. The test process itself has Flask loaded already
(``tests/conftest.py``), which is why nothing here is imported in-process.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Installed first in every child process: a finder that raises ImportError for what the lottery
# must not need. ``committee`` itself is allowed (its __init__ has to stay light for this to pass).
BLOCKER = """
import sys

BLOCKED = ("flask", "sqlalchemy", "werkzeug", "jinja2", "wtforms", "babel", "alembic")
ALLOWED = ("committee", "committee.lottery", "committee.config")


class Refuse:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        inside = any(name == a or name.startswith(a + ".") for a in ALLOWED[1:])
        if (
            top in BLOCKED
            or top.startswith("flask_")
            or (top == "committee" and name != "committee" and not inside)
        ):
            raise ImportError(f"the standalone lottery may not import {name}")
        return None


sys.meta_path.insert(0, Refuse())
"""

# The in-process draw: 12 people, 4 seats, exactly two from buurt A. It writes the published
# inputs (``inputs_json``) and the committee it drew to the files named on the command line.
DRAW = """
import json, sys

try:
    import flask  # noqa: F401
except ImportError:
    pass
else:
    sys.exit("the import blocker is not active")

from committee.lottery import draw

pool = [draw.Person(f"P{i:02d}", {"buurt": "AB"[i % 3 == 0]}) for i in range(1, 13)]
quotas = [draw.Quota("buurt", "A", 2, 2)]
result = draw.draw(pool=pool, quotas=quotas, seats=4, seed=2026, reserves=3)
inputs = draw.inputs_json(
    pool=pool, quotas=quotas, seats=4, seed=2026, reserves=3, algorithm=result.algorithm
)
outside = sorted(
    m for m in sys.modules
    if m.startswith("committee.") and not m.startswith("committee.lottery")
)
with open(sys.argv[1], "w") as f:
    json.dump(inputs, f)
with open(sys.argv[2], "w") as f:
    json.dump({"chosen": result.chosen, "reserves": result.reserves, "outside": outside}, f)
"""

# ``python -m committee.lottery`` with the blocker installed first.
RERUN = """
import runpy

runpy.run_module("committee.lottery", run_name="__main__", alter_sys=True)
"""


def _python(code: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", BLOCKER + code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_lottery_draws_and_reruns_without_flask_sqlalchemy_or_the_app(tmp_path):
    inputs_file, drawn_file = tmp_path / "loting.json", tmp_path / "drawn.json"
    drawn = _python(DRAW, str(inputs_file), str(drawn_file))
    assert drawn.returncode == 0, drawn.stderr
    first = json.loads(drawn_file.read_text())
    assert len(first["chosen"]) == 4 and len(first["reserves"]) == 3
    assert first["outside"] == []  # nothing of committee outside the lottery, not even config

    rerun = _python(RERUN, stdin=inputs_file.read_text())
    assert rerun.returncode == 0, rerun.stderr
    again = json.loads(rerun.stdout)  # the JSON alone on stdout, as for a resident
    assert again["chosen"] == first["chosen"]
    assert again["reserves"] == first["reserves"]


def test_the_blocker_refuses_flask_and_the_rest_of_committee():
    for module in ("flask", "flask_login", "sqlalchemy", "committee.panel.draws", "committee.factory"):
        refused = _python(f"import {module}")
        assert refused.returncode != 0 and "may not import" in refused.stderr, module
    allowed = _python("import committee, committee.config, committee.lottery.leximin")
    assert allowed.returncode == 0, allowed.stderr


# ``python -m committee.lottery.verify FILE`` with the blocker installed first.
VERIFY = """
import runpy, sys

sys.argv = ["verify", sys.argv[1]]
runpy.run_module("committee.lottery.verify", run_name="__main__", alter_sys=True)
"""


def test_the_verifier_runs_without_flask_sqlalchemy_or_the_app(tmp_path):
    inputs_file, drawn_file = tmp_path / "inputs.json", tmp_path / "drawn.json"
    drawn = _python(DRAW, str(inputs_file), str(drawn_file))
    assert drawn.returncode == 0, drawn.stderr
    first = json.loads(drawn_file.read_text())
    inputs = json.loads(inputs_file.read_text())
    published = {"inputs": inputs, "result": {"chosen": first["chosen"], "reserves": first["reserves"]}}
    (tmp_path / "loting.json").write_text(json.dumps(published))
    checked = _python(VERIFY, str(tmp_path / "loting.json"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Commissie: " + ", ".join(first["chosen"]) in checked.stdout


# A public file (receipts, no categories) made in a blocked process, then checked by the verifier.
PUBLIC = """
import json, sys

from committee.lottery import draw, public

pool = [draw.Person(f"P{i:02d}", {"buurt": "AB"[i % 3 == 0]}) for i in range(1, 13)]
quotas = [draw.Quota("buurt", "A", 2, 2)]
result = draw.draw(pool=pool, quotas=quotas, seats=4, seed=2026, reserves=3)
inputs = draw.inputs_json(
    pool=pool, quotas=quotas, seats=4, seed=2026, reserves=3, algorithm=result.algorithm
)
codes = {p.id: public.new_code() for p in pool}
receipts = {p.id: public.receipt(codes[p.id], p.values, ["buurt"]) for p in pool}
full = {"inputs": inputs, "result": draw.result_json(result)}
with open(sys.argv[1], "w") as f:
    json.dump(public.public_file(full, receipts), f)
with open(sys.argv[2], "w") as f:
    json.dump(public.audit_file(full, codes), f)
"""


def test_the_verifier_checks_public_and_auditor_files_without_the_app(tmp_path):
    made = _python(PUBLIC, str(tmp_path / "loting.json"), str(tmp_path / "controle.json"))
    assert made.returncode == 0, made.stderr
    assert '"buurt": "A"' not in (tmp_path / "loting.json").read_text()
    for name in ("loting.json", "controle.json"):
        checked = _python(VERIFY, str(tmp_path / name))
        assert checked.returncode == 0, name + checked.stdout + checked.stderr
        assert "Alles klopt." in checked.stdout
    assert (
        "niet te controleren zonder de volledige invoer"
        in _python(VERIFY, str(tmp_path / "loting.json")).stdout
    )
