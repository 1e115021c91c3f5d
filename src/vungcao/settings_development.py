"""Development settings: ``vungcao.settings`` with ``DEBUG`` turned on, which allows the demo keys.

Chosen explicitly by the demo (``vungcao demo``), the test suite and the developer tools (pytest, mypy,
``vungcao makemigrations``; see ``vungcao.cli``). Never serve a deployment with it: production uses
``vungcao.settings``, where ``DEBUG`` is off unless the environment turns it on.
"""

import os

# Set in the environment rather than here so that processes started from this one (the demo's worker,
# commands a test runs) are in development mode too. An explicit DEBUG=false still wins.
os.environ.setdefault("DEBUG", "true")

from vungcao.settings import *  # noqa: F403
