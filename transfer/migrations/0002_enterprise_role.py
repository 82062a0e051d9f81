"""The ``enterprise`` role group (poc.roles.ENTERPRISE): staff of verified enterprises use the results library."""
from django.db import migrations

ENTERPRISE = "enterprise"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ENTERPRISE)


def drop_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ENTERPRISE).delete()


class Migration(migrations.Migration):
    dependencies = [("transfer", "0001_initial"), ("poc", "0002_roles")]
    operations = [migrations.RunPython(create_role, drop_role)]
