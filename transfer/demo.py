"""Demo data of the transfer app (seed_demo, after poc's, review's and funding's): the results library and the
四个一批 pipeline with something in every stage.

Receiver of ``poc.signals.demo_seeded`` (connected in TransferConfig.ready). Idempotent: it does nothing when the
first demo result already exists. Everything goes through :mod:`transfer.services`, so the audit trail (and so the
yearly board) is what real use would have written.

- a verified enterprise, 温州瓯越电气有限公司, and its login ``enterprise`` (role ``enterprise``);
- results of 温州理工大学, 温州先进制造研究院 and 温州新材料研发中心: collected (one of them a dormant patent), road-showed, in
  validation (a pre-filled PoC project application in the open call), landed on a registered technology contract,
  landed by a converted 先用后转 licence, on a 先用后转 trial ending in three weeks, and shelved with a reason;
- two roadshows: one held last month (with registrations and feedback scores), one planned next month;
- published demands with matches, one awaiting publication and a draft; a mutual interest with its conversation.
"""
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from poc.models import Call, Center, Institution, InstitutionType, Membership
from poc.roles import ENTERPRISE
from poc.validators import credit_code_check_character

from .models import Result
from .services import demands, interests, licences, results, roadshows

User = get_user_model()
PASSWORD = "enterprise-demo-2026"
CODE17 = "91330300MA0000077"

RESULTS = [
    # key, owner, title, type, number, status, granted years ago, disciplines, keywords, trl, modes, published
    ("battery", "applicant", "一种钠离子电池正极材料及其制备方法", "invention_patent", "ZL202210012345.6", "granted", 1,
     ["ENG.MAT", "ENG.ELEC"], "钠离子电池, 正极材料, 储能", 4, ["licence", "assignment", "use_first"], True),
    ("membrane", "applicant", "一种海水淡化复合膜的制备方法", "invention_patent", "ZL201810054321.0", "granted", 6,
     ["ENG.MAT"], "海水淡化, 复合膜, 膜材料", 5, ["assignment", "licence"], True),
    ("shoes", "applicant2", "基于机器视觉的鞋类表面缺陷检测系统", "software", "2023SR0456789", "granted", 2,
     ["ICT.AI", "CONS.SHOES"], "机器视觉, 缺陷检测, 鞋类", 5, ["licence", "equity"], True),
    ("breaker", "applicant4", "低压电器智能脱扣装置", "utility_model", "ZL202320112233.4", "granted", 1,
     ["ENG.ELEC"], "低压电器, 智能脱扣, 断路器", 4, ["licence", "use_first"], True),
    ("valve", "applicant", "泵阀密封件耐磨涂层技术", "invention_patent", "ZL201910098765.2", "granted", 5,
     ["ENG.MAT", "ENG.PUMP"], "泵阀, 密封件, 耐磨涂层", 6, ["assignment"], True),
    ("cutting", "applicant", "服装智能裁剪排样算法", "software", "2022SR0123456", "granted", 3,
     ["ICT.SW", "CONS.SHOES"], "服装, 智能裁剪, 排样算法", 6, ["use_first", "licence"], True),
    ("lens", "applicant", "眼视光镜片抗蓝光镀膜工艺", "know_how", "", "pending", None,
     ["ENG.MAT"], "眼视光, 镜片, 镀膜", 5, ["use_first"], True),
    ("herb", "applicant2", "一种传统中药有效成分提取工艺", "invention_patent", "ZL201710066666.1", "lapsed", 7,
     ["LIFE.PHARMA"], "中药, 提取工艺", 3, ["assignment"], False),
]

DEMANDS = [
    ("储能电池正极材料的量产工艺", "需要把实验室级钠离子电池正极材料放大到吨级，控制批次一致性。", ["ENG.MAT", "ENG.ELEC"],
     "钠离子电池, 正极材料, 量产", Decimal("500000"), Decimal("2000000"), "public", "published"),
    ("断路器智能化升级", "现有塑壳断路器需要增加智能脱扣与远程监测功能。", ["ENG.ELEC"], "断路器, 智能脱扣, 物联网",
     Decimal("300000"), Decimal("800000"), "public", "published"),
    ("鞋面缺陷自动检测", "生产线需要识别鞋面划痕和色差，替代人工抽检。", ["ICT.SW", "CONS.SHOES"], "机器视觉, 缺陷检测",
     Decimal("200000"), Decimal("600000"), "platform", "published"),
    ("电气柜散热材料", "寻找高导热绝缘材料用于电气柜散热。", ["ENG.MAT", "ENG.ELEC"], "导热, 绝缘材料",
     Decimal("100000"), Decimal("400000"), "public", "submitted"),
    ("生产排程优化", "多品种小批量的排程优化。", ["ICT.SW", "CONS.SHOES"], "排程, 优化", None, None, "platform", "draft"),
]


def _enterprise(seeder):
    code = CODE17 + credit_code_check_character(CODE17)
    institution = Institution.objects.filter(credit_code=code).first()
    if institution is None:
        group, _created = Group.objects.get_or_create(name=Institution.group_name_for(code))
        institution = Institution.objects.create(
            name="温州瓯越电气有限公司", credit_code=code, type=InstitutionType.ENTERPRISE, district="乐清市",
            address="乐清市北白象镇电气大道 8 号", contact_name="黄总", contact_phone="0577-88880077",
            contact_email="contact-ouyue@example.org", group=group, verified=True, verified_at=seeder.now,
            verified_by=seeder.users["officer"])
    user = User.objects.filter(username="enterprise").first()
    if user is None:
        user = User(username="enterprise", email="enterprise@example.org", first_name="黄总 (温州瓯越电气有限公司)")
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=ENTERPRISE), institution.group)
        Membership.objects.get_or_create(user=user, institution=institution, defaults={
            "status": Membership.Status.ACTIVE, "is_admin": True, "decided_at": seeder.now})
    seeder.users["enterprise"] = user
    return institution, user


def seed(sender=None, seeder=None, **kwargs):
    if seeder is None or Result.objects.filter(title=RESULTS[0][2]).exists():
        return
    enterprise, ent_user = _enterprise(seeder)
    officer, today = seeder.users["officer"], seeder.today
    made = {}
    for key, owner, title, kind, number, status, years, codes, keywords, trl, modes, published in RESULTS:
        granted = today.replace(year=today.year - years) if years else None
        made[key] = results.create_result(
            seeder.users[owner], title=title, result_type=kind, registration_number=number, legal_status=status,
            granted_on=granted, filed_on=granted - timedelta(days=540) if granted else today - timedelta(days=200),
            disciplines=codes, keywords=keywords, trl=trl, transfer_modes=modes, team="课题组（示例）",
            public_summary=f"{title}：面向温州产业的可转化成果（演示数据）。",
            confidential_detail="关键工艺参数与配方（保密，演示数据）。", asking_terms="面议")
        if published:
            results.publish_result(seeder.users[owner], made[key])
    # Roadshows: one held last month, one planned next month.
    held = roadshows.plan_roadshow(officer, theme="温州好成果 · 先进制造专场", held_on=today - timedelta(days=30),
                                   place="温州市科技馆", results=[made["shoes"], made["valve"], made["breaker"]])
    registration = roadshows.register(ent_user, held)
    fund = seeder.users.get("fund")
    if fund is not None:
        roadshows.register(fund, held, "温州市科创基金")
    held = roadshows.hold_roadshow(officer, held)
    roadshows.give_feedback(ent_user, held, made["shoes"], score=5, comment="很适合我们的产线")
    roadshows.give_feedback(ent_user, held, made["breaker"], score=4)
    assert registration.pk
    roadshows.plan_roadshow(officer, theme="温州好成果 · 新材料与新能源专场", held_on=today + timedelta(days=30),
                            place="温州大学城创新中心", results=[made["battery"], made["membrane"]])
    # Validation: a pre-filled PoC project application in the open call, at an active center.
    call = seeder.calls.get("C2") or Call.objects.filter(kind="poc_project", published=True).first()
    center = Center.objects.filter(state="active").first()
    if call is not None:
        # 温州新材料研发中心 has no application in that call yet (one per institution and call).
        results.start_validation(seeder.users["applicant4"], made["breaker"], call=call, center=center)
    # Landed on a registered technology contract (major-series size: ≥ ¥2,000,000 received).
    results.record_evidence(seeder.users["applicant"], made["valve"], kind="tech_contract",
                            reference="330302X2026000088", counterparty="温州某泵阀有限公司",
                            amount=Decimal("2200000.00"), dated_on=today - timedelta(days=12))
    # 先用后转: one converted (landing), one on trial ending in three weeks.
    converted = licences.grant_licence(
        seeder.users["applicant"], made["cutting"], licensee=seeder.institutions["E"],
        trial_starts_on=today - timedelta(days=200), trial_ends_on=today - timedelta(days=20),
        success_criteria="面料利用率提升 ≥ 3%", fee_on_success=Decimal("600000.00"))
    licences.convert_licence(seeder.users["applicant"], converted, "试用达标", contract_number="330302X2026000101",
                             contract_amount=Decimal("600000.00"), registered_on=today - timedelta(days=10))
    licences.grant_licence(
        seeder.users["applicant"], made["lens"], licensee=enterprise, trial_starts_on=today - timedelta(days=160),
        trial_ends_on=today + timedelta(days=21), success_criteria="镀膜良品率 ≥ 95%，连续三个月",
        fee_on_success=Decimal("450000.00"))
    results.transition_result(seeder.users["applicant2"], made["herb"], "shelve", "专利已失效，市场需求不足")
    # Demands: published ones with matches, one awaiting publication, a draft.
    posted = []
    for title, problem, codes, keywords, low, high, disclosure, state in DEMANDS:
        demand = demands.create_demand(ent_user, title=title, problem=problem, disciplines=codes, keywords=keywords,
                                       budget_min=low, budget_max=high, disclosure=disclosure,
                                       deadline=today + timedelta(days=90))
        if state in ("submitted", "published"):
            demands.transition_demand(ent_user, demand, "submit")
        if state == "published":
            demands.transition_demand(officer, demand, "publish")
        posted.append(demand)
    # Mutual interest: the battery result and the storage demand → a conversation.
    interests.express_interest(seeder.users["applicant"], made["battery"], posted[0])
    interests.express_interest(ent_user, made["battery"], posted[0])
    seeder.say("transfer: results in every stage, two roadshows, demands with matches, licences")
