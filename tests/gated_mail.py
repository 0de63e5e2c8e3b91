import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class GatedBackend(EmailBackend):
    """An SMTP server that holds each message until the test lets it through.

    In `MAIL_GATE` (a folder) it leaves `sending-<pid>` as soon as a worker is inside
    the send, then waits while `closed` is there, so a test can kill the worker at
    exactly that point. Once through, messages land as files like the file backend.
    """

    def send_messages(self, email_messages):
        gate = Path(os.environ["MAIL_GATE"])
        (gate / f"sending-{os.getpid()}").touch()
        while (gate / "closed").exists():
            time.sleep(0.05)
        return super().send_messages(email_messages)
