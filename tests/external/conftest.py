"""Fixtures shared by the external tests: moto's server on 127.0.0.1, boto3 clients for it,
an environment for the AWS CLI that can only reach it, and the vpclink binary.

Only 127.0.0.1 is contacted; the credentials are dummies. scripts/test-external sets up the
same environment; these fixtures do not rely on it, so `pytest tests/external` works from
the venv alone (target/py/bin/python -m pytest tests/external).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import boto3
import pytest

REPO = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
# Anything that could send a call elsewhere or change how the CLI prints.
_AWS_VARIABLES_TO_DROP = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_CA_BUNDLE",
    "AWS_DEFAULT_OUTPUT",
    "AWS_PAGER",
    "VPCLINK_ENDPOINT_URL",
    "VPCLINK_WAIT_INTERVAL",
    "VPCLINK_IGNORE_REGION",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    # No proxy: a proxy from the environment must never see these requests.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url + "/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # it answered
    except OSError:
        return False


def start_moto(log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Starts `python -m moto.server` on a free port of 127.0.0.1 and waits until it answers."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **DUMMY_CREDENTIALS}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    deadline = time.monotonic() + 60
    while not _answers(url):
        if proc.poll() is not None:
            raise RuntimeError(f"moto's server exited with {proc.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            stop_moto(proc)
            raise RuntimeError(f"moto's server did not answer on {url} within 60 s:\n{log.read_text()}")
        time.sleep(0.1)
    return proc, url


def stop_moto(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a moto server of this test module's own."""
    proc, url = start_moto(tmp_path_factory.mktemp("moto") / "moto.log")
    try:
        yield url
    finally:
        stop_moto(proc)


@pytest.fixture(scope="module")
def aws_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment for `aws` and scripts that call it: dummy credentials, us-east-1, no
    profile or config file, and this venv's `aws` first on PATH."""
    home = tmp_path_factory.mktemp("aws-home")
    env = {k: v for k, v in os.environ.items() if k not in _AWS_VARIABLES_TO_DROP}
    env.update(DUMMY_CREDENTIALS)
    env.update(
        {
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": str(home / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    return env


@pytest.fixture(scope="module")
def client(moto_server: str) -> Callable[[str], object]:
    """`client("elbv2")`: a boto3 client for the module's moto server."""

    def make(service: str) -> object:
        return boto3.client(
            service,
            endpoint_url=moto_server,
            region_name=REGION,
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=DUMMY_CREDENTIALS["AWS_SESSION_TOKEN"],
        )

    return make


@pytest.fixture(scope="session")
def vpclink_bin() -> str:
    """The vpclink binary: $VPCLINK_BIN (scripts/test-external sets it), else a debug build."""
    given = os.environ.get("VPCLINK_BIN")
    if given:
        return given
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    built = target / "debug" / "vpclink"
    cargo = shutil.which("cargo")
    if cargo:
        subprocess.run([cargo, "build", "--quiet", "-p", "vpclink"], cwd=REPO, check=True)
    if not built.exists():
        pytest.fail(f"no vpclink binary at {built}; build it (cargo build -p vpclink) or set VPCLINK_BIN")
    return str(built)
