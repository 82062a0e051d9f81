"""Object permissions (django-guardian), granted to groups (DESIGN §3).

Each institution has a group; its members are its users. Permissions on an application are
granted to that group when the application is created. Officers hold the model-wide view
permission through the ``officer`` group (a data migration), so one source, guardian's
``get_objects_for_user``, answers every list and every object check.
"""
from guardian.shortcuts import assign_perm, remove_perm

APPLICATION_OWNER_PERMS = ("poc.view_application", "poc.change_application")


def grant_institution_access(application) -> None:
    for perm in APPLICATION_OWNER_PERMS:
        assign_perm(perm, application.institution.group, application)


def grant_view(user_or_group, application) -> None:
    assign_perm("poc.view_application", user_or_group, application)


def revoke_view(user_or_group, application) -> None:
    remove_perm("poc.view_application", user_or_group, application)
