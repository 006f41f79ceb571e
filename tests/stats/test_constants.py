"""Control chart constants against published tables and exact identities.

Table values: Montgomery, *Introduction to Statistical Quality Control*, Appendix VI
("Factors for constructing variables control charts"), which reproduces ASTM STP 15D;
they are printed to 3 decimals (d2, d3, A2, D3, D4, B3, B4) or 4 decimals (c4).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import ndtr

from ciapp.stats import StatsInputError
from ciapp.stats.constants import A2, B3, B4, D3, D4, c4, d2, d3

# Montgomery Appendix VI / ASTM STP 15D, 3 decimals
D2_TABLE = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847,
            9: 2.970, 10: 3.078, 15: 3.472, 20: 3.735, 25: 3.931}
D3_TABLE = {2: 0.853, 3: 0.888, 4: 0.880, 5: 0.864, 6: 0.848, 7: 0.833, 10: 0.797,
            25: 0.708}
# Montgomery Appendix VI, 4 decimals
C4_TABLE = {2: 0.7979, 3: 0.8862, 4: 0.9213, 5: 0.9400, 6: 0.9515, 10: 0.9727, 25: 0.9896}
A2_TABLE = {2: 1.880, 3: 1.023, 4: 0.729, 5: 0.577, 10: 0.308}
D4_TABLE = {2: 3.267, 3: 2.574, 4: 2.282, 5: 2.114, 10: 1.777}
D3F_TABLE = {2: 0.0, 6: 0.0, 7: 0.076, 10: 0.223}
B3_TABLE = {5: 0.0, 6: 0.030, 10: 0.284}
B4_TABLE = {2: 3.267, 5: 2.089, 6: 1.970, 10: 1.716}


@pytest.mark.parametrize(("n", "value"), D2_TABLE.items())
def test_d2_matches_table(n: int, value: float) -> None:
    assert d2(n) == pytest.approx(value, abs=5e-4)


@pytest.mark.parametrize(("n", "value"), D3_TABLE.items())
def test_d3_matches_table(n: int, value: float) -> None:
    assert d3(n) == pytest.approx(value, abs=5e-4)


@pytest.mark.parametrize(("n", "value"), C4_TABLE.items())
def test_c4_matches_table(n: int, value: float) -> None:
    assert c4(n) == pytest.approx(value, abs=5e-5)


@pytest.mark.parametrize(
    ("factor", "table"),
    [(A2, A2_TABLE), (D4, D4_TABLE), (D3, D3F_TABLE), (B3, B3_TABLE), (B4, B4_TABLE)],
)
def test_chart_factors_match_table(factor, table) -> None:
    # D4(3) is printed 2.574 in Montgomery and 2.575 in ASTM: allow one unit in the 3rd place
    for n, value in table.items():
        assert factor(n) == pytest.approx(value, abs=1.1e-3), n


def test_closed_forms_for_small_n() -> None:
    # E[range of 2] = 2/sqrt(pi); E[range of 3] = 3/sqrt(pi); sd(range of 2) = sqrt(2 - 4/pi)
    assert d2(2) == pytest.approx(2 / math.sqrt(math.pi), rel=1e-12)
    assert d2(3) == pytest.approx(3 / math.sqrt(math.pi), rel=1e-12)
    assert d3(2) == pytest.approx(math.sqrt(2 - 4 / math.pi), rel=1e-9)
    # Closed forms of the expected maxima of 4 and 5 normals (Godwin 1949):
    # E[X(4:4)] = 3/(2 sqrt(pi)) (1 + 2/pi asin(1/3)),
    # E[X(5:5)] = 5/(4 sqrt(pi)) (1 + 6/pi asin(1/3))
    a = math.asin(1 / 3)
    assert d2(4) == pytest.approx(2 * 3 / (2 * math.sqrt(math.pi)) * (1 + 2 / math.pi * a),
                                  rel=1e-10)
    assert d2(5) == pytest.approx(2 * 5 / (4 * math.sqrt(math.pi)) * (1 + 6 / math.pi * a),
                                  rel=1e-10)


def _d2_from_expected_max(n: int) -> float:
    """d2 = 2 E[max of n normals], an integral independent of the one in constants.py."""
    def f(x: float) -> float:
        return x * n * stats.norm.pdf(x) * stats.norm.cdf(x) ** (n - 1)
    return 2 * integrate.quad(f, -12, 12, epsabs=1e-13, limit=400)[0]


def _gauss_legendre(a: float, b: float, panels: int, nodes: int = 40):
    t, w = np.polynomial.legendre.leggauss(nodes)
    edges = np.linspace(a, b, panels + 1)
    half, mid = (edges[1:] - edges[:-1]) / 2, (edges[1:] + edges[:-1]) / 2
    return (mid[:, None] + half[:, None] * t).ravel(), (half[:, None] * w).ravel()


def _range_moments(n: int) -> tuple[float, float]:
    """Mean and sd of the range from Tippett's distribution function
    P(R <= w) = n int phi(x) [Phi(x + w) - Phi(x)]^(n-1) dx, by fixed Gauss-Legendre rules
    (a different formula and quadrature from constants.py)."""
    x, wx = _gauss_legendre(-9, 9, 36)
    r, wr = _gauss_legendre(0, 14, 28)
    phi = np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
    cdf = n * ((ndtr(x[None, :] + r[:, None]) - ndtr(x)[None, :]) ** (n - 1)
               * (phi * wx)).sum(axis=1)
    m1 = float(((1 - cdf) * wr).sum())
    m2 = float(2 * (r * (1 - cdf) * wr).sum())
    return m1, math.sqrt(m2 - m1 * m1)


@pytest.mark.parametrize("n", [30, 50, 100, 250])
def test_d2_beyond_tables_by_independent_integral(n: int) -> None:
    assert d2(n) == pytest.approx(_d2_from_expected_max(n), rel=1e-9)


@pytest.mark.parametrize("n", [5, 30, 60, 100])
def test_d2_d3_beyond_tables_by_range_distribution(n: int) -> None:
    mean, sd = _range_moments(n)
    assert d2(n) == pytest.approx(mean, rel=1e-10)
    assert d3(n) == pytest.approx(sd, rel=1e-10)


@pytest.mark.parametrize("n", [2, 5, 26, 50, 100, 1000, 10_000])
def test_c4_recurrence(n: int) -> None:
    # Gamma-function identity: c4(n) c4(n+1) = sqrt((n-1)/n), exact for every n
    assert c4(n) * c4(n + 1) == pytest.approx(math.sqrt((n - 1) / n), rel=1e-10)


def test_constants_monotone_beyond_25() -> None:
    sizes = [25, 26, 30, 40, 50, 75, 100]
    d2s = [d2(n) for n in sizes]
    d3s = [d3(n) for n in sizes]
    c4s = [c4(n) for n in sizes]
    assert d2s == sorted(d2s) and d3s == sorted(d3s, reverse=True) and c4s == sorted(c4s)


@pytest.mark.parametrize("bad", [1, 0, -3, 2.5, True])
def test_bad_subgroup_size_raises(bad) -> None:
    with pytest.raises(StatsInputError):
        d2(bad)
