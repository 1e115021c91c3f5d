"""What the places tell the apps above them, which they may not import (``pyproject.toml``'s layers)."""

from django.dispatch import Signal

# Units moved under another parent (their paths changed), sent in the transaction that moved them with
# ``paths``: the new paths of the outermost units moved (everything under them moved with them).
units_moved = Signal()

# The crosswalk's links changed (made, deleted or given another share), sent in the transaction that
# changed them: whatever is carried across the crosswalk is carried again.
history_links_changed = Signal()
