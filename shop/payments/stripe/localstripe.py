"""localstripe, the fake stateful Stripe the demo and the tests run on loopback."""

import socket
import subprocess
import sys
import time
from pathlib import Path


def localstripe_start(port: int, *, log: Path, timeout: float = 60) -> subprocess.Popen:
    """Start localstripe on `port` and return once it accepts connections; its output
    goes to `log`, which the error quotes if it never comes up."""
    process = subprocess.Popen(
        # --from-scratch: localstripe otherwise reloads (and shares) state in /tmp.
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"localstripe did not start:\n{log.read_text()}"
                ) from None
            time.sleep(0.1)
