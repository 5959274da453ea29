"""The one exception of the reader: a file it cannot read, said in French."""


class ReaderError(Exception):
    """A file the reader cannot read; ``str()`` is the French message shown to the user.

    ``code`` names the reason for programs (``empty``, ``encrypted``, ``unsupported``,
    ``too_large``, ``too_many_pages``, ``corrupt``, ``bomb``, ``ocr_failed``, ``ocr_timeout``,
    ``ocr_unavailable``, ``not_french``, ``no_text``, ``active_content``).
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code
