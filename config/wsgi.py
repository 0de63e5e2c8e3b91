from django.core.wsgi import get_wsgi_application

from .settings_required import require_settings_module

require_settings_module("the WSGI application (config.wsgi)")

application = get_wsgi_application()
