"""公示: the public notice of a call's applications proposed for approval, with the rules for objections.

Each application's period is the one fixed when its notice started (``notice_starts_on`` – ``notice_ends_on``,
computed by :func:`poc.applications.holidays.notice_end_date` in working or calendar days as the call says);
the notice states its length and each last day for objections (inclusive)."""
from django.utils import timezone

from poc.models import Application

from .. import layouts
from ..issuing import issue, register_document_type
from ..kit import cn_date
from .common import in_chinese

OBJECTION_RULES = [
    "异议应以书面形式提出，写明异议对象（申报编号和名称）、异议事项和理由，并附必要的证明材料。",
    "单位提出异议的，须在书面材料上加盖本单位公章，并写明联系人和联系电话；个人提出异议的，须在书面材料上签署"
    "本人真实姓名（实名），并写明工作单位和联系电话。",
    "匿名或冒名的异议、超过异议截止日期提出的异议、没有具体事实和证据的异议，不予受理。",
    "市科学技术局对异议人的身份予以保密，对受理的异议组织调查核实，并将处理结果告知异议人。",
]
OBJECTION_CONTACT = "受理单位：温州市科学技术局。书面材料可当面递交或邮寄，邮寄的以收到日期为准。"


def _period(application) -> str:
    start, end = application.notice_starts_on, application.notice_ends_on
    if not (start and end):
        return "—"
    return f"{cn_date(start)}至{cn_date(end)}"


@in_chinese
def public_notice_content(call):
    """(content, the applications listed) of the call's public notice: its applications in public notice."""
    from poc.models import ApplicationState

    applications = list(Application.objects.filter(call=call, state=ApplicationState.PUBLIC_NOTICE)
                        .select_related("institution").order_by("notice_starts_on", "number"))
    verb = "认定" if call.is_center_call else "立项"
    measure = "家" if call.is_center_call else "个"
    starts = sorted({a.notice_starts_on for a in applications if a.notice_starts_on})
    ends = sorted({a.notice_ends_on for a in applications if a.notice_ends_on})
    steps = "单位申报、形式审查、专家评审" + ("、现场考察" if call.site_visit_required else "")
    intro = [f"根据《概念验证中心与中试基地建设指引（试行）》和“{call.title}”申报要求，经{steps}，市科学技术局拟"
             f"{verb}以下 {len(applications)} {measure}{call.get_kind_display()}，现予以公示。"]
    if len(starts) == 1 and len(ends) == 1:
        intro.append(f"公示期为{cn_date(starts[0])}至{cn_date(ends[0])}（{call.notice_length}）。公示期内，任何单位和个人对公示对象有异议的，"
                     f"请于{cn_date(ends[0])}（含当日）前按下列方式提出。")
    else:
        intro.append(f"公示期为{call.notice_length}，各公示对象的公示期和异议截止日期见下表。公示期内，任何单位和个人对公示对象有异议的，"
                     "请于所列异议截止日期（含当日）前按下列方式提出。")
    rows = [[str(n), a.number, a.institution.name, a.title, a.get_kind_display(), _period(a),
             cn_date(a.notice_ends_on) if a.notice_ends_on else "—"] for n, a in enumerate(applications, start=1)]
    day = starts[0] if starts else timezone.localdate()
    content = {"call": call.pk, "intro": intro, "rows": rows, "objection": OBJECTION_RULES,
               "contact": OBJECTION_CONTACT, "date": day.isoformat()}
    return content, applications


def _public_notice_validity(document):
    from poc.models import IssuedDocument

    newer = (IssuedDocument.objects.filter(document_type=document.document_type, content_type=document.content_type,
                                           object_id=document.object_id, issued_at__gt=document.issued_at)
             .order_by("-issued_at").first())
    if newer is not None:
        return True, f"有效（该批次其后另有 {cn_date(timezone.localdate(newer.issued_at))} 发布的公示）"
    return True, "有效"


register_document_type("public_notice", "公示", _public_notice_validity)


def public_notice(call, user=None):
    """公示 of the call's proposed approvals, or None when no application of the call is in public notice."""
    content, applications = public_notice_content(call)
    if not applications:
        return None
    day = layouts._day(content["date"])
    verb = "认定" if call.is_center_call else "立项"
    return issue("public_notice", call, title=f"{call.title}拟{verb}名单公示", content=content,
                 render=lambda letterhead: layouts.render_public_notice(letterhead, content),
                 document_number=f"温科公〔{day.year}〕{call.pk}号", user=user)
