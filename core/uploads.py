"""Uploaded files: checked on the way in (type by content, size), streamed out only after an authorisation check.

Files are never served from a public media URL. A view fetches the owning object through ``for_user``
(so another organisation gets 404) and then returns ``protected_file_response(obj.fichier)``.
"""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible


SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSIONS = {"application/pdf": {".pdf"}, "image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}}


def sniff_content_type(uploaded):
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


@deconstructible
class UploadValidator:
    """Model/form field validator: PDF, JPEG or PNG (by content, not by name), at most UPLOAD_MAX_SIZE bytes."""

    def __call__(self, uploaded):
        if getattr(uploaded, "_committed", False):
            return  # a stored file was checked on its way in (a correction of its record does not reopen it)
        max_size = settings.UPLOAD_MAX_SIZE
        if uploaded.size > max_size:
            raise ValidationError(
                f"Le fichier dépasse la taille maximale de {max_size // (1024 * 1024)} Mo.", code="file_too_large"
            )
        content_type = sniff_content_type(uploaded)
        if content_type not in settings.UPLOAD_ALLOWED_TYPES:
            raise ValidationError(
                "Format de fichier non accepté : déposez un PDF, un JPEG ou un PNG.", code="file_type"
            )
        extension = PurePath(uploaded.name).suffix.lower()
        if extension not in EXTENSIONS[content_type]:
            raise ValidationError("L'extension du fichier ne correspond pas à son contenu.", code="file_extension")

    def __eq__(self, other):
        return isinstance(other, UploadValidator)


validate_upload = UploadValidator()


def upload_to(prefix):
    """``upload_to`` callable: files are stored under an unguessable name, grouped by prefix."""

    def _upload_to(instance, filename):
        import uuid

        extension = PurePath(filename).suffix.lower()
        return f"{prefix}/{uuid.uuid4().hex}{extension}"

    _upload_to.__name__ = f"upload_to_{prefix}"
    return _upload_to


def protected_file_response(fieldfile, download_name=None, as_attachment=True):
    """Stream a stored file. Call it only after fetching its owner through ``for_user``."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = download_name or PurePath(fieldfile.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=as_attachment, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
