"""The served app against a prober: sign-in and roles, routes, hosts, headers, limits, bound files (issue 13).

Each test names the finding it covers (H1, H3, H5, M1, M4-M9, L1, L7, L8) or the protection that held and must
keep holding (traversal, cross-origin 403)."""

import inspect
import json
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import gradio as gr
import pytest

from assistant.ui.staff import build_staff_app
from assistant.web.guard import LOGIN_COOKIE, NotAllowed, Web

from .live import NoRedirect, accounts, call, request_as, signed_in, start_server

pytestmark = pytest.mark.slow

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PEOPLE = accounts(practitioner=("u", "right-pass"), guardian="g-secret", evaluator="e-secret")


@pytest.fixture(scope="module")
def secured(fake_sw, tmp_path_factory):
    import copy
    from dataclasses import replace

    sw = copy.copy(fake_sw)
    sw.settings = replace(fake_sw.settings, data_dir=tmp_path_factory.mktemp("security-audit"))
    sw.with_audit()
    running = start_server(sw, PEOPLE)
    yield running.url, sw, running
    running.close()


@pytest.fixture(autouse=True)
def _fresh_throttle(request):
    if "secured" in request.fixturenames:
        web = request.getfixturevalue("secured")[2].web
        web.throttle._counts.clear()


def login(base, name, password, headers=None):
    return call(base + "/login", "POST", f"username={name}&password={password}&next=/staff/".encode(),
                {**FORM, **(headers or {})})


def queue_call(base, opener, fn_index, data, prefix="/staff"):
    """Run one event through Gradio's queue as the browser does; the completion message (or the HTTP refusal)."""
    session = f"probe{fn_index}{time.monotonic_ns()}"
    status, body, _ = call(base + prefix + "/gradio_api/queue/join", "POST",
                           json.dumps({"data": data, "fn_index": fn_index, "session_hash": session,
                                       "event_data": None, "trigger_id": None}).encode(),
                           {"Content-Type": "application/json"}, opener)
    if status != 200:
        return {"status": status}
    req = urllib.request.Request(base + prefix + f"/gradio_api/queue/data?session_hash={session}")
    with opener.open(req, timeout=60) as stream:
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    return msg
    return {}


# ---- H1, L1, M8: the staff tools' own sign-in ---------------------------------------------------------------

def test_h1_the_staff_tools_need_a_staff_sign_in_and_a_practitioner_login_is_not_one(secured):
    base, _, _ = secured
    status, _, headers = call(base + "/staff/")
    assert status == 303 and headers["Location"] == "/login?next=/staff/"
    for path in ("/staff/config", "/staff/gradio_api/info", "/staff/gradio_api/upload"):
        assert call(base + path, "POST" if path.endswith("upload") else "GET")[0] == 401, path
    practitioner = signed_in(base, "u", "right-pass")
    assert call(base + "/staff/config", opener=practitioner)[0] == 401
    assert call(base + "/config", opener=practitioner)[0] == 200  # the chat is theirs
    guardian = signed_in(base, "guardian", "g-secret")
    assert call(base + "/staff/config", opener=guardian)[0] == 200


def test_h1_every_staff_handler_refuses_a_practitioner_called_directly(fake_sw, tmp_path):
    """Gradio lists private events in /config and runs them by index: each handler must check the role itself."""
    web = Web(root=tmp_path / "web")
    staff = build_staff_app(fake_sw, web)
    fns = list(staff.fns.values())
    assert len(fns) >= 8
    for who in (request_as(web, None), request_as(web, "practitioner")):
        for fn in fns:
            params = [p for p in inspect.signature(fn.fn).parameters.values() if p.default is inspect.Parameter.empty]
            args = [who if "Request" in str(p.annotation) else None for p in params]
            with pytest.raises((gr.Error, NotAllowed)):
                fn.fn(*args)


def test_h1_review_handlers_refuse_an_evaluator_even_past_the_gate(secured):
    """The gate admits evaluators to /staff; the Review handlers themselves refuse them (queue/join by index)."""
    base, _, _ = secured
    evaluator = signed_in(base, "evaluator", "e-secret")
    refused = queue_call(base, evaluator, 0, ["", "", "", "", ""])  # on_queue
    assert refused.get("success") is False and "guardian" in json.dumps(refused)
    guardian = signed_in(base, "guardian", "g-secret")
    listed = queue_call(base, guardian, 0, ["", "", "", "", ""])
    assert listed.get("success") is True


def test_h1_l1_sign_in_is_a_strict_cookie_bound_to_the_server_and_log_out_is_a_post(secured):
    base, sw, running = secured
    status, _, headers = login(base, "guardian", "g-secret")
    assert status == 303 and headers["Location"] == "/staff/"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(LOGIN_COOKIE + "=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert running.web.logins.get(token).account.role == "guardian"
    opener = urllib.request.build_opener(NoRedirect)
    opener.addheaders = [("Cookie", f"{LOGIN_COOKIE}={token}")]
    assert call(base + "/staff/config", opener=opener)[0] == 200
    assert call(base + "/logout", opener=opener)[0] == 404  # a GET (a link, an image) logs no one out
    assert call(base + "/staff/logout", opener=opener)[0] == 404  # nor Gradio's own log-out route
    assert call(base + "/staff/config", opener=opener)[0] == 200
    assert call(base + "/logout", "POST", b"", opener=opener)[0] == 303
    assert call(base + "/staff/config", opener=opener)[0] == 401  # the token is dead on the server
    kinds = sw.audit.status()["by_kind"]
    assert kinds.get("login", 0) >= 1 and kinds.get("logout", 0) >= 1


def test_h1_m8_wrong_passwords_are_throttled_and_audited(secured):
    base, sw, _ = secured
    before = sw.audit.status()["by_kind"].get("login_failed", 0)
    codes = [login(base, "guardian", f"guess{n}")[0] for n in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    status, _, headers = login(base, "guardian", "g-secret")
    assert status == 429 and int(headers["Retry-After"]) > 0  # even the right password waits: guessing gains nothing
    failed = [r for r in sw.audit.rows("login_failed")][before:]
    assert len(failed) == 6 and {r["content"]["account"] for r in failed} == {"guardian"}  # 5 wrong, 1 lock
    assert login(base, "Ruby Thompson 943 476 5919", "x")[0] == 401
    assert "Ruby" not in json.dumps(sw.audit.rows("login_failed")[-1]["content"])  # what was typed is not kept


def test_h3_a_rotating_forwarded_for_does_not_escape_the_throttle(secured):
    base, _, _ = secured
    codes = [login(base, "guardian", f"guess{n}", {"X-Forwarded-For": f"203.0.113.{n}"})[0] for n in range(7)]
    assert codes[5:] == [429, 429]


def test_h3_one_guesser_does_not_lock_out_the_other_users_at_the_same_address(secured):
    base, _, _ = secured
    for n in range(7):
        login(base, "guardian", f"guess{n}")
    assert login(base, "guardian", "g-secret")[0] == 429
    assert login(base, "u", "right-pass")[0] == 303  # the practitioner at the same address signs in


def test_h1_a_flood_of_sessions_and_sign_ins_does_not_end_a_staff_login(secured):
    """The privilege was a Gradio session flag that 520 throw-away sessions evicted; now it is the login's."""
    base, _, running = secured
    guardian = signed_in(base, "guardian", "g-secret")
    for n in range(40):  # throw-away sign-ins and chat events under fresh session ids
        practitioner = signed_in(base, "u", "right-pass")
        queue_call(base, practitioner, 0, [f"q{n}", None, None], prefix="")
    assert call(base + "/staff/config", opener=guardian)[0] == 200
    store = type(running.web.logins)(capacity=3)
    from assistant.web.accounts import Account

    first = store.start(Account("guardian", "guardian"))
    assert [store.start(Account("u", "practitioner")) is not None for _ in range(4)] == [True, True, False, False]
    assert store.get(first) is not None  # a full store refuses new sign-ins; it never evicts a live one


# ---- L8, M6, M9, M7: routes, hosts, CORS --------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("POST", "/gradio_api/cancel"), ("POST", "/gradio_api/reset"), ("GET", "/gradio_api/heartbeat/x"),
    ("GET", "/config"), ("GET", "/gradio_api/info"), ("GET", "/gradio_api/startup-events"),
    ("POST", "/gradio_api/run/ask"), ("POST", "/gradio_api/queue/join")])
def test_l8_nothing_answers_without_a_sign_in_when_sign_in_is_on(secured, method, path):
    status, _, _ = call(secured[0] + path, method, b"{}" if method == "POST" else None,
                        {"Content-Type": "application/json"})
    assert status in (401, 404), (path, status)


@pytest.mark.parametrize("method, path", [
    ("GET", "/gradio_api/deep_link?session_hash=x"), ("POST", "/gradio_api/vibe-edit"), ("GET", "/monitoring"),
    ("GET", "/gradio_api/runs"), ("POST", "/gradio_api/process_recording"), ("GET", "/gradio_api/proxy=http://x"),
    ("POST", "/gradio_api/reset"), ("GET", "/logout"), ("GET", "/gradio_api/dev/reload")])
def test_m6_m9_risky_gradio_routes_are_closed_even_signed_in(secured, method, path):
    base = secured[0]
    opener = signed_in(base, "u", "right-pass")
    assert call(base + path, method, b"{}" if method == "POST" else None, {"Content-Type": "application/json"},
                opener)[0] == 404, path


def test_m6_profiling_and_the_vibe_editor_stay_off_whatever_the_environment_says(fake_sw, monkeypatch):
    monkeypatch.setenv("GRADIO_PROFILING", "1")
    monkeypatch.setenv("GRADIO_VIBE_MODE", "1")
    import gradio.profiling as profiling

    running = start_server(fake_sw)
    try:
        assert profiling.PROFILING_ENABLED is False and os.environ.get("GRADIO_VIBE_MODE") is None
        assert call(running.url + "/gradio_api/vibe-code")[0] == 404
    finally:
        running.close()


def test_m7_an_unknown_host_name_is_refused_dns_rebinding(secured):
    assert call(secured[0] + "/login", headers={"Host": "attacker.example:7860"})[0] == 421
    assert call(secured[0] + "/login", headers={"Host": "localhost"})[0] == 200


@pytest.mark.parametrize("host", ["127.0.0.1:7881@attacker.example", "[::1]attacker.example", "", "a b"])
def test_m7_a_malformed_host_header_is_refused(secured, host):
    assert call(secured[0] + "/login", headers={"Host": host})[0] in (400, 421)


def test_a_request_naming_a_server_file_copies_nothing_into_the_cache(secured):
    """Gradio only checks named paths once an app has launched, which a mounted app never does by itself."""
    base, sw, running = secured
    opener = signed_in(base, "u", "right-pass")
    target = str(sw.settings.index_dir / "manifest.json")
    chat_value = [{"role": "user", "content": [{"type": "file", "file": {"path": target,
                                                                         "meta": {"_type": "gradio.FileData"}}}]}]
    for fn_index in range(4):
        queue_call(base, opener, fn_index, ["What is Clare's Law?", chat_value, None], prefix="")
    cache = running.web.downloads.root / "gradio"
    assert not [p for p in cache.rglob("manifest.json")] if cache.exists() else True


def test_the_call_route_is_closed_its_results_are_not_bound_to_the_caller(secured):
    opener = signed_in(secured[0], "u", "right-pass")
    assert call(secured[0] + "/gradio_api/call/ask", "POST", b'{"data": ["x"]}',
                {"Content-Type": "application/json"}, opener)[0] == 404


def test_m7_no_cors_headers_even_for_a_localhost_origin(secured):
    base = secured[0]
    opener = signed_in(base, "u", "right-pass")
    _, _, headers = call(base + "/config", headers={"Origin": "http://localhost:9999"}, opener=opener)
    assert not [h for h in headers if h.lower().startswith("access-control-")]


def test_cross_origin_writes_are_refused_even_when_signed_in(secured):
    base = secured[0]
    opener = signed_in(base, "guardian", "g-secret")
    for path in ("/staff/gradio_api/upload", "/staff/gradio_api/queue/join", "/logout"):
        for origin in ("https://evil.example", "null"):
            status, _, _ = call(base + path, "POST", b"--x--", {"Origin": origin,
                                "Content-Type": "multipart/form-data; boundary=x"}, opener)
            assert status == 403, (path, origin)


@pytest.mark.parametrize("target", ["/etc/passwd", "/tmp/gradio/../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd",
                                    "INDEX/manifest.json", "MODEL/config.json", "../../pyproject.toml"])
def test_file_routes_serve_nothing_outside_the_app(secured, target):
    base, sw, _ = secured
    opener = signed_in(base, "guardian", "g-secret")
    target = target.replace("INDEX", str(sw.settings.index_dir)).replace("MODEL", str(sw.settings.model_dir))
    for prefix in ("", "/staff"):
        for route in ("/gradio_api/file=", "/file=", "/download/x/"):
            status, body, _ = call(base + prefix + route + target, opener=opener)
            assert status in (400, 403, 404), (prefix, route, target, status)
            assert b"root:" not in body and b"weights_sha256" not in body and b"[project]" not in body


# ---- M4, L1: headers ----------------------------------------------------------------------------------------

def test_m4_a_full_content_security_policy_and_the_other_headers_on_every_response(secured):
    base = secured[0]
    for path in ("/login", "/", "/staff/", "/nowhere"):
        _, _, headers = call(base + path)
        csp = headers["Content-Security-Policy"]
        assert "img-src 'self' data:" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin" and headers["Cache-Control"] == "no-store"


# ---- M5: bounded requests ------------------------------------------------------------------------------------

def _post_status(opener, url, data, headers):
    """The status of a POST, or "cut" when the server refused and closed while the body was still being sent."""
    try:
        return opener.open(urllib.request.Request(url, data=data, method="POST", headers=headers), timeout=60).status
    except urllib.error.HTTPError as e:
        return e.code
    except (ConnectionResetError, BrokenPipeError, urllib.error.URLError):
        return "cut"


def test_m5_an_oversized_upload_is_refused_as_it_streams(secured):
    from assistant.web.gate import UPLOAD_LIMIT  # a document as large as the sandbox reads, and its envelope

    base, _, running = secured
    opener = signed_in(base, "guardian", "g-secret")
    body = b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"q.jsonl\"\r\n\r\n" + \
        b"a" * UPLOAD_LIMIT + b"\r\n--x--\r\n"
    kept = {p for paths in running.web.uploads.values() for p in paths}
    form = {"Content-Type": "multipart/form-data; boundary=x"}
    assert _post_status(opener, base + "/staff/gradio_api/upload", body, form) in (413, "cut")

    def chunks():  # no Content-Length: counted as it streams
        yield body[:200]
        for _ in range(UPLOAD_LIMIT // 65536 + 2):
            yield b"a" * 65536

    assert _post_status(opener, base + "/staff/gradio_api/upload", chunks(),
                        {**form, "Transfer-Encoding": "chunked"}) in (413, "cut")
    assert {p for paths in running.web.uploads.values() for p in paths} == kept  # nothing was stored
    assert call(base + "/login")[0] == 200  # and the server is fine


def test_m5_the_direct_ask_api_admits_only_a_few_at_once(fake_sw):
    import copy

    sw = copy.copy(fake_sw)
    gate_open = threading.Event()
    real = sw.answer

    def slow(*a, **k):
        gate_open.wait(20)
        return real(*a, **k)

    sw.answer = slow
    running = start_server(sw)
    try:
        body = json.dumps({"data": ["Do I need consent?", None, None]}).encode()

        def one(_):
            return call(running.url + "/gradio_api/run/ask", "POST", body, {"Content-Type": "application/json"})[0]

        with ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(one, n) for n in range(12)]
            time.sleep(3)
            gate_open.set()
            codes = [f.result() for f in futures]
        assert codes.count(503) >= 12 - 4 - 1 and codes.count(200) >= 1, codes
    finally:
        running.close()


# ---- L7, M1: files bound to whoever made them, in a private folder ---------------------------------------------

def test_l7_a_record_file_is_offered_only_to_the_browser_that_made_it(secured, tmp_path):
    base, _, running = secured
    web = running.web
    path = web.downloads.folder("records") / "record.md"
    path.write_text("# Record")
    url = web.downloads.offer(path, "client:browser-a")
    mine, theirs = urllib.request.build_opener(), urllib.request.build_opener()
    practitioner = signed_in(base, "u", "right-pass")
    mine.addheaders = [("Cookie", "sw_client=browser-a")]
    theirs.addheaders = [("Cookie", "sw_client=browser-b")]
    assert call(base + url, opener=theirs)[0] == 404
    assert call(base + url, opener=practitioner)[0] == 404
    status, body, _ = call(base + url, opener=mine)
    assert status == 200 and body == b"# Record"


def test_m1_files_and_gradios_cache_live_in_a_private_folder_removed_on_schedule(fake_sw):
    running = start_server(fake_sw)
    try:
        root = running.web.downloads.root
        assert oct(root.stat().st_mode & 0o777) == "0o700"
        assert os.environ["GRADIO_TEMP_DIR"].startswith(str(root))  # Gradio's cache (uploads) is inside it
        old = running.web.downloads.folder("records") / "old.md"
        new = running.web.downloads.folder("records") / "new.md"
        old.write_text("x")
        new.write_text("y")
        os.utime(old, (time.time() - 7200, time.time() - 7200))
        assert running.web.downloads.sweep() >= 1 and not old.exists() and new.exists()
    finally:
        running.close()


def test_h5_a_staff_upload_is_bound_to_the_login_that_made_it(secured):
    base, _, running = secured
    opener = signed_in(base, "evaluator", "e-secret")
    body = (b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"q.jsonl\"\r\n"
            b"Content-Type: application/octet-stream\r\n\r\n{}\r\n--x--\r\n")
    status, out, _ = call(base + "/staff/gradio_api/upload", "POST", body,
                          {"Content-Type": "multipart/form-data; boundary=x"}, opener)
    assert status == 200
    path = json.loads(out)[0]
    owners = [t for t, paths in running.web.uploads.items() if path in paths]
    assert len(owners) == 1 and running.web.logins.get(owners[0]).account.name == "evaluator"
