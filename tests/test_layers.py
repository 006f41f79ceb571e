"""The import rules between areas (see DESIGN.md, Architecture): ``core`` knows no area; no
area imports another area's routes (what two areas share is a service); permission rules
live in the area they are about; ``auth`` and ``notifications`` sit below projects. Read
from the source with ``ast``, so an import inside a function or under TYPE_CHECKING counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CIAPP = Path(__file__).resolve().parents[1] / "ciapp"
# Top-level modules that are not areas: anything may import them.
SHARED = {"core", "extensions", "config", "stats", "charts"}
AREAS = sorted(p.name for p in CIAPP.iterdir()
               if p.is_dir() and (p / "__init__.py").exists() and p.name not in SHARED)


def module_name(path: Path) -> str:
    parts = path.relative_to(CIAPP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in ``path``; ``from . import x`` gives
    ``package.x`` too, since x may be a module."""
    package = module_name(path) if path.name == "__init__.py" else \
        module_name(path).rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return [(line, m) for line, m in found if m == "ciapp" or m.startswith("ciapp.")]


def area_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def modules(package: str) -> list[Path]:
    return sorted((CIAPP / package).rglob("*.py"))


def test_the_areas_are_found() -> None:
    assert {"projects", "gates", "auth", "notifications", "orgunits", "admin", "api"} <= \
        set(AREAS)


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.name)
def test_core_imports_no_area(path: Path) -> None:
    bad = [f"{path.name}:{line} imports {m}" for line, m in imports_of(path)
           if area_of(m) not in (*SHARED, None)]
    assert not bad, "; ".join(bad)


@pytest.mark.parametrize("path", [p for area in AREAS for p in modules(area)],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_area_imports_another_areas_routes(path: Path) -> None:
    own = area_of(module_name(path))
    bad = [f"{line}: {m}" for line, m in imports_of(path)
           if area_of(m) != own and m.split(".")[2:3] == ["routes"]]
    assert not bad, f"{path}: " + "; ".join(bad)


@pytest.mark.parametrize("area", ["auth", "notifications", "orgunits"])
def test_lower_areas_do_not_import_projects_or_gates(area: str) -> None:
    bad = [f"{p.name}:{line} imports {m}" for p in modules(area)
           for line, m in imports_of(p) if area_of(m) in ("projects", "gates")]
    assert not bad, "; ".join(bad)


def test_permission_rules_live_in_their_areas() -> None:
    assert not (CIAPP / "auth" / "permissions.py").exists()
    assert (CIAPP / "projects" / "permissions.py").exists()
    assert (CIAPP / "gates" / "permissions.py").exists()


def test_the_project_page_reaches_the_gate_panel_through_a_service() -> None:
    imported = {m for _, m in imports_of(CIAPP / "projects" / "routes.py")}
    assert "ciapp.gates.routes" not in imported
    assert "ciapp.gates.panel" in imported


def test_the_rule_reader_sees_relative_and_nested_imports(tmp_path: Path) -> None:
    """The checks above are only as good as this reader."""
    sample = CIAPP / "core" / "web.py"
    found = {m for _, m in imports_of(sample)}
    assert "ciapp.extensions" in found and "ciapp.core.errors" in found
