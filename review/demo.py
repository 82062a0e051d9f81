"""Demo data of the review: an expert pool, review plans, assignments and reviews (seed_demo)."""
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from poc.models import Application, Discipline, TransitionLog

from .models import Assignment, AssignmentMethod, CriterionScore, Expert, ExpertAffiliation, Review
from .services import ensure_plan

User = get_user_model()
PASSWORD = "expert-demo-2026"

EXPERTS = [
    # username, name, affiliation, institution key (employer), title, disciplines, keywords
    ("expert", "刘教授", "浙江大学", None, "教授", ["ENG.MAT", "ENG.CHEM", "ENG.ELEC"], "钙钛矿, 光伏, 薄膜材料"),
    ("expert2", "孙研究员", "中国科学院宁波材料所", None, "研究员", ["ENG.MAT", "ENG.CHEM"], "石墨烯, 导热膜, 复合材料"),
    ("expert3", "钱高工", "正泰电器", None, "正高级工程师", ["ENG.ELEC", "ENG.MECH"], "低压电器, 数字孪生, 测试"),
    ("expert4", "赵教授", "温州理工大学", "U", "教授", ["ENG.MAT", "ENG.MECH"], "材料成型, 模具"),
    ("expert5", "李博士", "浙江工业大学", None, "副教授", ["ICT.AI", "ICT.SEMI"], "传感器, 机器学习, 足压"),
    ("expert6", "周总监", "温州科创基金", None, "投资总监", ["BIZ.FIN", "BIZ.TT"], "投资, 估值, 成果转化"),
    ("expert7", "吴教授", "温州医科大学", None, "教授", ["LIFE.DEVICE", "LIFE.PHARMA"], "医疗器械, 生物材料"),
    ("expert8", "郑工", "华峰集团", None, "高级工程师", ["ENG.CHEM", "ENG.MAT"], "聚氨酯, 化工工艺, 中试"),
    ("expert9", "王教授", "上海交通大学", None, "教授", ["ENG.MECH", "ICT.AI"], "伺服电机, 控制算法, 机器人"),
    ("expert10", "冯研究员", "浙江省技术转移中心", None, "研究员", ["BIZ.TT", "CONS.SHOES"], "技术转移, 鞋服, 知识产权"),
    ("expert11", "陈教授", "东华大学", None, "教授", ["CONS.SHOES", "ENG.MAT"], "鞋材, 纺织材料, 智能穿戴"),
    ("expert12", "褚高工", "温州检验检测研究院", None, "正高级工程师", ["ENG.ELEC", "ENG.PUMP"], "检测, 计量, 泵阀"),
]


def seed(sender, seeder, **kwargs):
    now, today = seeder.now, seeder.today
    experts = {}
    for username, name, affiliation, inst_key, title, codes, keywords in EXPERTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@example.org", first_name=f"{name} (expert)")
            user.set_password(PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name="expert"))
        expert, created = Expert.objects.get_or_create(user=user, defaults={
            "name": name, "affiliation": affiliation, "title": title, "keywords": keywords,
            "institution": seeder.institutions[inst_key] if inst_key else None,
            "pledge_signed_on": today - timedelta(days=60), "max_load_per_call": 15,
        })
        if created:
            expert.disciplines.set(Discipline.objects.filter(code__in=codes))
        experts[username] = expert
    # 孙研究员 worked at the research institute until two years ago: a past-affiliation conflict.
    ExpertAffiliation.objects.get_or_create(
        expert=experts["expert2"], institution=seeder.institutions["R"],
        defaults={"started_on": date(today.year - 6, 1, 1), "ended_on": today - timedelta(days=730)})

    for call in seeder.calls.values():
        plan = ensure_plan(call)
        if plan.deadline is None:
            plan.deadline = (now + timedelta(days=20)) if call.is_open() else call.closes_at + timedelta(days=45)
            plan.save()

    rng = random.Random(2026)
    officer = seeder.users["officer"]
    for app in Application.objects.filter(call__in=seeder.calls.values()).exclude(
            state__in=["draft", "submitted", "returned", "withdrawn"]).order_by("number"):
        if TransitionLog.objects.for_object(app).filter(transition="reject_formally").exists():
            continue  # rejected at the formal check: never reviewed
        if app.assignments.exists():
            continue
        pool = _pool_for(app, experts)
        finished = app.state != "under_review"
        for position, expert in enumerate(pool):
            assignment = Assignment.objects.create(application=app, expert=expert, method=AssignmentMethod.MANUAL,
                                                   assigned_by=officer)
            review = Review.objects.create(assignment=assignment)
            TransitionLog.objects.create(subject=assignment, transition="create", source="", target="active",
                                         actor=officer, comment="（演示数据）")
            # Under review: the demo expert's review is left as a draft for you to fill in; others submitted,
            # except one on the project so that its review cannot be closed yet.
            if not finished and (expert.user.username == "expert" or (app.is_project and position == 2)):
                continue
            _score(review, app, rng, harsh=expert.user.username == "expert8", lenient=expert.user.username == "expert3")
            # Submitted three days before the review deadline, or three days ago while it is still ahead.
            deadline = ensure_plan(app.call).deadline
            submitted_at = min(now, deadline) - timedelta(days=3)
            Review.objects.filter(pk=review.pk).update(state="submitted", submitted_at=submitted_at,
                                                       recommendation=rng.choice(["support", "conditional"]))
            TransitionLog.objects.create(subject=review, transition="submit", source="draft", target="submitted",
                                         actor=expert.user, comment="（演示数据）")


def _pool_for(app, experts):
    """Three experts sharing a field with the application, never conflicted (demo)."""
    codes = {d.code.split(".")[0] for d in app.disciplines.all()} | {d.code for d in app.disciplines.all()}
    chosen = []
    order = ["expert"] + [u for u in experts if u != "expert"]
    for username in order:
        expert = experts[username]
        if expert.institution_id == app.institution_id:
            continue
        if username == "expert2" and app.institution.name == "温州先进制造研究院":
            continue
        fields = {d.code for d in expert.disciplines.all()} | {d.code.split(".")[0] for d in expert.disciplines.all()}
        if fields & codes:
            chosen.append(expert)
        if len(chosen) == 3:
            break
    return chosen


def _score(review, app, rng, *, harsh=False, lenient=False):
    plan = ensure_plan(app.call)
    base = 0.62 + (sum(map(ord, app.number)) % 25) / 100
    shift = -0.12 if harsh else (0.1 if lenient else 0)
    for criterion in plan.criteria.all():
        fraction = min(max(base + shift + rng.uniform(-0.08, 0.08), 0.2), 1.0)
        score = (criterion.max_score * Decimal(str(round(fraction, 2)))).quantize(Decimal("0.5"))
        CriterionScore.objects.create(review=review, criterion=criterion, score=score,
                                      comment="技术路线清晰，验证方案可行。" if criterion.comment_required else "")
