"""Reading a submitted form from the request; the typed forms are in ``participation.forms``."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from participation.forms import FormInput
from participation.web.middleware import FORM_STATE, MAX_FIELDS


async def read_form(request: Request, max_files: int = 5) -> FormInput:
    """The submitted form; a NUL byte in any text field is a 400. An urlencoded form was parsed
    already by the CSRF check (``participation.web.middleware``), a multipart one is parsed
    here."""
    form = request.scope.get("state", {}).get(FORM_STATE)
    if not isinstance(form, FormData):
        form = await request.form(max_files=max_files, max_fields=MAX_FIELDS)
    values: dict[str, list[str]] = {}
    files: dict[str, UploadFile] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                files[key] = value
            continue
        if "\x00" in value or "\x00" in key:
            raise HTTPException(400, "NUL byte in form field")
        values.setdefault(key, []).append(value)
    return FormInput(values, files)
