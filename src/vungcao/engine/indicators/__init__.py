"""Indicators (chỉ tiêu): the catalogue as data, figures aggregated over the administrative tree and the
2025 crosswalk with their provenance, targets and progress, and reporting completeness. Pure Python: the
Django app loads rows, hands them over through the protocols of ``sources`` and calls these."""

from vungcao.engine.indicators.catalogue import (
    Catalogue,
    additional_indicator_problems,
    catalogue_from_text,
    read_catalogue,
    shipped_catalogue,
)
from vungcao.engine.indicators.completeness import Completeness, ReportStatus, completeness, report_status
from vungcao.engine.indicators.definitions import (
    Aggregation,
    Direction,
    Formula,
    Indicator,
    IndicatorKind,
    MeasureUnit,
    Origin,
)
from vungcao.engine.indicators.figures import (
    CURRENT,
    PRE2025,
    Contribution,
    Datum,
    Figure,
    ProvenanceSummary,
    UnitRef,
    rounded,
    shown_value,
    summarise_provenance,
)
from vungcao.engine.indicators.reasons import CatalogueError, CatalogueProblem
from vungcao.engine.indicators.resolution import Resolver, UnknownIndicator
from vungcao.engine.indicators.sources import (
    Crosswalk,
    MemoryCrosswalk,
    MemoryTree,
    MemoryValues,
    Tree,
    Values,
)
from vungcao.engine.indicators.targets import (
    Progress,
    ProgressStatus,
    Target,
    TargetError,
    TargetKind,
    progress,
)

__all__ = [
    "CURRENT",
    "PRE2025",
    "Aggregation",
    "Catalogue",
    "CatalogueError",
    "CatalogueProblem",
    "Completeness",
    "Contribution",
    "Crosswalk",
    "Datum",
    "Direction",
    "Figure",
    "Formula",
    "Indicator",
    "IndicatorKind",
    "MeasureUnit",
    "MemoryCrosswalk",
    "MemoryTree",
    "MemoryValues",
    "Origin",
    "Progress",
    "ProgressStatus",
    "ProvenanceSummary",
    "ReportStatus",
    "Resolver",
    "Target",
    "TargetError",
    "TargetKind",
    "Tree",
    "UnitRef",
    "UnknownIndicator",
    "Values",
    "additional_indicator_problems",
    "catalogue_from_text",
    "completeness",
    "progress",
    "read_catalogue",
    "report_status",
    "rounded",
    "shipped_catalogue",
    "shown_value",
    "summarise_provenance",
]
