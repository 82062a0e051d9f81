"""The catalogue's Chinese substring search: the same answers on SQLite (icontains) and PostgreSQL (trigram and
bigram GIN indexes), and the indexes are really used on PostgreSQL."""
import pytest
from django.db import connection

from transfer import selectors
from transfer.models import Result
from transfer.models.results import bigrams

from .factories import make_demand, make_result

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the pg_trgm and jsonb GIN indexes exist only there (run with DATABASE_URL=postgres://…)",
)


def titles(query):
    return sorted(selectors.search(selectors.catalogue_results(), query).values_list("title", flat=True))


def test_bigrams_of_each_word():
    assert bigrams("钠离子电池 ai") == ["ai", "子电", "电池", "离子", "钠离"]


def test_chinese_substrings_of_title_summary_and_keywords():
    make_result(title="一种钠离子电池正极材料", keywords="储能", public_summary="")
    make_result(title="鞋类缺陷检测系统", keywords="机器视觉, AI", public_summary="用于温州鞋业。",
                registration_number="ZL-2")
    make_result(title="未公开的电池成果", published=False, registration_number="ZL-3")
    make_result(title="搁置的电池成果", stage="shelved", registration_number="ZL-4")
    assert titles("电池") == ["一种钠离子电池正极材料"]
    assert titles("钠离子电池") == ["一种钠离子电池正极材料"]
    assert titles("温州鞋业") == ["鞋类缺陷检测系统"]
    assert titles("ai") == titles("AI") == ["鞋类缺陷检测系统"]
    assert titles("视") == ["鞋类缺陷检测系统"]
    assert titles("") == sorted(["一种钠离子电池正极材料", "鞋类缺陷检测系统"])
    assert titles("氢能") == []


def test_demands_search_too():
    make_demand(title="寻找电池材料")
    make_demand(title="平台需求电池", disclosure="platform")
    found = selectors.search(selectors.catalogue_demands(), "电池").values_list("title", flat=True)
    assert list(found) == ["寻找电池材料"]


def test_editing_refreshes_the_search_text():
    result = make_result(title="旧标题")
    result.title = "新的涂层技术"
    result.save()
    assert titles("涂层") == ["新的涂层技术"]
    assert "涂层" in Result.objects.get(pk=result.pk).search_grams


@on_postgres
@pytest.mark.postgres
def test_postgres_uses_the_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = selectors.search(Result.objects.all(), "钠离子电池").values("id").explain()
        assert "transfer_result_search_trgm" in plan
        plan = selectors.search(Result.objects.all(), "电池").values("id").explain()
        assert "transfer_result_search_grams" in plan
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
