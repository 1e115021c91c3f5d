"""The reference data the programmes app ships: capital sources and the national programme trees.

Read by a data migration (with the historical models) and by ``programme_shipped_ensure``; loading
is idempotent: rows are matched by code and updated, never duplicated, and nothing is deleted.
"""

import tomllib
from pathlib import Path
from typing import Any

PROGRAMMES_FILE = Path(__file__).resolve().parent / "data" / "programmes.toml"

# code, Vietnamese name, English name, state budget?
CAPITAL_SOURCES = (
    (
        "central_investment",
        "Ngân sách trung ương (vốn đầu tư phát triển)",
        "Central budget (investment)",
        True,
    ),
    ("central_recurrent", "Ngân sách trung ương (vốn sự nghiệp)", "Central budget (recurrent)", True),
    ("local_budget", "Ngân sách địa phương", "Local budget", True),
    ("policy_credit", "Vốn tín dụng chính sách", "Policy credit", False),
    ("socialised", "Vốn huy động, xã hội hóa", "Mobilised (socialised) capital", False),
    ("people_contribution", "Đóng góp của người dân", "People's contributions", False),
)

KIND_BY_DEPTH = ("project", "sub_project", "content")


def capital_sources_load(source_model: Any) -> None:
    for position, (code, name_vi, name_en, is_budget) in enumerate(CAPITAL_SOURCES):
        source_model.objects.update_or_create(
            code=code,
            defaults={"name_vi": name_vi, "name_en": name_en, "is_budget": is_budget, "position": position},
        )


def programmes_load(programme_model: Any, component_model: Any) -> int:
    """Create or update the shipped programmes and their components; return how many components."""
    data = tomllib.loads(PROGRAMMES_FILE.read_text(encoding="utf-8"))
    count = 0
    for entry in data["programme"]:
        programme, _created = programme_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                key: entry[key]
                for key in ("name_vi", "name_en", "legal_basis", "start_year", "end_year", "owner")
            },
        )
        count += _components_load(component_model, programme, None, "", entry.get("component", []), 0)
    return count


def _components_load(
    component_model: Any,
    programme: Any,
    parent: Any,
    parent_path: str,
    entries: list[dict[str, Any]],
    depth: int,
) -> int:
    count = 0
    for position, entry in enumerate(entries):
        path = f"{parent_path}{entry['code']}/"
        component, _created = component_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "programme": programme,
                "parent": parent,
                "numbering": entry["numbering"],
                "name_vi": entry["name_vi"],
                "name_en": entry["name_en"],
                "kind": entry.get("kind", KIND_BY_DEPTH[min(depth, 2)]),
                "path": path,
                "position": position,
            },
        )
        count += 1 + _components_load(
            component_model, programme, component, path, entry.get("component", []), depth + 1
        )
    return count
