from django.contrib import admin
from django.urls import path

from .views import import_site_view

app_name = "siteimport"
urlpatterns = [path("", admin.site.admin_view(import_site_view), name="import")]
