default_app_config = "shop.communication.apps.CommunicationConfig"
