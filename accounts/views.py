"""Account-security pages: the officers' list of locked sign-ins with an unlock button."""
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from poc.access import officer
from poc.access.pages import requires


def locked_attempts():
    """Accounts and addresses locked now: failures at the limit within the cool-off period."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                         attempt_time__gte=since)
            .order_by("-attempt_time"))


@require_http_methods(["GET", "POST"])
@requires(officer)
def lockouts(request):
    if request.method == "POST":
        username, address = request.POST.get("username", ""), request.POST.get("ip_address", "")
        if username:
            reset(username=username)
            messages.success(request, _("Sign-in for “%(who)s” is unlocked.") % {"who": username})
        elif address:
            reset(ip=address)
            messages.success(request, _("Sign-in from %(who)s is unlocked.") % {"who": address})
        return redirect("accounts:lockouts")
    return render(request, "registration/lockouts.html", {"attempts": locked_attempts()})
