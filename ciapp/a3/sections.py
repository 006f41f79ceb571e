"""Parts of the A3 that another area fills in, registered from that area's own
``register(app)``; until one is, the A3 shows what is missing there.

The benefits area, for instance, fills the "benefits" box with::

    from ..a3.sections import sections_of

    def register(app):
        sections_of(app).add("benefits", "benefits/_a3.html", a3_benefits)

where ``a3_benefits(project)`` returns the fragment's context (a mapping, seen in the
fragment as ``data``), or None when the project has nothing to show yet. The A3 imports no
area that may not exist: the area comes to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:
    from flask import Flask

    from ..projects.models import Project

EXTENSION = "ciapp.a3_sections"
# The boxes an area may fill, with what the A3 says while none does (or it has no data).
SLOTS: dict[str, str] = {
    "benefits": "No benefits recorded yet.",
}

Build = Callable[["Project"], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    build: Build


@dataclass(frozen=True)
class Filled:
    """One box as the A3 shows it: the area's fragment with its data, or the missing text."""

    key: str
    template: str | None
    data: Mapping[str, Any] | None
    missing: str


class SectionRegistry:
    def __init__(self) -> None:
        self._sections: dict[str, Section] = {}

    def add(self, key: str, template: str, build: Build) -> None:
        if key not in SLOTS:
            raise ValueError(f"the A3 has no box '{key}'; its boxes are {', '.join(SLOTS)}")
        if key in self._sections:
            raise ValueError(f"A3 box '{key}' registered twice")
        self._sections[key] = Section(key, template, build)

    def fill(self, project: Project) -> dict[str, Filled]:
        out = {}
        for key, missing in SLOTS.items():
            section = self._sections.get(key)
            data = section.build(project) if section is not None else None
            out[key] = Filled(key, section.template if section and data is not None else None,
                              data, missing)
        return out


def sections_of(app: Flask) -> SectionRegistry:
    """The app's registry, made on first use."""
    return app.extensions.setdefault(EXTENSION, SectionRegistry())


def current_sections() -> SectionRegistry:
    return sections_of(current_app._get_current_object())  # type: ignore[attr-defined]
