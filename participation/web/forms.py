"""Reading a submitted form from the request; the typed forms are in ``participation.forms``."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from participation.forms import FormInput


async def read_form(request: Request, max_files: int = 5) -> FormInput:
    """Parse the request body; a NUL byte in any text field is a 400."""
    form = await request.form(max_files=max_files, max_fields=500)
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
