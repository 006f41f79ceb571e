"""The demo's portfolio: health reports on a few active projects, made by their leads, and
ideas from the shop floor, some scored by the council and one each made a quick win and
declined. Through the real services, so the audit trail and notifications are the real
ones. Functions flush, never commit."""

from __future__ import annotations

from ..auth.models import OrgUnit, User
from ..portfolio import health, ideas
from ..projects.models import Project
from ..projects.phases import Status
from .data import MERCY, NORTHFIELD, RIVERSIDE

HEALTH = (
    ("on_track", "Baseline agreed with the sponsor; the team meets every Tuesday."),
    ("at_risk", "The gauge study slipped two weeks: the lab's CMM is booked for audits."),
    ("off_track", "Two actions are late and the supplier has not sent the trial parts."),
    ("on_track", "Countermeasures trialled on one shift; results due next week."),
)

# (author, title, problem, benefit, (site, area), (effort, impact) or None, decision)
IDEAS = (
    ("liu", "Kanban for moulding spare parts",
     "Nozzles and heater bands run out and a press waits half a shift for the stores van.",
     "About 40 press-hours a year back.", (NORTHFIELD, "Injection moulding"), (3, 8), None),
    ("rossi", "Print carrier labels at the packing benches",
     "Parcels queue at the one label printer on the dock before the 16:00 collection.",
     "Later cut-off for customers, less overtime on the dock.",
     (RIVERSIDE, "Shipping dock"), (7, 8), None),
    ("haddad", "Colour-coded trays for urgent specimens",
     "Urgent tubes sit in the same grey trays as routine ones.",
     "A few minutes off the ED turnaround.", (MERCY, "Specimen reception"), (2, 4), None),
    ("mensah", "Replace the warehouse management system",
     "The WMS screens are slow at the pick faces.", "Faster picking.",
     (RIVERSIDE, "Pick and pack"), (10, 5),
     ("declined", "A WMS change is on the IT roadmap for 2028; the pick-face screens get a "
                  "faster terminal instead. Thank you, Kwame.")),
    ("becker", "Move the returns scanner next to the inspection bench",
     "Inspectors walk 30 m to scan each return.", "About an hour a day.",
     (RIVERSIDE, "Returns"), (1, 5),
     ("quick_win", "Facilities moves the scanner on Friday; Tom checks it works.")),
    ("liu", "Pre-heat the next mould during changeover",
     "The first shots after a mould change are scrap until the mould is warm.",
     "Fewer start-up rejects.", (NORTHFIELD, "Injection moulding"), None, None),
)


def add(made: list[Project], users: dict[str, User],
        units: dict[tuple[str, str | None], OrgUnit]) -> None:
    active = [p for p in made if p.status == Status.ACTIVE and p.lead is not None]
    for project, (value, reason) in zip(active, HEALTH, strict=False):
        health.set_health(project.lead, project, value, reason)
    council, decider = users["okafor"], users["brandt"]
    for author, title, problem, benefit, place, scores, decision in IDEAS:
        unit = units.get(place)
        idea = ideas.submit(users[author], {
            "title": title, "description": problem, "benefit": benefit,
            "org_unit_id": unit.id if unit is not None else None})
        if scores is not None:
            ideas.score(council, idea, *scores, idea.version)
        if decision is not None:
            ideas.decide(decider, idea, decision[0], decision[1], idea.version)
