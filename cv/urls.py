from django.urls import path

from . import views

app_name = "cv"

urlpatterns = [
    path("cv/", views.cv_page, name="page"),
    path("cv.pdf", views.cv_pdf_file, name="pdf"),
    path("cv.json", views.cv_json_file, name="json"),
]
