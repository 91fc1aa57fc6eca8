"""A live server on 127.0.0.1: the ask API through gradio_client, hardened launch, no outbound traffic."""

import json
import subprocess
import sys

import pytest

from ..conftest import REPO
from .live import free_port, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(fake_sw):
    running = start_server(fake_sw)
    yield running, running.url + "/"
    running.close()


@pytest.fixture
def client(server):
    from gradio_client import Client

    return Client(server[1], analytics_enabled=False, verbose=False)


def test_ask_endpoint_returns_the_ask_json_with_the_rules_check(client):
    out = client.predict("Can I tell children's social care without asking mum?", api_name="/ask")
    assert {"question", "grounded", "quotes", "passages", "timings_ms", "rules"} <= set(out)
    assert {"consent", "public_interest", "schedule_1", "facts", "trace"} <= set(out["rules"])
    for q in out["quotes"]:
        assert set(q) >= {"text", "doc_id", "doc_title", "section", "start", "end", "score"}


def test_ask_endpoint_takes_the_earlier_questions_and_the_practitioners_edits(client):
    out = client.predict("What if she refuses?", ["A 15-year-old told me in confidence her stepdad hits her."],
                         {"apd_in_place": "yes"}, api_name="/ask")
    facts = out["rules"]["facts"]
    assert facts["consent_status"]["value"] == "refused" and facts["protected_person_age"]["value"] == 15
    assert out["edits"] == {"apd_in_place": True} and facts["apd_in_place"]["value"] is True
    assert "unknown fact" in client.predict("Can I share?", None, {"nope": "yes"}, api_name="/ask")["error"]


def test_only_the_ask_endpoint_is_public(client):
    assert list(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == ["/ask"]


def test_a_huge_question_gets_a_clear_message(client):
    out = client.predict("x" * 100_000, api_name="/ask")
    assert "limit is 8,000" in out["error"]


def test_the_apps_are_mounted_hardened(server, fake_sw):
    from assistant.web.server import mount_settings

    settings = mount_settings(fake_sw, 7860, "127.0.0.1")
    assert settings["server_name"] == "127.0.0.1" and settings["ssr_mode"] is False
    assert settings["run_history"] is False and settings["show_error"] is False
    assert settings["enable_monitoring"] is False and settings["mcp_server"] is False
    assert settings["allowed_paths"] == [] and settings["footer_links"] == []
    assert str(fake_sw.settings.index_dir) in settings["blocked_paths"]


PROBE = r"""
import json, sys
attempts = []
def hook(event, args):
    if event == "socket.connect":
        a = args[1]
        attempts.append(str(a[0]) if isinstance(a, tuple) else str(a))
    elif event == "socket.getaddrinfo":
        attempts.append(str(args[0]))
sys.addaudithook(hook)
from assistant.pipeline import Sharewise
from assistant.settings import Settings
from assistant.ui.app import serve
from gradio_client import Client
sw = Sharewise.open(Settings.from_env())
demo = serve(sw, "127.0.0.1", int(sys.argv[1]), block=False)
out = Client(f"http://127.0.0.1:{sys.argv[1]}/", analytics_enabled=False, verbose=False).predict(
    "Do I need consent to share?", api_name="/ask")
demo.close()
print("ATTEMPTS=" + json.dumps(attempts))
print("GROUNDED=" + json.dumps(out.get("grounded")))
"""


def test_serving_and_answering_make_no_outbound_connection(real_sharewise):
    env_index = str(real_sharewise.settings.index_dir)
    import os

    result = subprocess.run([sys.executable, "-c", PROBE, str(free_port())], capture_output=True, text=True,
                            timeout=300, cwd=REPO, env={**os.environ, "SHAREWISE_INDEX_DIR": env_index})
    assert result.returncode == 0, result.stderr[-3000:]
    attempts = json.loads(next(ln for ln in result.stdout.splitlines() if ln.startswith("ATTEMPTS="))[9:])
    outbound = [a for a in attempts if not a.startswith(("127.", "::1", "localhost", "/"))]
    assert outbound == [], outbound
    assert "GROUNDED=true" in result.stdout
