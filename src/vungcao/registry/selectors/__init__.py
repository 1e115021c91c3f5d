"""Reads of the registry, every one through accounts.access: ``households``, ``reviews`` (cycles and
their progress), ``results`` (rates by unit and ethnic group, over years) and ``changes`` (flows
between two approved reviews)."""
