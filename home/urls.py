from django.urls import path

from home import views


urlpatterns = [
    path("", views.home, name="home"),
    path("a-faire/rendez-vous/", views.todo_rendez_vous, name="todo_rendez_vous"),
    path("a-faire/rendez-vous-manques/", views.todo_rendez_vous_manques, name="todo_rendez_vous_manques"),
    path("a-faire/orientations/", views.todo_orientations, name="todo_orientations"),
    path("portefeuille/transfert/", views.caseload_transfer, name="caseload_transfer"),
]
