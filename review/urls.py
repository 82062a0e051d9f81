"""Page URLs of the review (server-rendered), included under /review/ with the namespace "review"."""
from django.urls import path

from .views import console, expert, plan, pool
from .views import documents as document_views

app_name = "review"

urlpatterns = [
    # the expert
    path("", expert.queue, name="queue"),
    path("reviews/<int:pk>/", expert.review_page, name="review"),
    path("reviews/<int:pk>/steps/<slug:name>/", console.review_step, name="review-step"),
    path("reviews/<int:pk>/extend/", console.extend, name="review-extend"),
    path("assignments/<int:pk>/steps/<slug:name>/", console.assignment_step, name="assignment-step"),
    # the officer's console per call
    path("calls/", console.calls, name="calls"),
    path("calls/<int:pk>/", console.console, name="console"),
    path("calls/<int:pk>/automatic/", console.auto_assign, name="auto-assign"),
    path("calls/<int:pk>/draw/", console.draw, name="draw"),
    path("calls/<int:pk>/conflicts/", console.conflicts, name="conflicts"),
    path("calls/<int:pk>/plan/", plan.plan_page, name="plan"),
    path("calls/<int:pk>/rubric/", plan.rubric, name="rubric"),
    path("calls/<int:pk>/ranking/", plan.ranking, name="ranking"),
    path("applications/<int:pk>/", console.application_page, name="application"),
    path("applications/<int:pk>/assign/", console.assign, name="assign"),
    path("applications/<int:pk>/aggregates/", plan.aggregates, name="aggregates"),
    # the expert pool
    path("experts/", pool.expert_list, name="experts"),
    path("experts/<int:pk>/", pool.expert_detail, name="expert"),
    path("experts/<int:pk>/invite/", pool.invite, name="expert-invite"),
    path("experts/export/background/", pool.export_background, name="experts-export-background"),
]

# official documents (PDF, officers only): an expert's score sheet, a call's summary (?signed=1 adds the panel)
urlpatterns += [
    path("reviews/<int:pk>/score-sheet.pdf", document_views.score_sheet, name="score-sheet"),
    path("calls/<int:pk>/summary.pdf", document_views.summary, name="summary-document"),
]
