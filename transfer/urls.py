"""Pages of the transfer app (namespace ``transfer``), mounted at /transfer/."""
app_name = "transfer"
urlpatterns: list = []
