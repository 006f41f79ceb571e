"""Who may read and change a project's countermeasures, actions and control plan. Each is
a child of its project: an id of another project is 404 (``projects.access.on_child``)."""

from __future__ import annotations

from ..projects import permissions
from ..projects.access import child_loader, on_child, on_project
from .models import ActionItem, ControlPlanRow, Countermeasure

VIEW = on_project("view improve", permissions.can_view_project)
EDIT = on_project("edit improve", permissions.can_edit_project)
EDIT_CM = on_child("edit countermeasure", child_loader(Countermeasure), "countermeasure_id",
                   "countermeasure", permissions.can_edit_project)
EDIT_ACTION = on_child("edit action", child_loader(ActionItem, what="Action"), "action_id",
                       "action", permissions.can_edit_project)
EDIT_CONTROL = on_child("edit control plan row",
                        child_loader(ControlPlanRow, what="Control plan row"), "control_id",
                        "control", permissions.can_edit_project)

# Reading one field of a record in place (the row an inline editor returns to).
VIEW_CM = on_child("view countermeasure", child_loader(Countermeasure), "countermeasure_id",
                   "countermeasure", permissions.can_view_project)
VIEW_ACTION = on_child("view action", child_loader(ActionItem, what="Action"), "action_id",
                       "action", permissions.can_view_project)
VIEW_CONTROL = on_child("view control plan row",
                        child_loader(ControlPlanRow, what="Control plan row"), "control_id",
                        "control", permissions.can_view_project)
