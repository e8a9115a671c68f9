#!/usr/bin/env python3
"""Runs moto's own cognito-idp tests (tag 5.2.1) in server mode against cognito-twin.

    MOTO_REPO=/path/to/moto python3 scripts/moto-suite.py [-k EXPR] [--report-dir DIR]

MOTO_REPO is a moto checkout: a work tree, or a bare git directory. The tests (and the few
helpers of moto's tests/ they import) are extracted at the tag into a temporary directory and
never copied into this repository. cognito-twin is started from the current sources on a free
port; pytest runs with TEST_SERVER_MODE=true against it, MOTO_CALL_RESET_API=false, and a root
conftest (scripts/moto-suite/conftest.py) that POSTs /_twin/reset before each test. The outcome
of every test is compared with the triage table (scripts/moto-suite/triage.tsv): each failure
there has a category and a reason (see docs/moto-suite.md). Writes junit.xml and report.txt to
the report directory (default test-results/moto-suite) and prints the counts.

Exit status: 0 when every failure is triaged, 1 when a failure is not (or a triaged test passes
now, so the table is stale), 2 when the run could not be made.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "scripts" / "moto-suite"
MOTO_TAG = "5.2.1"
# The files of moto's tests/ that the cognito-idp tests import, besides the folder itself.
HELPERS = ["tests/__init__.py", "tests/conftest.py", "tests/markers.py"]
# What runs: the API tests. Left out: test_server.py (drives moto's own Flask app in process, not
# an endpoint), test_cognitoidp_replay.py (moto's request recorder at localhost:5000/moto-api),
# test_cognitoidp_utils.py (moto's internal helpers).
TEST_FILES = ["tests/test_cognitoidp/test_cognitoidp.py", "tests/test_cognitoidp/test_cognitoidp_exceptions.py"]
# moto's tests compare ARNs with moto's DEFAULT_ACCOUNT_ID; Cognito puts the caller's account
# there, so the emulator is started with that account.
MOTO_ACCOUNT = "123456789012"
RUN_TIMEOUT_S = 600


def fail(msg):
    print(f"moto-suite: {msg}", file=sys.stderr)
    sys.exit(2)


def git_dir_of(repo):
    """The git directory of a work tree or a bare repository, or None."""
    for candidate in (repo / ".git", repo):
        r = subprocess.run(
            ["git", "--git-dir", str(candidate), "rev-parse", "--git-dir"], capture_output=True, text=True
        )
        if r.returncode == 0:
            return candidate
    return None


def extract(repo, ref, dest):
    """moto's cognito-idp tests and their helpers at `ref`, into dest (a fresh directory)."""
    paths = ["tests/test_cognitoidp", *HELPERS]
    git_dir = git_dir_of(repo)
    if git_dir is not None:
        archive = subprocess.run(
            ["git", "--git-dir", str(git_dir), "archive", "--format=tar", ref, *paths], capture_output=True
        )
        if archive.returncode != 0:
            fail(f"git archive {ref} failed in {git_dir}: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
        return f"{ref} of {git_dir}"
    # A plain copy (an unpacked sdist): whichever version it is.
    for p in paths:
        src = repo / p
        if not src.exists():
            fail(f"{src} not found: MOTO_REPO must be a moto checkout")
        (dest / p).parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest / p)
        else:
            shutil.copy(src, dest / p)
    return f"files of {repo} (not a git checkout: version not checked)"


def importable(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def start_twin():
    """cognito-twin from the current sources on a free port: (process, url)."""
    args = ["--host", "127.0.0.1", "--port", "0", "--log-level", "silent", "--account-id", MOTO_ACCOUNT]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COGNITO_TWIN_")}
    proc = subprocess.Popen(
        ["node", "--import", "tsx", str(ROOT / "emulator" / "cli.ts"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("cognito-twin ready on "):
            return proc, line.split()[3]
        if line == "" and proc.poll() is not None:
            break
    proc.kill()
    fail(f"cognito-twin did not print its ready line (last output: {line.strip()!r})")


def read_triage():
    """test name -> (category, reason) from triage.tsv (tab-separated; # starts a comment)."""
    table = {}
    for raw in (SUPPORT / "triage.tsv").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        name, category, reason = (raw.split("\t") + ["", ""])[:3]
        table[name.strip()] = (category.strip(), reason.strip())
    return table


def outcomes(junit):
    """(test name, outcome, first line of the message) per test case of a JUnit report."""
    result = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        cls = case.get("classname", "").split(".")[-1]
        name = case.get("name", "")
        # unittest classes keep their class in the name; module-level tests are named alone.
        full = name if cls.startswith("test_") else f"{cls}.{name}"
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            el = case.find(tag)
            if el is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                message = (el.get("message") or el.text or "").strip().splitlines()[0:1]
                message = message[0][:200] if message else ""
                break
        result.append((full, outcome, message))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moto-repo", default=os.environ.get("MOTO_REPO"), help="moto checkout (env MOTO_REPO)")
    parser.add_argument("--ref", default=MOTO_TAG, help=f"tag or commit to extract (default {MOTO_TAG})")
    parser.add_argument("--report-dir", default=str(ROOT / "test-results" / "moto-suite"))
    parser.add_argument("--timeout", type=int, default=30, help="seconds one test may take (default 30)")
    parser.add_argument("--run-timeout", type=int, default=RUN_TIMEOUT_S, help=f"seconds the whole run may take (default {RUN_TIMEOUT_S})")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression, to run some tests only")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    opts = parser.parse_args()
    if not opts.moto_repo:
        fail("set MOTO_REPO (or --moto-repo) to a moto checkout, e.g. git clone https://github.com/getmoto/moto")
    if not importable("moto") or not importable("pytest"):
        fail('python3 cannot import moto and pytest: pip install "moto[cognitoidp]==5.2.1" pytest')

    report_dir = Path(opts.report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="moto-suite-"))
    proc = None
    try:
        source = extract(Path(opts.moto_repo), opts.ref, work)
        shutil.copy(SUPPORT / "conftest.py", work / "conftest.py")
        (work / "pytest.ini").write_text(
            "[pytest]\nmarkers =\n    network\n    requires_docker\n    aws_verified\n    requires_clean_slate\n"
        )
        # pyotp and pycognito are moto's test dependencies; where they cannot be installed, the
        # small look-alikes of the parts the tests use stand in (scripts/moto-suite/shims).
        shimmed = [m for m in ("pyotp", "pycognito") if not importable(m)]
        python_path = [str(work)]
        if shimmed:
            shim_dir = work / "_shims"
            shim_dir.mkdir()
            for m in shimmed:
                src = SUPPORT / "shims" / (m if m == "pycognito" else f"{m}.py")
                (shutil.copytree if src.is_dir() else shutil.copy)(src, shim_dir / src.name)
            python_path.append(str(shim_dir))

        proc, url = start_twin()
        env = {
            **os.environ,
            "TEST_SERVER_MODE": "true",
            "TEST_SERVER_MODE_ENDPOINT": url,
            "MOTO_CALL_RESET_API": "false",
            "MOTO_SUITE_TEST_TIMEOUT": str(opts.timeout),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "PYTHONPATH": os.pathsep.join(python_path + [os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
        for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "MOTO_TEST_ALLOW_AWS_REQUEST"):
            env.pop(var, None)
        junit = report_dir / "junit.xml"
        cmd = [sys.executable, "-m", "pytest", *TEST_FILES, "-q", "-p", "no:cacheprovider", "-rN"]
        cmd += [f"--junitxml={junit}", "-o", "junit_family=xunit1", "--tb=line", "--durations=15"]
        if opts.keyword:
            cmd += ["-k", opts.keyword]
        started = time.monotonic()
        try:
            run = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=opts.run_timeout)
        except subprocess.TimeoutExpired:
            fail(f"pytest ran past {opts.run_timeout} s")
        elapsed = time.monotonic() - started
        (report_dir / "pytest.log").write_text(run.stdout + run.stderr, encoding="utf-8")
        if not junit.exists():
            fail(f"pytest wrote no report (exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")

        triage = read_triage()
        results = outcomes(junit)
        counts = {}
        by_category = {}
        untriaged, stale, lines = [], [], []
        for name, outcome, message in results:
            counts[outcome] = counts.get(outcome, 0) + 1
            category, reason = triage.get(name, ("", ""))
            if outcome in ("failed", "error"):
                if category:
                    by_category[category] = by_category.get(category, 0) + 1
                else:
                    untriaged.append(name)
                lines.append(f"{outcome.upper():7} {name} [{category or 'UNTRIAGED'}] {reason or message}")
            elif outcome == "passed" and category and not opts.keyword:
                stale.append(name)
                lines.append(f"PASSED  {name} [triaged as {category}: passes now]")
            elif outcome == "skipped":
                lines.append(f"SKIPPED {name} {message}")
        summary = (
            f"moto {source}, cognito-twin at {url}, {elapsed:.0f} s"
            + (f", shims: {', '.join(shimmed)}" if shimmed else "")
            + "\n"
            + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("passed", "failed", "error", "skipped"))
            + "\nfailures by category: "
            + (", ".join(f"{k} {v}" for k, v in sorted(by_category.items())) or "none")
            + f"\nuntriaged failures: {len(untriaged)}; triaged but passing: {len(stale)}\n"
        )
        (report_dir / "report.txt").write_text(summary + "\n" + "\n".join(sorted(lines)) + "\n", encoding="utf-8")
        print(summary, end="")
        for name in untriaged:
            print(f"  untriaged: {name}")
        for name in stale:
            print(f"  passes now (remove from triage.tsv): {name}")
        print(f"report: {report_dir / 'report.txt'} and {junit}")
        return 1 if untriaged or stale else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if opts.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
