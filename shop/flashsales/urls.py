from django.urls import path

from .views import FlashBasketAddView

app_name = "flashsales"

urlpatterns = [
    path("add/<int:pk>/", FlashBasketAddView.as_view(), name="add"),
]
