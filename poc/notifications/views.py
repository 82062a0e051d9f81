"""The inbox pages: the list, mark read / mark all read, open (follow the link to the subject), settings.

A user only ever reaches their own notifications: another user's answers 404, like a missing one.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.views.common import form_data, redirect_back

from . import selectors, services
from .delivery import preference_for
from .forms import PreferenceForm

PAGE_SIZE = 30


def _own(request, pk):
    notification = selectors.notification_of(request.user, pk)
    if notification is None:
        raise Http404
    return notification


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.inbox_of(request.user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    from poc.access import can
    from poc.models import Notification

    return render(request, "poc/notifications/list.html", {
        "page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else "",
        "can_oversee": can(request.user, "oversee", Notification),
    })


@login_required
def notification_open(request, pk):
    """Follow a notification to its subject, marking it read."""
    notification = _own(request, pk)
    services.mark_read(request.user, notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notification-list")


@require_POST
@login_required
def notification_read(request, pk):
    services.mark_read(request.user, _own(request, pk))
    return redirect_back(request, "notification-list")


@require_POST
@login_required
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect_back(request, "notification-list")


@login_required
def notification_settings(request):
    preference = preference_for(request.user)
    form = PreferenceForm(form_data(request), instance=preference)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification-settings")
    return render(request, "poc/notifications/settings.html", {"form": form})


@login_required
def notification_previews(request):
    """Officers: every notification's email in both languages, and what was sent to whom and when."""
    from poc.access import pages
    from poc.models import Notification

    from . import previews

    pages.allowed_or_403(request.user, "oversee", Notification)
    return render(request, "poc/notifications/previews.html", {
        "previews": previews.previews(), "deliveries": previews.recent_deliveries(),
        "outbox": previews.outbox_state(), "limit": previews.RECENT,
    })
