"""The house rules of the code: imports run one way, and the phase machine asks, not imports.

The import graph is read from the source with ``ast`` (every ``import`` and ``from … import``,
also those inside functions, because a lazy import that closes a circle is still a circle).
"""

from __future__ import annotations

import ast
from pathlib import Path

from committee.procurement import phase_checks

PACKAGE = Path(__file__).resolve().parents[1] / "committee"


def _module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of ``committee`` it imports by name (``from pkg import sub`` → sub)."""
    modules = _module_names()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    targets.append(sub if sub in modules else source)
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round about (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_the_source():
    graph = import_graph()
    assert "committee.procurement.phase_checks" in graph["committee.procurement.services"]
    assert "committee.exceptions" in graph["committee.panel.recruitment"]
    # A function-level import counts: committee/cli.py imports its commands' services lazily.
    assert "committee.audit.services" in graph["committee.cli"]


def test_a_circle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_committee_imports_one_that_imports_it_back():
    assert cycles(import_graph()) == []


def test_the_shared_bottom_imports_no_domain():
    graph = import_graph()
    domains = {
        "auth",
        "wijk",
        "needs",
        "procurement",
        "panel",
        "scoring",
        "offers",
        "publication",
        "monitoring",
        "audit",
        "privacy",
        "planning",
        "stories",
    }
    for bottom in ("committee.exceptions", "committee.text", "committee.timeutil"):
        assert {m.split(".")[1] for m in graph[bottom]} & domains == set(), bottom
    assert {m for m in graph["committee.categories"]} <= {"committee.wijk.profile"}


def test_the_lottery_imports_only_itself():
    graph = import_graph()
    for name, imported in graph.items():
        if name.startswith("committee.lottery"):
            assert all(m.startswith("committee.lottery") for m in imported), (name, imported)


def test_the_phase_machine_imports_no_domain_that_has_a_say_in_a_step():
    graph = import_graph()
    for name in ("committee.procurement.services", "committee.procurement.phase_checks"):
        assert not {m for m in graph[name] if m.startswith(("committee.panel", "committee.publication"))}


def test_every_step_has_the_checks_of_the_domains_that_decide_it(app):
    assert phase_checks.registered() == {
        "open_offers": {
            "before": ["committee.panel.services._committee_is_composed"],
            # the procurement calendar: linked items open, and their theme's followers hear
            "after": ["committee.planning.services.open_linked_items"],
        },
        "publish": {
            "before": ["committee.publication.services.ensure_publishable"],
            "after": ["committee.publication.services.mark_published"],
        },
    }


def test_a_step_without_its_check_refuses_to_run(monkeypatch):
    monkeypatch.setitem(phase_checks._before, phase_checks.Step.PUBLISH, [])
    try:
        phase_checks.check(phase_checks.Step.PUBLISH, procurement=None)
    except RuntimeError as exc:
        assert "publish" in str(exc)
    else:
        raise AssertionError("a step without a registered check ran")
