"""Pages of the transfer app (namespace ``transfer``), mounted at /transfer/."""
from django.urls import path

from .views import common, demands, events, public, results

app_name = "transfer"
urlpatterns = [
    path("", results.result_list, name="results"),
    path("results/new/", results.result_create, name="result-create"),
    path("results/import/", results.result_import, name="result-import"),
    path("results/<int:pk>/", results.result_detail, name="result"),
    path("results/<int:pk>/edit/", results.result_edit, name="result-edit"),
    path("results/<int:pk>/publish/", results.result_publish, name="result-publish"),
    path("results/<int:pk>/request-detail/", results.result_request_detail, name="result-request-detail"),
    path("results/<int:pk>/evidence/", results.result_evidence, name="result-evidence"),
    path("results/<int:pk>/validation/", results.result_validation, name="result-validation"),
    path("results/<int:pk>/licence/", results.result_licence, name="result-licence"),
    path("detail-requests/<int:pk>/decide/", results.detail_decide, name="detail-decide"),
    path("demands/", demands.demand_list, name="demands"),
    path("demands/new/", demands.demand_create, name="demand-create"),
    path("demands/<int:pk>/", demands.demand_detail, name="demand"),
    path("demands/<int:pk>/edit/", demands.demand_edit, name="demand-edit"),
    path("interest/<int:result_pk>/<int:demand_pk>/", demands.interest, name="interest"),
    path("roadshows/", events.roadshow_list, name="roadshows"),
    path("roadshows/<int:pk>/", events.roadshow_detail, name="roadshow"),
    path("roadshows/<int:pk>/register/", events.roadshow_register, name="roadshow-register"),
    path("roadshows/<int:pk>/feedback/", events.roadshow_feedback, name="roadshow-feedback"),
    path("licences/", events.licence_list, name="licences"),
    path("licences/<int:pk>/", events.licence_detail, name="licence"),
    path("board/", events.board, name="board"),
    path("<str:kind>/<int:pk>/steps/<str:name>/", common.step, name="step"),
    path("catalogue/", public.catalogue, name="catalogue"),
    path("catalogue/results/<int:pk>/", public.catalogue_result, name="catalogue-result"),
]
