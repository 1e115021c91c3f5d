"""The review's form for phones, generated from each shipped standard: pyxform converts it, ODK Validate
accepts it, and it asks every answer the standard reads with its type, bounds and labels in both
languages; its version is stable and changes with a label."""

import dataclasses
import xml.etree.ElementTree as ElementTree

import pytest
from django.core.cache import cache
from pyxform.validators.odk_validate import check_xform

from tests.conftest import BA_CHE
from vungcao.engine.poverty import Standard, default_catalogue
from vungcao.engine.poverty.expression import referenced_names
from vungcao.engine.poverty.standard import AREA, INCOME
from vungcao.engine.poverty.xpath import standard_fields, xpath_holds
from vungcao.engine.text import Label
from vungcao.field_capture import xforms
from vungcao.field_capture.xlsform import FORM_NAME, LANGUAGES, questionnaire_xlsform
from vungcao.registry.models import CommuneReview, ReviewCycle

STANDARDS = list(default_catalogue())
XFORMS = "{http://www.w3.org/2002/xforms}"
XHTML = "{http://www.w3.org/1999/xhtml}"
FORM_ID = "vungcao-review-2025-06970"
BIND_TYPES = {"integer": "int", "number": "decimal", "boolean": "string", "category": "string"}


def form_of(standard: Standard):
    return questionnaire_xlsform(
        standard, form_id=FORM_ID, title="Rà soát hộ nghèo 2025 · Xã Ba Chẽ", year=2025
    )


class XForm:
    """What a test reads of a converted form: binds by question name, labels by language, body controls."""

    def __init__(self, xml: str) -> None:
        self.xml = xml
        self.root = ElementTree.fromstring(xml)
        model = self.root.find(f"{XHTML}head/{XFORMS}model")
        assert model is not None
        self.binds = {bind.get("nodeset", "").rsplit("/", 1)[1]: bind for bind in model.iter(f"{XFORMS}bind")}
        self.texts = {
            translation.get("lang"): {
                text.get("id"): "".join(text.itertext()).strip() for text in translation.iter(f"{XFORMS}text")
            }
            for translation in model.iter(f"{XFORMS}translation")
        }
        self.controls = {
            control.get("ref", "").rsplit("/", 1)[1]: control
            for control in self.root.iter()
            if control.get("ref", "").startswith(f"/{FORM_NAME}/")
        }

    def label(self, name: str, language: str) -> str:
        path = self.binds[name].get("nodeset")
        return self.texts[LANGUAGES[language]][f"{path}:label"]

    def itemset(self, name: str) -> str:
        itemset = self.controls[name].find(f"{XFORMS}itemset")
        assert itemset is not None
        return itemset.get("nodeset", "")


@pytest.fixture(scope="module", params=STANDARDS, ids=[standard.identifier for standard in STANDARDS])
def converted(request: pytest.FixtureRequest) -> tuple[Standard, XForm]:
    """Each shipped standard's form, converted and checked by ODK Validate (Java) once per standard."""
    standard = request.param
    return standard, XForm(xforms.xlsform_xml(form_of(standard), validate=True))


def test_every_standard_converts_and_odk_validate_accepts_it(converted, tmp_path) -> None:
    _standard, form = converted
    # Then the form is the household review, with the instance id Collect fills, and ODK Validate
    # accepts the converted XML as written (validate=True raised nothing above; checked here again)
    instance = form.root.find(f"{XHTML}head/{XFORMS}model/{XFORMS}instance/{XFORMS}{FORM_NAME}")
    assert instance is not None
    assert instance.get("id") == FORM_ID
    assert instance.get("version", "").startswith("2025.")
    assert "instanceID" in form.binds
    path = tmp_path / "form.xml"
    path.write_text(form.xml, encoding="utf-8")
    assert check_xform(str(path)) == []


def test_every_answer_is_asked_with_its_type_bounds_and_labels_in_both_languages(converted) -> None:
    standard, form = converted
    assert set(form.texts) == set(LANGUAGES.values())
    for field in standard.all_fields:
        bind = form.binds[field.name]
        assert bind.get("type") == BIND_TYPES[field.type], field.name
        assert (bind.get("required") == "true()") == field.required, field.name
        assert form.label(field.name, "vi") == field.asked.vi
        assert form.label(field.name, "en") == field.asked.en
        if field.type == "boolean":
            assert form.itemset(field.name) == "instance('yes_no')/root/item"
        if field.type == "category":
            assert form.itemset(field.name) == f"instance('{field.name}')/root/item"
        if field.minimum is not None:
            assert f". >= {field.minimum:g}" in bind.get("constraint", ""), field.name
        if field.type == "integer":
            maximum = min(field.maximum or 999_999_999, 999_999_999)
            assert f". <= {maximum}" in bind.get("constraint", ""), field.name


def test_every_check_is_a_constraint_of_each_field_it_reads_with_its_message(converted) -> None:
    standard, form = converted
    rows = {row["name"]: row for row in form_of(standard).survey}
    for check in standard.checks:
        compiled = xpath_holds(check.holds, standard_fields(standard))
        for name in referenced_names(check.holds):
            # The generated row carries the compiled check, the converted form its message in both languages
            assert compiled in rows[name]["constraint"], (check.holds_text, name)
            path = form.binds[name].get("nodeset")
            for language in LANGUAGES:
                texts = form.texts[LANGUAGES[language]]
                assert check.message.in_language(language) in texts[f"{path}:jr:constraintMsg"]
    # vn-2022-2025 checks dependants against the household's size on both questions
    if standard.identifier == "vn-2022-2025":
        assert "not(" in form.binds["dependants"].get("constraint", "")
        assert "not(" in form.binds["members_total"].get("constraint", "")


def test_the_household_is_chosen_from_the_list_or_entered_new_with_its_members(converted) -> None:
    _standard, form = converted
    assert form.itemset("village_code") == "instance('villages')/root/item"
    assert form.itemset("household_code") == (
        f"instance('households')/root/item[village =  /{FORM_NAME}/village_code ]"
    )
    assert form.binds["household_code"].get("relevant") == f" /{FORM_NAME}/new_household  = 'no'"
    assert form.binds["member"].get("relevant") == f" /{FORM_NAME}/new_household  = 'yes'"
    assert form.binds["identity_number"].get("constraint") == "regex(., '^([0-9]{9}|[0-9]{12})$')"
    assert (
        form.binds["birth_year"].get("constraint") == ". >= 1900 and . <= number(format-date(today(), '%Y'))"
    )
    assert (
        form.binds["new_household_code"]
        .get("constraint", "")
        .startswith("regex(., '^[0-9]{5}-[0-9]{3}-[0-9]{4}$')")
    )
    # A new household cannot be finished without exactly one head
    assert form.binds["one_head"].get("constraint") == "false()"
    assert form.binds["one_head"].get("required") == "true()"
    # The area is filled from the list when a household is chosen, and may be corrected
    assert form.binds[AREA].get("type") == "string"
    assert form.controls["household_code"].find(f"{XFORMS}setvalue").get("ref") == f"/{FORM_NAME}/{AREA}"
    assert form.binds[INCOME].get("constraint") == ". >= 0 and . <= 999999999"
    assert form.binds["dwelling_photo"].get("type") == "binary"
    assert form.label("village_code", "vi") == "Thôn"
    assert form.label("village_code", "en") == "Village"


def test_the_version_is_the_year_and_the_rows_digest_stable_and_changed_by_a_label() -> None:
    # Given a standard's form built twice, and once with one field's label changed
    standard = default_catalogue().get("vn-2022-2025")
    first, again = form_of(standard), form_of(standard)
    relabelled_field = dataclasses.replace(standard.fields[0], label=Label("Số người trong hộ", "Persons"))
    relabelled = form_of(dataclasses.replace(standard, fields=(relabelled_field, *standard.fields[1:])))
    # Then the version is the year and a digest, the same for the same rows, another for another label
    assert first.settings["version"] == again.settings["version"]
    assert first.settings["version"].startswith("2025.")
    assert len(first.settings["version"]) == len("2025.") + 12
    assert relabelled.settings["version"] != first.settings["version"]


@pytest.mark.parametrize(
    ("form_id", "identity"),
    [
        ("vungcao-review-2025-06970", xforms.FormIdentity(2025, "06970")),
        ("vungcao-review-2025-6970", None),
        ("vungcao-review-2025-06970\n", None),
        ("vungcao-review-2025-06970.xml", None),
        ("VUNGCAO-review-2025-06970", None),
        ("../vungcao-review-2025-06970", None),
    ],
)
def test_a_form_id_is_read_back_only_when_it_is_exactly_one(form_id: str, identity) -> None:
    assert xforms.form_identity(form_id) == identity


@pytest.mark.django_db
def test_a_reviews_form_is_named_after_it_and_converted_once_per_version(
    cycle_2025: ReviewCycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Ba Chẽ's review of 2025, and a count of conversions
    review = CommuneReview.objects.select_related("cycle", "commune").get(
        cycle=cycle_2025, commune__code=BA_CHE
    )
    cache.clear()
    conversions = []
    convert = xforms.xlsform_xml
    monkeypatch.setattr(xforms, "xlsform_xml", lambda form: conversions.append(form) or convert(form))
    # When its form is served twice
    first, second = xforms.review_xform(review), xforms.review_xform(review)
    # Then it is named after the year and the commune, titled in Vietnamese, and converted once
    assert first == second
    assert first.form_id == "vungcao-review-2025-06970"
    assert first.version.startswith("2025.")
    assert "<h:title>Rà soát hộ nghèo 2025 · Xã Ba Chẽ, Tỉnh Quảng Ninh</h:title>" in first.xml.decode()
    assert len(conversions) == 1
