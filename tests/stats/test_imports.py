"""The import rule of ciapp/stats (see its README): standard library, numpy, SciPy,
statsmodels and the package itself; heavy submodules loaded only when used."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

STATS = Path(__file__).resolve().parents[2] / "ciapp" / "stats"
ALLOWED = {"numpy", "scipy", "statsmodels", "__future__"} | set(sys.stdlib_module_names)
MODULES = sorted(STATS.glob("*.py"))


def imported_modules(path: Path) -> list[tuple[int, str, int]]:
    """(line, top-level module, relative level) for every import in a file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_only_allowed_imports(path):
    bad = []
    for line, module, level in imported_modules(path):
        if level > 0 or module == "ciapp.stats" or module.startswith("ciapp.stats."):
            continue
        if module.split(".")[0] not in ALLOWED:
            bad.append(f"{path.name}:{line} imports {module}")
        if module == "statsmodels.api" or module.startswith("statsmodels.api."):
            bad.append(f"{path.name}:{line} imports statsmodels.api (import the submodule)")
    assert not bad, "; ".join(bad)


def test_package_found_some_modules():
    names = {p.name for p in MODULES}
    assert {"capability.py", "compare.py", "power.py", "pareto.py", "msa.py",
            "timeseries.py"} <= names


def _modules_after(code: str) -> set[str]:
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, cwd=root, check=True, timeout=120,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


FORBIDDEN = ("statsmodels.api", "flask", "sqlalchemy", "matplotlib")


def test_import_ciapp_stats_is_light():
    loaded = _modules_after("import ciapp.stats")
    assert not [m for m in FORBIDDEN if m in loaded]
    assert "statsmodels" not in loaded and "scipy.stats" not in loaded


def test_exports_named_like_their_module_are_the_functions():
    """compare, capability, power and pareto share their module's name: the function wins,
    whatever was used first."""
    code = (
        "from ciapp import stats\n"
        "stats.compare_means([1.0, 2.0, 3.0], [2.0, 3.0, 4.5])\n"
        "from ciapp.stats import capability, compare, pareto, power\n"
        "import ciapp.stats.compare, ciapp.stats.power\n"
        "assert all(callable(f) for f in (capability, compare, pareto, power))\n"
        "assert callable(ciapp.stats.compare) and callable(ciapp.stats.power)\n"
    )
    _modules_after(code)


def test_using_the_statistics_keeps_flask_and_statsmodels_api_out():
    code = (
        "from ciapp import stats\n"
        "stats.capability([1.0, 2.0, 3.0, 2.5, 1.5, 2.2, 2.8, 1.9], lsl=0, usl=4)\n"
        "stats.compare_means([1.0, 2.0, 3.0], [2.0, 3.0, 4.5])\n"
        "stats.sample_size(delta=1)\n"
        "stats.pareto(['a', 'b'], [1, 2])\n"
        "stats.autocorrelation([1.0, 3.0, 2.0, 4.0, 3.0, 5.0])\n"
        "stats.suggest_shift([1.0] * 6 + [2.0] * 6)\n"
    )
    loaded = _modules_after(code)
    assert not [m for m in FORBIDDEN if m in loaded]
