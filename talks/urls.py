from django.urls import path

from . import views

app_name = "talks"

urlpatterns = [
    path("", views.index, name="index"),
]
