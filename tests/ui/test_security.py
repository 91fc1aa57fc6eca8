"""The server with login on: closed routes, throttled passwords, same-origin writes, no file leaks, headers."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

import pytest

from assistant.ui.app import build_app, launch_settings

from .test_server import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def secured(fake_sw):
    port = free_port()
    demo = build_app(fake_sw)
    demo.queue()
    blocked = [str(fake_sw.settings.index_dir), str(fake_sw.settings.model_dir)]
    demo.launch(prevent_thread_lock=True, **launch_settings("127.0.0.1", port, ("guardian", "s3cret-pass"), blocked))
    yield f"http://127.0.0.1:{port}", fake_sw
    demo.close()


def call(url, method="GET", data=None, headers=None, opener=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        r = (opener or urllib.request.build_opener()).open(req, timeout=30)
        return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


def logged_in(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, _, _ = call(base + "/login", "POST", b"username=guardian&password=s3cret-pass",
                        {"Content-Type": "application/x-www-form-urlencoded"}, opener)
    assert status in (200, 302, 303)
    return opener


def test_unauthenticated_requests_are_refused(secured):
    base, _ = secured
    for path in ("/config", "/gradio_api/info", "/gradio_api/upload", "/monitoring", "/gradio_api/runs"):
        status, body, _ = call(base + path)
        assert status in (401, 403, 404, 405), (path, status)
    assert call(base + "/")[0] == 200  # the login page


def test_security_headers_are_set(secured):
    _, _, headers = call(secured[0] + "/")
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"


def test_cross_origin_writes_are_refused_even_when_logged_in(secured):
    base, _ = secured
    opener = logged_in(base)
    for origin in ("https://evil.example", "null"):
        status, _, _ = call(base + "/gradio_api/upload", "POST", b"--x--", {"Origin": origin,
                            "Content-Type": "multipart/form-data; boundary=x"}, opener)
        assert status == 403, origin


@pytest.mark.parametrize("target", ["/etc/passwd", "/tmp/gradio/../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd",
                                    "INDEX/manifest.json", "MODEL/config.json", "../../pyproject.toml"])
def test_file_routes_serve_nothing_outside_the_app(secured, target):
    base, sw = secured
    opener = logged_in(base)
    target = target.replace("INDEX", str(sw.settings.index_dir)).replace("MODEL", str(sw.settings.model_dir))
    status, body, _ = call(base + "/gradio_api/file=" + target, opener=opener)
    assert status in (400, 403, 404), (target, status)
    assert b"root:" not in body and b"weights_sha256" not in body and b"[project]" not in body


def test_repeated_wrong_passwords_are_throttled(fake_sw):
    from assistant.ui.security import Hardening

    Hardening.failures.clear()
    port = free_port()
    demo = build_app(fake_sw)
    demo.queue()
    demo.launch(prevent_thread_lock=True, **launch_settings("127.0.0.1", port, ("u", "right")))
    try:
        codes = [call(f"http://127.0.0.1:{port}/login", "POST", b"username=u&password=wrong",
                      {"Content-Type": "application/x-www-form-urlencoded"})[0] for _ in range(7)]
        assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]
        # Even the right password waits out the window: guessing gains nothing.
        assert call(f"http://127.0.0.1:{port}/login", "POST", b"username=u&password=right",
                    {"Content-Type": "application/x-www-form-urlencoded"})[0] == 429
    finally:
        demo.close()
