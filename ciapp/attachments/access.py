"""Who may see and change a project's attachments: whoever may read the project reads
them, its editors add and remove them. An attachment is a child of its project: the id of
another project's attachment is 404 (``projects.access.on_child``)."""

from __future__ import annotations

from ..projects import permissions
from ..projects.access import child_loader, on_child, on_project
from .models import Attachment

LOAD = child_loader(Attachment)

VIEW = on_project("view attachments", permissions.can_view_project)
EDIT = on_project("attach files", permissions.can_edit_project)
VIEW_ATTACHMENT = on_child("download attachment", LOAD, "attachment_id", "attachment",
                           permissions.can_view_project)
EDIT_ATTACHMENT = on_child("remove attachment", LOAD, "attachment_id", "attachment",
                           permissions.can_edit_project)
