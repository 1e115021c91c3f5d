"""The ``vungcao`` command.

``vungcao poverty …`` and ``vungcao synth …`` run the engines on files without Django; every other
word is a Django management command (``vungcao demo``, ``vungcao migrate``, ``vungcao load_units`` …).

Django commands run with ``vungcao.settings``, where ``DEBUG`` is off unless the environment turns it
on, except the demo and the commands that only a developer runs, which choose the development settings
(``DEBUG`` on, the demo keys) unless ``DJANGO_SETTINGS_MODULE`` says otherwise.
"""

import importlib
import os
import sys

# Commands that work on files with the pure engines: they never configure Django.
ENGINE_COMMANDS = {
    "poverty": "vungcao.commands.poverty",
    "synth": "vungcao.commands.synth",
}
# The demo, and commands that write source files in a checkout: never run by a deployed server.
DEVELOPMENT_COMMANDS = {"demo", "makemigrations", "makemessages", "compilemessages"}


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv if argv is None else ["vungcao", *argv])
    if len(arguments) > 1 and arguments[1] in ENGINE_COMMANDS:
        module = importlib.import_module(ENGINE_COMMANDS[arguments[1]])
        return int(module.main(arguments[2:]) or 0)
    development = len(arguments) > 1 and arguments[1] in DEVELOPMENT_COMMANDS
    settings_module = "vungcao.settings_development" if development else "vungcao.settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    from django.core.management import execute_from_command_line

    execute_from_command_line(arguments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
