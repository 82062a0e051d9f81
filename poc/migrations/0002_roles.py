"""Create the role groups with their fixed codes, and give officers the model-wide view permissions."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("applicant", "expert", "officer", "fund_manager")
OFFICER_PERMS = (
    ("poc", "view_application"),
    ("poc", "view_institution"),
    ("poc", "view_call"),
    ("poc", "add_call"),
    ("poc", "change_call"),
)


def create_roles(apps, schema_editor):
    # Make sure the permissions exist before they are granted (they are normally made after migrate).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for code in ROLES:
        Group.objects.get_or_create(name=code)
    officer = Group.objects.get(name="officer")
    for app_label, codename in OFFICER_PERMS:
        officer.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("poc", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, drop_roles)]
