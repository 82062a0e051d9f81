"""Page URLs (server-rendered). The API lives under /api/v1/ (poc.api.urls)."""
from django.contrib.auth import views as auth_views
from django.urls import path

from .views import documents as document_views
from .views import accounts, applications, attachments, calls, editor, home, institutions, officer

urlpatterns = [
    path("", home.home, name="home"),
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
    path("calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<int:pk>/publish/", calls.call_publish, name="call-publish"),
    path("calls/<int:pk>/apply/", calls.call_apply, name="call-apply"),
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
    # Official documents (PDF) and their public verification.
    path("applications/<int:pk>/documents/<slug:kind>.pdf", document_views.application_document,
         name="application-document"),
    path("verify/<str:code>/", document_views.verify, name="verify-document"),
]
