import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_upload


def test_accepts_a_real_pdf():
    validate_upload(SimpleUploadedFile("piece.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("piece.pdf", b"MZ\x90\x00 not a pdf", "Format de fichier non accepté"),
        ("piece.png", b"%PDF-1.4\n", "ne correspond pas"),
    ],
)
def test_refuses_wrong_content_or_extension(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_upload(SimpleUploadedFile(name, content))


def test_refuses_a_file_too_large(settings):
    settings.UPLOAD_MAX_SIZE = 1024 * 1024
    with pytest.raises(ValidationError, match="taille maximale de 1 Mo"):
        validate_upload(SimpleUploadedFile("gros.pdf", b"%PDF-" + b"0" * (1024 * 1024)))
