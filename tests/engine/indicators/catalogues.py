"""A small catalogue for the indicator engine's tests: counts, a rate derived from them, an annual change
of the rate, a sum, a difference and a rate entered without its counts."""

from vungcao.engine.indicators.catalogue import Catalogue, catalogue_from_text

CATALOGUE_TOML = """
version = "test-1"

[[indicator]]
code = "households"
name_vi = "Số hộ"
name_en = "Households"
unit = "households"
kind = "computed"
aggregation = "sum"
source_vi = "Nghị định 07/2021/NĐ-CP"
source_en = "Decree 07/2021/NĐ-CP"
record = "review.households"
entered_fallback = true
minimum = 0

[[indicator]]
code = "poor_households"
name_vi = "Số hộ nghèo"
name_en = "Poor households"
unit = "households"
kind = "computed"
aggregation = "sum"
source_vi = "Nghị định 07/2021/NĐ-CP, Điều 3"
source_en = "Decree 07/2021/NĐ-CP, Article 3"
record = "review.poor"
record_filter = { standard = "vn-2022-2025" }
entered_fallback = true
direction = "lower_is_better"

[[indicator]]
code = "near_poor_households"
name_vi = "Số hộ cận nghèo"
name_en = "Near-poor households"
unit = "households"
kind = "entered"
aggregation = "sum"
source_vi = "Nghị định 07/2021/NĐ-CP"
source_en = "Decree 07/2021/NĐ-CP"

[[indicator]]
code = "poverty_rate"
name_vi = "Tỷ lệ hộ nghèo"
name_en = "Poverty rate"
unit = "percent"
kind = "derived"
aggregation = "recompute"
source_vi = "Nghị định 07/2021/NĐ-CP"
source_en = "Decree 07/2021/NĐ-CP"
direction = "lower_is_better"
description_vi = "Số hộ nghèo chia cho tổng số hộ"
description_en = "Poor households over all households"
formula = { op = "ratio", numerator = "poor_households", denominator = "households", scale = 100 }

[[indicator]]
code = "poverty_rate_change"
name_vi = "Mức giảm tỷ lệ hộ nghèo"
name_en = "Change in the poverty rate"
unit = "percentage_points"
kind = "derived"
aggregation = "recompute"
source_vi = "Quyết định 1719/QĐ-TTg"
source_en = "Decision 1719/QĐ-TTg"
formula = { op = "annual_change", of = "poverty_rate" }

[[indicator]]
code = "poor_and_near_poor"
name_vi = "Số hộ nghèo và cận nghèo"
name_en = "Poor and near-poor households"
unit = "households"
kind = "derived"
aggregation = "recompute"
source_vi = "Nghị định 07/2021/NĐ-CP"
source_en = "Decree 07/2021/NĐ-CP"
formula = { op = "sum", terms = ["poor_households", "near_poor_households"] }

[[indicator]]
code = "non_poor_households"
name_vi = "Số hộ không nghèo"
name_en = "Households not poor"
unit = "households"
kind = "derived"
aggregation = "recompute"
source_vi = "Nghị định 07/2021/NĐ-CP"
source_en = "Decree 07/2021/NĐ-CP"
formula = { op = "difference", minuend = "households", subtrahend = "poor_households" }

[[indicator]]
code = "reported_rate"
name_vi = "Tỷ lệ báo cáo"
name_en = "Reported rate"
unit = "percent"
kind = "entered"
aggregation = "none"
source_vi = "Báo cáo của xã"
source_en = "The commune's report"
decimals = 1
minimum = 0
maximum = 100.0
"""


def small_catalogue() -> Catalogue:
    return catalogue_from_text(CATALOGUE_TOML)
