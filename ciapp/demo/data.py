"""The demo's content: three sites, a team of people in every role, and thirteen projects.

Plain data only; ``services.py`` turns it into rows through the real services. Each project
carries a ``story``: the gate reviews, ticks and status moves that brought it to where it
stands, replayed in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEMO_DOMAIN = "demo.ciapp.example"
DEMO_PASSWORD = "improve-every-day"

SITES: dict[str, tuple[str, ...]] = {
    "Northfield Moulding Plant": ("Injection moulding", "Tool room", "Assembly and packing",
                                  "Quality lab"),
    "Riverside Distribution Centre": ("Inbound and receiving", "Pick and pack", "Shipping dock",
                                      "Returns"),
    "Mercy Valley Hospital Laboratory": ("Specimen reception", "Core chemistry", "Haematology",
                                         "Microbiology"),
}
NORTHFIELD, RIVERSIDE, MERCY = SITES


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: str
    belt: str = "none"
    site: str | None = None
    area: str | None = None

    @property
    def email(self) -> str:
        return f"{self.name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


PEOPLE: tuple[Person, ...] = (
    Person("raman", "Priya Raman", "admin"),
    Person("okafor", "Margaret Okafor", "council", "black"),
    Person("brandt", "Daniel Brandt", "council", "master_black"),
    Person("whitaker", "Helen Whitaker", "finance"),
    Person("osei", "Samuel Osei", "belt", "master_black", NORTHFIELD),
    Person("fischer", "Laura Fischer", "belt", "black", NORTHFIELD, "Injection moulding"),
    Person("berg", "Jonas Berg", "belt", "yellow", NORTHFIELD, "Tool room"),
    Person("alvarez", "Mateo Alvarez", "belt", "green", RIVERSIDE, "Pick and pack"),
    Person("becker", "Tom Becker", "belt", "yellow", RIVERSIDE, "Inbound and receiving"),
    Person("karim", "Aisha Karim", "belt", "green", MERCY, "Core chemistry"),
    Person("nowak", "Ewa Nowak", "belt", "green", MERCY, "Microbiology"),
    Person("liu", "Grace Liu", "member", "yellow", NORTHFIELD, "Injection moulding"),
    Person("rossi", "Marco Rossi", "member", "none", RIVERSIDE, "Shipping dock"),
    Person("mensah", "Kwame Mensah", "member", "none", RIVERSIDE, "Pick and pack"),
    Person("haddad", "Fatima Haddad", "member", "none", MERCY, "Specimen reception"),
    Person("chen", "Robert Chen", "viewer"),
)


# --- what happened to a project, step by step ------------------------------------------

@dataclass(frozen=True)
class Pass:
    """Tick the gate's checklist, request the review, and approve it."""

    comment: str
    override: str = ""
    note: str = ""
    by: str | None = None  # the decider; the sponsor when None


@dataclass(frozen=True)
class SendBack:
    note: str
    comment: str
    by: str | None = None


@dataclass(frozen=True)
class Pending:
    note: str


@dataclass(frozen=True)
class Tick:
    item: str


@dataclass(frozen=True)
class AddMember:
    person: str
    role: str


@dataclass(frozen=True)
class Hold:
    reason: str


@dataclass(frozen=True)
class Cancel:
    reason: str


Step = Pass | SendBack | Pending | Tick | AddMember | Hold | Cancel


@dataclass(frozen=True)
class DemoProject:
    title: str
    methodology: str
    site: str
    area: str
    lead: str
    sponsor: str
    started_weeks_ago: int
    weeks: int
    charter: dict[str, Any]
    team: tuple[tuple[str, str], ...] = ()
    story: tuple[Step, ...] = field(default_factory=tuple)


def metric(name: str, unit: str, better: str, *, lsl: float | None = None,
           usl: float | None = None, target: float | None = None) -> dict[str, Any]:
    return {"metric_name": name, "metric_unit": unit, "metric_better": better, "lsl": lsl,
            "usl": usl, "target": target}


PROJECTS: tuple[DemoProject, ...] = (
    DemoProject(
        "Reduce short shots on Press 7 (DH-220 door-handle housing)", "dmaic",
        NORTHFIELD, "Injection moulding", "fischer", "okafor", 20, 26,
        {"problem": "Press 7 moulds the DH-220 door-handle housing (PA6 GF30, 4 cavities). "
                    "Since January short shots have averaged 3.8% of moulded parts against a "
                    "plan of 1.0%, about 410 scrapped parts a day, and two housings with "
                    "incomplete ribs reached the customer in Q1.",
         "goal": "Cut short-shot scrap on Press 7 to 1.0% or less (daily rate, 20-day "
                 "average) without raising the cycle time above 38 s.",
         "in_scope": "Press 7, mould DH-220, all three shifts: resin drying, hot runner, "
                     "injection profile, mould venting.",
         "out_of_scope": "Other presses and moulds; a change of resin supplier; cosmetic "
                         "defects other than short shots.",
         "business_case": "410 parts a day x EUR 1.85 (material and machine time) is about "
                           "EUR 190,000 a year; reaching 1.0% saves about EUR 140,000 a year "
                           "and avoids a formal 8D with the customer.",
         **metric("Short-shot scrap rate", "%", "lower", target=1.0)},
        team=(("liu", "Process engineer"), ("berg", "Maintenance technician"),
              ("osei", "Coach (master black belt)")),
        story=(Pass("Charter signed off at the February council."),
               Pass("Vision-system MSA passed (kappa 0.93); 30-day baseline accepted."),
               Pass("Verified causes: blocked vents on cavities 3 and 4, and wet resin after "
                    "dryer alarms. Go ahead with the countermeasures."),
               Tick("owners_trained")),
    ),
    DemoProject(
        "SMED: mould changeover on the 350-t presses", "kaizen",
        NORTHFIELD, "Injection moulding", "osei", "brandt", 30, 12,
        {"problem": "Mould changes on the four 350-t presses take 95 minutes on average "
                    "(range 70 to 140), so planners batch long runs and finished-goods stock "
                    "of low-volume housings has grown to 11 days.",
         "goal": "Average changeover of 25 minutes or less by the end of the five-day event, "
                 "held for 60 days.",
         "in_scope": "Presses 4 to 7, all moulds under 2 t; external set-up, quick clamps, "
                     "pre-heating, standard work for setters.",
         "out_of_scope": "Presses above 350 t; mould design changes.",
         "business_case": "22 changeovers a week x 70 minutes saved frees 25 press-hours a "
                           "week (about EUR 95,000 a year of capacity) and allows EUR 60,000 "
                           "less finished-goods stock.",
         **metric("Changeover time, last good part to first good part", "min", "lower",
                  usl=60, target=25)},
        team=(("berg", "Tool setter"), ("liu", "Process engineer"),
              ("fischer", "Co-facilitator")),
        story=(Pass("Scope agreed; event booked for week 14."),
               Pass("Video of three changeovers analysed: 62% of the time is internal work "
                    "that can be external."),
               Pass("Causes verified on the shop floor during the event."),
               Pass("Quick clamps, pre-heat cart and checklist in place; average now 31 min."),
               SendBack("Control plan and 60 days of changeover data attached.",
                        "Two of the last 20 changeovers ran over 40 minutes on nights; show "
                        "that the standard work is followed on the night shift before we "
                        "close.", by="okafor"),
               Pass("Night shift now averages 27 minutes. Close, and share the standard work "
                    "with the other plants.", by="okafor")),
    ),
    DemoProject(
        "Clip retention force on the HV connector cover", "dmaic",
        NORTHFIELD, "Assembly and packing", "fischer", "brandt", 12, 24,
        {"problem": "The latch clip of the HV connector cover (part 8812) must hold at least "
                    "45 N (customer drawing). Lab pull tests show a mean of 52 N with a "
                    "standard deviation of 4.1 N (Ppk 0.57); 4.5% of tested covers fail and "
                    "each failure puts the lot on hold for 100% testing.",
         "goal": "Raise the Ppk of the retention force to 1.33 or more (a mean near 60 N at "
                 "today's spread) by the end of Q3.",
         "in_scope": "Mould 8812 on Press 3, the clip geometry as moulded, the pull-test "
                     "method in the quality lab.",
         "out_of_scope": "Changing the customer specification; the mating connector.",
         "business_case": "Lot holds cost 140 hours of 100% testing a month (EUR 7,000) and "
                           "expose the plant to a line-stop claim of EUR 25,000 per event.",
         **metric("Clip retention force", "N", "higher", lsl=45, target=60)},
        team=(("liu", "Process engineer"), ("berg", "Toolmaker")),
        story=(Pass("Approved; make sure the test method is part of Measure."),
               SendBack("Baseline: 125 pull tests over five weeks.",
                        "The pull tester's Gage R&R is 38% of tolerance. Fix the fixture and "
                        "repeat the MSA before we trust this baseline.", by="okafor"),
               Pass("Gage R&R now 9% of tolerance with the new fixture; baseline accepted.")),
    ),
    DemoProject(
        "5S and shadow boards in the tool room", "kaizen",
        NORTHFIELD, "Tool room", "berg", "okafor", 10, 6,
        {"problem": "Setters spend 14 minutes per mould change looking for clamps, hoses, "
                    "inserts and torque wrenches; three wrench sets went missing last quarter.",
         "goal": "Every tool found in under 2 minutes; no missing tools for a quarter.",
         "in_scope": "Tool room benches, racks and the changeover carts.",
         "out_of_scope": "Mould storage racks (covered by the SMED follow-up).",
         "business_case": "12 minutes x 22 changeovers a week is 230 setter-hours a year "
                           "(about EUR 11,000) plus EUR 3,000 a year of replaced tools.",
         **metric("Time to find the tools for a changeover", "min", "lower", target=2)},
        team=(("liu", "Process engineer"),),
        story=(Pass("Go; pair it with the SMED follow-up."),
               Tick("data_plan"),
               Hold("The tool room moves to the new hall in September; the event restarts "
                    "there rather than laying out a room we are about to leave.")),
    ),
    DemoProject(
        "Dryer energy per kilogram of resin", "dmaic",
        NORTHFIELD, "Injection moulding", "osei", "brandt", 4, 20,
        {"problem": "The central desiccant dryers use 0.21 kWh per kg of resin against 0.12 "
                    "in the supplier's data sheet; drying is the plant's third-largest "
                    "electricity user.",
         "goal": "0.12 kWh per kg or less, with resin moisture still below 0.2%.",
         "in_scope": "Central dryers 1 to 3, hopper insulation, dew-point control.",
         "out_of_scope": "Press barrel heating; chillers.",
         "business_case": "1,900 t of resin a year x 0.09 kWh/kg x EUR 0.19/kWh = about "
                           "EUR 32,000 a year.",
         **metric("Dryer energy per kg of resin", "kWh/kg", "lower", target=0.12)},
        team=(("berg", "Maintenance technician"),),
        story=(Pass("Approved; log dew point alongside energy in Measure."),),
    ),
    DemoProject(
        "Cut mis-picks in the each-pick zone", "dmaic",
        RIVERSIDE, "Pick and pack", "alvarez", "okafor", 28, 30,
        {"problem": "The each-pick zone ships 41,000 order lines a week. Customer-reported "
                    "mis-picks (wrong item or quantity) ran at 23 per 10,000 lines over the "
                    "last six months; each costs a credit note, a re-delivery and a call.",
         "goal": "5 mis-picks per 10,000 lines or fewer by November, held for three months.",
         "in_scope": "Each-pick zone, all shifts; slotting, labels, pick confirmation.",
         "out_of_scope": "Full-case picking; carrier errors after dispatch.",
         "business_case": "41,000 lines a week x 52 x 18 fewer mis-picks per 10,000 = 3,840 "
                           "fewer a year x EUR 38 each (finance figure) = about EUR 146,000.",
         **metric("Mis-picked order lines", "per 10,000 lines", "lower", target=5)},
        team=(("rossi", "Shift lead"), ("mensah", "Picker"), ("becker", "Data analyst")),
        story=(SendBack("Charter for the council.",
                        "The business case has no cost per mis-pick. Ask finance for the "
                        "credit-note and re-delivery figure first.", by="brandt"),
               Pass("Finance confirmed EUR 38 per mis-pick. Approved."),
               Pass("Baseline of 26 weeks accepted."),
               Pass("Look-alike SKUs in adjacent slots and unreadable bin labels verified as "
                    "the main causes."),
               Pass("Pick-to-light on the top 400 SKUs and the two-slot rule: mis-picks down "
                    "to 6 per 10,000 in the trial weeks."),
               Tick("handover")),
    ),
    DemoProject(
        "Dock-to-stock time for inbound pallets", "kaizen",
        RIVERSIDE, "Inbound and receiving", "becker", "brandt", 8, 8,
        {"problem": "Inbound pallets wait 19 hours on average between unloading and being "
                    "available to pick; 15% wait more than 24 hours, causing back-orders on "
                    "stock that is physically in the building.",
         "goal": "Dock-to-stock of 4 hours or less on average, none above 24 hours.",
         "in_scope": "Receiving doors 1 to 8, check-in, labelling, put-away.",
         "out_of_scope": "Supplier appointment booking; the WMS upgrade.",
         "business_case": "About 300 back-ordered lines a week avoided; EUR 52,000 a year of "
                           "expedited freight and lost sales.",
         **metric("Dock-to-stock time", "h", "lower", usl=24, target=4)},
        team=(("rossi", "Shift lead"), ("mensah", "Forklift driver")),
        story=(Pass("Approved."),
               Pass("Current-state map done: 11 of the 19 hours are waiting for check-in."),
               Pass("Root causes confirmed with a week of timestamps.")),
    ),
    DemoProject(
        "Reduce carrier-reported parcel damage", "dmaic",
        RIVERSIDE, "Shipping dock", "alvarez", "okafor", 2, 24,
        {"problem": "Carriers reported 1.4% of parcels damaged in the last 12 months, "
                    "against 0.5% in the contract; claims are disputed case by case.",
         "goal": "0.3% damaged parcels or fewer by the end of the year.",
         "in_scope": "Packing benches, void fill, pallet build, trailer loading.",
         "out_of_scope": "Damage inside the carriers' hubs.",
         "business_case": "Replacement goods and re-shipping cost about EUR 88,000 a year.",
         **metric("Damaged parcels", "%", "lower", target=0.3)},
        team=(("rossi", "Shift lead"),),
        story=(Pending("Charter ready; 12 months of carrier claims attached."),),
    ),
    DemoProject(
        "Clear the returns processing backlog", "kaizen",
        RIVERSIDE, "Returns", "becker", "brandt", 16, 6,
        {"problem": "4,600 customer returns wait to be inspected; the oldest are 9 weeks old "
                    "and customers wait that long for refunds.",
         "goal": "No return older than 5 working days.",
         "in_scope": "Returns receiving, grading and restocking.",
         "out_of_scope": "The refund process in finance.",
         "business_case": "Refund complaints and write-offs of unsellable stock, about "
                           "EUR 40,000 a year.",
         **metric("Age of the oldest open return", "working days", "lower", target=5)},
        team=(("mensah", "Returns associate"),),
        story=(Pass("Approved."),
               Cancel("Returns processing moves to a third-party provider on 1 July under the "
                      "new contract; the findings so far were handed over to them.")),
    ),
    DemoProject(
        "Turnaround time for emergency-department troponin", "dmaic",
        MERCY, "Core chemistry", "karim", "okafor", 9, 22,
        {"problem": "Only 71% of ED high-sensitivity troponin results are reported within 60 "
                    "minutes of the sample's arrival in the lab, against the hospital "
                    "standard of 90%; slow results delay chest-pain decisions in the ED.",
         "goal": "90% of ED troponins reported within 60 minutes of receipt, median under "
                 "40 minutes, by the spring.",
         "in_scope": "Receipt, centrifugation, analyser loading and result release for ED "
                     "troponin, 24/7.",
         "out_of_scope": "Sample collection in the ED and transport by the pneumatic tube.",
         "business_case": "Each hour saved on a rule-out frees an ED cubicle: about 1,100 "
                           "cubicle-hours a year and fewer breaches of the 4-hour target.",
         **metric("Receipt-to-result time, ED troponin", "min", "lower", usl=60, target=40)},
        team=(("haddad", "Biomedical scientist"), ("nowak", "Analyser super-user")),
        story=(Pass("Agreed with the ED clinical lead; 60 minutes is the hospital standard."),
               Tick("data_plan")),
    ),
    DemoProject(
        "Haemolysed samples from the emergency department", "kaizen",
        MERCY, "Specimen reception", "nowak", "brandt", 7, 5,
        {"problem": "6.8% of ED blood samples arrive haemolysed and must be redrawn, against "
                    "2% in the wards; potassium results are delayed or wrong.",
         "goal": "2% haemolysed ED samples or fewer.",
         "in_scope": "Sample drawing in the ED, tube choice, transport to the lab.",
         "out_of_scope": "Ward and outpatient phlebotomy.",
         "business_case": "About 5,200 redraws a year at EUR 9 each, and one hour's delay "
                           "to each affected patient's result.",
         **metric("Haemolysed ED samples", "%", "lower", target=2)},
        story=(Pass("Approved so the event keeps its date.",
                    override="The ED rota for the event week is not published yet; the matron "
                             "has committed two nurses, who will be named at kick-off."),
               AddMember("haddad", "Biomedical scientist"),
               Pass("Current state mapped: haemolysis is worst for syringe draws through "
                    "22G cannulas.")),
    ),
    DemoProject(
        "Specimen labelling errors at reception", "dmaic",
        MERCY, "Specimen reception", "karim", "okafor", 1, 20,
        {"problem": "Reception rejects 3.1 specimens per 1,000 for missing or mismatched "
                    "labels; each means a new draw and, twice this year, a near miss.",
         "goal": "Fewer than 1 labelling rejection per 1,000 specimens.",
         "business_case": "Redraws, delay and patient-safety risk; cost to be confirmed.",
         **metric("Labelling rejections", "per 1,000 specimens", "lower", target=1)},
    ),
    DemoProject(
        "Blood-culture bottle fill volume", "kaizen",
        MERCY, "Microbiology", "nowak", "brandt", 11, 10,
        {"problem": "Adult aerobic blood-culture bottles hold 5.6 mL of blood on average "
                    "against the manufacturer's 8 to 10 mL; under-filled bottles miss "
                    "bacteraemia.",
         "goal": "Average fill of 10 mL with fewer than 5% of bottles under 8 mL.",
         "in_scope": "Culture draws in the ED and the medical wards; weighing at receipt.",
         "out_of_scope": "Paediatric bottles.",
         "business_case": "Sensitivity for bacteraemia rises about 3% per extra mL; fewer "
                           "repeat cultures and shorter empirical antibiotic courses.",
         **metric("Blood volume per adult bottle", "mL", "higher", lsl=8, usl=12,
                  target=10)},
        team=(("haddad", "Biomedical scientist"),),
        story=(Pass("Approved."),
               Pass("Bottle weighing in place for four weeks; baseline accepted."),
               Pass("Causes verified: no fill line on the bottles, and the butterfly draw "
                    "stops early.")),
    ),
)
