"""``python -m benchmarks [SIZES…]``: run every benchmark (today: the poverty engine)."""

import sys

from benchmarks.poverty import main

sys.exit(main(sys.argv[1:]))
