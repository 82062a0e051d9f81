"""Compile locale/*/LC_MESSAGES/*.po into .mo files with polib (no GNU gettext needed): the project's
(LOCALE_PATHS) and each installed app's own ``locale/`` folder, where Django finds it too.

`make` runs this at install time, so compiled catalogues are never committed.
"""
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translation catalogues into .mo files."

    def handle(self, *args, **options):
        count = 0
        app_dirs = [Path(app.path) / "locale" for app in apps.get_app_configs()
                    if Path(app.path).parent == Path(settings.BASE_DIR)]  # the project's own apps
        for locale_dir in [*settings.LOCALE_PATHS, *app_dirs]:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                po = polib.pofile(str(po_path))
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
                self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)} "
                                  f"({po.percent_translated()}% translated)")
        if not count:
            self.stdout.write("no catalogues found")
