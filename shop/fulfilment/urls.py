"""The shopper's after-sales pages, mounted under the account area
(/shop/accounts/after-sales/, namespace "aftersales")."""

from django.urls import path

from . import views

app_name = "aftersales"

urlpatterns = [
    path("", views.AfterSalesListView.as_view(), name="list"),
    path(
        "orders/<str:order_number>/new/",
        views.AfterSalesCreateView.as_view(),
        name="create",
    ),
    path("<int:pk>/", views.AfterSalesDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/return-shipment/",
        views.ReturnShipmentView.as_view(),
        name="return-shipment",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/",
        views.AfterSalesPhotoView.as_view(),
        name="photo",
    ),
]
