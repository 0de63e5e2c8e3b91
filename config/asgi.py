from django.core.asgi import get_asgi_application

from .settings_required import require_settings_module

require_settings_module("the ASGI application (config.asgi)")

application = get_asgi_application()
