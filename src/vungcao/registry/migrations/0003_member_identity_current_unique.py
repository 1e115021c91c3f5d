from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps, schema_editor):
    """Two imports applied at once could register one identity number in two households. The constraint
    cannot be added over such pairs, and which member is right is for the commune to decide: list them."""
    Member = apps.get_model("registry", "Member")
    duplicated = (
        Member.objects.filter(left_on__isnull=True)
        .exclude(identity_digest="")
        .values("identity_digest")
        .annotate(members=Count("pk"))
        .filter(members__gt=1)
    )
    households = sorted(
        Member.objects.filter(
            left_on__isnull=True, identity_digest__in=duplicated.values("identity_digest")
        ).values_list("household__code", flat=True)
    )
    if households:
        raise RuntimeError(
            f"{duplicated.count()} identity numbers belong to current members of two or more households "
            f"({', '.join(households[:50])}{' …' if len(households) > 50 else ''}). Record the members who "
            "left (left_on) in the admin, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_assessment_year"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(
                condition=models.Q(("left_on__isnull", True), models.Q(("identity_digest", ""), _negated=True)),
                fields=("identity_digest",),
                name="member_identity_current_unique",
            ),
        ),
    ]
