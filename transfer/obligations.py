"""transfer's answer to poc's ``transfer_records``: what the results of a project did (成果转化).

A project's results are those whose validation started from the project's application. A 先用后转 licence
converted into a paid transfer counts from the day it converted; landing evidence (a contract, a licence, an
investment, a company founded) from its own date.
"""
from django.utils.translation import gettext as _


def project_transfer_records(project):
    from poc.gates import TransferRecord

    from .models import LandingEvidence, Licence, LicenceState

    records = [TransferRecord(kind=_("Use-first licence converted"), reference=licence.contract_number or str(licence.pk),
                              dated_on=licence.converted_on)
               for licence in Licence.objects.filter(result__validation_application_id=project.application_id,
                                                     state=LicenceState.CONVERTED, converted_on__isnull=False)]
    records += [TransferRecord(kind=str(evidence.get_kind_display()), reference=evidence.reference,
                               dated_on=evidence.dated_on)
                for evidence in LandingEvidence.objects.filter(result__validation_application_id=project.application_id)
                .exclude(licence__state=LicenceState.CONVERTED)]
    return records
