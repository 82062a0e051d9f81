"""Demo data of the funding app (seed_demo, after poc's and review's): the city's 科创基金 and a sub-fund, and one
project per instrument with its ledgers.

Receiver of ``poc.signals.demo_seeded`` (connected in FundingConfig.ready). Idempotent: funds are found by name,
the extra applications by call, institution and title, and each scenario is skipped when its application already
has a funding decision, so a second run adds nothing.

Scenarios (the fund manager is the demo user ``fund``, manager of the sub-fund):

- grant only (拨): 温州理工大学, a project with grant tranches paid, released and planned, and a registered 产学研
  technology contract with ¥2,300,000.00 received of which ¥2,100,000.00 verified by the bureau (flagged for the
  municipal major-project series; one payment still awaits verification);
- equity only (投): 温州智造科技有限公司, an investment, a Series A that dilutes it, a partial secondary exit and a
  valuation mark; no report for the last finished quarter, so it shows as overdue on the fund manager's home;
- 投拨结合 (grant + equity): poc's approved 2025-PP-9013, with an investment, tranches in each state, a quarterly
  report, a material event, a risk in warning and an insurance policy;
- convertible grant (先投后股) converted at a qualifying Pre-A round (at the valuation cap);
- convertible grant waiting on a cap: its qualifying round would take the sub-fund to 21.7391 % of the
  investee where its cap is 20 %; the fund manager may convert ¥1,800,000.00 up to the cap (¥200,000.00 closes as
  a grant) or ask the bureau for a waiver;
- convertible grant lapsed (结项免责): no qualifying round by its deadline; its project's transfer obligation is
  overdue, and its acceptance, well scored, fails automatically on that overdue obligation;
- a proposal awaiting both approvals on the reviewed 2025-PP-9016, for a walk-through of the dual approval.

The extra project applications are created with poc's models directly, their audit rows marked [demo data]. The
decisions themselves go through funding.services (caps, derived stakes, row locks, audit rows). Approval times on
the decisions are then dated back to the projects' approval (the audit rows keep the seeding time).
"""
import hashlib
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from poc.demo import demo_notice_end
from poc.models import (
    Application,
    Attachment,
    BudgetLine,
    Call,
    Discipline,
    IPItem,
    PlannedMilestone,
    Project,
    ProjectDetails,
    TeamMember,
    TransitionLog,
)
from poc.projects import services as project_services
from poc.projects.outcomes import create_outcome
from poc.roles import SYSTEM
from poc.validators import credit_code_check_character

from . import contracts, monitoring_services, services
from .models import Fund, FundingDecision, Instrument, PartyKind, Tranche
from .selectors import last_finished_quarter

DEMO = "（演示数据）"
CITY_FUND = "温州市科创基金"
SUB_FUND = "温州市概念验证天使子基金"
GRANT_PROGRAMME = "温州市概念验证项目专项资金"

# key, institution key, title, disciplines, requested grant, requested investment
EXTRA_APPLICATIONS = [
    ("grant", "U", "高导热氮化硼复合散热材料概念验证", ["ENG.MAT", "ENG.ELEC"], "500000.00", "0"),
    ("equity", "E", "伺服驱动一体化关节模组中试验证", ["ENG.MECH", "ENG.AUTO"], "0", "3000000.00"),
    ("converted", "I", "可降解发泡鞋底材料中试验证", ["CONS.SHOES", "ENG.MAT"], "800000.00", "0"),
    ("lapsed", "N", "海洋防污涂层概念验证", ["ENG.MAT", "ENG.CHEM"], "600000.00", "0"),
    ("cap_wait", "R", "精密减速器柔轮热处理工艺中试验证", ["ENG.MECH", "ENG.MAT"], "2000000.00", "0"),
]
EXTRA_NUMBERS = {"grant": 9101, "equity": 9102, "converted": 9103, "lapsed": 9104, "cap_wait": 9105}
APPLICANT_OF = {"U": "applicant", "R": "applicant2", "I": "applicant3", "N": "applicant4", "E": "applicant5"}


def _code(seed: str) -> str:
    return seed + credit_code_check_character(seed)


def _pdf(title: str) -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


class FundingDemo:
    def __init__(self, seeder):
        self.seeder = seeder
        self.today = seeder.today
        self.now = seeder.now
        self.officer = seeder.users["officer"]
        self.manager = seeder.users["fund"]
        self.users = seeder.users
        self.institutions = seeder.institutions

    # ------------------------------------------------------------------ funds
    def funds(self):
        city = Fund.objects.filter(name=CITY_FUND).first() or services.create_fund(
            self.officer, name=CITY_FUND, manager_organisation="温州市科技创新投资有限公司",
            size=Decimal("10000000000.00"), cap_per_project=Decimal("50000000.00"), cap_stake=Decimal("30"))
        sub = Fund.objects.filter(name=SUB_FUND).first() or services.create_fund(
            self.officer, name=SUB_FUND, parent=city, manager_organisation="温州概念验证天使投资管理有限公司",
            size=Decimal("500000000.00"), cap_per_project=Decimal("50000000.00"),
            cap_share_per_project=Decimal("10"), cap_stake=Decimal("20"))
        services.add_fund_manager(self.officer, sub, self.manager)
        self.city, self.sub = city, sub

    # ----------------------------------------------------------- applications
    def extra_call(self) -> Call:
        """A closed 2025 call of project applications for the extra demo projects (one per institution)."""
        year = self.today.year - 1
        title = f"{year}年度概念验证项目（投拨结合专项）"
        call = Call.objects.filter(title=title).first()
        if call is None:
            tz = timezone.get_current_timezone()
            call = Call.objects.create(
                created_by=self.officer, published=True, kind="poc_project", round=str(year), title=title,
                guideline="面向已完成实验室验证的科技成果，以“拨款 + 股权投资”（投拨结合）或“先投后股”方式支持概念验证与中试。",
                opens_at=datetime(year, 7, 1, 9, 0, tzinfo=tz), closes_at=datetime(year, 8, 31, 17, 0, tzinfo=tz),
                budget=Decimal("6000000.00"),
                eligible_institution_types=["university", "research_institute", "new_rd_institution", "incubator",
                                            "enterprise"],
                required_attachment_types=["application_form", "integrity_pledge", "ip_evidence"],
            )
        return call

    def application(self, call, key, inst_key, title, codes, grant, investment) -> Application:
        inst = self.institutions[inst_key]
        found = Application.objects.filter(call=call, institution=inst, title=title).first()
        if found is not None:
            return found
        applicant = self.users[APPLICANT_OF[inst_key]]
        app = Application.objects.create(
            call=call, institution=inst, kind=call.kind, title=title, created_by=applicant,
            number=f"{call.round}-PP-{EXTRA_NUMBERS[key]}",
            summary=f"{inst.name}围绕“{title}”开展工艺放大、样机验证与市场验证，推动成果在温州落地转化。",
            keywords="概念验证, 投拨结合, 成果转化",
        )
        app.disciplines.add(*Discipline.objects.filter(code__in=codes))
        ProjectDetails.objects.create(
            application=app, trl_now=4, trl_target=6, duration_months=18, requested_grant=Decimal(grant),
            requested_investment=Decimal(investment), self_funded=Decimal("300000.00"),
            market_analysis="目标市场年规模约 50 亿元，国产替代需求明确，已与两家本地龙头企业签订试用意向。",
        )
        IPItem.objects.create(application=app, number=f"ZL2024{EXTRA_NUMBERS[key]}1234.5", title=f"{title}的关键工艺",
                              ip_type="invention_patent", owner=inst.name, status="granted")
        TeamMember.objects.create(application=app, name="项目负责人", role="项目负责人", title="教授级高工",
                                  organisation=inst.name, is_lead=True)
        BudgetLine.objects.create(application=app, category="设备费", source="grant" if Decimal(grant) else "investment",
                                  amount=Decimal(grant) or Decimal(investment))
        BudgetLine.objects.create(application=app, category="人员费", source="self", amount=Decimal("300000.00"))
        PlannedMilestone.objects.create(application=app, month=6, title="完成工艺验证与样机",
                                        deliverables="样机 5 套，工艺验证报告")
        PlannedMilestone.objects.create(application=app, month=15, title="完成小批量试产",
                                        deliverables="小批量 500 件，第三方检测报告")
        for code in call.required_attachment_types:
            content = _pdf(f"{app.number} {code}")
            att = Attachment(application=app, attachment_type=code, original_name=f"{code}.pdf", extension="pdf",
                             content_type="application/pdf", uploaded_by=applicant, size=len(content),
                             sha256=hashlib.sha256(content).hexdigest())
            att.file.save("demo", ContentFile(content), save=False)
            att.save()
        submitted = min(self.now - timedelta(days=400), call.closes_at - timedelta(days=5))  # before the deadline
        Application.objects.filter(pk=app.pk).update(
            integrity_pledged_at=submitted, integrity_pledged_by=applicant, ip_pledged_at=submitted,
            ip_pledged_by=applicant, submitted_at=submitted,
        )
        TransitionLog.objects.create(subject=app, transition="create", source="", target="draft", actor=applicant,
                                     comment=DEMO)
        source = "draft"
        for step, target in (("submit", "submitted"), ("accept_for_review", "under_review"),
                             ("close_review", "reviewed")):
            TransitionLog.objects.create(subject=app, transition=step, source=source, target=target,
                                         actor=applicant if step == "submit" else self.officer,
                                         comment="（演示数据：状态直接写入）")
            source = target
        Application.objects.filter(pk=app.pk).update(state="reviewed")
        return Application.objects.get(pk=app.pk)

    def approve_application(self, app, approved_days_ago=150) -> Project:
        """Take a reviewed application (with its approved decision) through notice to approval, as seeded data."""
        source = "reviewed"
        for step, target in (("propose", "public_notice"), ("approve", "approved")):
            TransitionLog.objects.create(subject=app, transition=step, source=source, target=target,
                                         actor=self.officer, comment="（演示数据：状态直接写入）")
            source = target
        approved_on = self.today - timedelta(days=approved_days_ago)
        notice_start = approved_on - timedelta(days=30)
        Application.objects.filter(pk=app.pk).update(
            state="approved", notice_starts_on=notice_start, notice_ends_on=demo_notice_end(app.call, notice_start),
            decided_at=self.now)
        app = Application.objects.get(pk=app.pk)
        project = getattr(app, "project", None) or create_outcome(app)
        Project.objects.filter(pk=project.pk).update(approved_on=approved_on)
        return Project.objects.get(pk=project.pk)

    def sign(self, project, signed_days_ago=130, reported=()):
        """The task agreement signed (in progress), milestones dated, and the given months reported."""
        if project.state != "contracting":
            return project
        from poc.centers.models import add_months

        signed_on = self.today - timedelta(days=signed_days_ago)
        Project.objects.filter(pk=project.pk).update(state="in_progress", signed_on=signed_on,
                                                     due_on=add_months(signed_on, project.duration_months))
        TransitionLog.objects.create(subject=project, transition="sign", source="contracting", target="in_progress",
                                     actor=self.officer, comment="（演示数据：状态直接写入）")
        for milestone in project.milestones.all():
            milestone.due_on = add_months(signed_on, milestone.month)
            if milestone.month in reported:
                milestone.report = "样机 5 套已完成试制，工艺验证报告已提交（演示数据）。"
                milestone.reported_at = self.now - timedelta(days=10)
                milestone.reported_by = self.users[APPLICANT_OF[self._key_of(project.institution)]]
            milestone.save()
        return Project.objects.get(pk=project.pk)

    def _key_of(self, institution):
        return next(k for k, i in self.institutions.items() if i.pk == institution.pk)

    # ---------------------------------------------------------------- helpers
    def propose(self, app, **fields) -> FundingDecision:
        """Propose through the service, which wants the application “reviewed”: an approved application is put
        back there for the moment of the proposal (inside the seeding transaction; its audit trail is not touched)."""
        state = app.state
        if state != "reviewed":
            Application.objects.filter(pk=app.pk).update(state="reviewed")
            app = Application.objects.get(pk=app.pk)
        decision = services.propose_decision(self.officer, app, **fields)
        if state != "reviewed":
            Application.objects.filter(pk=app.pk).update(state=state)
        return decision

    def approve(self, decision, days_ago=160) -> FundingDecision:
        if decision.has_grant_part:
            decision = services.approve_grant(self.officer, decision, "经局务会审定，同意拨付。")
        if decision.has_equity_part:
            decision = services.approve_equity(self.manager, decision, "经投资决策委员会审议通过。")
        at = self.now - timedelta(days=days_ago)
        FundingDecision.objects.filter(pk=decision.pk).update(
            proposed_at=at - timedelta(days=7),
            grant_approved_at=at if decision.has_grant_part else None,
            equity_approved_at=at if decision.has_equity_part else None)
        return FundingDecision.objects.get(pk=decision.pk)

    def tranche(self, decision, part, amount, *, state="planned", release_on=None, milestone=None, paid_on=None,
                reference=""):
        actor = self.officer if part == "grant" else self.manager
        tranche = services.plan_tranche(actor, decision, part=part, amount=Decimal(amount), milestone=milestone,
                                        release_on=release_on)
        if state in ("released", "paid"):
            tranche = services.release_tranche(actor, tranche)
        if state == "paid":
            tranche = services.pay_tranche(actor, tranche, payment_reference=reference,
                                           paid_on=paid_on or self.today)
            # Released on its date (the seeding moment stays in the audit trail).
            released = timezone.make_aware(datetime.combine(release_on or paid_on, datetime.min.time()).replace(
                hour=10))
            Tranche.objects.filter(pk=tranche.pk).update(released_at=released)
        return tranche

    def days(self, n):
        return self.today - timedelta(days=n)

    # -------------------------------------------------------------- scenarios
    def grant_only(self, app):
        decision = self.approve(self.propose(
            app, instrument=Instrument.GRANT, grant_amount=Decimal("500000.00"), grant_programme=GRANT_PROGRAMME,
            rationale="专家评审综合得分第一；成果已完成实验室验证，适合以无偿资助支持中试。"))
        project = self.sign(self.approve_application(app), reported=(6,))
        m6 = project.milestones.get(month=6)
        m15 = project.milestones.get(month=15)
        self.tranche(decision, "grant", "200000.00", state="paid", release_on=self.days(125), paid_on=self.days(118),
                     reference="WZKJ-2026-0311")
        self.tranche(decision, "grant", "150000.00", state="released", milestone=m6)
        self.tranche(decision, "grant", "150000.00", milestone=m15)
        applicant = self.users["applicant"]
        contract = contracts.register_contract(
            applicant, project, registration_number="3303022026000123", parties="温州理工大学 / 浙江瓯越散热科技有限公司",
            seller_kind=PartyKind.UNIVERSITY, buyer_kind=PartyKind.ENTERPRISE,
            contract_amount=Decimal("2600000.00"), registered_on=self.days(90))
        first = contracts.record_contract_payment(applicant, contract, amount=Decimal("1500000.00"),
                                                  received_on=self.days(80))
        second = contracts.record_contract_payment(applicant, contract, amount=Decimal("600000.00"),
                                                   received_on=self.days(40))
        contracts.record_contract_payment(applicant, contract, amount=Decimal("200000.00"), received_on=self.days(3))
        # Verified by the bureau: ¥2,100,000.00 of the ¥2,300,000.00 received; the second verification crosses
        # the threshold and flags the project for the municipal major-project series (the officers hear of it).
        contracts.verify_payment(self.officer, first, "到账凭证与银行流水一致。")
        contracts.verify_payment(self.officer, second, "到账凭证与银行流水一致。")

    def equity_only(self, app):
        decision = self.approve(self.propose(
            app, instrument=Instrument.EQUITY, equity_amount=Decimal("3000000.00"), fund=self.sub,
            pre_money_valuation=Decimal("17000000.00"),
            rationale="企业已有稳定订单，估值合理；子基金以股权投资方式支持中试线建设。"), days_ago=410)
        project = self.sign(self.approve_application(app, approved_days_ago=400), signed_days_ago=395)
        investment = services.record_investment(
            self.manager, decision, investee_name="温州智造科技有限公司",
            investee_credit_code=self.institutions["E"].credit_code, amount=Decimal("3000000.00"),
            pre_money_valuation=Decimal("17000000.00"), invested_on=self.days(390), stake="15.0000")
        self.tranche(decision, "equity", "1500000.00", state="paid", release_on=self.days(390),
                     paid_on=self.days(388), reference="ZJJ-2025-0088")
        self.tranche(decision, "equity", "1500000.00", release_on=self.today + timedelta(days=60))
        services.record_round(self.manager, decision, round_name="A 轮", closed_on=self.days(120),
                              pre_money_valuation=Decimal("30000000.00"), amount_raised=Decimal("10000000.00"),
                              lead_investor="浙江瓯江产业投资基金")
        services.record_exit(self.manager, investment, kind="secondary", exited_on=self.days(110),
                             proceeds=Decimal("800000.00"), stake_sold=Decimal("2.0000"))
        services.mark_value(self.manager, investment, marked_on=self.days(30), value=Decimal("3700000.00"),
                            note="按 A 轮投后估值 4,000 万元 × 剩余持股 9.25%")
        applicant = self.users["applicant5"]
        # Between two enterprises: registered, but not a 产学研 contract, so its receipts never count toward the series.
        contract = contracts.register_contract(
            applicant, project, registration_number="3303822026000456", parties="温州智造科技有限公司 / 乐清某电气有限公司",
            seller_kind=PartyKind.ENTERPRISE, buyer_kind=PartyKind.ENTERPRISE,
            contract_amount=Decimal("1200000.00"), registered_on=self.days(60))
        paid = contracts.record_contract_payment(applicant, contract, amount=Decimal("800000.00"),
                                                 received_on=self.days(45))
        contracts.verify_payment(self.officer, paid)

    def grant_and_equity(self, app):
        decision = self.approve(self.propose(
            app, instrument=Instrument.GRANT_EQUITY, grant_amount=Decimal("500000.00"),
            grant_programme=GRANT_PROGRAMME, equity_amount=Decimal("1000000.00"), fund=self.sub,
            pre_money_valuation=Decimal("9000000.00"),
            rationale="投拨结合：财政资金支持数字孪生平台验证，子基金投资成果转化公司。"))
        investment = services.record_investment(
            self.manager, decision, investee_name="温州先进制造数字孪生科技有限公司",
            investee_credit_code=_code("91330304MA0000771"), amount=Decimal("1000000.00"),
            pre_money_valuation=Decimal("9000000.00"), invested_on=self.days(135))
        self.tranche(decision, "grant", "500000.00", state="paid", release_on=self.days(130), paid_on=self.days(126),
                     reference="WZKJ-2026-0297")
        self.tranche(decision, "equity", "600000.00", state="paid", release_on=self.days(135), paid_on=self.days(133),
                     reference="ZJJ-2026-0071")
        self.tranche(decision, "equity", "250000.00", state="released", release_on=self.days(5))
        self.tranche(decision, "equity", "150000.00", release_on=self.today + timedelta(days=90))
        services.mark_value(self.manager, investment, marked_on=self.days(25), value=Decimal("1150000.00"),
                            note="参考同类企业近期融资估值")
        applicant = self.users["applicant2"]
        year, quarter, _end = last_finished_quarter(self.today)
        monitoring_services.file_quarterly_report(
            applicant, decision, year=year, quarter=quarter, revenue=Decimal("1280000.00"),
            rd_spend=Decimal("460000.00"), headcount=23, follow_on_financing=Decimal("0"),
            milestone_progress="数字孪生测试平台一期上线，完成 3 家企业试用。", risks="核心算法工程师 1 名离职。")
        monitoring_services.report_material_event(
            applicant, decision, occurred_on=self.days(50), summary="核心算法工程师离职",
            details="负责仿真内核的工程师离职，已启动招聘，短期由合作高校团队支持。")
        risk = monitoring_services.identify_risk(self.manager, decision, title="核心技术人员流失",
                                      description="仿真内核依赖 1–2 名关键工程师。")
        monitoring_services.assess_risk(self.manager, risk, likelihood=3, impact=4, comment="季度投后风险评估。")
        monitoring_services.warn_risk(self.manager, risk, "已有 1 名核心工程师离职，要求企业 30 日内提交人才补充计划。")
        monitoring_services.add_insurance(self.officer, decision, insurer="中国人民财产保险股份有限公司温州市分公司",
                               product="研发费用损失保险", premium=Decimal("12000.00"), subsidy=Decimal("6000.00"),
                               starts_on=self.days(120), ends_on=self.days(120) + timedelta(days=364))

    def converted(self, app):
        decision = self.approve(self.propose(
            app, instrument=Instrument.CONVERTIBLE, grant_amount=Decimal("800000.00"), grant_programme=GRANT_PROGRAMME,
            fund=self.sub, qualifying_round_minimum=Decimal("5000000.00"), conversion_discount=Decimal("20"),
            valuation_cap=Decimal("30000000.00"), conversion_deadline=self.today + timedelta(days=215),
            exit_method="buyback", buyback_rate=Decimal("6"),
            rationale="先投后股：先以拨款支持中试，企业首轮合格融资时按约定转股，子基金代持。"))
        self.sign(self.approve_application(app))
        self.tranche(decision, "grant", "800000.00", state="paid", release_on=self.days(140), paid_on=self.days(137),
                     reference="WZKJ-2026-0305")
        services.record_round(self.manager, decision, round_name="Pre-A 轮", closed_on=self.days(20),
                              pre_money_valuation=Decimal("40000000.00"), amount_raised=Decimal("8000000.00"),
                              lead_investor="温州瓯江创业投资有限公司")
        holding = decision.investments.get(is_conversion=True)
        # Pre-money convention (funding.finance): the cap's price 3,000 万 / S; the grant's S/37.5 beside the new
        # money's S/5: 1/46 = 2.1739 % after the round; at the round's price the post-money is 4,000 万 × 92/75.
        services.mark_value(self.manager, holding, marked_on=self.days(15), value=Decimal("1066666.67"),
                            note="按 Pre-A 轮每股价格：投后估值 4,906.67 万元（含转股）× 持股 2.1739%")

    def cap_wait(self, app):
        decision = self.approve(self.propose(
            app, instrument=Instrument.CONVERTIBLE, grant_amount=Decimal("2000000.00"), grant_programme=GRANT_PROGRAMME,
            fund=self.sub, qualifying_round_minimum=Decimal("3000000.00"), conversion_discount=Decimal("20"),
            conversion_deadline=self.today + timedelta(days=300), exit_method="buyback", buyback_rate=Decimal("6"),
            rationale="先投后股：中试拨款，企业首轮合格融资时按八折转股，子基金代持。"))
        self.sign(self.approve_application(app))
        self.tranche(decision, "grant", "2000000.00", state="paid", release_on=self.days(120), paid_on=self.days(118),
                     reference="WZKJ-2026-0418")
        # Pre-money convention: P = 600 万 / S; the grant buys 200 万 / 0.8P = S × 5/12, the new money S/2:
        # (5/12) / (1 + 1/2 + 5/12) = 5/23 = 21.7391 % > the sub-fund's 20 % cap, so the conversion waits.
        # Up to the cap: g ≤ 0.2 × 900 万 / (1.25 × 0.8) = ¥1,800,000.00 (exactly 20 %); ¥200,000.00 closes as a grant.
        services.record_round(self.manager, decision, round_name="天使轮", closed_on=self.days(10),
                              pre_money_valuation=Decimal("6000000.00"), amount_raised=Decimal("3000000.00"),
                              lead_investor="温州瓯越天使投资合伙企业（有限合伙）")

    def lapsed(self, app):
        decision = self.approve(self.propose(
            app, instrument=Instrument.CONVERTIBLE, grant_amount=Decimal("600000.00"), grant_programme=GRANT_PROGRAMME,
            fund=self.sub, qualifying_round_minimum=Decimal("3000000.00"),
            conversion_deadline=self.today - timedelta(days=10), exit_method="buyback", buyback_rate=Decimal("5"),
            rationale="先投后股：约定一年内完成首轮合格融资；未完成则结项免责。"), days_ago=380)
        project = self.approve_application(app, approved_days_ago=370)
        project = self.sign(project, signed_days_ago=355,
                            reported=tuple(project.milestones.values_list("month", flat=True)))
        # Its transfer obligation fell due last month with no technology contract: overdue.
        Project.objects.filter(pk=project.pk).update(obligation_due_on=self.days(5))
        self.tranche(decision, "grant", "600000.00", state="paid", release_on=self.days(350), paid_on=self.days(345),
                     reference="WZKJ-2025-0412")
        services.lapse_conversions(SYSTEM, today=self.today)
        # Acceptance, well scored, fails on the overdue conversion obligation (no extension was asked for).
        project_services.request_acceptance(self.users[APPLICANT_OF["N"]], project)
        project_services.record_acceptance(
            self.officer, project, tasks_done_percent=Decimal("95"), opinion="研究任务基本完成，技术指标达到任务书要求。",
            scores={"content_score": 18, "technical_score": 18, "economic_score": 8, "deliverables_score": 18,
                    "funds_score": 18, "other_score": 8})

    def awaiting_approval(self, app):
        services.propose_decision(
            self.officer, app, instrument=Instrument.GRANT_EQUITY, grant_amount=Decimal("500000.00"),
            grant_programme=GRANT_PROGRAMME, equity_amount=Decimal("1000000.00"), fund=self.sub,
            pre_money_valuation=Decimal("8000000.00"),
            rationale="石墨烯导热膜已完成实验室验证，建议投拨结合：拨款 50 万元用于中试，子基金投资 100 万元。")

    # -------------------------------------------------------------------- run
    def run(self):
        self.funds()
        call = self.extra_call()
        scenarios = {"grant": self.grant_only, "equity": self.equity_only, "converted": self.converted,
                     "lapsed": self.lapsed, "cap_wait": self.cap_wait}
        for key, inst_key, title, codes, grant, investment in EXTRA_APPLICATIONS:
            app = self.application(call, key, inst_key, title, codes, grant, investment)
            if not FundingDecision.objects.filter(application=app).exists():
                scenarios[key](app)
        year = self.today.year - 1
        existing = Application.objects.filter(number=f"{year}-PP-9013", state="approved").first()
        if existing is not None and not FundingDecision.objects.filter(application=existing).exists():
            self.grant_and_equity(existing)
        proposed = Application.objects.filter(number=f"{year}-PP-9016", state="reviewed").first()
        if proposed is not None and not FundingDecision.objects.filter(application=proposed).exists():
            self.awaiting_approval(proposed)
        # The sub-fund's entry rules for 先投后股, set by its manager (audited): a company at most 5 years old whose
        # paid-in capital is at least 20 % of its registered capital. Decisions already approved are not judged again.
        services.set_entry_rules(self.manager, self.sub, entry_max_company_age_years=5,
                                 entry_min_paid_in_percent=Decimal("20"))


def seed(sender, seeder, **kwargs):
    FundingDemo(seeder).run()

