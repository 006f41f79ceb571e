"""Running an analysis on a named data version, saving it as a record, and re-running a
record to see whether its numbers still come out the same.

One entry point, :func:`run`, serves the pages, the API and the records, so the three can
never disagree. Options are checked here and refused with a message naming the option.
Services flush and never commit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .. import __version__, stats
from ..audit import services as audit
from ..auth.models import User
from ..core.errors import DomainError
from ..core.records import child_or_404
from ..datasets import analysis as adapt
from ..datasets import services as datasets
from ..datasets.models import AnalysisRecord, Dataset
from ..extensions import db
from ..projects.models import Project

ANALYSES = ("chart", "capability", "comparison", "pareto", "gage")
CHART_OPTIONS = ("type", "rules", "run_lengths", "limits_from", "center", "sigma", "nsigmas",
                 "sigma_method", "lam", "L", "k", "h", "method")
CAPABILITY_OPTIONS = ("lsl", "usl", "target", "transform", "stage")
COMPARISON_OPTIONS = ("test", "paired")


@dataclass(frozen=True)
class Source:
    """One data input of an analysis: a data set, the version used, and a stage."""

    dataset: Dataset
    version: int
    sha256: str
    stage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset.id, "name": self.dataset.name, "version": self.version,
                "sha256": self.sha256, "stage": self.stage}


def source(project: Project, dataset_id: Any, version: Any = None,
           stage: Any = None) -> Source:
    """The data set ``dataset_id`` of ``project`` at ``version`` (the newest by default)."""
    dataset = child_or_404(Dataset, _int(dataset_id, "dataset"), project.id,
                           what="Data set", within=f" in {project.key}")
    number = None if version in (None, "") else _int(version, "version")
    v = datasets.get_version(dataset, number)
    return Source(dataset, v.number, v.sha256, (str(stage).strip() or None) if stage else None)


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or
                                       (isinstance(value, str) and value.isascii()
                                        and value.isdigit())):
        raise DomainError(f"'{name}' must be a whole number, not {value!r}.", field=name)
    return int(value)


def _number(options: Mapping[str, Any], name: str) -> float | None:
    value = options.get(name)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(f"'{name}' must be a number, not {value!r}.", field=name) from None
    if not math.isfinite(number):
        raise DomainError(f"'{name}' must be a finite number.", field=name)
    return number


def _known(options: Mapping[str, Any], allowed: tuple[str, ...], analysis: str) -> None:
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise DomainError(f"Unknown option(s) for a {analysis}: {', '.join(unknown)}; the "
                          f"options are {', '.join(allowed)}.", field=unknown[0])


def chart_options(dataset: Dataset, table: Any, options: Mapping[str, Any]
                  ) -> tuple[str, dict[str, Any], str]:
    """The chart type (suggested when not given), the options for the stats call, and the
    reason for the type."""
    _known(options, CHART_OPTIONS, "control chart")
    chart_type = options.get("type") or None
    reason = ""
    if chart_type is None:
        chart_type, reason = adapt.suggest_chart(dataset.kind, table, dataset.subgroup_size)
    opts: dict[str, Any] = {}
    rules = options.get("rules")
    if rules not in (None, ""):
        opts["rules"] = rules if isinstance(rules, str) else [int(r) for r in rules]
    if options.get("run_lengths"):
        opts["run_lengths"] = {int(k): float(v) for k, v in dict(options["run_lengths"]).items()}
    limits_from = options.get("limits_from")
    if limits_from not in (None, ""):
        text = str(limits_from)
        # ASCII digits only: "²".isdigit() is true, and int("²") raises.
        opts["limits_from"] = int(text) if text.isascii() and text.isdigit() else limits_from
    for name in ("center", "sigma", "nsigmas", "lam", "L", "k", "h"):
        number = _number(options, name)
        if number is not None:
            opts[name] = number
    for name in ("sigma_method", "method"):
        if options.get(name):
            opts[name] = str(options[name])
    return str(chart_type), opts, reason


def run(analysis: str, project: Project, sources: list[Source],
        options: Mapping[str, Any]) -> tuple[Any, str]:
    """The stats result of ``analysis`` on ``sources``, and the reason for any choice made
    from the data (the chart type, the test). Bad options or data raise DomainError."""
    if analysis not in ANALYSES:
        raise DomainError(f"Unknown analysis '{analysis}'; use one of {', '.join(ANALYSES)}.",
                          field="analysis")
    try:
        return _run(analysis, project, sources, dict(options))
    except stats.StatsInputError as exc:
        raise DomainError(str(exc)[:1].upper() + str(exc)[1:], field="options") from None


def _run(analysis: str, project: Project, sources: list[Source],
         options: dict[str, Any]) -> tuple[Any, str]:
    first = sources[0]
    table = datasets.load(first.dataset, first.version)
    if analysis == "chart":
        chart_type, opts, reason = chart_options(first.dataset, table, options)
        result = adapt.chart(table, first.dataset.kind, chart_type,
                             subgroup_size=first.dataset.subgroup_size, options=opts)
        return result, reason
    if analysis == "capability":
        _known(options, CAPABILITY_OPTIONS, "capability analysis")
        specs = {k: _number(options, k) for k in ("lsl", "usl", "target")}
        if not any(k in options for k in ("lsl", "usl", "target")):
            specs = {"lsl": project.lsl, "usl": project.usl, "target": project.target}
        if specs["lsl"] is None and specs["usl"] is None:
            raise DomainError("Capability needs a specification limit: give LSL or USL, or "
                              "set them on the project's primary metric.", field="lsl")
        return adapt.capability(table, **specs, transform=options.get("transform") or None,
                                stage=options.get("stage") or first.stage,
                                subgroup_size=first.dataset.subgroup_size), ""
    if analysis == "comparison":
        _known(options, COMPARISON_OPTIONS, "comparison")
        if len(sources) != 2:
            raise DomainError("A comparison needs a before and an after.", field="after")
        before_table = table
        after = sources[1]
        after_table = datasets.load(after.dataset, after.version)
        kind = first.dataset.kind
        if after.dataset.kind != kind:
            raise DomainError(f"Before holds {kind} data and after {after.dataset.kind} data; "
                              "compare like with like.", field="after")
        result = adapt.comparison(adapt.sample(before_table, kind, first.stage),
                                  adapt.sample(after_table, kind, after.stage), kind,
                                  better=project.metric_better or "lower",
                                  alpha=project.alpha or 0.05,
                                  test=options.get("test") or None,
                                  paired=bool(options.get("paired")),
                                  unit=first.dataset.unit or project.metric_unit or "")
        return result, getattr(result, "reason", "")
    needs = {"pareto": "categories", "gage": "gage"}[analysis]
    if first.dataset.kind != needs:
        raise DomainError(f"{'A Pareto chart' if analysis == 'pareto' else 'Gage R&R'} needs "
                          f"a {needs} data set; '{first.dataset.name}' holds "
                          f"{first.dataset.kind} data.", field="analysis")
    if analysis == "pareto":
        return adapt.pareto(table), ""
    return adapt.gage(table, tolerance=_number(options, "tolerance")), ""


def plain(value: Any) -> Any:
    """A result's ``to_dict()`` made safe for a JSON column on every database: NaN and
    infinities become None (PostgreSQL's JSON refuses them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def save_record(actor: User, project: Project, analysis: str, sources: list[Source],
                options: Mapping[str, Any], title: str = "") -> AnalysisRecord:
    result, reason = run(analysis, project, sources, options)
    record = AnalysisRecord(
        project_id=project.id, dataset_id=sources[0].dataset.id, analysis=analysis,
        title=(title or default_title(analysis, sources, result)).strip()[:200],
        inputs=[s.to_dict() for s in sources], options=plain(dict(options)),
        result=plain(result.to_dict() | ({"reason": reason} if reason else {})),
        software=f"ciapp {__version__}", created_by=actor)
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "create", "analysis", record.id, project_id=project.id,
                 summary=f"Saved {analysis} '{record.title}'")
    return record


def default_title(analysis: str, sources: list[Source], result: Any) -> str:
    names = " vs ".join(f"{s.dataset.name}" + (f" ({s.stage})" if s.stage else "")
                        for s in sources)
    label = {"chart": getattr(result, "method", "Control chart"), "capability": "Capability",
             "comparison": "Before/after", "pareto": "Pareto", "gage": "Gage R&R"}[analysis]
    return f"{label}: {names}"


def project_records(project: Project, analysis: str | None = None) -> list[AnalysisRecord]:
    stmt = select(AnalysisRecord).where(AnalysisRecord.project_id == project.id)
    if analysis:
        stmt = stmt.where(AnalysisRecord.analysis == analysis)
    return list(db.session.scalars(stmt.order_by(AnalysisRecord.id.desc())))


def get_record(project: Project, record_id: Any) -> AnalysisRecord:
    return child_or_404(AnalysisRecord, record_id, project.id, what="Analysis",
                        within=f" in {project.key}")


@dataclass(frozen=True)
class Rerun:
    reproduced: bool
    differences: tuple[str, ...]
    newer_versions: tuple[str, ...]  # data sets changed since, named with both versions

    def to_dict(self) -> dict[str, Any]:
        return {"reproduced": self.reproduced, "differences": list(self.differences),
                "newer_versions": list(self.newer_versions)}


def rerun(project: Project, record: AnalysisRecord) -> Rerun:
    """Run the record again on the very versions it names; report every number that differs
    (relative tolerance 1e-9) and the data sets that have changed since."""
    sources = [source(project, item["dataset"], item["version"], item.get("stage"))
               for item in record.inputs]
    for item, src in zip(record.inputs, sources, strict=True):
        if src.sha256 != item["sha256"]:
            return Rerun(False, (f"Data set '{src.dataset.name}' version {src.version} no "
                                 "longer has the content it had (hash differs).",), ())
    result, reason = run(record.analysis, project, sources, record.options)
    now = plain(result.to_dict() | ({"reason": reason} if reason else {}))
    differences = tuple(_differences(record.result, now, ""))
    newer = tuple(f"'{s.dataset.name}': this record used version {s.version}; the newest is "
                  f"{s.dataset.current}" for s in sources if s.dataset.current != s.version)
    return Rerun(not differences, differences[:50], newer)


def _differences(old: Any, new: Any, path: str) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            out += _differences(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{path}: {len(old)} values then, {len(new)} now"]
        out = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out += _differences(a, b, f"{path}[{i}]")
        return out
    if isinstance(old, int | float) and isinstance(new, int | float) \
            and not isinstance(old, bool) and not isinstance(new, bool):
        return [] if math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12) else \
            [f"{path}: {old!r} then, {new!r} now"]
    return [] if old == new else [f"{path}: {old!r} then, {new!r} now"]
