"""The steps of a project's journey through the pages, as its people take them. Both
journeys (DMAIC and Kaizen) walk them; each step is what a user does with the mouse and the
keyboard, and ends on what the user sees."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect


def edit_in_place(page: Page, scope: Locator, label: str, value: str, *,
                  select: bool = False) -> None:
    """Edit one field in place (htmx): Edit beside it, change it, Save; the saved value
    shows where the field was."""
    link = scope.get_by_role("link", name=f"Edit {label}", exact=True).first
    dom_id = link.locator("xpath=..").get_attribute("id")
    link.click()
    field = page.locator(f"form#{dom_id}").get_by_label(label, exact=True)
    if select:
        field.select_option(label=value)
    else:
        field.fill(value)
    page.locator(f"form#{dom_id}").get_by_role("button", name="Save").click()
    expect(page.locator(f"div#{dom_id} .inline-value")).to_have_text(value)


def create_project(page: Page, base: str, charter: dict[str, str]) -> str:
    """The New project form, filled in as a belt would; returns the new project's key."""
    page.goto(f"{base}/projects/new")
    page.get_by_label("Title").fill(charter["title"])
    page.get_by_label("Methodology").select_option(label=charter["methodology"])
    page.get_by_label("Site / area").select_option(label=charter["site"])
    # No sponsor select for a belt: the council names the sponsor (set_sponsor below).
    expect(page.locator("#sponsor-note")).to_contain_text("The CI council names the sponsor")
    page.get_by_label("Project lead").select_option(label=charter["lead"])
    for label in ("Problem statement", "Goal", "In scope", "Out of scope", "Business case"):
        page.get_by_label(label, exact=True).fill(charter[label])
    page.get_by_label("Primary metric", exact=True).fill(charter["metric"])
    page.get_by_label("Unit", exact=True).fill(charter["unit"])
    page.get_by_label("Better is").select_option(label="Lower is better")
    page.get_by_label("USL", exact=True).fill(charter["usl"])
    page.get_by_label("Target", exact=True).fill(charter["target"])
    page.get_by_role("button", name="Create project").click()
    expect(page.locator(".flash-success")).to_contain_text("Created")
    expect(page.get_by_role("heading", level=1)).to_have_text(charter["title"])
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def set_sponsor(page: Page, base: str, key: str, name: str) -> None:
    """A council member names the sponsor on the project's team card."""
    page.goto(f"{base}/projects/{key}")
    team = page.locator("section#team")
    team.get_by_label("Sponsor").select_option(label=name)
    team.get_by_role("button", name="Set sponsor").click()
    expect(page.locator("section#team ul.team li", has_text="Sponsor")).to_contain_text(name)


def edit_whole_charter(page: Page, base: str, key: str, label: str, value: str,
                       sponsor: str) -> None:
    """The whole charter form: the sponsor the council named is shown, not offered, and
    stays when the belt saves."""
    page.goto(f"{base}/projects/{key}")
    page.get_by_role("link", name="Edit the whole charter").click()
    expect(page.locator("#sponsor-note")).to_contain_text(sponsor)
    page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("Charter saved.")
    expect(page.locator("section#team ul.team li", has_text="Sponsor")).to_contain_text(sponsor)


def add_team_member(page: Page, name: str, role: str) -> None:
    team = page.locator("section#team")
    team.get_by_label("Person").select_option(label=name)
    team.get_by_label("Role on the team").fill(role)
    team.get_by_role("button", name="Add to team").click()
    expect(page.locator("section#team ul.team")).to_contain_text(f"{name} — {role}")


def tick_checklist(page: Page) -> None:
    """Tick every item of the gate's checklist (each tick swaps the gate panel in place)."""
    gate = page.locator("#gate")
    ticks = gate.locator("button.tick")
    for i in range(ticks.count()):
        gate.locator("button.tick").nth(i).click()
        expect(gate.locator("button.tick").nth(i)).to_have_attribute("aria-pressed", "true")


def request_gate(page: Page, base: str, key: str, note: str) -> None:
    page.goto(f"{base}/projects/{key}")
    tick_checklist(page)
    gate = page.locator("#gate")
    expect(gate.locator("li.unmet")).to_have_count(0)  # every criterion met from the data
    gate.get_by_label("Note to the council").fill(note)
    gate.get_by_role("button", name="Request gate review").click()
    expect(page.locator("#gate .pending")).to_contain_text("Review requested")


def approve_gate(page: Page, base: str, key: str, title: str, comment: str) -> None:
    """The council member finds the review among those waiting and approves it."""
    page.goto(f"{base}/gates/waiting")
    page.get_by_role("link", name=key, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    gate = page.locator("#gate")
    expect(gate.locator(".pending")).to_contain_text("Review requested")
    gate.get_by_label("Approve").check()
    gate.get_by_label("Comment", exact=True).fill(comment)
    gate.get_by_role("button", name="Record decision").click()
    expect(page.locator("#gate ul.reviews li").first).to_contain_text("approved")


def _upload_and_map(page: Page, csv: Path) -> None:
    """Upload the measurements' CSV, check how it was read, and map its three columns."""
    page.get_by_label("CSV or Excel file").set_input_files(str(csv))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#columns-read tr", has_text="Minutes")).to_contain_text("number")
    page.get_by_label("Value").select_option("Minutes")
    page.get_by_label("Timestamp").select_option("Date")
    page.get_by_label("Stage").select_option("Stage")


def upload_data(page: Page, csv: Path, name: str) -> None:
    """Add data: upload the CSV, check how it was read, map the columns, save."""
    page.locator("#data").get_by_role("link", name="Add data").click()
    _upload_and_map(page, csv)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Unit", exact=True).fill("min")
    page.get_by_role("button", name="Save the data set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def append_data(page: Page, base: str, key: str, name: str, csv: Path, rows: int) -> None:
    page.goto(f"{base}/projects/{key}")
    page.locator("#data").get_by_role("link", name=name).click()
    page.get_by_role("link", name="Append rows").click()
    _upload_and_map(page, csv)
    page.get_by_role("button", name=f"Append {rows} rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def save_as_evidence(page: Page, title: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Save as evidence"))
    form.get_by_label("Title").fill(title)
    form.get_by_role("button", name="Save as evidence").click()
    expect(page.get_by_text(title).first).to_be_visible()


def open_dataset(page: Page, base: str, key: str, name: str) -> None:
    page.goto(f"{base}/projects/{key}")
    page.locator("#data").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def compare(page: Page, before: str, after: str) -> Locator:
    """Before / after of two stages of the data set on screen; returns the verdict."""
    page.get_by_role("link", name="Before / after").click()
    form = page.locator("form.options")
    form.locator("fieldset", has_text="Before").get_by_label("Stage").fill(before)
    form.locator("fieldset", has_text="After").get_by_label("Stage").fill(after)
    form.get_by_role("button", name="Compare").click()
    verdict = page.locator("p.verdict")
    expect(verdict).to_be_visible(timeout=30_000)
    # Filling the stages may have sent its own update; let the last swap land first.
    page.wait_for_load_state("networkidle")
    return verdict


def build_whys(page: Page, base: str, key: str, problem: str, whys: list[str],
               evidence: str) -> None:
    """A 5-Whys chain, each why answering the one before; the last is the root cause,
    verified with evidence."""
    page.goto(f"{base}/projects/{key}/rootcause")
    page.get_by_label("Problem statement").fill(problem)
    page.get_by_role("button", name="Start a 5-Whys chain").click()
    chain = page.locator("section.chain")
    expect(chain.get_by_role("heading", level=2)).to_have_text(f"Problem: {problem}")
    chain.get_by_label("Why does the problem happen?").fill(whys[0])
    chain.get_by_role("button", name="Add a why").click()
    for before, why in zip(whys, whys[1:], strict=False):
        item = page.locator("li.why", has_text=before).last
        expect(item).to_be_visible()
        item.get_by_text("Add an answer", exact=True).last.click()
        item.get_by_label("Why? (answering this one)").last.fill(why)
        item.get_by_role("button", name="Add", exact=True).last.click()
        expect(page.locator("li.why .why-text", has_text=why)).to_be_visible()
    # The whys nest: the innermost item holding the text is the why itself.
    why_id = page.locator("li.why", has=page.locator(".why-text", has_text=whys[-1])
                          ).last.get_attribute("id")
    root = page.locator(f"#{why_id}")
    root.get_by_role("button", name="Root cause", exact=True).click()
    expect(root.locator(".badge")).to_have_text("Root cause")
    root.get_by_text("Verify", exact=True).click()
    root.get_by_label("Verified").check()
    root.get_by_label("Evidence").fill(evidence)
    root.get_by_role("button", name="Save").click()
    expect(root.locator(".badge")).to_have_text("Root cause · verified")


def add_fishbone(page: Page, base: str, key: str, causes: dict[str, str]) -> None:
    page.goto(f"{base}/projects/{key}/fishbone")
    page.get_by_role("button", name="Start the fishbone (the 6 Ms)").click()
    for category, cause in causes.items():
        card = page.locator("section.category",
                            has=page.get_by_role("heading", name=category, exact=True))
        card.get_by_label(f"A cause under {category}").fill(cause)
        card.get_by_role("button", name="Add cause").click()
        expect(card.locator(".cause-text", has_text=cause)).to_be_visible()


def add_countermeasure(page: Page, base: str, key: str, title: str, root: str,
                       action: str, owner: str, due: str) -> Locator:
    """A countermeasure answering the verified root cause, with one action, both done."""
    page.goto(f"{base}/projects/{key}/improve")
    form = page.locator("form#new-countermeasure")
    form.get_by_label("New countermeasure").fill(title)
    form.get_by_label(root).check()
    form.get_by_role("button", name="Add countermeasure").click()
    cm = page.locator("article.countermeasure", has_text=title)
    cm.get_by_label("New action").fill(action)
    cm.get_by_label("Owner").select_option(label=owner)
    cm.get_by_label("Due").fill(due)
    cm.get_by_role("button", name="Add action").click()
    row = page.locator("article.countermeasure", has_text=title).locator(
        "table.action-items tbody tr", has_text=action)
    edit_in_place(page, row, "Status", "Done", select=True)
    cm = page.locator("article.countermeasure", has_text=title)
    edit_in_place(page, cm, "Status", "Done", select=True)
    return cm


def add_control_plan(page: Page, base: str, key: str, row: dict[str, str]) -> None:
    page.goto(f"{base}/projects/{key}/improve")
    plan = page.locator("form#new-control")
    for label, value in row.items():
        if label in ("Data set", "Owner"):  # a label around a select takes its options' text
            plan.get_by_label(label).select_option(label=value)
        else:
            plan.get_by_label(label, exact=True).fill(value)
    plan.get_by_role("button", name="Add row").click()
    expect(page.locator("#control-plan article.control-row")).to_contain_text(
        row["Characteristic"])


def write_lessons(page: Page, text: str) -> None:
    edit_in_place(page, page.locator("#lessons"), "Lessons learned", text)


def claim_benefit(page: Page, base: str, key: str, line: dict[str, str],
                  realized: tuple[str, str]) -> Locator:
    """A benefit line with one realized month, both submitted to finance."""
    page.goto(f"{base}/projects/{key}")
    page.locator("#benefits").get_by_role("link", name="Benefits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits")
    page.get_by_text("Add a benefit line").click()
    form = page.locator("#new-line")
    for label, value in line.items():
        if label == "Category":
            form.get_by_label(label, exact=True).select_option(label=value)
        else:
            form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="Add line").click()
    card = page.locator("article.benefit-line", has_text=line["Description"])
    expect(card.locator("p.calculation")).to_be_visible()
    return realize_and_submit(card, realized)


def realize_and_submit(card: Locator, realized: tuple[str, str]) -> Locator:
    """A realized month on the line, then the projected figure and the month submitted."""
    card.get_by_label("Month", exact=True).fill(realized[0])
    card.get_by_label("Realized amount").fill(realized[1])
    card.get_by_role("button", name="Save month").click()
    expect(card.locator("table.months tfoot")).to_contain_text(f"{float(realized[1]):,.2f}")
    card.get_by_role("button", name="Submit projected figure to finance").click()
    expect(card).to_contain_text("Projected: Waiting for finance")
    card.get_by_role("button", name="Submit realized months to finance").click()
    expect(card.locator("table.months tbody tr", has_text=realized[0])).to_contain_text(
        "Waiting for finance")
    return card


def validate_benefits(page: Page, description: str, comment: str) -> None:
    """Finance opens the queue from its start page and approves every part waiting."""
    page.get_by_role("link", name="Benefits waiting for validation").click()
    card = page.locator("article.benefit-line", has_text=description)
    expect(card).to_be_visible()
    parts = page.locator("article.benefit-line fieldset")  # projected, realized months
    expect(parts.first).to_contain_text("Projected:")
    for waiting in (2, 1):
        expect(parts).to_have_count(waiting)
        parts.first.get_by_label("Comment (needed to return)").fill(comment)
        parts.first.get_by_role("button", name="Approve and lock").click()
    expect(page.get_by_text("Nothing is waiting for validation.")).to_be_visible()


def verify_cause(page: Page, cause: str, evidence: str, record: str) -> None:
    """On the fishbone: a vote for the cause, then its status set to verified, with the
    evidence and the saved analysis behind it."""
    item = page.locator("li.cause", has=page.locator(".cause-text", has_text=cause)).last
    item.get_by_role("button", name="+1").click()
    expect(item).to_contain_text("1 vote")
    item.get_by_text("Status", exact=True).click()
    item.get_by_label("Status").select_option(label="Verified")
    item.get_by_label("Evidence").fill(evidence)
    item.get_by_label("Saved analysis").select_option(label=record)
    item.get_by_role("button", name="Save").click()
    expect(item).to_contain_text(f"Evidence: {evidence}")


def estimate_benefit(page: Page, base: str, key: str, fields: dict[str, str],
                     realized: tuple[str, str]) -> Locator:
    """A benefit line estimated from the saved before/after comparison, with a realized
    month; both submitted to finance."""
    page.goto(f"{base}/projects/{key}/benefits")
    page.get_by_text("Estimate a line from a before/after comparison").click()
    form = page.locator("#derive form")
    # By name: this form's fields share their ids with the Add-a-line form's ("category",
    # "description", ...), so their labels point at that form's fields (reported).
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if name in ("record_id", "category"):
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name="Estimate").click()
    card = page.locator("article.benefit-line", has_text=fields["description"])
    expect(card.locator("h3")).to_contain_text("Backed by a significant before/after change")
    return realize_and_submit(card, realized)
