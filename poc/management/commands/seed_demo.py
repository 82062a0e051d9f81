from django.core.management.base import BaseCommand

from poc.demo import DEMO_USERS, DemoSeeder


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        DemoSeeder().run()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (username / password / role):"))
        for username, password, role, name, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {password:<20} {role or 'administrator':<16} {name}")
