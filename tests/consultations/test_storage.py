"""Attachments: PDF only (type and magic bytes), size limit, stored through participation.storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from consultations.forms import MAX_PDF_BYTES, AttachmentInput, read_uploads
from participation.forms import FormInput, bind
from participation.storage import LocalStorage, StorageError
from tests.consultations.documents import PDF


def test_local_storage_round_trip_and_keys_cannot_escape(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path)
    key = store.save("../../etc/passwd report.pdf", PDF)
    assert store.open(key) == PDF
    assert (tmp_path / key).is_file() and ".." not in key
    for bad in ("../x", "/etc/passwd", "ab/../../x"):
        with pytest.raises(StorageError):
            store.open(bad)
    store.delete(key)
    with pytest.raises(StorageError):
        store.open(key)


@pytest.mark.parametrize(
    ("ctype", "data", "ok"),
    [
        ("application/pdf", PDF, True),
        ("application/pdf", b"MZ\x90\x00 not a pdf", False),
        ("text/html", PDF, False),
        ("application/pdf", b"", False),
        ("application/pdf", b"%PDF-" + b"0" * MAX_PDF_BYTES, False),
    ],
)
async def test_only_pdfs_within_the_size_limit_are_accepted(
    ctype: str, data: bytes, ok: bool
) -> None:
    import io

    from starlette.datastructures import Headers, UploadFile

    upload = UploadFile(io.BytesIO(data), filename="x.pdf",
                        headers=Headers({"content-type": ctype}))  # fmt: skip
    form = bind(AttachmentInput, await read_uploads(FormInput({"title": ["Draft law"]},
                                                              {"file": upload})))  # fmt: skip
    assert form.validate() is ok, form.errors
    if not ok:
        assert "file" in form.errors
