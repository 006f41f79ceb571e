"""Projects to draw A3s of: an empty one, a typical one (every box with something in it) and
a very full one (far more than a page holds, and long texts)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ciapp.analyses import services as analyses
from ciapp.improve import services as improve
from ciapp.projects import services as projects
from ciapp.projects.models import Project
from ciapp.rootcause import fishbone
from ciapp.rootcause import services as rootcause
from tests import factories

RNG = np.random.default_rng(2026)
LONG = ("Operators on the night shift re-run the changeover checklist from memory because "
        "the laminated card went missing, so the die height is set by eye. ")


def empty() -> Project:
    return factories.project()


def staged_dataset(project: Project, name: str = "Changeover time") -> Any:
    """25 baseline points around 10 min, 25 after the change around 7 min."""
    values = np.r_[RNG.normal(10, 1, 25), RNG.normal(7, 1, 25)]
    return factories.dataset(project, [{"value": round(float(v), 3),
                                        "stage": "baseline" if i < 25 else "after change"}
                                       for i, v in enumerate(values)], name=name, unit="min")


def typical(cause_text: str = "Die height set by eye") -> Project:
    lead = factories.user("belt")
    project = factories.project(lead, complete=True, lsl=2.0, usl=14.0, target=6.0,
                                business_case="Each minute of changeover costs 40 parts.",
                                out_of_scope="Line 4.")
    ds = staged_dataset(project)
    base = analyses.source(project, ds.id, stage="baseline")
    after = analyses.source(project, ds.id, stage="after change")
    analyses.save_record(lead, project, "chart", [analyses.source(project, ds.id)], {})
    analyses.save_record(lead, project, "capability", [base], {})
    analyses.save_record(lead, project, "comparison", [base, after], {})
    chain = rootcause.create_chain(lead, project.id, "Changeovers take 47 minutes")
    why = rootcause.add_why(lead, chain, "The die is set twice")
    deeper = rootcause.add_why(lead, chain, "Nobody knows the right height", why.id)
    root = rootcause.mark_root(lead, deeper, True)
    assert root is not None
    rootcause.verify(lead, root, True, "Trial on 12 changeovers: one setting each", None,
                     root.version)
    bone = fishbone.get_or_create(project.id)
    fishbone.set_effect(lead, bone, "Long changeovers", bone.version)
    fishbone.add_cause(lead, bone, bone.categories[2].id, cause_text)
    cm = improve.create_countermeasure(lead, project, "Height gauge on every die", [root.id])
    improve.add_action(lead, cm, "Buy six gauges", lead.id, improve.today())
    improve.add_control_row(lead, project, {"process_step": "Changeover",
                                            "characteristic": "Changeover time",
                                            "frequency": "Every changeover",
                                            "reaction_plan": "Call the setter"}, ds.id, lead.id)
    return project


def full() -> Project:
    """Far more than one page holds: many chains, causes, countermeasures, rows, actions,
    and every text at its longest."""
    lead = factories.user("belt")
    text = (LONG * 20)[:990]
    project = factories.project(lead, complete=True, lsl=2.0, usl=14.0, problem=text,
                                goal=text, business_case=text, in_scope=text,
                                out_of_scope=text)
    for i in range(12):
        projects.add_member(lead, project, factories.user("member").id, f"Member {i}")
    ds = staged_dataset(project)
    base = analyses.source(project, ds.id, stage="baseline")
    after = analyses.source(project, ds.id, stage="after change")
    analyses.save_record(lead, project, "capability", [base], {})
    analyses.save_record(lead, project, "comparison", [base, after], {})
    roots = []
    for c in range(6):
        chain = rootcause.create_chain(lead, project.id, f"Chain {c}: " + text)
        parent = None
        for w in range(10):
            why = rootcause.add_why(lead, chain, f"Why {w}: " + text, parent)
            parent = why.id
        found = rootcause.mark_root(lead, why, True)
        assert found is not None
        roots.append(found)
    bone = fishbone.get_or_create(project.id)
    fishbone.set_effect(lead, bone, text, bone.version)
    for category in bone.categories:
        for k in range(12):
            fishbone.add_cause(lead, bone, category.id, f"Cause {k}: " + text)
    for n in range(15):
        cm = improve.create_countermeasure(lead, project, f"Countermeasure {n}: " + text,
                                           [r.id for r in roots])
        for a in range(3):
            improve.add_action(lead, cm, f"Action {a}: " + text, lead.id, improve.today())
    for r in range(12):
        improve.add_control_row(lead, project, {
            "process_step": f"Step {r}: " + text, "characteristic": text,
            "frequency": "hourly", "reaction_plan": text}, ds.id, lead.id)
    improve.save_lessons(lead, project, text * 5)
    return project
