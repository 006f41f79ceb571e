"""Attribute agreement analysis and kappa against published values and base R.

Values marked R come from tests/stats/reference/msa.R (the formulas of R's irr package and
Minitab's attribute agreement definitions written in base R), stored in msa_values.txt.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from ciapp.stats import (
    AttributeAgreement,
    StatsInputError,
    attribute_agreement,
    cohens_kappa,
    fleiss_kappa,
)
from ciapp.stats.agreement import clopper_pearson

HERE = Path(__file__).parent


def r_values() -> dict[str, float]:
    lines = (HERE / "reference" / "msa_values.txt").read_text().splitlines()
    return {k: float(v) for k, v in (line.split() for line in lines if not line.startswith("#"))}


R = r_values()


def rows(name: str) -> list[list[str]]:
    lines = (HERE / "data" / name).read_text().splitlines()
    return [line.split() for line in lines if not line.startswith("#")]


DIAGNOSES = [[int(v) for v in r] for r in rows("fleiss_diagnoses.txt")]
PASSFAIL = rows("attribute_passfail.txt")  # sample appraiser trial rating standard


def passfail_study(**kwargs):
    return attribute_agreement([r[3] for r in PASSFAIL], [r[0] for r in PASSFAIL],
                               [r[1] for r in PASSFAIL], standard=[r[4] for r in PASSFAIL],
                               **kwargs)


# ---- Fleiss' kappa ----------------------------------------------------------------------

def test_fleiss_wikipedia_worked_example():
    # Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
    # P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
             [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
             [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    k = fleiss_kappa(table, counts=True)
    assert k.kappa == pytest.approx(0.210, abs=5e-4)
    assert (k.n_subjects, k.n_raters) == (10, 14)


def test_fleiss_1971_diagnoses():
    # Fleiss (1971), Psychol. Bull. 76:378, 30 patients x 6 psychiatrists: kappa = 0.430;
    # per category 0.245 (depression), 0.245 (personality disorder), 0.520 (schizophrenia),
    # 0.471 (neurosis), 0.566 (other). R irr::kappam.fleiss(diagnoses): 0.4302445, z = 17.65183
    k = fleiss_kappa(DIAGNOSES)
    assert k.kappa == pytest.approx(0.4302445, abs=5e-8)
    assert k.z == pytest.approx(17.65183, abs=5e-6)
    published = {"1": 0.245, "2": 0.245, "3": 0.520, "4": 0.471, "5": 0.566}
    for cat, value in published.items():
        assert k.by_category[cat]["kappa"] == pytest.approx(value, abs=5e-4), cat
        # R, irr's detail = TRUE formulas (msa.R, prefix diagnoses)
        assert k.by_category[cat]["kappa"] == pytest.approx(
            R[f"diagnoses.cat.{cat}.kappa"], rel=1e-12)
        assert k.by_category[cat]["z"] == pytest.approx(R[f"diagnoses.cat.{cat}.z"], rel=1e-12)
        assert k.by_category[cat]["se"] == pytest.approx(R["diagnoses.cat_se"], rel=1e-12)
    assert k.se == pytest.approx(R["diagnoses.se"], rel=1e-12)
    assert k.p_value == pytest.approx(R["diagnoses.p"], rel=1e-6)  # one-sided, P(vs > 0)


def test_fleiss_kappa_bad_tables():
    with pytest.raises(StatsInputError, match="row 2 sums to 3"):
        fleiss_kappa([[1, 1], [2, 1]], counts=True)
    with pytest.raises(StatsInputError, match="missing"):
        fleiss_kappa([["a", "b"], ["a", None]])
    with pytest.raises(StatsInputError, match="whole numbers"):
        fleiss_kappa([[1.5, 0.5], [1, 1]], counts=True)


# ---- Cohen's kappa ----------------------------------------------------------------------

def expand(table: list[list[int]]) -> tuple[list[int], list[int]]:
    a, b = [], []
    for i, row in enumerate(table):
        for j, n in enumerate(row):
            a += [i] * n
            b += [j] * n
    return a, b


def test_cohen_sas_simple_kappa_printout():
    # SAS PROC FREQ simple kappa on the 3 x 3 table [[0,4,1],[0,8,0],[0,1,5]] (as quoted in
    # statsmodels' stats/tests/test_inter_rater.py): kappa 0.4842, ASE under H0 0.1484,
    # Z 3.2626, one-sided Pr > Z 0.0006
    k = cohens_kappa(*expand([[0, 4, 1], [0, 8, 0], [0, 1, 5]]))
    assert k.kappa == pytest.approx(0.4842, abs=5e-5)
    assert k.se == pytest.approx(0.1484, abs=5e-5)
    assert k.z == pytest.approx(3.2626, abs=5e-5)
    assert k.p_value == pytest.approx(0.0006, abs=5e-5)


def test_cohen_irr_anxiety_and_diagnoses():
    # R irr::kappa2(anxiety[, 2:3]): kappa = -0.006289308, z = -0.0604067 (irr's anxiety
    # data, raters 2 and 3, as in statsmodels' test_inter_rater.py)
    rater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
    rater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]
    k = cohens_kappa(rater2, rater3)
    assert k.kappa == pytest.approx(-0.006289308, abs=5e-10)
    assert k.z == pytest.approx(-0.0604067, abs=5e-8)
    # R, kappa2's formula in base R on the diagnoses' first two columns
    d = np.array(DIAGNOSES)
    k = cohens_kappa(d[:, 0], d[:, 1])
    for field in ("kappa", "se", "z", "p"):
        got = k.p_value if field == "p" else getattr(k, field)
        assert got == pytest.approx(R[f"diagnoses_cohen12.{field}"], rel=1e-9), field


def test_cohen_undefined_when_one_category():
    k = cohens_kappa(["ok"] * 5, ["ok"] * 5)
    assert math.isnan(k.kappa) and k.to_dict()["kappa"] is None
    assert k.observed_agreement == 1.0


# ---- exact intervals --------------------------------------------------------------------

@pytest.mark.parametrize(("matched", "low", "high"), [
    # Minitab, Attribute Agreement Analysis example (essay ratings, 15 samples), Each
    # Appraiser vs Standard: Duncan 8, Hayes 13, Holmes 15, Simpson 14 matched
    (8, 26.59, 78.73), (13, 59.54, 98.34), (15, 81.90, 100.00), (14, 68.05, 99.83),
])
def test_clopper_pearson_minitab(matched, low, high):
    lo, hi = clopper_pearson(matched, 15, 0.95)
    assert 100 * lo == pytest.approx(low, abs=5e-3)
    assert 100 * hi == pytest.approx(high, abs=5e-3)


def test_essay_layout_matches_minitab_table():
    # the Minitab essay example's design (5 appraisers, 15 essays rated -2..2, 1 trial) with
    # ratings made to reproduce its matched counts: Minitab prints 8, 13, 15, 15, 14
    # matched with the intervals above and SE kappa 0.258199 for every response
    standard = [2, -1, 0, -2, 0, 1, 2, 0, -1, 1, -2, 0, 2, -1, 1]
    matched = {"Duncan": 8, "Hayes": 13, "Holmes": 15, "Montgomery": 15, "Simpson": 14}
    ratings, samples, appraisers = [], [], []
    for name, hits in matched.items():
        for i, s in enumerate(standard):
            wrong = i >= hits
            ratings.append(s + (1 if s < 2 else -1) if wrong else s)
            samples.append(i + 1)
            appraisers.append(name)
    res = attribute_agreement(ratings, samples, appraisers,
                              standard={i + 1: s for i, s in enumerate(standard)})
    assert res.within_appraiser == () and res.n_trials == 1
    table = {row.appraiser: row for row in res.vs_standard}
    assert {n: r.matched for n, r in table.items()} == matched
    assert (round(table["Duncan"].ci_low, 2), round(table["Duncan"].ci_high, 2)) == \
        (26.59, 78.73)
    assert res.categories == ("-2", "-1", "0", "1", "2")
    for row in res.vs_standard:
        for cat in row.fleiss.by_category.values():
            assert cat["se"] == pytest.approx(0.258199, abs=5e-7)


# ---- the full analysis against R ----------------------------------------------------------

def check_kappa(got, prefix: str, tests: bool = True) -> None:
    assert got.kappa == pytest.approx(R[f"{prefix}.kappa"], rel=1e-9), prefix
    assert got.se == pytest.approx(R[f"{prefix}.se"], rel=1e-9), prefix
    if tests:
        assert got.z == pytest.approx(R[f"{prefix}.z"], rel=1e-9), prefix
        assert got.p_value == pytest.approx(R[f"{prefix}.p"], rel=1e-6), prefix


def check_row(row, prefix: str) -> None:
    assert row.inspected == 20
    assert row.matched == R[f"{prefix}.matched"], prefix
    assert row.percent == pytest.approx(100 * R[f"{prefix}.matched"] / 20)
    assert row.ci_low == pytest.approx(R[f"{prefix}.ci_low"], rel=1e-9), prefix
    assert row.ci_high == pytest.approx(R[f"{prefix}.ci_high"], rel=1e-9), prefix


def test_within_appraiser_against_r():
    res = passfail_study()
    assert res.appraisers == ("Ann", "Bob", "Cy") and res.n_trials == 2
    for row in res.within_appraiser:
        prefix = f"aa.within.{row.appraiser}"
        check_row(row, prefix)
        check_kappa(row.fleiss, prefix)
        check_kappa(row.cohen, f"{prefix}.cohen")
        for j, cat in enumerate(("fail", "pass"), start=1):
            assert row.fleiss.by_category[cat]["kappa"] == pytest.approx(
                R[f"{prefix}.cat.{j}.kappa"], rel=1e-9)


def test_each_appraiser_vs_standard_against_r():
    # Minitab: kappa vs standard is the mean over trials of kappa(trial, standard)
    res = passfail_study()
    for row in res.vs_standard:
        prefix = f"aa.vs.{row.appraiser}"
        check_row(row, prefix)
        check_kappa(row.fleiss, prefix, tests=False)
        check_kappa(row.cohen, f"{prefix}.cohen", tests=False)
        assert row.fleiss.n_tables == 2


def test_between_and_all_vs_standard_against_r():
    res = passfail_study()
    check_row(res.between_appraisers, "aa.between")
    check_kappa(res.between_appraisers.fleiss, "aa.between")
    assert res.between_appraisers.fleiss.n_raters == 6
    assert res.between_appraisers.cohen is None  # three appraisers: no Cohen's kappa
    check_row(res.all_vs_standard, "aa.all_vs")
    check_kappa(res.all_vs_standard.fleiss, "aa.all_vs", tests=False)
    check_kappa(res.all_vs_standard.cohen, "aa.all_vs.cohen", tests=False)


def test_summary_in_words_and_json():
    # R: all appraisers vs standard kappa 0.691, between 0.40 and 0.75 (AIAG: marginal)
    res = passfail_study()
    assert res.acceptability == "marginal"
    assert res.verdict.startswith("Marginal agreement")
    assert "0.691" in res.verdict and "6 of 20 samples (30.0%)" in res.verdict
    d = json.loads(json.dumps(res.to_dict()))
    assert d["vs_standard"][0]["appraiser"] == "Ann"
    assert d["all_vs_standard"]["fleiss"]["kappa"] == pytest.approx(R["aa.all_vs.kappa"])
    assert "Clopper-Pearson" in res.method and "Fleiss" in res.method
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.verdict = "x"  # type: ignore[misc]
    assert isinstance(res, AttributeAgreement)


def test_order_of_rows_does_not_matter():
    order = np.random.default_rng(3).permutation(len(PASSFAIL))
    # keep each (sample, appraiser)'s trials in their order: Cohen's kappa of two trials
    # depends on which rating is trial 1
    shuffled = sorted((PASSFAIL[i] for i in order), key=lambda r: (r[1], r[2]))
    res = attribute_agreement([r[3] for r in shuffled], [r[0] for r in shuffled],
                              [r[1] for r in shuffled], standard=[r[4] for r in shuffled])
    check_kappa(res.between_appraisers.fleiss, "aa.between")
    check_kappa(res.within_appraiser[2].cohen, "aa.within.Cy.cohen")


def test_two_appraisers_one_trial_gives_cohen_between():
    d = np.array(DIAGNOSES)
    res = attribute_agreement(np.r_[d[:, 0], d[:, 1]], np.r_[np.arange(30), np.arange(30)],
                              ["r1"] * 30 + ["r2"] * 30)
    # R: kappa2 formula on columns 1 and 2 (msa.R, diagnoses_cohen12)
    check_kappa(res.between_appraisers.cohen, "diagnoses_cohen12")
    assert res.vs_standard == () and res.all_vs_standard is None
    assert res.verdict.startswith("Marginal agreement")  # Fleiss' kappa between is < 0.75


def test_all_ratings_in_one_category_is_undefined_not_an_error():
    res = attribute_agreement(["pass"] * 8, [1, 1, 2, 2, 3, 3, 4, 4], ["a", "b"] * 4)
    assert res.between_appraisers.matched == 4
    assert math.isnan(res.between_appraisers.fleiss.kappa)
    assert res.acceptability == "undefined" and "undefined" in res.verdict
    assert res.to_dict()["between_appraisers"]["fleiss"]["kappa"] is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"ratings": ["p", "f", "p"], "samples": [1, 2, 1], "appraisers": ["a", "a", "b"]},
     "never rated sample"),
    ({"ratings": ["p", "f", "p", "p", "f"], "samples": [1, 2, 1, 2, 1],
      "appraisers": ["a", "a", "b", "b", "b"]}, "unbalanced"),
    ({"ratings": ["p", None, "p", "f"], "samples": [1, 2, 1, 2],
      "appraisers": ["a", "a", "b", "b"]}, "ratings: value 2 is missing"),
    ({"ratings": ["p", "f"], "samples": [1, 2], "appraisers": ["a", "a"]},
     "nothing to compare"),
    ({"ratings": ["p", "f"], "samples": [1, 1], "appraisers": ["a", "b"]},
     "at least 2 samples"),
    ({"ratings": ["p", "f", "p"], "samples": [1, 2], "appraisers": ["a", "a", "a"]},
     "samples: expected 3 values"),
    ({"ratings": ["p", "f", "p", "f"], "samples": [1, 2, 1, 2],
      "appraisers": ["a", "a", "b", "b"], "standard": ["p", "f", "f", "f"]},
     "sample '1' has two known values"),
    ({"ratings": ["p", "f", "p", "f"], "samples": [1, 2, 1, 2],
      "appraisers": ["a", "a", "b", "b"], "standard": {1: "p"}},
     "no known value for sample '2'"),
    ({"ratings": ["p", "f", "p", "f"], "samples": [1, 2, 1, 2],
      "appraisers": ["a", "a", "b", "b"], "confidence": 1.5}, "confidence"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(StatsInputError, match=message):
        attribute_agreement(**kwargs)


def test_numeric_labels_are_one_category_whatever_their_type():
    res = attribute_agreement([1, 1.0, "0", 0], [1, 1, 2, 2], ["a", "b", "a", "b"])
    assert res.categories == ("0", "1")
    assert res.between_appraisers.matched == 2
