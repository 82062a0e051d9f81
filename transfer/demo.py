def seed(sender=None, seeder=None, **kwargs):
    pass
