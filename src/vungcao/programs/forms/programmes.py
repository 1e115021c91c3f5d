"""Forms that define a province's programme and change its components; parsing only.

The components are written as an outline, one per line, two spaces of indent per level (a tab
counts as two)::

    MT1 | Nhóm mục tiêu 1: Phát triển kinh tế | Target group 1: economic development | 1 | Nhóm mục tiêu
      MT1-NV1 | Phát triển sản xuất hàng hóa | Commodity production | 1.1 | Nhiệm vụ

Only the code and the Vietnamese name are needed; the English name, numbering and kind may be left
out (top-level lines are target groups, lines under them tasks).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.accounts.models import User
from vungcao.common.language import reader_language
from vungcao.geo.models import AdministrativeUnit, Era, Level
from vungcao.programs.models import ComponentKind
from vungcao.programs.services.programmes import ComponentSpec, component_kinds

UNKNOWN_PROVINCE = _("No province with this code.")
LINE_FIELDS = _("Line {line}: write code | Vietnamese name | English name | numbering | kind.")
LINE_TOO_DEEP = _("Line {line} is indented more than one level below the line above it.")
OUTLINE_EMPTY = _("Give at least one component.")
COMPONENTS_HELP = _(
    "One per line: code | Vietnamese name | English name | numbering | kind; indent two spaces per level. "
    "Kinds: {kinds}."
)


def outline_parse(text: str) -> tuple[list[ComponentSpec], list[str]]:
    """The components of an outline as a tree of specs, and every line that could not be read."""
    problems: list[str] = []
    stack: list[tuple[int, dict[str, Any]]] = []
    roots: list[dict[str, Any]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        expanded = raw.replace("\t", "  ")
        depth = (len(expanded) - len(expanded.lstrip(" "))) // 2
        parts = [part.strip() for part in expanded.strip().split("|")]
        if len(parts) < 2 or len(parts) > 5 or not parts[0] or not parts[1]:
            problems.append(str(LINE_FIELDS).format(line=number))
            continue
        parts += [""] * (5 - len(parts))
        node: dict[str, Any] = {
            "code": parts[0],
            "name_vi": parts[1],
            "name_en": parts[2],
            "numbering": parts[3],
            "kind": parts[4],
            "children": [],
        }
        while stack and stack[-1][0] >= depth:
            stack.pop()
        expected = stack[-1][0] + 1 if stack else 0
        if depth > expected:
            problems.append(str(LINE_TOO_DEEP).format(line=number))
            continue
        (stack[-1][1]["children"] if stack else roots).append(node)
        stack.append((depth, node))
    return [_spec(node) for node in roots], problems


def _spec(node: dict[str, Any]) -> ComponentSpec:
    return ComponentSpec(
        code=node["code"],
        name_vi=node["name_vi"],
        name_en=node["name_en"],
        numbering=node["numbering"],
        kind=node["kind"],
        children=tuple(_spec(child) for child in node["children"]),
    )


class ProgrammeForm(forms.Form):
    province_code = forms.CharField(
        label=_("Province code"),
        max_length=24,
        required=False,
        help_text=_("Your province when left empty."),
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short, e.g. NQ06; the province code is put in front (22-NQ06)."),
    )
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=500)
    name_en = forms.CharField(label=_("Name (English)"), max_length=500, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    components = forms.CharField(
        label=_("Components"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = ", ".join(component_kinds().labels(reader_language()))
        self.fields["components"].help_text = str(COMPONENTS_HELP).format(kinds=kinds)

    def clean_province_code(self) -> AdministrativeUnit:
        code = self.cleaned_data["province_code"].strip()
        if not code and self.user.scope is not None:
            return self.user.scope
        province = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, code=code).first()
        if province is None:
            raise forms.ValidationError(UNKNOWN_PROVINCE)
        return province

    def clean_components(self) -> list[ComponentSpec]:
        specs, problems = outline_parse(self.cleaned_data["components"])
        if problems:
            raise forms.ValidationError(problems)
        if not specs:
            raise forms.ValidationError(OUTLINE_EMPTY)
        return specs

    def arguments(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data["province"] = data.pop("province_code")
        return data


class ComponentAddForm(forms.Form):
    parent = forms.CharField(
        label=_("Under component"), max_length=60, required=False, help_text=_("Empty for the top level.")
    )
    code = forms.CharField(label=_("Code"), max_length=60)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=500)
    name_en = forms.CharField(label=_("Name (English)"), max_length=500, required=False)
    numbering = forms.CharField(label=_("Numbering"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *ComponentKind.choices], required=False)


class ComponentRenameForm(forms.Form):
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=500)
    name_en = forms.CharField(label=_("Name (English)"), max_length=500, required=False)
    numbering = forms.CharField(label=_("Numbering"), max_length=60, required=False)
