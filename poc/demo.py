"""Demo data: one login per role, five institutions, calls and applications in every state.

Idempotent: every object is found by its natural key before it is made, so running the seed twice
changes nothing. Applications in states after ``under_review`` are put there directly (the reviews
and funding decisions that lead there belong to later parts), and their audit trail says so.
"""
import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .applications.holidays import NoticeDayKind, UnknownCalendarYear, notice_end_date
from .applications.objections import not_accepted_reasons
from .applications.services import save_call
from .centers.models import add_months
from .models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    Center,
    CenterDetails,
    Discipline,
    DistrictRecommendation,
    Institution,
    IPItem,
    Membership,
    Objection,
    PlannedMilestone,
    Project,
    ProjectDetails,
    TeamMember,
    TransitionLog,
)
from .projects.outcomes import _add_years, create_outcome
from .validators import credit_code_check_character

User = get_user_model()


def demo_notice_end(call, start):
    """A seeded notice's last day as the workflow computes it. Near a year's end the next year's holidays may not be
    entered yet; the demo then counts calendar days rather than stop (proposing would be refused)."""
    try:
        return call.notice_end(start)
    except UnknownCalendarYear:
        return notice_end_date(start, call.notice_days, NoticeDayKind.CALENDAR)

DEMO_USERS = [
    # username, password, role, name, institution key
    ("officer", "officer-demo-2026", "officer", "王科长", None),
    ("applicant", "applicant-demo-2026", "applicant", "陈老师", "U"),
    ("applicant2", "applicant-demo-2026", "applicant", "林研究员", "R"),
    ("applicant3", "applicant-demo-2026", "applicant", "周经理", "I"),
    ("applicant4", "applicant-demo-2026", "applicant", "郑主任", "N"),
    ("applicant5", "applicant-demo-2026", "applicant", "吴总", "E"),
    ("expert", "expert-demo-2026", "expert", "刘教授", None),
    ("fund", "fund-demo-2026", "fund_manager", "赵总", None),
    ("applicant6", "applicant-demo-2026", "applicant", "潘博士", "F"),
    ("district", "district-demo-2026", "district_officer", "徐科长", None),  # 鹿城区科技局 (DISTRICT_LOGINS)
    ("admin", "admin-demo-2026", None, "系统管理员", None),
]


# The city's districts and their science bureaus (区县科技局), and the demo's district officer.
DISTRICTS = [("鹿城区", "330302"), ("龙湾区", "330303"), ("瓯海区", "330304"), ("洞头区", "330305"),
             ("乐清市", "330382")]
DISTRICT_LOGINS = {"district": "鹿城区"}


def _code(seed: str) -> str:
    return seed + credit_code_check_character(seed)


INSTITUTIONS = {
    "U": dict(name="温州理工大学", credit_code=_code("12330300MB0000011"), type="university", district="鹿城区",
              address="温州市鹿城区学院中路 276 号"),
    "R": dict(name="温州先进制造研究院", credit_code=_code("12330300MB0000022"), type="research_institute",
              district="瓯海区", address="温州市瓯海区东方南路 38 号"),
    "I": dict(name="瓯江科技孵化器", credit_code=_code("91330300MA0000033"), type="incubator", district="龙湾区",
              address="温州市龙湾区永中街道科创园 9 幢", founded_on=date(2019, 4, 2),
              registered_capital=Decimal("5000000.00"), paid_in_capital=Decimal("5000000.00")),
    "N": dict(name="温州新材料研发中心", credit_code=_code("52330300MJ0000044"), type="new_rd_institution",
              district="洞头区", address="温州市洞头区海港路 18 号"),
    "E": dict(name="温州智造科技有限公司", credit_code=_code("91330300MA0000055"), type="enterprise",
              district="乐清市", address="乐清市柳市镇智造大道 66 号", founded_on=date(2022, 6, 18),
              registered_capital=Decimal("10000000.00"), paid_in_capital=Decimal("6000000.00")),
    # Registered but not verified yet: waits in the officer's verification list.
    "F": dict(name="鹿城量子传感实验室", credit_code=_code("52330300MJ0000066"), type="new_rd_institution",
              district="鹿城区", address="温州市鹿城区江滨西路 99 号"),
}


def _pdf(title: str) -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


class DemoSeeder:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.users: dict[str, User] = {}
        self.institutions: dict[str, Institution] = {}
        self.calls: dict[str, Call] = {}

    def say(self, text):
        if self.stdout:
            self.stdout.write(text)

    @transaction.atomic
    def run(self):
        self.make_users()
        self.make_institutions()
        self.make_memberships()
        self.make_districts()
        self.make_calls()
        self.make_applications()
        self.make_outcomes()
        from .signals import demo_seeded

        demo_seeded.send(sender=type(self), seeder=self)

    # ----------------------------------------------------------------- people
    def make_institutions(self):
        contacts = {k: name.split(" ")[0] for _, _, _, name, k in DEMO_USERS if k}
        for index, (key, fields) in enumerate(INSTITUTIONS.items()):
            inst = Institution.objects.filter(credit_code=fields["credit_code"]).first()
            if inst is None:
                verified = key != "F"
                group, _ = Group.objects.get_or_create(name=Institution.group_name_for(fields["credit_code"]))
                inst = Institution.objects.create(
                    group=group, contact_name=contacts[key], contact_phone=f"0577-8888{index:04d}",
                    contact_email=f"contact-{key.lower()}@example.org", verified=verified,
                    verified_at=self.now if verified else None,
                    verified_by=self.users["officer"] if verified else None, **fields,
                )
            self.institutions[key] = inst

    def make_users(self):
        for username, password, role, name, _inst_key in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=f"{username}@example.org", first_name=name[:150])
                user.set_password(password)
                if role is None:
                    user.is_superuser = user.is_staff = True
                user.save()
                if role:
                    user.groups.add(Group.objects.get(name=role))
            self.users[username] = user

    def make_memberships(self):
        for username, _, _, _, inst_key in DEMO_USERS:
            if not inst_key:
                continue
            user, inst = self.users[username], self.institutions[inst_key]
            Membership.objects.get_or_create(
                user=user, institution=inst,
                defaults={"status": Membership.Status.ACTIVE, "is_admin": True, "decided_at": self.now},
            )
            user.groups.add(inst.group)
        # A pending join request, for the institution admin to decide.
        newcomer = User.objects.filter(username="newcomer@example.org").first()
        if newcomer is None:
            newcomer = User(username="newcomer@example.org", email="newcomer@example.org", first_name="新成员")
            newcomer.set_password("applicant-demo-2026")
            newcomer.save()
            newcomer.groups.add(Group.objects.get(name="applicant"))
        Membership.objects.get_or_create(user=newcomer, institution=self.institutions["U"])

    def make_districts(self):
        from .institutions.services import add_district_officer, register_district

        for name, code in DISTRICTS:
            district = register_district(name, code=code, bureau=f"{name}科技局")
            for username, district_name in DISTRICT_LOGINS.items():
                if district_name == name:
                    add_district_officer(district, self.users[username])

    # ------------------------------------------------------------------ calls
    def _call(self, key, **fields):
        call = Call.objects.filter(title=fields["title"]).first()
        if call is None:
            call = Call.objects.create(created_by=self.users["officer"], published=True, **fields)
        self.calls[key] = call

    def make_calls(self):
        all_types = ["university", "research_institute", "new_rd_institution", "incubator", "enterprise"]
        center_attachments = ["application_form", "audited_spend", "self_check", "integrity_pledge", "ip_statement"]
        project_attachments = ["application_form", "integrity_pledge", "ip_evidence"]
        year = self.today.year
        tz = timezone.get_current_timezone()
        self._call(
            "C1", kind="poc_center", round=str(year), title=f"{year}年度温州市概念验证中心认定",
            guideline="面向高校、科研院所、新型研发机构和孵化器，认定一批市级概念验证中心。独立法人，有固定场地、"
                      "专职服务团队和由学术界、产业界、投资界组成的咨询专家组。",
            opens_at=self.now - timedelta(days=15), closes_at=self.now + timedelta(days=45),
            budget=Decimal("20000000.00"), eligible_institution_types=all_types[:4],
            required_attachment_types=center_attachments, site_visit_required=True,
        )
        self._call(
            "C2", kind="poc_project", round=str(year), title=f"{year}年度概念验证项目（第一批）",
            guideline="支持处于实验室阶段、需开展技术、市场或产业化可行性验证的科技成果（约 TRL 3→5），"
                      "单个项目资助不超过 50 万元，实施期不超过 2 年。",
            opens_at=self.now - timedelta(days=10), closes_at=self.now + timedelta(days=30),
            budget=Decimal("10000000.00"), eligible_institution_types=all_types,
            required_attachment_types=project_attachments,
        )
        if self.calls["C2"].grant_ceiling is None and not self.calls["C2"].applications.exists():
            # Set by the officer in the call editor before the first application (the change is in the audit trail).
            self.calls["C2"] = save_call(self.users["officer"], self.calls["C2"], grant_ceiling=Decimal("500000.00"),
                                         notice_days=5)
        self._call(
            "C3", kind="poc_center", round=str(year - 1), title=f"{year - 1}年度温州市概念验证中心认定",
            guideline="上一年度的概念验证中心认定批次（已截止）。公示期为 5 个工作日。",
            opens_at=datetime(year - 1, 3, 1, 9, 0, tzinfo=tz), closes_at=datetime(year - 1, 4, 30, 17, 0, tzinfo=tz),
            budget=Decimal("15000000.00"), eligible_institution_types=all_types,
            required_attachment_types=center_attachments, notice_days=5, notice_day_kind=NoticeDayKind.WORKING,
        )
        self._call(
            "C4", kind="poc_project", round=str(year - 1), title=f"{year - 1}年度概念验证项目",
            guideline="上一年度的概念验证项目批次（已截止）。",
            opens_at=datetime(year - 1, 5, 1, 9, 0, tzinfo=tz), closes_at=datetime(year - 1, 6, 30, 17, 0, tzinfo=tz),
            budget=Decimal("8000000.00"), eligible_institution_types=all_types,
            required_attachment_types=project_attachments, grant_ceiling=Decimal("500000.00"),
        )

        self._call(
            "C5", kind="pilot_project", round=str(year), title=f"{year}年度中试熟化项目（区县推荐）",
            guideline="支持已完成实验室验证、处于中试熟化阶段的科技成果（约 TRL 5/6→7）。本批次实行区县推荐制："
                      "申报单位提交后，由所在区县科技局审核并出具推荐意见，市科技局据此开展形式审查。"
                      "每家单位限报 2 项。",
            opens_at=self.now - timedelta(days=12), closes_at=self.now + timedelta(days=40),
            budget=Decimal("12000000.00"), eligible_institution_types=all_types,
            required_attachment_types=project_attachments, max_applications_per_institution=2,
            requires_district_recommendation=True,
        )

    # ----------------------------------------------------------- applications
    PLAN = [
        # call, institution, state, title, complete
        ("C1", "U", "draft", "温州理工大学概念验证中心", True),
        ("C1", "R", "returned", "先进制造概念验证中心", True),
        ("C1", "I", "under_review", "瓯江科技概念验证中心", True),
        ("C1", "N", "submitted", "新材料概念验证中心", True),
        ("C2", "U", "draft", "柔性钙钛矿光伏组件概念验证", False),
        ("C2", "R", "submitted", "高精度伺服电机控制算法概念验证", True),
        ("C2", "I", "under_review", "智能鞋履足压传感概念验证", True),
        ("C3", "U", "approved", "温州理工大学概念验证中心（2025）", True),
        ("C3", "I", "reviewed", "瓯江科技概念验证中心（2025）", True),
        ("C3", "N", "public_notice", "新材料概念验证中心（2025）", True),
        ("C3", "R", "objection", "先进制造概念验证中心（2025）", True),
        ("C3", "E", "cultivation", "智造科技概念验证平台", True),
        ("C4", "R", "approved", "低压电器数字孪生测试平台验证", True),
        ("C4", "U", "rejected", "海水淡化膜材料中试验证", True),
        ("C4", "I", "withdrawn", "宠物智能喂养设备验证", True),
        ("C4", "N", "reviewed", "石墨烯导热膜概念验证", True),
        # 区县推荐: 鹿城区科技局 has recommended one and has one to decide; 瓯海区's is not its to see.
        ("C5", "U", "recommended", "固态电解质薄膜中试熟化", True),
        ("C5", "U", "submitted", "激光熔覆再制造工艺中试", True),
        ("C5", "R", "submitted", "伺服驱动器功率模块中试验证", True),
    ]

    PATHS = {
        "draft": [],
        "submitted": ["submit"],
        "recommended": ["submit", "recommend"],
        "returned": ["submit", "return_for_revision"],
        "under_review": ["submit", "accept_for_review"],
        "reviewed": ["submit", "accept_for_review", "close_review"],
        "public_notice": ["submit", "accept_for_review", "close_review", "propose"],
        "objection": ["submit", "accept_for_review", "close_review", "propose", "record_objection"],
        "approved": ["submit", "accept_for_review", "close_review", "propose", "approve"],
        "cultivation": ["submit", "accept_for_review", "close_review", "to_cultivation_pool"],
        "rejected": ["submit", "reject_formally"],
        "withdrawn": ["submit", "withdraw"],
    }
    COMMENTS = {
        "return_for_revision": "请补充近两年概念验证服务支出的专项审计报告，并完善咨询专家组名单。",
        "reject_formally": "申报内容不属于本批次支持范围。",
        "to_cultivation_pool": "具备一定基础，服务团队规模不足，纳入培育库。",
        "record_objection": "实名异议：认为申报材料中服务项目数量存在夸大。",
        "withdraw": "项目团队调整，主动撤回。",
        "recommend": "经审核，该项目技术来源清晰，中试条件和配套资金已落实，符合本批次申报条件，同意推荐。",
    }

    def make_applications(self):
        for number, (call_key, inst_key, state, title, complete) in enumerate(self.PLAN, start=1):
            call = self.calls[call_key]
            inst = self.institutions[inst_key]
            if Application.objects.filter(call=call, institution=inst, title=title).exists():
                continue
            applicant = self.users[[u for u, _, _, _, k in DEMO_USERS if k == inst_key][0]]
            app = self._application(call, inst, applicant, title, complete, number)
            self._put_in_state(app, state, applicant)

    def _notice_end(self, call, start):
        return demo_notice_end(call, start)

    def _objection_not_accepted(self, app, officer):
        """An anonymous letter received the day after the notice ended: recorded, 不予受理, nothing else changed."""
        received = app.notice_ends_on + timedelta(days=1)
        reasons = not_accepted_reasons(app, signed=False, contact="", received_on=received)
        comment = "匿名来信：反映该中心服务团队人员不稳定。"
        Objection.objects.create(application=app, signed=False, received_on=received, content=comment,
                                 recorded_by=officer, resolution=Objection.Resolution.NOT_ACCEPTED,
                                 resolution_comment="；".join(reasons), resolved_by=officer, resolved_at=self.now)
        TransitionLog.objects.create(subject=app, transition="record_objection", source="public_notice",
                                     target="public_notice", actor=officer, comment=f"{comment} {self.DEMO_NOTE}")

    def _inst_key(self, inst):
        return next(k for k, i in self.institutions.items() if i.pk == inst.pk)

    def _application(self, call, inst, applicant, title, complete, number):
        kind_code = {"poc_center": "PC", "pilot_base": "PB", "poc_project": "PP", "pilot_project": "PM"}[call.kind]
        app = Application.objects.create(
            call=call, institution=inst, kind=call.kind, title=title, created_by=applicant,
            number=f"{call.round}-{kind_code}-{9000 + number:04d}",
            summary=(f"{inst.name}依托自身科研与产业资源，围绕“{title}”开展二次开发、工艺验证与中试熟化，"
                     "推动高校院所科技成果向现实生产力转化。") if complete or call.kind != "poc_project" else "",
            keywords="概念验证, 成果转化",
        )
        if complete:
            codes = {"U": ["ENG.MAT", "ENG.ELEC"], "R": ["ENG.MECH", "ICT.AI"], "I": ["CONS.SHOES", "ENG.MAT"],
                     "N": ["ENG.MAT", "ENG.CHEM"], "E": ["ENG.AUTO", "ENG.MECH"]}[self._inst_key(inst)]
            app.disciplines.add(*Discipline.objects.filter(code__in=codes))
        TransitionLog.objects.create(subject=app, transition="create", source="", target="draft", actor=applicant,
                                     comment="")
        if app.is_center:
            CenterDetails.objects.create(
                application=app, site_area_m2=Decimal("1800.00"), equipment_value=Decimal("12500000.00"),
                service_team_size=16, services=["secondary_development", "process_validation", "testing", "financing"],
                audited_spend_last_year=Decimal("2350000.00"), audited_spend_year_before=Decimal("1860000.00"),
                advisory_panel="学术界：王院士（浙江大学）；产业界：正泰电器技术总监；投资界：温州科创基金投资总监",
                pipeline_size=24,
            )
        else:
            ProjectDetails.objects.create(
                application=app, trl_now=3, trl_target=5, duration_months=18,
                requested_grant=Decimal("500000.00"), requested_investment=Decimal("1000000.00"),
                self_funded=Decimal("300000.00"),
                market_analysis="国内市场规模约 120 亿元，年增长 18%，主要竞争者为进口产品，国产替代空间大。",
            )
            IPItem.objects.create(application=app, number="ZL202310123456.7", title="一种高稳定性器件的制备方法",
                                  ip_type="invention_patent", owner=inst.name, status="granted")
            TeamMember.objects.create(application=app, name="陈教授", role="项目负责人", title="教授", organisation=inst.name,
                                      is_lead=True)
            TeamMember.objects.create(application=app, name="黄工", role="工艺工程师", title="高级工程师",
                                      organisation=inst.name)
            if complete:
                BudgetLine.objects.create(application=app, category="设备费", source="grant", amount=Decimal("300000.00"))
                BudgetLine.objects.create(application=app, category="测试化验加工费", source="grant",
                                          amount=Decimal("200000.00"))
                BudgetLine.objects.create(application=app, category="中试线建设", source="investment",
                                          amount=Decimal("1000000.00"))
                BudgetLine.objects.create(application=app, category="人员费", source="self", amount=Decimal("300000.00"))
                PlannedMilestone.objects.create(application=app, month=6, title="完成样机试制",
                                                deliverables="样机 3 台，测试报告 1 份")
                PlannedMilestone.objects.create(application=app, month=15, title="完成小批量验证",
                                                deliverables="小批量 200 件，第三方检测报告")
        if complete:
            for code in call.required_attachment_types:
                att = Attachment(application=app, attachment_type=code, original_name=f"{code}.pdf", extension="pdf",
                                 content_type="application/pdf", uploaded_by=applicant, size=0, sha256="")
                content = _pdf(f"{app.number} {code}")
                att.size, att.sha256 = len(content), hashlib.sha256(content).hexdigest()
                att.file.save("demo", ContentFile(content), save=False)
                att.save()
            Application.objects.filter(pk=app.pk).update(
                integrity_pledged_at=self.now, integrity_pledged_by=applicant, ip_pledged_at=self.now,
                ip_pledged_by=applicant,
            )
        return app

    def _put_in_state(self, app, state, applicant):
        officer = self.users["officer"]
        source = "draft"
        targets = {
            "submit": "submitted", "return_for_revision": "returned", "accept_for_review": "under_review",
            "close_review": "reviewed", "propose": "public_notice", "record_objection": "objection",
            "approve": "approved", "to_cultivation_pool": "cultivation", "reject_formally": "rejected",
            "withdraw": "withdrawn", "recommend": "recommended",
        }
        district_officer = self.users["district"]
        for step in self.PATHS[state]:
            actor = {"submit": applicant, "withdraw": applicant, "recommend": district_officer}.get(step, officer)
            comment = self.COMMENTS.get(step, "")
            if step in ("close_review", "propose", "approve", "record_objection", "to_cultivation_pool"):
                comment = (comment + " " if comment else "") + self.DEMO_NOTE
            TransitionLog.objects.create(subject=app, transition=step, source=source, target=targets[step],
                                         actor=actor, comment=comment)
            source = targets[step]
        updates = {}
        if state != "draft":
            # Submitted five days before the deadline, or five days ago while the call is still open.
            updates["submitted_at"] = min(self.now, app.call.closes_at) - timedelta(days=5)
        if state == "returned":
            updates["revision_due"] = self.today + timedelta(days=app.call.revision_days)
        if state in ("public_notice", "objection", "approved"):
            # The 2025 notices (5 working days): one has ended (ready to approve), one is running with an objection.
            start = self.today - timedelta(days=20 if state != "objection" else 1)
            updates["notice_starts_on"], updates["notice_ends_on"] = start, self._notice_end(app.call, start)
        if state in ("approved", "cultivation", "rejected", "withdrawn"):
            updates["decided_at"] = self.now
        Application.objects.filter(pk=app.pk).update(state=state, **updates)
        app = Application.objects.get(pk=app.pk)
        if state == "recommended":
            DistrictRecommendation.objects.create(
                application=app, district=app.institution.district, bureau=f"{app.institution.district}科技局",
                outcome=DistrictRecommendation.Outcome.RECOMMENDED, opinion=self.COMMENTS["recommend"],
                decided_by=district_officer, decided_at=self.now)
        if state == "objection":
            Objection.objects.create(application=app, objector="陈某（实名）", contact="0577-8888 6666", signed=True,
                                     received_on=self.today, content=self.COMMENTS["record_objection"],
                                     recorded_by=officer)
        if state == "public_notice":
            self._objection_not_accepted(app, officer)
        if state == "approved":
            outcome = create_outcome(app)
            # Designated / approved in the past: numbers, validity and the conversion deadline follow that day.
            from .projects.outcomes import _PREFIX, _next_number

            if isinstance(outcome, Center):
                designated = date(self.today.year - 1, 9, 1)
                Center.objects.filter(pk=outcome.pk).update(
                    designated_on=designated,
                    designation_number=_next_number(Center, "designation_number",
                                                    f"{_PREFIX[app.kind]}-{designated.year}"),
                    valid_until=_add_years(designated, app.call.validity_years) - timedelta(days=1))
            elif isinstance(outcome, Project):
                approved = self.today - timedelta(days=150)
                Project.objects.filter(pk=outcome.pk).update(
                    approved_on=approved,
                    project_number=_next_number(Project, "project_number", f"{_PREFIX[app.kind]}-{approved.year}"),
                    obligation_due_on=add_months(approved, app.call.conversion_deadline_months))
        return app

    # ------------------------------------------------------- life after approval
    # Earlier rounds, closed, whose approved applications became designated centers and funded projects:
    # at least one center in each state (active, rectifying, revoked, expired) and one project in each state
    # (contracting is the round-before-last project of PLAN; here in_progress, acceptance, rectifying,
    # completed, failed, terminated). Every institution keeps within the rules: one center application per
    # round, never both center types in one round, one project application per call.
    OUTCOME_PLAN = [
        # call key, institution, title, what becomes of it
        ("P1", "E", "智造科技精密部件中试基地", "center_expired"),
        ("P2", "I", "瓯江科技孵化器概念验证中心", "center_active"),
        ("P2", "R", "先进制造研究院概念验证中心", "center_revoked_twice"),
        ("P3", "N", "新材料研发中心中试基地", "center_rectifying"),
        ("P4", "U", "温州理工大学新材料概念验证中心", "center_revoked_fraud"),
        ("P5", "U", "可降解鞋材发泡工艺概念验证", "project_completed"),
        ("P5", "N", "海洋工程防腐涂层概念验证", "project_failed"),
        ("P5", "E", "智能断路器故障预测概念验证", "project_terminated"),
        ("P6", "I", "智能鞋履足压传感模组中试熟化", "project_in_progress"),
        ("P6", "R", "高精度伺服电机控制器中试熟化", "project_acceptance"),
        ("P6", "U", "柔性钙钛矿光伏组件中试熟化", "project_rectifying"),
    ]
    DEMO_NOTE = "（演示数据：状态直接写入）"

    def make_outcomes(self):
        self.make_outcome_calls()
        for number, (call_key, inst_key, title, fate) in enumerate(self.OUTCOME_PLAN, start=101):
            call, inst = self.calls[call_key], self.institutions[inst_key]
            if Application.objects.filter(call=call, institution=inst, title=title).exists():
                continue  # seeded before: nothing changes
            applicant = self._applicant_of(inst_key)
            app = self._application(call, inst, applicant, title, True, number)
            if call.kind == "pilot_project":
                ProjectDetails.objects.filter(application=app).update(trl_now=5, trl_target=7, duration_months=24)
                PlannedMilestone.objects.create(application=app, month=22, title="完成中试线验证与成果转化",
                                                deliverables="中试线运行报告，技术合同 1 份")
            app = self._put_in_state(app, "approved", applicant)
            getattr(self, f"_{fate}")(app, applicant)

    def make_outcome_calls(self):
        all_types = ["university", "research_institute", "new_rd_institution", "incubator", "enterprise"]
        center_attachments = ["application_form", "audited_spend", "self_check", "integrity_pledge", "ip_statement"]
        project_attachments = ["application_form", "integrity_pledge", "ip_evidence"]
        year = self.today.year
        tz = timezone.get_current_timezone()

        def window(y, month):
            return {"opens_at": datetime(y, month, 1, 9, 0, tzinfo=tz),
                    "closes_at": datetime(y, month + 1, 28, 17, 0, tzinfo=tz)}

        self._call("P1", kind="pilot_base", round=str(year - 4), title=f"{year - 4}年度温州市中试基地认定",
                   guideline="认定一批市级中试基地（已截止）。", budget=Decimal("24000000.00"),
                   eligible_institution_types=all_types, required_attachment_types=center_attachments,
                   **window(year - 4, 3))
        self._call("P2", kind="poc_center", round=str(year - 3), title=f"{year - 3}年度温州市概念验证中心认定",
                   guideline="认定一批市级概念验证中心（已截止）。", budget=Decimal("15000000.00"),
                   eligible_institution_types=all_types, required_attachment_types=center_attachments,
                   **window(year - 3, 3))
        self._call("P3", kind="pilot_base", round=str(year - 2), title=f"{year - 2}年度温州市中试基地认定",
                   guideline="认定一批市级中试基地（已截止）。", budget=Decimal("24000000.00"),
                   eligible_institution_types=all_types, required_attachment_types=center_attachments,
                   **window(year - 2, 3))
        self._call("P4", kind="poc_center", round=str(year - 2), title=f"{year - 2}年度温州市概念验证中心认定",
                   guideline="认定一批市级概念验证中心（已截止）。", budget=Decimal("15000000.00"),
                   eligible_institution_types=all_types, required_attachment_types=center_attachments,
                   **window(year - 2, 4))
        self._call("P5", kind="poc_project", round=str(year - 3), title=f"{year - 3}年度概念验证项目（重大项目）",
                   guideline="市级重大概念验证项目：立项之日起 1 年内完成成果转化（已截止）。",
                   budget=Decimal("8000000.00"), eligible_institution_types=all_types,
                   required_attachment_types=project_attachments, major_projects=True, conversion_deadline_months=12,
                   **window(year - 3, 5))
        self._call("P6", kind="pilot_project", round=str(year - 2), title=f"{year - 2}年度中试熟化项目",
                   guideline="支持已完成实验室验证的成果开展中试熟化（约 TRL 5→7，已截止）。",
                   budget=Decimal("12000000.00"), eligible_institution_types=all_types,
                   required_attachment_types=project_attachments, conversion_deadline_months=24,
                   **window(year - 2, 5))

    # ------------------------------------------------------------------ helpers
    def _applicant_of(self, inst_key):
        return self.users[next(u for u, _, _, _, k in DEMO_USERS if k == inst_key)]

    def _past(self, day, days_before=1):
        """``day``, or ``days_before`` days ago if ``day`` is not yet past (the seed may run early in a year)."""
        return min(day, self.today - timedelta(days=days_before))

    def _at(self, day):
        return datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.get_current_timezone())

    def _log(self, obj, transition, source, target, actor, comment=""):
        TransitionLog.objects.create(subject=obj, transition=transition, source=source, target=target, actor=actor,
                                     comment=f"{comment} {self.DEMO_NOTE}".strip())

    def _file(self, field, name, text):
        content = _pdf(text)
        field.save(name, ContentFile(content), save=False)
        return content

    def _decided(self, app, decided_on):
        """The approved application's dates, in its own round rather than today."""
        notice_start = decided_on - timedelta(days=30)
        Application.objects.filter(pk=app.pk).update(
            submitted_at=app.call.closes_at - timedelta(days=5), decided_at=self._at(decided_on),
            notice_starts_on=notice_start, notice_ends_on=self._notice_end(app.call, notice_start))

    # ----------------------------------------------------------------- centers
    def _designate(self, app, designated_on):
        from .projects.outcomes import _PREFIX, _next_number

        center = app.center
        self._decided(app, designated_on)
        number = _next_number(Center, "designation_number", f"{_PREFIX[app.kind]}-{designated_on.year}")
        Center.objects.filter(pk=center.pk).update(
            designated_on=designated_on, designation_number=number,
            valid_until=_add_years(designated_on, app.call.validity_years) - timedelta(days=1))
        return Center.objects.get(pk=center.pk)

    METRICS = {
        # grade → the data of a year that earns it
        "excellent": dict(projects_validated=26, results_transferred=14, companies_incubated=6,
                          follow_on_financing=Decimal("46000000.00"), contract_turnover=Decimal("18600000.00"),
                          service_revenue=Decimal("3900000.00"), user_satisfaction=Decimal("96.50")),
        "good": dict(projects_validated=17, results_transferred=8, companies_incubated=3,
                     follow_on_financing=Decimal("21000000.00"), contract_turnover=Decimal("9300000.00"),
                     service_revenue=Decimal("2100000.00"), user_satisfaction=Decimal("92.00")),
        "pass": dict(projects_validated=9, results_transferred=4, companies_incubated=1,
                     follow_on_financing=Decimal("6000000.00"), contract_turnover=Decimal("3200000.00"),
                     service_revenue=Decimal("950000.00"), user_satisfaction=Decimal("86.00")),
        "fail": dict(projects_validated=3, results_transferred=1, companies_incubated=0,
                     follow_on_financing=Decimal("0.00"), contract_turnover=Decimal("650000.00"),
                     service_revenue=Decimal("380000.00"), user_satisfaction=Decimal("71.00")),
    }

    def _evaluation(self, center, applicant, year, *, state, score=None, metrics="good"):
        """An annual evaluation filed in March and scored in April of the following year."""
        from .models import AnnualEvaluation, EvaluationEvidence

        filed_on = self._past(date(year + 1, 3, 15), 2)
        scored_on = self._past(date(year + 1, 4, 20), 1)
        fields = dict(self.METRICS[metrics], cases=(
            f"{year} 年度典型案例：承接温州理工大学“高性能鞋材发泡”成果，完成工艺验证和小批量试制，"
            "促成技术许可 1 项，合同金额 120 万元。"),
            next_year_plan=f"{year + 1} 年度计划：新增验证项目 20 项，对接科创基金子基金 3 家，完善服务收费标准。")
        evaluation = AnnualEvaluation.objects.create(center=center, data_year=year, state=state, **fields)
        self._log(evaluation, "create", "", "draft", applicant)
        evidence = EvaluationEvidence(evaluation=evaluation, title=f"{year} 年度服务收入专项审计报告",
                                      original_name=f"audit-{year}.pdf", extension="pdf",
                                      content_type="application/pdf", uploaded_by=applicant, size=0, sha256="")
        content = self._file(evidence.file, "evidence", f"{center.designation_number} {year} audit")
        evidence.size, evidence.sha256 = len(content), hashlib.sha256(content).hexdigest()
        evidence.save()
        updates = {}
        if state in ("filed", "scored"):
            updates.update(filed_at=self._at(filed_on), filed_by=applicant)
            self._log(evaluation, "file", "draft", "filed", applicant)
        if state == "scored":
            score = Decimal(score)
            updates.update(score=score, grade=AnnualEvaluation.grade_for(score, center.call),
                           scored_at=self._at(scored_on), scored_by=self.users["officer"])
            self._log(evaluation, "record_score", "filed", "scored", self.users["officer"],
                      f"{year} 年度绩效评价得分 {score}。")
        AnnualEvaluation.objects.filter(pk=evaluation.pk).update(**updates)
        return scored_on

    def _center_state(self, center, transition, source, target, actor, comment, **fields):
        Center.objects.filter(pk=center.pk).update(state=target, **fields)
        self._log(center, transition, source, target, actor, comment)

    def _center_active(self, app, applicant):
        """Active, its latest evaluation excellent, last year's data filed and waiting for the bureau's score,
        and its designation ending within 90 days (the overview highlights it)."""
        designated = _add_years(self.today, -3) + timedelta(days=45)
        center = self._designate(app, designated)
        self._evaluation(center, applicant, self.today.year - 2, state="scored", score="92.50", metrics="excellent")
        self._evaluation(center, applicant, self.today.year - 1, state="filed", metrics="good")

    def _center_revoked_twice(self, app, applicant):
        """Failed two evaluations in a row: rectifying after the first, revoked after the second."""
        officer = self.users["officer"]
        year = self.today.year
        center = self._designate(app, date(year - 3, 9, 1))
        self._evaluation(center, applicant, year - 3, state="scored", score="66.00", metrics="pass")
        first = self._evaluation(center, applicant, year - 2, state="scored", score="55.00", metrics="fail")
        self._center_state(center, "order_rectification", "active", "rectifying", officer,
                           f"{year - 2} 年度绩效评价 55.00 分，不合格。",
                           rectification_due=add_months(first, center.call.center_rectification_months))
        second = self._evaluation(center, applicant, year - 1, state="scored", score="48.00", metrics="fail")
        self._center_state(center, "revoke_after_second_failure", "rectifying", "revoked", officer,
                           f"{year - 1} 年度绩效评价 48.00 分，连续两年不合格。", revoked_on=second)

    def _center_rectifying(self, app, applicant):
        """Its latest evaluation failed: rectifying, with a rectification deadline a year after the score."""
        year = self.today.year
        center = self._designate(app, date(year - 2, 8, 1))
        self._evaluation(center, applicant, year - 2, state="scored", score="64.00", metrics="pass")
        scored = self._evaluation(center, applicant, year - 1, state="scored", score="56.50", metrics="fail")
        self._center_state(center, "order_rectification", "active", "rectifying", self.users["officer"],
                           f"{year - 1} 年度绩效评价 56.50 分，不合格。",
                           rectification_due=add_months(scored, center.call.center_rectification_months))

    def _center_expired(self, app, applicant):
        """Designated four rounds ago for three years: its validity is over (the nightly job expired it)."""
        year = self.today.year
        center = self._designate(app, date(year - 4, 11, 20))
        self._evaluation(center, applicant, year - 3, state="scored", score="78.00", metrics="good")
        self._evaluation(center, applicant, year - 2, state="scored", score="74.00", metrics="good")
        self._center_state(center, "expire", "active", "expired", None,
                           f"认定有效期已于 {center.valid_until.isoformat()} 届满。")

    def _center_revoked_fraud(self, app, applicant):
        """Revoked at once for fraud; the subsidy is to be recovered."""
        year = self.today.year
        center = self._designate(app, date(year - 2, 10, 1))
        self._evaluation(center, applicant, year - 2, state="scored", score="61.00", metrics="pass")
        self._center_state(center, "revoke_for_fraud", "active", "revoked", self.users["officer"],
                           f"经核查，{year - 2} 年度绩效评价材料中技术合同成交额存在虚报，撤销认定并追回补助资金。",
                           revoked_on=self._past(date(year, 6, 15)), subsidy_recovery=True)

    # ---------------------------------------------------------------- projects
    def _fund(self, app, approved_on):
        from .projects.outcomes import _PREFIX, _next_number

        project = app.project
        self._decided(app, approved_on)
        Project.objects.filter(pk=project.pk).update(
            approved_on=approved_on,
            project_number=_next_number(Project, "project_number", f"{_PREFIX[app.kind]}-{approved_on.year}"),
            obligation_due_on=add_months(approved_on, app.call.conversion_deadline_months))
        return Project.objects.get(pk=project.pk)

    def _sign(self, project, signed_on):
        project.agreement.name = ""
        self._file(project.agreement, "agreement.pdf", f"{project.project_number} task agreement")
        Project.objects.filter(pk=project.pk).update(
            agreement=project.agreement.name, signed_on=signed_on, state="in_progress",
            due_on=add_months(signed_on, project.duration_months))
        for milestone in project.milestones.all():
            milestone.due_on = add_months(signed_on, milestone.month)
            milestone.save(update_fields=["due_on"])
        self._log(project, "sign", "contracting", "in_progress", self.users["officer"])
        return Project.objects.get(pk=project.pk)

    def _report(self, project, applicant, *, until=None, evidence=True):
        """Report every milestone due by ``until`` (all when None), a few days before it was due."""
        for milestone in project.milestones.all():
            if until is not None and milestone.due_on > until:
                continue
            milestone.report = (f"已完成“{milestone.title}”：{milestone.deliverables}。"
                                "各项指标达到任务书要求，相关检测报告见附件。")
            milestone.reported_at = self._at(self._past(milestone.due_on - timedelta(days=5)))
            milestone.reported_by = applicant
            if evidence:
                self._file(milestone.evidence, f"{milestone.pk}.pdf", f"{project.project_number} M{milestone.month}")
                milestone.evidence_name = f"M{milestone.month} 检测报告.pdf"
            milestone.save()

    def _request_acceptance(self, project, applicant):
        Project.objects.filter(pk=project.pk).update(state="acceptance")
        self._log(project, "request_acceptance", "in_progress", "acceptance", applicant)
        return Project.objects.get(pk=project.pk)

    def _acceptance(self, project, reviewed_on, scores, *, tasks, obligation_met, opinion, requested_on,
                    false_data=False):
        """The acceptance review as ``record_acceptance`` would record it, judged by ``judge_acceptance``;
        lateness counts to the day the institution requested acceptance."""
        from .models import Acceptance, judge_acceptance

        names = Acceptance.SCORE_FIELDS
        parsed = {n: Decimal(v) for n, v in zip(names, scores, strict=True)}
        total, outcome, reasons, late = judge_acceptance(project, scores=parsed, tasks_done_percent=Decimal(tasks),
                                                         false_data=false_data, unapproved_change=False,
                                                         on=requested_on)
        return Acceptance.objects.create(
            project=project, attempt=project.acceptances.count() + 1, tasks_done_percent=Decimal(tasks),
            false_data=false_data, unapproved_change=False, obligation_met=obligation_met, opinion=opinion,
            total=total, outcome=outcome, auto_fail_reasons=reasons, days_late=late,
            reviewed_by=self.users["officer"], reviewed_on=reviewed_on, **parsed)

    def _close(self, project, transition, source, target, comment, closed_on, **fields):
        Project.objects.filter(pk=project.pk).update(state=target, closed_on=closed_on, **fields)
        self._log(project, transition, source, target, self.users["officer"], comment)

    def _project_completed(self, app, applicant):
        year = self.today.year
        project = self._fund(app, date(year - 3, 9, 10))
        project = self._sign(project, date(year - 3, 10, 20))
        self._report(project, applicant)
        project = self._request_acceptance(project, applicant)
        reviewed = project.due_on + timedelta(days=40)
        acceptance = self._acceptance(project, reviewed, ("18", "17", "8", "18", "18", "9"), tasks="100",
                                      obligation_met=True, requested_on=project.due_on,
                                      opinion="任务书规定的研究内容和技术指标全部完成，成果已通过技术许可转化，同意通过验收。")
        self._close(project, "pass_acceptance", "acceptance", "completed",
                    f"验收 1：{acceptance.total} 分，通过。", reviewed)

    def _project_failed(self, app, applicant):
        year = self.today.year
        project = self._fund(app, date(year - 3, 9, 10))
        project = self._sign(project, date(year - 3, 11, 5))
        self._report(project, applicant, evidence=False)
        project = self._request_acceptance(project, applicant)
        reviewed = project.due_on + timedelta(days=35)
        acceptance = self._acceptance(project, reviewed, ("14", "12", "5", "13", "15", "7"), tasks="70",
                                      obligation_met=False, requested_on=project.due_on,
                                      opinion="耐盐雾指标未达到任务书要求，小批量验证未完成，任务完成率不足 80%，不予通过验收。")
        self._close(project, "fail_acceptance", "acceptance", "failed",
                    f"验收 1：{acceptance.total} 分，未通过。 " + " ".join(acceptance.auto_fail_reasons), reviewed)

    def _project_terminated(self, app, applicant):
        year = self.today.year
        project = self._fund(app, date(year - 3, 9, 10))
        project = self._sign(project, date(year - 3, 11, 1))
        self._report(project, applicant, until=date(year - 2, 6, 1))
        self._close(project, "terminate", "in_progress", "terminated",
                    "企业主营业务调整，项目团队解散，经双方协商终止项目，已拨经费按规定清算。", self._past(date(year - 2, 8, 15)))

    def _project_in_progress(self, app, applicant):
        """Signed, first milestone reported, the second overdue, the third ahead; a deadline extension waits for
        the bureau; the conversion obligation falls due within 60 days."""
        from .models import ChangeRequest

        approved = add_months(self.today, -24) + timedelta(days=30)
        project = self._fund(app, approved)
        project = self._sign(project, add_months(self.today, -21))
        self._report(project, applicant, until=add_months(self.today, -12))
        team = ChangeRequest.objects.create(project=project, kind="team", requested_by=applicant,
                                            description="工艺工程师黄工调离，由李工（高级工程师）接任。")
        self._log(team, "create", "", "pending", applicant)
        ChangeRequest.objects.filter(pk=team.pk).update(state="approved", decided_by=self.users["officer"],
                                                        requested_at=self._at(add_months(self.today, -10)),
                                                        decided_at=self._at(add_months(self.today, -9)))
        self._log(team, "approve", "pending", "approved", self.users["officer"], "同意。")
        extension = ChangeRequest.objects.create(
            project=project, kind="deadline", requested_by=applicant, new_due_on=add_months(project.due_on, 4),
            description="进口中试设备到货延迟 4 个月，申请将项目完成期限相应延长。")
        self._log(extension, "create", "", "pending", applicant)
        ChangeRequest.objects.filter(pk=extension.pk).update(requested_at=self._at(self.today - timedelta(days=12)))

    def _project_acceptance(self, app, applicant):
        """Every milestone reported and acceptance requested: the officer can record the review in the browser.
        Its conversion obligation is overdue."""
        project = self._fund(app, add_months(self.today, -25))
        project = self._sign(project, add_months(self.today, -23))
        self._report(project, applicant)
        self._request_acceptance(project, applicant)

    def _project_rectifying(self, app, applicant):
        """The first acceptance scored between the thresholds: one rectification, three months."""
        project = self._fund(app, add_months(self.today, -27))
        project = self._sign(project, add_months(self.today, -26))
        self._report(project, applicant)
        project = self._request_acceptance(project, applicant)
        reviewed = self.today - timedelta(days=20)
        acceptance = self._acceptance(project, reviewed, ("15", "14", "7", "14", "15", "7"), tasks="90",
                                      obligation_met=True, requested_on=project.due_on - timedelta(days=5),
                                      opinion="主要技术指标基本达到，组件稳定性测试数据不完整，经费使用台账需补充，限期整改。")
        Project.objects.filter(pk=project.pk).update(
            state="rectifying", rectification_due=add_months(reviewed, project.call.project_rectification_months))
        self._log(project, "order_rectification", "acceptance", "rectifying", self.users["officer"],
                  f"验收 1：{acceptance.total} 分，需整改。")
