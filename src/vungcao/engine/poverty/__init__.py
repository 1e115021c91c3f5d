"""Poverty standards (chuẩn nghèo): versioned data files, an expression compiler with a dataframe, a
SQL and a Spark backend (`spark`, imported on demand: PySpark is optional), classification,
explanation and a one-household reference implementation."""

from vungcao.engine.poverty.catalogue import (
    StandardCatalogue,
    StandardNotFound,
    default_catalogue,
    get_standard,
    load_catalogue,
    standard_for,
)
from vungcao.engine.poverty.classify import as_polars, classify, classify_frame
from vungcao.engine.poverty.explain import explain_household, with_explanations
from vungcao.engine.poverty.reference import HouseholdClassification, classify_household
from vungcao.engine.poverty.sql import classification_query, classify_in_database
from vungcao.engine.poverty.standard import Standard, StandardError

__all__ = [
    "HouseholdClassification",
    "Standard",
    "StandardCatalogue",
    "StandardError",
    "StandardNotFound",
    "as_polars",
    "classification_query",
    "classify",
    "classify_frame",
    "classify_household",
    "classify_in_database",
    "default_catalogue",
    "explain_household",
    "get_standard",
    "load_catalogue",
    "standard_for",
    "with_explanations",
]
