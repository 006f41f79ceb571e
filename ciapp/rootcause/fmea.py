"""The FMEA table and the SIPOC: the rules. Services flush, never commit.

Action priority (highlighted on the page) is the table "Action Priority (AP) for DFMEA and
PFMEA" of the AIAG & VDA FMEA Handbook, 1st edition (2019): High, Medium or Low from
severity, occurrence and detection, read in that order, so a rare catastrophic failure is
not hidden behind a small RPN. The page still sorts by RPN, as the team works down it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from ..audit import services as audit
from ..auth.models import User
from ..core.errors import DomainError
from ..core.versions import check_version
from ..extensions import db
from .fmea_models import SCORES, SIPOC_COLUMNS, FmeaRow, SipocItem
from .models import TEXT_MAX
from .services import clean_text

TEXTS = ("effect", "cause", "current_control", "recommended_action")
NEW_SCORES = tuple(f"new_{s}" for s in SCORES)
LABELS = {"severity": "Severity", "occurrence": "Occurrence", "detection": "Detection",
          "new_severity": "Re-scored severity", "new_occurrence": "Re-scored occurrence",
          "new_detection": "Re-scored detection"}


# The handbook's table, transcribed band by band. Severity bands, then within each the
# occurrence bands, then the AP for the detection bands 7-10, 5-6, 2-4, 1 in that order.
# Bands missing below (severity 1; and severity 2-3 with occurrence 7 or less, ...) are L.
_S_BANDS = ((9, 10), (7, 8), (4, 6), (2, 3), (1, 1))
_O_BANDS = ((8, 10), (6, 7), (4, 5), (2, 3), (1, 1))
_D_BANDS = ((7, 10), (5, 6), (2, 4), (1, 1))
_AP_TABLE: dict[tuple[int, int], str] = {
    # (severity band, occurrence band): AP for D 7-10, 5-6, 2-4, 1
    (0, 0): "HHHH", (0, 1): "HHHH", (0, 2): "HHHM", (0, 3): "HMLL", (0, 4): "LLLL",
    (1, 0): "HHHH", (1, 1): "HHHM", (1, 2): "HMMM", (1, 3): "MMLL", (1, 4): "LLLL",
    (2, 0): "HHMM", (2, 1): "MMML", (2, 2): "MLLL", (2, 3): "LLLL", (2, 4): "LLLL",
    (3, 0): "MMLL", (3, 1): "LLLL", (3, 2): "LLLL", (3, 3): "LLLL", (3, 4): "LLLL",
}
AP_LABELS = {"H": "high", "M": "medium", "L": "low"}


def _band(bands: tuple[tuple[int, int], ...], score: int) -> int:
    return next(i for i, (low, high) in enumerate(bands) if low <= score <= high)


def action_priority(severity: int, occurrence: int, detection: int) -> str:
    """"H", "M" or "L" from the AIAG & VDA (2019) Action Priority table; scores 1-10."""
    key = (_band(_S_BANDS, severity), _band(_O_BANDS, occurrence))
    return _AP_TABLE.get(key, "LLLL")[_band(_D_BANDS, detection)]


def priority(row: FmeaRow) -> str:
    """The row's action priority as the page's highlight class: high, medium or low."""
    return AP_LABELS[action_priority(row.severity, row.occurrence, row.detection)]


def _score(values: Mapping[str, Any], name: str, *, required: bool) -> int | None:
    raw = values.get(name)
    if raw in (None, "") and not required:
        return None
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10:
        shown = f", not {text!r}" if text else " (it is empty)"
        raise DomainError(f"{LABELS[name]} must be a whole number from 1 to 10{shown}.",
                          field=name)
    return int(text)


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every field checked before anything is written: one bad score saves nothing."""
    out: dict[str, Any] = {"failure_mode": clean_text(values.get("failure_mode"),
                                                      "failure mode", "failure_mode")}
    for name in TEXTS:
        text = values.get(name) or ""
        if not isinstance(text, str) or len(text.strip()) > TEXT_MAX:
            raise DomainError(f"Keep the {name.replace('_', ' ')} to {TEXT_MAX} characters.",
                              field=name)
        out[name] = text.strip()
    owner = values.get("owner") or ""
    if not isinstance(owner, str) or len(owner.strip()) > 120:
        raise DomainError("Keep the owner to 120 characters.", field="owner")
    out["owner"] = owner.strip()
    for name in SCORES:
        out[name] = _score(values, name, required=True)
    for name in NEW_SCORES:
        out[name] = _score(values, name, required=False)
    return out


def project_fmea(project_id: int) -> list[FmeaRow]:
    """Highest RPN first, as the team works down the table."""
    rows = list(db.session.scalars(select(FmeaRow).where(FmeaRow.project_id == project_id)))
    return sorted(rows, key=lambda r: (-r.rpn, -r.severity, r.id))


def add_row(actor: User | None, project_id: int, values: Mapping[str, Any]) -> FmeaRow:
    row = FmeaRow(project_id=project_id, **_clean(values))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "create", "fmea_row", row.id, project_id=project_id,
                 summary=f"Added a failure mode (RPN {row.rpn}): {row.failure_mode[:80]}")
    return row


def update_row(actor: User | None, row: FmeaRow, values: Mapping[str, Any],
               expected: int | None) -> FmeaRow:
    check_version(row, expected, "This failure mode")
    clean = _clean(values)
    changes = audit.diff(row, clean)
    if changes:
        for name, value in clean.items():
            setattr(row, name, value)
        db.session.flush()
        audit.record(actor, "update", "fmea_row", row.id, project_id=row.project_id,
                     summary=f"Changed a failure mode (RPN {row.rpn})", changes=changes)
    return row


def delete_row(actor: User | None, row: FmeaRow) -> None:
    audit.record(actor, "delete", "fmea_row", row.id, project_id=row.project_id,
                 summary=f"Removed a failure mode: {row.failure_mode[:80]}")
    db.session.delete(row)
    db.session.flush()


# --- SIPOC ----------------------------------------------------------------------------

def sipoc(project_id: int) -> dict[str, list[SipocItem]]:
    items = db.session.scalars(select(SipocItem).where(SipocItem.project_id == project_id)
                               .order_by(SipocItem.position, SipocItem.id))
    out: dict[str, list[SipocItem]] = {key: [] for key in SIPOC_COLUMNS}
    for item in items:
        out[item.column_key].append(item)
    return out


def add_sipoc(actor: User | None, project_id: int, column: Any, text: Any) -> SipocItem:
    if column not in SIPOC_COLUMNS:
        raise DomainError("Choose a SIPOC column: " + ", ".join(SIPOC_COLUMNS.values())
                          + ".", field="column_key")
    text = clean_text(text, SIPOC_COLUMNS[column].lower().rstrip("s") + " entry")
    last = db.session.scalar(select(func.max(SipocItem.position)).where(
        SipocItem.project_id == project_id, SipocItem.column_key == column))
    item = SipocItem(project_id=project_id, column_key=column, text=text,
                     position=(last or 0) + 1)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "create", "sipoc_item", item.id, project_id=project_id,
                 summary=f"Added to the SIPOC's {SIPOC_COLUMNS[column]}: {text[:80]}")
    return item


def delete_sipoc(actor: User | None, item: SipocItem) -> None:
    audit.record(actor, "delete", "sipoc_item", item.id, project_id=item.project_id,
                 summary=f"Removed from the SIPOC: {item.text[:80]}")
    db.session.delete(item)
    db.session.flush()


def update_sipoc(actor: User | None, item: SipocItem, text: Any,
                 expected: int | None) -> SipocItem:
    check_version(item, expected, "This SIPOC entry")
    clean = clean_text(text, SIPOC_COLUMNS[item.column_key].lower().rstrip("s") + " entry")
    if clean != item.text:
        changes = {"text": [item.text, clean]}
        item.text = clean
        db.session.flush()
        audit.record(actor, "update", "sipoc_item", item.id, project_id=item.project_id,
                     summary=f"Changed a SIPOC entry: {clean[:80]}", changes=changes)
    return item
