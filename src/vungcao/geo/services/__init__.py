"""Writes to the administrative units: ``units`` (both eras, derived crosswalk), ``crosswalk`` (the
official import), ``attributes`` (classifications) and ``villages``."""
