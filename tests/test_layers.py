"""The arrows point one way: commands -> bot (features over mechanisms over the bottom layer) ->
storage, filters. Checked on the import graph of the source tree, with no import in a loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "commands", "storage", "filters")

# What each part of ``bot`` may import from the others (besides the bottom layer, always allowed).
FEATURES = {
    "review",
    "meetings",
    "inbox",
    "account_changes",
    "partners",
    "jubao",
    "assessment",
    "publication",
}
MECHANISMS = {"clock", "outbox", "reminders"}
# Partners offer what review publishes; no other feature knows another.
FEATURE_USES = {"partners": {"review"}}
# The wiring and the operations around it may use everything.
WIRING = {"app", "ops", "services", "__main__"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Modules of the tree that ``path`` imports, leaving out ``if TYPE_CHECKING:`` blocks."""
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
            for child in node.orelse if name == "TYPE_CHECKING" else [*node.body, *node.orelse]:
                self.visit(child)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(alias.name for alias in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)

    Visitor().visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in known}


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, known) - {name} for name, path in known.items()}


def _part(module: str) -> str:
    """The part of ``bot`` a module belongs to: a package's name, or its own for a top module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _edges() -> Iterator[tuple[str, str]]:
    for module, imported in _graph().items():
        for target in imported:
            yield module, target


def test_storage_and_filters_import_no_bot_and_no_handlers() -> None:
    wrong = [
        (m, t)
        for m, t in _edges()
        if m.split(".")[0] in ("storage", "filters") and t.split(".")[0] in ("bot", "commands")
    ]
    assert wrong == []


def test_only_the_wiring_imports_handlers() -> None:
    wrong = [
        (m, t)
        for m, t in _edges()
        if m.startswith("bot") and t.startswith("commands") and _part(m) not in WIRING
    ]
    assert wrong == []


def test_features_mechanisms_and_bottom_layer_point_down() -> None:
    wrong = []
    for module, target in _edges():
        if not (module.startswith("bot.") and target.startswith("bot.")):
            continue
        source, dest = _part(module), _part(target)
        if source == dest or source in WIRING:
            continue
        if (
            dest in WIRING
            or (dest in FEATURES and dest not in FEATURE_USES.get(source, set()))
            or (dest in MECHANISMS and source not in FEATURES | MECHANISMS)
        ):
            wrong.append((module, target))
    assert wrong == []


def test_review_knows_no_other_feature() -> None:
    assert not [
        (m, t)
        for m, t in _edges()
        if _part(m) == "review" and _part(t) in FEATURES - {"review"} and m.startswith("bot.")
    ]


def test_no_import_loops() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        # Tarjan's strongly connected components; a component of two or more is a loop.
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert loops == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_product_file_is_over_600_lines(package: str) -> None:
    long = [
        (str(path.relative_to(ROOT)), n)
        for path in (ROOT / package).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    ]
    assert long == []


def test_bot_has_at_most_a_dozen_top_level_modules() -> None:
    top = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert len(top) <= 12, top
