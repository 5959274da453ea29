"""An upload handler: Django's own, except that a file kept on disk while it arrives never gets
a temporary name longer than the file system allows.

Django names the temporary file after the uploaded name's extension, which a hostile name makes
255 characters long: the file system refuses it and the request would end in a server error
before any view could say what is wrong. The extension is cut, the uploaded name is not used
for anything else by the handler.
"""

import os

from django.core.files.uploadhandler import TemporaryFileUploadHandler

# Real extensions are a few characters; this leaves the temporary name far below 255 bytes.
MAX_EXTENSION = 16


class ShortNameTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs):
        stem, extension = os.path.splitext(file_name or "")
        if len(extension.encode()) > MAX_EXTENSION:
            file_name = stem + extension.encode()[:MAX_EXTENSION].decode(errors="ignore")
        super().new_file(field_name, file_name, *args, **kwargs)
