"""Who may read and change a project's root-cause work, as policies for ``guard``. Every
chain, why, category, cause and root cause is a child of its project: an id of another
project is 404 (``projects.access.on_child``)."""

from __future__ import annotations

from ..projects import permissions
from ..projects.access import child_loader, on_child, on_project
from .fmea_models import FmeaRow, SipocItem
from .models import Cause, CauseCategory, RootCause, Why, WhyChain

VIEW = on_project("view root cause", permissions.can_view_project)
EDIT = on_project("edit root cause", permissions.can_edit_project)

VIEW_CHAIN = on_child("view 5-Whys chain", child_loader(WhyChain, what="5-Whys chain"),
                      "chain_id", "chain", permissions.can_view_project)
EDIT_CHAIN = on_child("edit 5-Whys chain", child_loader(WhyChain, what="5-Whys chain"),
                      "chain_id", "chain", permissions.can_edit_project)
EDIT_WHY = on_child("edit why", child_loader(Why, what="Why"), "why_id", "why",
                    permissions.can_edit_project)
EDIT_ROOT = on_child("verify root cause", child_loader(RootCause, what="Root cause"),
                     "root_id", "root", permissions.can_edit_project)
EDIT_CATEGORY = on_child("edit fishbone category",
                         child_loader(CauseCategory, what="Fishbone category"),
                         "category_id", "category", permissions.can_edit_project)
EDIT_CAUSE = on_child("edit cause", child_loader(Cause, what="Cause"), "cause_id", "cause",
                      permissions.can_edit_project)

EDIT_FMEA = on_child("edit FMEA row", child_loader(FmeaRow, what="FMEA row"), "fmea_id",
                     "row", permissions.can_edit_project)
EDIT_SIPOC = on_child("edit SIPOC entry", child_loader(SipocItem, what="SIPOC entry"),
                      "item_id", "item", permissions.can_edit_project)
