"""Root conftest for moto's cognito-idp tests run against cognito-twin (scripts/moto-suite.py
copies it beside the extracted tests/ folder).

moto's server mode resets its backends with POST /moto-api/reset; the runner sets
MOTO_CALL_RESET_API=false so that is never sent, and this fixture POSTs cognito-twin's own reset
control instead, so every test starts from an empty emulator. A per-test alarm bounds a test
that would wait forever (pytest-timeout is not installed everywhere).
"""

import json
import os
import signal
import urllib.request

import pytest

ENDPOINT = os.environ["TEST_SERVER_MODE_ENDPOINT"]
TIMEOUT = int(os.environ.get("MOTO_SUITE_TEST_TIMEOUT", "30"))


def _reset():
    req = urllib.request.Request(
        f"{ENDPOINT}/_twin/reset",
        data=b"{}",
        method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as res:
        assert json.loads(res.read()) == {"reset": True}


class TestTimedOut(Exception):
    """A test ran past MOTO_SUITE_TEST_TIMEOUT seconds."""


def _on_alarm(signum, frame):
    raise TestTimedOut(f"test ran past {TIMEOUT} s")


@pytest.fixture(autouse=True)
def twin_reset():
    _reset()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
