"""Link support recorded with a household code to the registry's household of that code.

A support row is linked only when a household with its code lives in the row's village or commune;
any other row keeps its code and stays unlinked (it still lists and counts). Reversing unlinks.
"""

from django.db import migrations


def link(apps, schema_editor):
    support_model = apps.get_model("programs", "HouseholdSupport")
    household_model = apps.get_model("registry", "Household")
    supports = list(support_model.objects.filter(household__isnull=True).select_related("unit"))
    codes = {support.household_code for support in supports}
    households = {
        household.code: household
        for household in household_model.objects.filter(code__in=codes).select_related("village")
    }
    linked = []
    for support in supports:
        household = households.get(support.household_code)
        if household is not None and household.village.path.startswith(support.unit.path):
            support.household = household
            linked.append(support)
    support_model.objects.bulk_update(linked, ["household"], batch_size=1000)


def unlink(apps, schema_editor):
    apps.get_model("programs", "HouseholdSupport").objects.update(household=None, status_year=None)


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_support_household"), ("registry", "0001_initial")]

    operations = [migrations.RunPython(link, unlink)]
