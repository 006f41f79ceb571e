"""Who may open and change a project's benefits. Lines and costs are children of their
project: an id of another project is 404 (``projects.access.on_child``)."""

from __future__ import annotations

from ..core.access import where
from ..projects.access import child_loader, on_child, on_project
from . import permissions
from .models import BenefitLine, ProjectCost

VIEW = on_project("view benefits", lambda user, project: True)
EDIT = on_project("edit benefits", permissions.can_edit_benefits)
VIEW_LINE = on_child("view benefit line", child_loader(BenefitLine, what="Benefit line"),
                     "line_id", "line", lambda user, project: True)
EDIT_LINE = on_child("edit benefit line", child_loader(BenefitLine, what="Benefit line"),
                     "line_id", "line", permissions.can_edit_benefits)
VALIDATE_LINE = on_child("validate benefit line",
                         child_loader(BenefitLine, what="Benefit line"), "line_id", "line",
                         permissions.can_validate)
EDIT_COST = on_child("edit cost", child_loader(ProjectCost, what="Cost"), "cost_id", "cost",
                     permissions.can_edit_benefits)
QUEUE = where("finance queue", permissions.can_see_queue)
