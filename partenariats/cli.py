"""The ``partenariats`` command.

Sub-commands that need no database (the pure engines: ``read``, ``timeline``) run without
Django being set up, from any directory and with no environment variable; every other
sub-command is Django's ``manage.py``.
"""

import os
import sys

# name → "module:function" taking argv (the words after the sub-command), returning an exit code
STANDALONE_COMMANDS: dict[str, str] = {
    "read": "partenariats.reader.cli:main",
    "timeline": "partenariats.terms.cli:main",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in STANDALONE_COMMANDS:
        module_name, function_name = STANDALONE_COMMANDS[argv[1]].split(":")
        module = __import__(module_name, fromlist=[function_name])
        return getattr(module, function_name)(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partenariats.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
