from oscar.apps.voucher.models import *  # noqa: F403  Oscar's forking convention
