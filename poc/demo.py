"""Demo data: one login per role, five institutions, calls and applications in every state.

Idempotent: every object is found by its natural key before it is made, so running the seed twice
changes nothing. Applications in states after ``under_review`` are put there directly (the reviews
and funding decisions that lead there belong to later parts), and their audit trail says so.
"""
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    Center,
    CenterDetails,
    Discipline,
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
from .models.outcomes import create_outcome
from .validators import credit_code_check_character

User = get_user_model()

DEMO_USERS = [
    # username, password, role, name, institution key
    ("officer", "officer-demo-2026", "officer", "王科长 (bureau officer)", None),
    ("applicant", "applicant-demo-2026", "applicant", "陈老师 (温州理工大学)", "U"),
    ("applicant2", "applicant-demo-2026", "applicant", "林研究员 (温州先进制造研究院)", "R"),
    ("applicant3", "applicant-demo-2026", "applicant", "周经理 (瓯江科技孵化器)", "I"),
    ("applicant4", "applicant-demo-2026", "applicant", "郑主任 (温州新材料研发中心)", "N"),
    ("applicant5", "applicant-demo-2026", "applicant", "吴总 (温州智造科技有限公司)", "E"),
    ("expert", "expert-demo-2026", "expert", "刘教授 (expert)", None),
    ("fund", "fund-demo-2026", "fund_manager", "赵总 (fund manager, 科创基金)", None),
    ("applicant6", "applicant-demo-2026", "applicant", "潘博士 (鹿城量子传感实验室, not verified yet)", "F"),
    ("admin", "admin-demo-2026", None, "Administrator", None),
]


def _code(seed: str) -> str:
    return seed + credit_code_check_character(seed)


INSTITUTIONS = {
    "U": dict(name="温州理工大学", credit_code=_code("12330300MB0000011"), type="university", district="鹿城区",
              address="温州市鹿城区学院中路 276 号"),
    "R": dict(name="温州先进制造研究院", credit_code=_code("12330300MB0000022"), type="research_institute",
              district="瓯海区", address="温州市瓯海区东方南路 38 号"),
    "I": dict(name="瓯江科技孵化器", credit_code=_code("91330300MA0000033"), type="incubator", district="龙湾区",
              address="温州市龙湾区永中街道科创园 9 幢"),
    "N": dict(name="温州新材料研发中心", credit_code=_code("52330300MJ0000044"), type="new_rd_institution",
              district="洞头区", address="温州市洞头区海港路 18 号"),
    "E": dict(name="温州智造科技有限公司", credit_code=_code("91330300MA0000055"), type="enterprise",
              district="乐清市", address="乐清市柳市镇智造大道 66 号"),
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
        self.make_calls()
        self.make_applications()
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
        self._call(
            "C3", kind="poc_center", round=str(year - 1), title=f"{year - 1}年度温州市概念验证中心认定",
            guideline="上一年度的概念验证中心认定批次（已截止）。",
            opens_at=datetime(year - 1, 3, 1, 9, 0, tzinfo=tz), closes_at=datetime(year - 1, 4, 30, 17, 0, tzinfo=tz),
            budget=Decimal("15000000.00"), eligible_institution_types=all_types,
            required_attachment_types=center_attachments,
        )
        self._call(
            "C4", kind="poc_project", round=str(year - 1), title=f"{year - 1}年度概念验证项目",
            guideline="上一年度的概念验证项目批次（已截止）。",
            opens_at=datetime(year - 1, 5, 1, 9, 0, tzinfo=tz), closes_at=datetime(year - 1, 6, 30, 17, 0, tzinfo=tz),
            budget=Decimal("8000000.00"), eligible_institution_types=all_types,
            required_attachment_types=project_attachments,
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
    ]

    PATHS = {
        "draft": [],
        "submitted": ["submit"],
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
        permissions.grant_institution_access(app)
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
                import hashlib

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
            "withdraw": "withdrawn",
        }
        for step in self.PATHS[state]:
            actor = applicant if step in ("submit", "withdraw") else officer
            comment = self.COMMENTS.get(step, "")
            if step in ("close_review", "propose", "approve", "record_objection", "to_cultivation_pool"):
                comment = (comment + " " if comment else "") + "[demo data: state seeded directly]"
            TransitionLog.objects.create(subject=app, transition=step, source=source, target=targets[step],
                                         actor=actor, comment=comment)
            source = targets[step]
        updates = {}
        if state != "draft":
            updates["submitted_at"] = self.now - timedelta(days=5)
        if state == "returned":
            updates["revision_due"] = self.today + timedelta(days=app.call.revision_days)
        if state in ("public_notice", "objection", "approved"):
            # The 2025 notices: one has ended (ready to approve), one is running with an objection.
            end = self.today - timedelta(days=1) if state != "objection" else self.today + timedelta(days=4)
            updates["notice_starts_on"] = end - timedelta(days=app.call.notice_days - 1)
            updates["notice_ends_on"] = end
        if state in ("approved", "cultivation", "rejected", "withdrawn"):
            updates["decided_at"] = self.now
        Application.objects.filter(pk=app.pk).update(state=state, **updates)
        app = Application.objects.get(pk=app.pk)
        if state == "objection":
            Objection.objects.create(application=app, objector="匿名举报人（已实名登记）", signed=True,
                                     received_on=self.today, content=self.COMMENTS["record_objection"],
                                     recorded_by=officer)
        if state == "approved":
            outcome = create_outcome(app)
            if isinstance(outcome, Center):
                Center.objects.filter(pk=outcome.pk).update(designated_on=self.today - timedelta(days=200))
            elif isinstance(outcome, Project):
                Project.objects.filter(pk=outcome.pk).update(approved_on=self.today - timedelta(days=150))
        return app
