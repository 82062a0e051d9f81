"""The reference data the migrations load (role groups, officer permissions, disciplines).

Django empties every table after a transactional test, which removes them for the tests that follow;
transactional tests put them back first (see tests/conftest.py)."""
import importlib


def ensure_reference_data() -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if not Permission.objects.filter(content_type__app_label="poc", codename="view_application").exists():
        for app_config in apps.get_app_configs():  # a flush emptied these too
            create_contenttypes(app_config, verbosity=0)
            create_permissions(app_config, verbosity=0)

    from poc.models import Discipline
    from poc.roles import ROLES

    for code in ROLES:
        Group.objects.get_or_create(name=code)
    officer_perms = importlib.import_module("poc.migrations.0002_roles").OFFICER_PERMS
    Group.objects.get(name="officer").permissions.add(*[
        Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in officer_perms])
    taxonomy = importlib.import_module("poc.migrations.0004_discipline_taxonomy").TAXONOMY
    by_code = {}
    for code, zh, en, parent in taxonomy:
        by_code[code], _created = Discipline.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "parent": by_code.get(parent)})
