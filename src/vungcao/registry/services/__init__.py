"""Writes of the registry: ``households`` (and their members), ``reviews`` (the yearly cycle and its
steps), ``assessments`` (answers and their classification) and ``questionnaire`` (the commune import)."""
