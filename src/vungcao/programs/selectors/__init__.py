"""Reads of the programmes app; every function takes the user and filters through accounts.access:
``programmes`` (trees, sources), ``money`` (totals and breakdowns across levels and the crosswalk),
``activities`` (works, support, revolving funds) and ``alerts``."""
