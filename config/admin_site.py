"""Django's admin is for administrators only: it edits any model with no business
rules, so staff who are not superusers (merchandisers) use the Oscar dashboard and
editors the Wagtail admin instead."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "config.admin_site.SuperuserAdminSite"
