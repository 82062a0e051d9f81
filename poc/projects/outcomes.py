"""What an approved application becomes: a designated center or a funded project."""
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from poc.applications.calls import ApplicationKind
from poc.applications.models import Application
from poc.centers.models import Center, add_months

from .models import Project, ProjectMilestone

_PREFIX = {
    ApplicationKind.POC_CENTER: "WZ-POC",
    ApplicationKind.PILOT_BASE: "WZ-PILOT",
    ApplicationKind.POC_PROJECT: "WZ-PP",
    ApplicationKind.PILOT_PROJECT: "WZ-PM",
}


def _next_number(model, field: str, prefix: str) -> str:
    existing = model.objects.filter(**{f"{field}__startswith": prefix + "-"}).values_list(field, flat=True)
    used = [int(n.rsplit("-", 1)[1]) for n in existing if n.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}-{max(used, default=0) + 1:03d}"


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def create_outcome(application: Application):
    """Create the Center or the Project an approved application becomes."""
    today = timezone.localdate()
    call = application.call
    prefix = f"{_PREFIX[application.kind]}-{today.year}"
    if application.is_center:
        details = getattr(application, "center_details", None)
        return Center.objects.create(
            institution=application.institution,
            application=application,
            center_type=application.kind,
            name=application.title,
            designation_number=_next_number(Center, "designation_number", prefix),
            designated_on=today,
            valid_until=_add_years(today, call.validity_years) - timedelta(days=1),
            services=list(details.services) if details else [],
            contact=f"{application.institution.contact_name} {application.institution.contact_phone}",
        )
    details = getattr(application, "project_details", None)
    months = call.conversion_deadline_months
    project = Project.objects.create(
        institution=application.institution,
        application=application,
        kind=application.kind,
        title=application.title,
        project_number=_next_number(Project, "project_number", prefix),
        approved_on=today,
        duration_months=(details.duration_months if details and details.duration_months else 24),
        is_major=call.major_projects,
        obligation=_("Transfer or put into use the project's results (technology contract registered) within "
                     "%(m)s months of approval.") % {"m": months},
        obligation_due_on=add_months(today, months),
    )
    ProjectMilestone.objects.bulk_create([
        ProjectMilestone(project=project, month=m.month, title=m.title, deliverables=m.deliverables)
        for m in application.milestones.all()
    ])
    return project
