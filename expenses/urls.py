app_name = "expenses"
urlpatterns = []
