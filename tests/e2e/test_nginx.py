"""The nginx site (deploy/nginx/maine-assistant.conf), for real: Debian's nginx, with the site as shipped,
in front of the real Rasa server, over HTTPS.

What an operator's server has and this machine does not is replaced, each by an exact substitution that must
match (SUBSTITUTIONS): the ports (free ones on the loopback address instead of 80 and 443), the certificate
(a self-signed one made for the test instead of certbot's), the Rasa server's port, the project's folder
(for the fallback file) and the log folder. Everything else is the shipped file. `.ci/run` installs nginx
when it is missing; these tests never skip.

A second nginx stands for a server whose Rasa server is down, with REST limited to one partner's address.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from requests_toolbelt.adapters.source import SourceAddressAdapter

from core.paths import PROJECT_ROOT
from tools.servers import free_port

pytestmark = pytest.mark.e2e

SITE = PROJECT_ROOT / "deploy" / "nginx" / "maine-assistant.conf"
FALLBACK = PROJECT_ROOT / "deploy" / "twilio" / "fallback.xml"
HSTS = "Strict-Transport-Security"
# Requests from other loopback addresses: a monitor not on the list, and a flood that must not use up the
# rate limit of the other tests' address.
STRANGER = "127.0.0.2"
FLOODER = "127.0.0.3"


def nginx() -> str:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    assert binary, "nginx is missing: apt-get install nginx (.ci/run does it)"
    return binary


@dataclass
class Site:
    folder: Path
    https_port: int
    http_port: int
    cert: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def session(self, source: str | None = None) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # the machine's CA bundle and proxies are not this site's
        session.verify = str(self.cert)
        if source:
            session.mount("https://", SourceAddressAdapter(source))
            session.mount("http://", SourceAddressAdapter(source))
        return session

    def get(self, path: str, method: str = "GET", source: str | None = None, **kwargs) -> requests.Response:
        with self.session(source) as session:
            return session.request(method, self.url + path, timeout=30, allow_redirects=False, **kwargs)

    def log(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=assistant.example.org",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:assistant.example.org",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def substitutions(folder: Path, rasa_port: int, http_port: int, https_port: int, cert: Path, key: Path):
    return {
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen [::]:80 default_server;": f"listen [::1]:{http_port} default_server;",
        "listen 443 ssl http2 default_server;": f"listen 127.0.0.1:{https_port} ssl http2 default_server;",
        "listen [::]:443 ssl http2 default_server;": f"listen [::1]:{https_port} ssl http2 default_server;",
        "/etc/letsencrypt/live/assistant.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/assistant.example.org/privkey.pem": str(key),
        "server 127.0.0.1:5005;": f"server 127.0.0.1:{rasa_port};",
        "/opt/maine-assistant/": f"{PROJECT_ROOT}/",
        "/var/log/nginx/maine-assistant.error.log": str(folder / "site-error.log"),
        "/var/www/html": str(folder / "www"),
    }


def write_site(folder: Path, rasa_port: int, partners_only: bool = False) -> Site:
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = certificate(folder)
    http_port, https_port = free_port(), free_port()
    text = SITE.read_text(encoding="utf-8")
    for old, new in substitutions(folder, rasa_port, http_port, https_port, cert, key).items():
        assert old in text, f"the site no longer has {old!r}: update the test's substitutions"
        text = text.replace(old, new)
    if partners_only:
        limited = "        # allow 198.51.100.7;\n        # deny all;\n"
        assert limited in text
        text = text.replace(limited, "        allow 198.51.100.7;\n        deny all;\n")
    (folder / "site.conf").write_text(text, encoding="utf-8")
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    # As Debian's /etc/nginx/nginx.conf includes a site, but with an access log on at the http level: a site
    # that did not turn it off would write every request there.
    (folder / "nginx.conf").write_text(
        f"""
user root;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} error;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder / "access.log"};
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {folder / "site.conf"};
}}
""",
        encoding="utf-8",
    )
    return Site(folder, https_port, http_port, cert)


def command(site: Site, *args: str) -> list[str]:
    return [
        nginx(),
        "-p",
        str(site.folder),
        "-c",
        str(site.folder / "nginx.conf"),
        "-e",
        str(site.folder / "startup.log"),
        *args,
    ]


def start(site: Site) -> Site:
    site.process = subprocess.Popen(command(site, "-g", "daemon off;"), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert site.process.poll() is None, site.process.stderr.read().decode() if site.process.stderr else ""
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", site.https_port)) == 0:
                return site
        time.sleep(0.05)
    raise RuntimeError("nginx did not start")


def stop(site: Site) -> None:
    if site.process and site.process.poll() is None:
        site.process.terminate()
        site.process.wait(timeout=20)


@pytest.fixture(scope="module")
def site(servers, tmp_path_factory):
    running = start(write_site(tmp_path_factory.mktemp("nginx"), servers.rasa_port))
    try:
        yield running
    finally:
        stop(running)


@pytest.fixture(scope="module")
def site_without_rasa(tmp_path_factory):
    """The site in front of a Rasa server that is down (nothing listens on its port), REST for one partner."""
    running = start(write_site(tmp_path_factory.mktemp("nginx-down"), free_port(), partners_only=True))
    try:
        yield running
    finally:
        stop(running)


def test_nginx_accepts_the_site(tmp_path, servers):
    result = subprocess.run(command(write_site(tmp_path, servers.rasa_port), "-t"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_health_through_https_with_hsts_get_and_head(site):
    answer = site.get("/health")
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
    assert answer.headers[HSTS].startswith("max-age=")
    head = site.get("/health", method="HEAD")
    assert head.status_code == 200 and head.content == b""


def test_health_is_only_for_the_listed_monitors(site):
    assert site.get("/health", source=STRANGER).status_code == 403


def test_plain_http_is_redirected_to_https(site):
    with site.session() as session:
        answer = session.get(f"http://127.0.0.1:{site.http_port}/webhooks/kiosk/", allow_redirects=False, timeout=10)
    assert answer.status_code == 301 and answer.headers["Location"].startswith("https://")


def test_the_kiosk_page_keeps_its_own_headers_and_answers_head(site):
    page = site.get("/webhooks/kiosk/")
    assert page.status_code == 200 and "<html" in page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"] and HSTS in page.headers
    head = site.get("/webhooks/kiosk/", method="HEAD")
    assert head.status_code == 200 and head.content == b"" and "Content-Security-Policy" in head.headers


def test_rest_answers_through_nginx(site):
    answer = site.get(
        "/webhooks/rest/webhook", method="POST", json={"sender": f"n-{uuid.uuid4().hex}", "message": "hello"}
    )
    assert answer.status_code == 200 and answer.json()[0]["text"]


def test_rest_can_be_limited_to_partner_addresses(site_without_rasa):
    answer = site_without_rasa.get("/webhooks/rest/webhook", method="POST", json={"sender": "x", "message": "hello"})
    assert answer.status_code == 403
    assert site_without_rasa.get("/webhooks/kiosk/").status_code != 403  # the limit is REST's alone


def test_an_oversized_body_is_refused_by_nginx(site):
    answer = site.get("/webhooks/rest/webhook", method="POST", data=b"x" * (65 * 1024))
    assert answer.status_code == 413


def test_nothing_else_of_the_rasa_server_is_public(site):
    assert site.get("/conversations/someone/tracker").status_code == 404
    root = site.get("/")
    assert root.status_code == 302 and root.headers["Location"].endswith("/webhooks/kiosk/")


def test_the_kiosk_is_rate_limited_per_address(site):
    statuses = [site.get("/webhooks/kiosk/kiosk.css", source=FLOODER).status_code for _ in range(80)]
    assert statuses[0] == 200
    assert 429 in statuses, statuses
    # Another address is not held back by the flood.
    assert site.get("/webhooks/kiosk/kiosk.css").status_code == 200


def test_sms_still_checks_twilios_signature_when_the_server_is_up(site):
    answer = site.get("/webhooks/sms/webhook", method="POST", data={"From": "+12075550100", "Body": "hello"})
    assert answer.status_code == 403  # the channel's own answer, not replaced by the fallback


def test_sms_gets_the_fallback_reply_while_the_rasa_server_is_down(site_without_rasa):
    answer = site_without_rasa.get(
        "/webhooks/sms/webhook", method="POST", data={"From": "+12075550100", "Body": "help he has a gun"}
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert answer.content == FALLBACK.read_bytes()


def test_no_client_address_is_written(site, site_without_rasa):
    """After every test above (redirects, refusals, a flood over the limit, a Rasa server down), neither
    site wrote a request to an access log, nor a client's address to its error log."""
    site.get("/health")
    for running in (site, site_without_rasa):
        assert running.log("access.log") == ""
        # The site's own error log, and the http level's (at Debian's level, "error").
        assert "127.0.0." not in running.log("site-error.log") + running.log("nginx-error.log")
