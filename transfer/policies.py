"""Who may view, change and do what with the transfer app's objects: one declaration per model.

Read top to bottom, this page is the access policy of ``transfer``:

* an institution's members see and edit their own results, grant or refuse detail requests, record landing
  evidence; other institutions do not see them (the public catalogue shows published summaries to everyone);
* a verified enterprise sees the published results' public summaries, requests a result's confidential detail
  (``view_detail`` holds once the owner granted it), posts demands and sees published ones;
* officers see everything, publish and curate demands, run roadshows;
* matches and interests follow the result and the demand they join.
"""
from django.utils.translation import gettext_lazy as _

from poc.access import SIGNED_IN, Policy, applicant, fund_manager, member_of, officer, owner

from .relations import (
    detail_granted,
    enterprise_of,
    published_demand,
    published_to_enterprises,
    verified_enterprise,
)

result_owner = member_of("institution")

result = Policy(
    "transfer.Result",
    view=officer | result_owner | published_to_enterprises | detail_granted,
    view_detail=(officer | result_owner | detail_granted).refusing(
        _("The owner has not granted you this result's confidential detail.")),
    change=result_owner.refusing(_("Only members of the owning institution can edit this result.")),
    create=applicant.refusing(_("Only institutions' applicants can add results.")),
    publish=(officer | result_owner).refusing(_("Only the owning institution or an officer can publish a result.")),
    request_detail=published_to_enterprises.refusing(_("Only verified enterprises can request a result's detail.")),
    record_evidence=(officer | result_owner).refusing(
        _("Only the owning institution or an officer can record landing evidence.")),
    grant_licence=(officer | result_owner).refusing(
        _("Only the owning institution or an officer can grant a trial licence.")),
    express_interest=(result_owner | verified_enterprise).refusing(
        _("Only the result's owner or a verified enterprise can express interest.")),
)
detail_request = Policy(
    "transfer.DetailRequest",
    view=officer | member_of("result__institution") | enterprise_of("enterprise"),
    decide=member_of("result__institution").refusing(_("Only the result's owner can grant its detail.")),
)
landing_evidence = Policy(
    "transfer.LandingEvidence",
    view=officer | member_of("result__institution"),
)
demand = Policy(
    "transfer.Demand",
    view=officer | enterprise_of("enterprise") | published_demand,
    change=enterprise_of("enterprise").refusing(_("Only the enterprise that posted the demand can edit it.")),
    create=verified_enterprise,
)
interest = Policy(
    "transfer.Interest",
    view=officer | member_of("result__institution") | enterprise_of("demand__enterprise"),
)
conversation = Policy(
    "transfer.Conversation",
    view=officer | member_of("result__institution") | enterprise_of("demand__enterprise"),
)
roadshow = Policy(
    "transfer.Roadshow",
    view=SIGNED_IN,
    change=officer.refusing(_("Only bureau officers run roadshows.")),
    create=officer.refusing(_("Only bureau officers run roadshows.")),
    register=(verified_enterprise | fund_manager).refusing(
        _("Only verified enterprises and investors can register for a roadshow.")),
)
roadshow_presentation = Policy("transfer.RoadshowPresentation", view=SIGNED_IN)
roadshow_registration = Policy("transfer.RoadshowRegistration", view=officer | owner("user"))
roadshow_feedback = Policy(
    "transfer.RoadshowFeedback",
    view=officer | member_of("presentation__result__institution"),
)
licence = Policy(
    "transfer.Licence",
    view=officer | member_of("result__institution") | enterprise_of("licensee"),
)
licence_reminder = Policy("transfer.LicenceReminder", view=officer)
