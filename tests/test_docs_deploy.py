"""docs/deploy.md's recipes, run: the systemd units verified, the nginx block in front of a real
``qbplan serve``, and the backup commands (tests/intake/test_backup.py runs their round trip)."""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers import SAMPLES
from tests.serve.intake import _csrf

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def _block(language: str, after: str) -> str:
    """The first fenced block of ``language`` after ``after``."""
    found = re.search(rf"```{language}\n(.*?)```", DOC.split(after, 1)[1], re.S)
    assert found is not None
    return found.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _required(program: str, env: str) -> str:
    found = shutil.which(program) or (f"/usr/sbin/{program}" if Path(f"/usr/sbin/{program}").exists() else None)
    if found is None:
        if os.environ.get(env) == "1":
            pytest.fail(f"no {program}, and CI requires it")
        pytest.skip(f"no {program}")
    return found


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("no systemd-analyze")  # as tests/test_docs_ci.py: a tool of the machine, not one CI installs
    program = tmp_path / ".venv" / "bin" / "qbplan"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    names = ["qbplan-intake.service", "qbplan-remind.service", "qbplan-remind.timer"]
    for name in names:
        unit = _block("ini", f"`/etc/systemd/system/{name}`").replace("/srv/qbplan", str(tmp_path))
        unit = unit.replace("User=qbplan\n", "").replace("Group=qbplan\n", "")  # no such account here
        (tmp_path / name).write_text(unit)
    result = subprocess.run([analyze, "verify", *(str(tmp_path / n) for n in names)], capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    mentions = [ln for ln in result.stderr.splitlines() if "qbplan" in ln]
    assert (result.returncode, mentions) == (0, []), result.stderr


def test_the_service_serves_on_loopback_behind_the_proxy_only() -> None:
    start = _block("ini", "`/etc/systemd/system/qbplan-intake.service`")
    line = next(ln for ln in start.splitlines() if ln.startswith("ExecStart="))
    assert "--host 127.0.0.1" in line and "--base-url https://" in line
    assert "proxy_pass http://127.0.0.1:8000;" in _block("nginx", "`/etc/nginx/sites-available/qbplan`")


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """``qbplan serve`` on loopback with the doc's nginx block in front, on ports of their own.

    Yields the proxy's https address, the intake folder and nginx's prefix (its logs).
    """
    nginx = _required("nginx", "QBPLAN_REQUIRE_NGINX")
    app_port, proxy_port = _free_port(), _free_port()
    base = f"https://127.0.0.1:{proxy_port}"
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(prefix / "key.pem"), "-out", str(prefix / "cert.pem")],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    server = _block("nginx", "`/etc/nginx/sites-available/qbplan`")
    server = server.replace("listen 443 ssl;", f"listen 127.0.0.1:{proxy_port} ssl;")
    server = server.replace("/etc/ssl/certs/baocao.pem", str(prefix / "cert.pem"))
    server = server.replace("/etc/ssl/private/baocao.key", str(prefix / "key.pem"))
    server = server.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    server = server.replace("/var/log/nginx/qbplan-error.log", str(prefix / "logs" / "qbplan-error.log"))
    temps = "".join(
        f"{kind}_temp_path {prefix / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Started as root (CI), nginx's workers would drop to an account that cannot enter pytest's 0700 folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}daemon off;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'logs' / 'error.log'};\n"
        f"events {{}}\nhttp {{\n{temps}{server}\n}}\n"
    )
    folder = tmp_path / "intake"
    cmd = [sys.executable, "-m", "qbplan", "serve", "-r", str(SAMPLES / "danh-muc.xlsx"), "--folder", str(folder),
           "--port", str(app_port), "--base-url", base, "--links", str(tmp_path / "links.csv"),
           "--planner-token", "token-of-the-planner-here"]  # fmt: skip
    app = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stderr=subprocess.PIPE)
    try:
        for _ in range(150):
            try:
                httpx.get(f"{base}/", verify=False, timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, tmp_path, prefix
    finally:
        for process in (proxy, app):
            process.terminate()
            process.wait(30)


def test_a_unit_sends_through_the_proxy_and_the_audit_keeps_the_real_address(
    proxied: tuple[str, Path, Path],
) -> None:
    from qbplan.intake.store import IntakeStore

    base, tmp_path, prefix = proxied
    with open(tmp_path / "links.csv", encoding="utf-8-sig") as fh:
        link = next(r["duong_dan"] for r in csv.DictReader(fh) if r["ma_don_vi"] == "T002")
    assert link.startswith(f"{base}/u/")  # the links are made from --base-url, not from a request
    with httpx.Client(verify=False, timeout=60, follow_redirects=True) as client:
        csrf = _csrf(client.get(link).text)
        sent = client.post(f"{link}/upload", data={"csrf": csrf},
                           files={"file": ("bieu.xlsx", (SAMPLES / "survey-compliant.xlsx").read_bytes())})  # fmt: skip
        errors = "".join(p.read_text(errors="replace") for p in (prefix / "logs").iterdir())
        assert sent.status_code == 200 and f"{link}/s/1" == str(sent.url), errors
        # A client naming another address is not believed: the proxy replaces the header.
        signed = client.post(f"{base}/planner/login", data={"token": "token-of-the-planner-here"},
                             headers={"X-Forwarded-For": "203.0.113.9"}, follow_redirects=False)  # fmt: skip
        assert "secure" in signed.headers["set-cookie"].lower()  # an https base: the cookie is Secure
        too_big = client.post(f"{link}/upload", data={"csrf": csrf}, files={"file": ("x.xlsx", b"0" * (22 << 20))})
        assert too_big.status_code == 413
    with IntakeStore(f"sqlite:///{tmp_path / 'intake' / 'intake.db'}") as store:
        sign_in = next(e for e in store.audit_trail() if e.action == "sign-in")
    assert sign_in.address == "127.0.0.1"
    logged = "".join(p.read_text(errors="replace") for p in (prefix / "logs").iterdir())
    assert "/u/" not in logged  # no access log: a unit's link is its secret
