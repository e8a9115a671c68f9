"""Fixtures of the boto3 suite (helpers in guide.py): every test starts from an empty emulator.

When TWIN_PYTEST_REPORT names a file, each test's outcome is written to it as JSON lines, which
emulator/boto3.test.ts reads to report the Python tests one by one.
"""

import json
import os

import pytest

from guide import cognito_client, create_guide_pool, endpoint, twin_post


@pytest.fixture(scope="session")
def url():
    return endpoint()


@pytest.fixture(scope="session")
def cognito(url):
    return cognito_client(url)


@pytest.fixture(autouse=True)
def empty_emulator(url):
    """POST /_twin/reset before each test: no pools but the test's own."""
    assert twin_post(url, "/_twin/reset") == {"reset": True}


@pytest.fixture
def guide_pool(cognito):
    """The guide's pool and app client (section 2), as CreateUserPool and CreateUserPoolClient answered."""
    return create_guide_pool(cognito)


def pytest_runtest_logreport(report):
    path = os.environ.get("TWIN_PYTEST_REPORT")
    if not path or (report.when != "call" and report.passed):
        return
    line = {"test": report.nodeid, "when": report.when, "outcome": report.outcome}
    if report.failed:
        line["message"] = report.longreprtext[-4000:]
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
