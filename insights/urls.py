from django.urls import path

from .beacon import beacon

app_name = "insights"
urlpatterns = [path("beacon/", beacon, name="beacon")]
