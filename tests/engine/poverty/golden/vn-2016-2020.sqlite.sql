WITH deprivations AS (
  SELECT
    "household_id",
    "area",
    "income_per_capita_month",
    CASE WHEN "deprived__health_care_access" THEN 1 ELSE 0 END AS "deprived__health_care_access",
    CASE WHEN "deprived__health_insurance" THEN 1 ELSE 0 END AS "deprived__health_insurance",
    CASE WHEN "deprived__adult_education" THEN 1 ELSE 0 END AS "deprived__adult_education",
    CASE WHEN "deprived__child_schooling" THEN 1 ELSE 0 END AS "deprived__child_schooling",
    CASE WHEN "deprived__housing_quality" THEN 1 ELSE 0 END AS "deprived__housing_quality",
    CASE WHEN "deprived__housing_area" THEN 1 ELSE 0 END AS "deprived__housing_area",
    CASE WHEN "deprived__water_source" THEN 1 ELSE 0 END AS "deprived__water_source",
    CASE WHEN "deprived__latrine" THEN 1 ELSE 0 END AS "deprived__latrine",
    CASE WHEN "deprived__telecom" THEN 1 ELSE 0 END AS "deprived__telecom",
    CASE WHEN "deprived__information_assets" THEN 1 ELSE 0 END AS "deprived__information_assets",
    CASE "area" WHEN 'rural' THEN 700000 WHEN 'urban' THEN 900000 END AS "__threshold__poverty_line",
    CASE "area" WHEN 'rural' THEN 1000000 WHEN 'urban' THEN 1300000 END AS "__threshold__near_poverty_line",
    CASE "area" WHEN 'rural' THEN 1500000 WHEN 'urban' THEN 1950000 END AS "__threshold__average_living_standard_line"
  FROM "households"
), counted AS (
  SELECT
    *,
    (
      "deprived__health_care_access" + "deprived__health_insurance" + "deprived__adult_education" + "deprived__child_schooling" + "deprived__housing_quality" + "deprived__housing_area" + "deprived__water_source" + "deprived__latrine" + "deprived__telecom" + "deprived__information_assets"
    ) AS "deprivation_count"
  FROM deprivations
)
SELECT
  "household_id",
  "area",
  "income_per_capita_month",
  "deprived__health_care_access",
  "deprived__health_insurance",
  "deprived__adult_education",
  "deprived__child_schooling",
  "deprived__housing_quality",
  "deprived__housing_area",
  "deprived__water_source",
  "deprived__latrine",
  "deprived__telecom",
  "deprived__information_assets",
  "deprivation_count",
  "__threshold__poverty_line" AS "income_threshold",
  CASE
    WHEN (
      (
        "income_per_capita_month" <= "__threshold__poverty_line"
      )
      OR (
        (
          "income_per_capita_month" <= "__threshold__near_poverty_line"
        )
        AND (
          "deprivation_count" >= 3
        )
      )
    )
    THEN 'poor'
    WHEN (
      "income_per_capita_month" <= "__threshold__near_poverty_line"
    )
    THEN 'near_poor'
    WHEN (
      "income_per_capita_month" <= "__threshold__average_living_standard_line"
    )
    THEN 'average'
    WHEN TRUE
    THEN 'not_poor'
  END AS "status"
FROM counted
