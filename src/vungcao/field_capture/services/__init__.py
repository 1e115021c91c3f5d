"""Writes of field capture: ``intake`` (what phones send), ``decisions`` (accepting a submission into its
review, rejecting it) and ``wording`` (a province's wording of its review's form)."""
