"""The Django admin: for administrators (superusers). Workflow states are read-only here:
state changes go through the workflow (pages or API), which checks and records them.

Records that carry the programme's history (objections, site visits, centers with their designation, projects,
the audit trail) are shown read-only and cannot be deleted here: they change only through the workflow, which
writes the audit row. An application with history (past its draft, or with any audit row) cannot be deleted
either; review's and funding's records (evaluations, decisions, tranches, contracts, payments) are not in the
admin at all."""
from django.contrib import admin
from django.utils.translation import gettext as _

from .models import (
    Application,
    ApplicationState,
    Attachment,
    CalendarDay,
    Call,
    Center,
    District,
    Institution,
    Membership,
    Notification,
    Objection,
    OutboxMessage,
    Project,
    SiteVisit,
    TransitionLog,
)


class HistoryRecordAdmin(admin.ModelAdmin):
    """Read-only in the admin: no adding, no editing, no deleting (the workflow records these)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def has_history(application) -> bool:
    """Past its draft, or with any audit row: the programme's history refers to it."""
    return application.state != ApplicationState.DRAFT or TransitionLog.objects.for_object(application).exists()


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "type", "district", "verified")
    list_filter = ("type", "verified", "district")
    search_fields = ("name", "credit_code")
    readonly_fields = ("group", "verified_at", "verified_by")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    """Districts and their science bureaus; a district officer is a user with the ``district_officer`` role in the
    district's group (see :func:`poc.institutions.services.add_district_officer`)."""

    list_display = ("name", "code", "bureau")
    search_fields = ("name", "code")
    readonly_fields = ("group",)

    def save_model(self, request, obj, form, change):
        if obj.group_id is None:
            from django.contrib.auth.models import Group

            obj.group, _created = Group.objects.get_or_create(name=District.group_name_for(obj.name))
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "institution", "status", "is_admin")
    list_filter = ("status",)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "round", "opens_at", "closes_at", "published")
    list_filter = ("kind", "round", "published")


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("attachment_type", "original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "institution", "kind", "state", "call")
    list_filter = ("kind", "state", "call")
    search_fields = ("number", "title", "institution__name")
    readonly_fields = ("state", "number", "kind", "submitted_at", "decided_at", "created_by")
    inlines = [AttachmentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:  # the institution or the exclusion request may have changed: re-check the conflicts
            from poc.applications.services import conflict_facts_changed_for

            conflict_facts_changed_for([form.instance.pk], request.user, _("the application was edited in the "
                                                                          "administration"))

    def has_delete_permission(self, request, obj=None):
        if obj is not None and has_history(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each checked for history
        return actions


@admin.register(TransitionLog)
class TransitionLogAdmin(HistoryRecordAdmin):
    list_display = ("created_at", "content_type", "object_id", "transition", "source", "target", "actor")
    list_filter = ("content_type", "transition")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The bureau's holiday calendar; officers keep it on their own page (holiday-calendar)."""

    list_display = ("day", "kind", "name", "recorded_by")
    list_filter = ("kind",)
    readonly_fields = ("recorded_by",)

    def save_model(self, request, obj, form, change):
        obj.recorded_by = obj.recorded_by or request.user
        super().save_model(request, obj, form, change)


@admin.register(Objection)
class ObjectionAdmin(HistoryRecordAdmin):
    list_display = ("application", "received_on", "objector", "signed", "resolution")


@admin.register(SiteVisit)
class SiteVisitAdmin(HistoryRecordAdmin):
    pass


@admin.register(Center)
class CenterAdmin(HistoryRecordAdmin):
    """The designation (number, validity, revocation, subsidy recovery) changes only through the workflow."""

    list_display = ("designation_number", "name", "center_type", "valid_until", "state")


@admin.register(Project)
class ProjectAdmin(HistoryRecordAdmin):
    list_display = ("project_number", "title", "kind", "approved_on", "state")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Operators see stuck rows here (attempts, last error); the drain job sends them."""

    list_display = ("created_at", "task_name", "sent_at", "attempts", "last_error")
    list_filter = ("task_name",)
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
