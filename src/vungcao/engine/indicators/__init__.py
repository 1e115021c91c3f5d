"""Indicators (chỉ tiêu): the catalogue as data, figures aggregated over the administrative tree and the
2025 crosswalk with their provenance, targets and progress, and reporting completeness. Pure Python: the
Django app ``vungcao.indicators`` loads rows and calls these."""
