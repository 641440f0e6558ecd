"""The body form: name and description in every language side by side, parent, slug."""

from __future__ import annotations

import json
from typing import Any

from participation.i18n import LOCALES
from participation.i18n import gettext as _
from participation.web.legacy_forms import Form


class BodyForm(Form):
    """Fields ``name_<locale>``, ``description_<locale>``, ``original_locale``, ``parent``,
    ``slug`` (new bodies only) and ``settings`` (a JSON object)."""

    def __init__(self, data: Any = None, *, parent_ids: list[int], new: bool) -> None:
        super().__init__(data)
        self.parent_ids = parent_ids
        self.new = new

    @classmethod
    def initial(cls, body: Any, parent_ids: list[int]) -> BodyForm:
        data: dict[str, Any] = {
            "original_locale": body.original_locale,
            "parent": body.parent_id or "",
            "slug": body.slug,
            "settings": json.dumps(body.settings or {}, ensure_ascii=False, indent=2),
        }
        for loc in LOCALES:
            data[f"name_{loc}"] = (body.i18n.get(loc) or {}).get("name", "")
            data[f"description_{loc}"] = (body.i18n.get(loc) or {}).get("description", "")
        return cls(data, parent_ids=parent_ids, new=False)

    def clean(self) -> None:
        if self.new:
            self.text("slug", max_length=80)
        self.choice("original_locale", LOCALES)
        parent = self.choice("parent", [str(i) for i in self.parent_ids], required=False)
        self.cleaned["parent"] = int(parent) if parent and "parent" not in self.errors else None
        i18n: dict[str, dict[str, str]] = {}
        for loc in LOCALES:
            name = self.text(f"name_{loc}", required=False, max_length=200)
            desc = self.text(f"description_{loc}", required=False, max_length=5000,
                             multiline=True)  # fmt: skip
            i18n[loc] = {"name": name, "description": desc}
        self.cleaned["i18n"] = i18n
        original = self.cleaned.get("original_locale")
        if original in LOCALES and not i18n[original]["name"]:
            self.error(f"name_{original}", _("Please give the name in the original language."))
        raw = self.input.get("settings").strip() or "{}"
        try:
            settings = json.loads(raw)
        except ValueError:
            settings = None
        if not isinstance(settings, dict):
            self.error("settings", _("Please write the settings as a JSON object, like {}."))
            settings = {}
        self.cleaned["settings"] = settings


class AppointForm(Form):
    def __init__(self, data: Any = None, *, roles: list[str]) -> None:
        super().__init__(data)
        self.roles = roles

    def clean(self) -> None:
        self.email("email")
        self.choice("role", self.roles)
