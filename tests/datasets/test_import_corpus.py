"""The import parser on the corpus in tests/data/imports: each good file reads as the values
written in expected.json, each bad one fails with the message written there (rows numbered as
a spreadsheet shows them, the header being row 1). make_corpus.py in that folder writes both."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ciapp.datasets import building, reading
from ciapp.datasets.problems import ImportProblem

CORPUS = Path(__file__).parents[1] / "data" / "imports"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


def load(name: str, spec: dict) -> tuple[reading.RawTable, object]:
    raw = reading.read((CORPUS / name).read_bytes(), filename=name, sheet=spec.get("sheet"))
    kind = spec.get("kind", "continuous")
    mapping = spec.get("mapping") or building.preview(raw, kind).mapping
    return raw, building.build(raw, mapping, kind, subgroup_size=spec.get("subgroup_size"))


@pytest.mark.parametrize("name", sorted(n for n, s in EXPECTED.items() if "values" in s))
def test_good_file_reads_as_written(name: str) -> None:
    spec = EXPECTED[name]
    raw, table = load(name, spec)
    np.testing.assert_allclose(table.column("value").to_numpy(), spec["values"])
    if "first_time" in spec:
        assert table.column("time")[0].as_py().isoformat() == spec["first_time"]
    if "encoding_name" in spec:
        assert raw.encoding == spec["encoding_name"]
    if "sheets" in spec:
        assert list(raw.sheets) == spec["sheets"]


@pytest.mark.parametrize("name", sorted(n for n, s in EXPECTED.items() if "message" in s))
def test_bad_file_names_what_is_wrong(name: str) -> None:
    spec = EXPECTED[name]
    with pytest.raises(ImportProblem) as caught:
        load(name, spec)
    assert spec["message"] in caught.value.message
    assert caught.value.status == 422


def test_every_file_of_the_corpus_is_listed() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert files == set(EXPECTED)
