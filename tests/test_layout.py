"""The package layout follows the pass: each stage imports only the stages above it, the CLI
and the web layer reach the library only through ``normgraph.api``, and no module imports one
that imports it back (any import, inside functions and TYPE_CHECKING blocks too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "normgraph"
ROOT_MODULES = {"model", "config", "resources", "__init__"}
#: the pass, top to bottom; a stage may import only stages before it
ORDER = ["read", "extract", "graph", "check", "store", "pipeline", "answer", "api", "web", "cli"]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every normgraph module ``path`` imports, resolved to its full name."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1]
                                + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.startswith("normgraph"):
                out.add(base)
                out.update(f"{base}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("normgraph"))
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    return {m for m in out if m in modules and m != name}


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    if parts[1] == "__main__":
        return "cli"  # ``python -m normgraph`` is the command itself
    return "root" if parts[1] in ROOT_MODULES else parts[1]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p))
def test_each_module_imports_only_earlier_stages(path: Path) -> None:
    here = _stage(_module_name(path))
    for target in _imports(path):
        there = _stage(target)
        if there in ("root", here):
            continue
        if here in ("web", "cli"):
            # the presentation layers use the library only through its one face; the CLI
            # starts the web layer's site writer and server, which api cannot offer without
            # importing web back
            assert there == "api" or (here == "cli" and there == "web"), (
                f"{_module_name(path)} imports {target}: reach it through normgraph.api")
            continue
        assert here != "root", f"root module {_module_name(path)} imports {target}"
        assert ORDER.index(there) < ORDER.index(here), (
            f"{_module_name(path)} ({here}) imports {target} ({there}), a later stage")


def test_no_import_cycles() -> None:
    edges = {_module_name(p): _imports(p) for p in MODULES}
    # a submodule importing its own package's __init__ is Python's doing, not a cycle
    for name in edges:
        edges[name] = {t for t in edges[name] if not name.startswith(t + ".")}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])


def test_every_stage_package_says_what_it_owns_and_may_import() -> None:
    for stage in ORDER:
        init = PACKAGE / stage / "__init__.py"
        if stage == "api":
            init = PACKAGE / "api.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert doc, f"{init} has no docstring"
        if stage not in ("api", "cli"):
            assert "May import" in doc, f"{init}: say what the stage may import"


def test_api_offers_every_name_it_lists() -> None:
    from normgraph import api

    tree = ast.parse((PACKAGE / "api.py").read_text(encoding="utf-8"))
    typed = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             for a in node.names if node.level == 1 and node.module != "__future__"}
    assert set(api.__all__) == typed, "api.__all__ and its TYPE_CHECKING imports differ"
    for name in api.__all__:
        assert getattr(api, name) is not None
    with pytest.raises(AttributeError):
        api.no_such_name  # noqa: B018
