"""Page URLs (server-rendered). The API lives under /api/v1/ (poc.api.urls)."""
from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    accounts,
    applications,
    attachments,
    calls,
    centers,
    dashboards,
    district,
    editor,
    holidays,
    home,
    institutions,
    officer,
    projects,
    public,
    workflows,
)
from .views import documents as document_views

urlpatterns = [
    path("", home.home, name="home"),
    path("help/workflows/", workflows.workflow_help, name="workflow-help"),
    # accounts
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/register/", accounts.register, name="register"),
    # institutions and memberships
    path("institution/", institutions.institution_mine, name="institution-mine"),
    path("institution/start/", institutions.institution_start, name="institution-start"),
    path("institution/register/", institutions.institution_register, name="institution-register"),
    path("institution/join/", institutions.institution_join, name="institution-join"),
    path("institutions/", officer.institution_list, name="institution-list"),
    path("institutions/<int:pk>/", institutions.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/edit/", institutions.institution_edit, name="institution-edit"),
    path("institutions/<int:pk>/verify/", officer.institution_verify, name="institution-verify"),
    path("join-requests/", institutions.membership_requests, name="membership-requests"),
    path("join-requests/<int:pk>/decide/", institutions.membership_decide, name="membership-decide"),
    # calls
    path("calls/", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_edit, name="call-create"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/dashboard/", dashboards.call_dashboard, name="call-dashboard"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<int:pk>/publish/", calls.call_publish, name="call-publish"),
    path("calls/<int:pk>/apply/", calls.call_apply, name="call-apply"),
    path("holiday-calendar/", holidays.holiday_calendar, name="holiday-calendar"),
    path("holiday-calendar/<int:pk>/remove/", holidays.holiday_calendar_remove, name="holiday-calendar-remove"),
    # applications
    path("applications/", applications.application_list, name="application-list"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/steps/<slug:name>/", applications.application_transition,
         name="application-transition"),
    path("applications/<int:pk>/site-visits/", applications.site_visit_add, name="site-visit-add"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/", attachments.download,
         name="attachment-download"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/delete/", attachments.delete,
         name="attachment-delete"),
    # the editor
    path("applications/<int:pk>/edit/", editor.overview, name="editor"),
    path("applications/<int:pk>/edit/basics/", editor.basics, name="editor-basics"),
    path("applications/<int:pk>/edit/details/", editor.details, name="editor-details"),
    path("applications/<int:pk>/edit/review/", editor.review_preferences, name="editor-review"),
    path("applications/<int:pk>/edit/attachments/", editor.attachments, name="editor-attachments"),
    path("applications/<int:pk>/edit/pledges/", editor.pledges, name="editor-pledges"),
    path("applications/<int:pk>/edit/<slug:kind>/", editor.rows, name="editor-rows"),
    path("applications/<int:pk>/edit/<slug:kind>/<int:row_pk>/", editor.row_edit, name="editor-row-edit"),
    path("applications/<int:pk>/edit/<slug:kind>/<int:row_pk>/delete/", editor.row_delete,
         name="editor-row-delete"),
    # officer
    path("inbox/", officer.officer_home, name="inbox"),
    path("district/", district.district_home, name="district-home"),
    path("dashboard/", dashboards.programme_dashboard, name="programme-dashboard"),
    # Official documents (PDF) and their public verification.
    path("applications/<int:pk>/documents/<slug:kind>.pdf", document_views.application_document,
         name="application-document"),
    path("verify/<str:code>/", document_views.verify, name="verify-document"),
]

# life after approval: designated centers, annual evaluations, funded projects (poc.views.centers / projects)
urlpatterns += [
    path("centers/", centers.center_list, name="center-list"),
    path("centers/<int:pk>/", centers.center_detail, name="center-detail"),
    path("centers/<int:pk>/steps/<slug:name>/", centers.center_step, name="center-step"),
    path("centers/<int:pk>/evaluations/new/", centers.evaluation_start, name="evaluation-start"),
    path("evaluations/<int:pk>/", centers.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/steps/<slug:name>/", centers.evaluation_step, name="evaluation-step"),
    path("evaluations/<int:pk>/score/", centers.evaluation_score, name="evaluation-score"),
    path("evaluations/<int:pk>/evidence/", centers.evidence_add, name="evidence-add"),
    path("evaluations/<int:pk>/evidence/<int:evidence_pk>/", centers.evidence_download, name="evidence-download"),
    path("projects/", projects.project_list, name="project-list"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/steps/<slug:name>/", projects.project_step, name="project-step"),
    path("projects/<int:pk>/agreement/", projects.agreement_upload, name="agreement-upload"),
    path("projects/<int:pk>/agreement/download/", projects.agreement_download, name="agreement-download"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/report/", projects.milestone_report,
         name="milestone-report"),
    path("projects/<int:pk>/milestones/<int:milestone_pk>/evidence/", projects.milestone_evidence,
         name="milestone-evidence"),
    path("projects/<int:pk>/changes/", projects.change_add, name="change-add"),
    path("changes/<int:pk>/steps/<slug:name>/", projects.change_step, name="change-step"),
    path("projects/<int:pk>/acceptance/", projects.acceptance_review, name="acceptance-review"),
    path("my/centers-and-projects/", projects.my_outcomes, name="my-outcomes"),
    path("public/centers/", public.public_center_list, name="public-center-list"),
]

# official documents after the decision (poc.views.documents): 公示, 年度绩效评价结果, 验收意见
urlpatterns += [
    path("calls/<int:pk>/documents/public-notice.pdf", document_views.call_public_notice,
         name="call-public-notice-document"),
    path("evaluations/<int:pk>/documents/result.pdf", document_views.evaluation_document,
         name="evaluation-document"),
    path("acceptances/<int:pk>/documents/opinion.pdf", document_views.acceptance_document,
         name="acceptance-document"),
]

# notifications: the user's inbox and settings (poc.notifications.views)
from .notifications import views as notification_views  # noqa: E402

urlpatterns += [
    path("notifications/", notification_views.notification_list, name="notification-list"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification-read-all"),
    path("notifications/settings/", notification_views.notification_settings, name="notification-settings"),
    path("notifications/previews/", notification_views.notification_previews, name="notification-previews"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification-open"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification-read"),
]

# background jobs the user started (poc.views.jobs): the page, its progress partial (htmx), the result
from .views import jobs as job_views  # noqa: E402

urlpatterns += [
    path("jobs/<int:pk>/", job_views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job-download"),
]

# exports people take into their own reports (poc.exports; the apps register theirs): CSV or XLSX
from .views import exports as export_views  # noqa: E402

urlpatterns += [
    path("exports/<slug:name>.<slug:fmt>", export_views.export_download, name="export"),
]
