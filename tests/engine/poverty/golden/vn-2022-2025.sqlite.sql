WITH deprivations AS (
  SELECT
    "household_id",
    "area",
    "income_per_capita_month",
    CASE
      WHEN (
        (
          "members_working_age_unemployed" + "members_wage_job_without_contract"
        ) >= 1
      )
      THEN 1
      ELSE 0
    END AS "deprived__employment",
    CASE
      WHEN (
        (
          CAST("dependants" AS REAL) / NULLIF("members_total", 0)
        ) > CAST(0.5 AS REAL)
      )
      THEN 1
      ELSE 0
    END AS "deprived__dependants",
    CASE WHEN (
      "children_under16_malnourished" >= 1
    ) THEN 1 ELSE 0 END AS "deprived__nutrition",
    CASE WHEN (
      "members_age6plus_without_health_insurance" >= 1
    ) THEN 1 ELSE 0 END AS "deprived__health_insurance",
    CASE WHEN (
      "members_16_30_without_required_education" >= 1
    ) THEN 1 ELSE 0 END AS "deprived__adult_education",
    CASE WHEN (
      "children_3_15_not_in_age_appropriate_school" >= 1
    ) THEN 1 ELSE 0 END AS "deprived__child_schooling",
    CASE WHEN (
      "main_structures_non_durable" >= 2
    ) THEN 1 ELSE 0 END AS "deprived__housing_quality",
    CASE
      WHEN (
        (
          CAST("housing_floor_area_m2" AS REAL) / NULLIF("members_total", 0)
        ) < 8
      )
      THEN 1
      ELSE 0
    END AS "deprived__housing_area",
    CASE WHEN (
      NOT "has_clean_water_source"
    ) THEN 1 ELSE 0 END AS "deprived__water_source",
    CASE WHEN (
      NOT "uses_hygienic_latrine"
    ) THEN 1 ELSE 0 END AS "deprived__latrine",
    CASE WHEN "deprived__telecom" THEN 1 ELSE 0 END AS "deprived__telecom",
    CASE WHEN "deprived__information_access" THEN 1 ELSE 0 END AS "deprived__information_access",
    CASE "area" WHEN 'rural' THEN 1500000 WHEN 'urban' THEN 2000000 END AS "__threshold__poverty_line",
    CASE "area" WHEN 'rural' THEN 2250000 WHEN 'urban' THEN 3000000 END AS "__threshold__average_living_standard_line"
  FROM "households"
), counted AS (
  SELECT
    *,
    (
      "deprived__employment" + "deprived__dependants" + "deprived__nutrition" + "deprived__health_insurance" + "deprived__adult_education" + "deprived__child_schooling" + "deprived__housing_quality" + "deprived__housing_area" + "deprived__water_source" + "deprived__latrine" + "deprived__telecom" + "deprived__information_access"
    ) AS "deprivation_count"
  FROM deprivations
)
SELECT
  "household_id",
  "area",
  "income_per_capita_month",
  "deprived__employment",
  "deprived__dependants",
  "deprived__nutrition",
  "deprived__health_insurance",
  "deprived__adult_education",
  "deprived__child_schooling",
  "deprived__housing_quality",
  "deprived__housing_area",
  "deprived__water_source",
  "deprived__latrine",
  "deprived__telecom",
  "deprived__information_access",
  "deprivation_count",
  "__threshold__poverty_line" AS "income_threshold",
  CASE
    WHEN (
      (
        "income_per_capita_month" <= "__threshold__poverty_line"
      )
      AND (
        "deprivation_count" >= 3
      )
    )
    THEN 'poor'
    WHEN (
      "income_per_capita_month" <= "__threshold__poverty_line"
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
