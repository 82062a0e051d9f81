"""The disciplines and industries (学科/产业领域) of the expert pool and of applications.

Chosen for Wenzhou's industry base (electrical equipment, footwear, auto parts, pumps and valves,
new materials, life and health) plus the usual disciplines of the sci-tech programme.
"""
from django.db import migrations

TAXONOMY = [
    # code, Chinese, English, parent code
    ("ENG", "工程技术", "Engineering", None),
    ("ENG.ELEC", "电气与新能源装备", "Electrical and new-energy equipment", "ENG"),
    ("ENG.MECH", "智能装备与机械", "Intelligent equipment and machinery", "ENG"),
    ("ENG.AUTO", "汽车及零部件", "Automobiles and parts", "ENG"),
    ("ENG.PUMP", "泵阀与流体装备", "Pumps, valves and fluid equipment", "ENG"),
    ("ENG.MAT", "新材料", "New materials", "ENG"),
    ("ENG.CHEM", "化工与精细化学品", "Chemicals and fine chemicals", "ENG"),
    ("ENG.ENV", "节能环保", "Energy saving and environment", "ENG"),
    ("ENG.MARINE", "海洋工程", "Marine engineering", "ENG"),
    ("ICT", "信息技术", "Information technology", None),
    ("ICT.AI", "人工智能", "Artificial intelligence", "ICT"),
    ("ICT.SEMI", "集成电路与传感器", "Integrated circuits and sensors", "ICT"),
    ("ICT.SW", "软件与数字经济", "Software and the digital economy", "ICT"),
    ("ICT.OPTO", "光电与激光", "Optoelectronics and lasers", "ICT"),
    ("LIFE", "生命健康", "Life and health", None),
    ("LIFE.PHARMA", "生物医药", "Biomedicine", "LIFE"),
    ("LIFE.DEVICE", "医疗器械", "Medical devices", "LIFE"),
    ("LIFE.AGRI", "现代农业与食品", "Modern agriculture and food", "LIFE"),
    ("CONS", "消费品工业", "Consumer goods", None),
    ("CONS.SHOES", "鞋服与轻工", "Footwear, apparel and light industry", "CONS"),
    ("CONS.SMART", "智能家居与电子消费品", "Smart home and consumer electronics", "CONS"),
    ("BIZ", "经管与投资", "Management and investment", None),
    ("BIZ.TT", "技术转移与知识产权", "Technology transfer and IP", "BIZ"),
    ("BIZ.FIN", "科技金融与投资", "Technology finance and investment", "BIZ"),
]


def load(apps, schema_editor):
    Discipline = apps.get_model("poc", "Discipline")
    by_code = {}
    for code, zh, en, parent in TAXONOMY:
        obj, _ = Discipline.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "parent": by_code.get(parent)}
        )
        by_code[code] = obj


def unload(apps, schema_editor):
    apps.get_model("poc", "Discipline").objects.filter(code__in=[t[0] for t in TAXONOMY]).delete()


class Migration(migrations.Migration):
    dependencies = [("poc", "0003_disciplines")]
    operations = [migrations.RunPython(load, unload)]
