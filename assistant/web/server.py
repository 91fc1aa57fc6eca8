"""The served application: FastAPI with the chat at `/`, the staff tools at `/staff`, behind one gate.

`build(sw, web)` makes the ASGI app: the sign-in and download routes, the staff app (review and evaluation,
guardian and evaluator logins only) and the chat, mounted with Gradio's hardened settings, all behind `Gate`.
`start(...)` serves it with uvicorn on a background thread and returns a handle to stop it; `serve` is what
`sharewise serve` runs. Gradio's risky switches are forced off before Gradio is imported (profiling traces,
the vibe editor), its cache lives in the server's private temporary folder, and `X-Forwarded-For` is believed
only from the proxies in FORWARDED_ALLOW_IPS (none unless set).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from .accounts import Accounts
from .gate import Gate
from .guard import Web

FORCED_OFF = ("GRADIO_PROFILING", "GRADIO_VIBE_MODE", "GRADIO_SHARE", "GRADIO_SSR_MODE", "GRADIO_MCP_SERVER",
              "GRADIO_RUN_HISTORY", "GRADIO_WATCH_DIRS")


def quiet_gradio_environment() -> None:
    """Switch off what must never be on, whatever the environment says (before gradio is imported)."""
    for var in FORCED_OFF:
        os.environ.pop(var, None)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["GRADIO_PROFILING"] = "0"


def _harden(blocks: Any) -> None:
    blocks.vibe_mode = False
    blocks.state_session_capacity = 500  # per-process session memory is bounded
    try:
        import gradio.profiling as profiling

        profiling.PROFILING_ENABLED = False
    except ImportError:  # an older gradio without profiling
        pass


def mount_settings(sw: Any, port: int, host: str) -> dict[str, Any]:
    """Gradio's settings for a mounted app: no SSR, run history, monitoring, MCP, PWA, errors or footer links;
    no file paths allowed beyond its own cache, the index, model and audit folders blocked outright."""
    import gradio as gr

    from ..ui.page_js import RADIO_GROUPS_JS
    from ..ui.theme import CSS

    settings = sw.settings
    return dict(server_name=host, server_port=port, footer_links=[], run_history=False, show_error=False,
                ssr_mode=False, enable_monitoring=False, mcp_server=False, pwa=False, max_file_size="256kb",
                allowed_paths=[], blocked_paths=[str(p) for p in (settings.index_dir, settings.model_dir,
                                                                  settings.data_dir)],
                theme=gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]),
                css=CSS, js=RADIO_GROUPS_JS)


QUEUE = (2, 64)  # answers worked on at once per app, and answers waiting at most


def build(sw: Any, web: Web, host: str = "127.0.0.1", port: int = 7860, hosts: set[str] | None = None,
          queue: tuple[int, int] = QUEUE) -> Any:
    """The whole ASGI application, behind the gate."""
    os.environ["GRADIO_TEMP_DIR"] = str(web.downloads.root / "gradio")
    quiet_gradio_environment()
    import gradio as gr
    from fastapi import FastAPI

    from ..ui.app import build_app
    from ..ui.staff import build_staff_app
    from .pages import add_routes

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    add_routes(app, web, sw.audit)
    chat, staff = build_app(sw, web), build_staff_app(sw, web)
    for blocks in (chat, staff):
        blocks.queue(default_concurrency_limit=queue[0], max_size=queue[1])
        _harden(blocks)
    settings = mount_settings(sw, port, host)
    staff_user = _user(web, staff=True)
    # The staff app takes one local document as large as the parsing sandbox reads (the guardian's Local documents
    # tab); the chat keeps 256 KB (and has no upload route at all: the gate refuses it).
    from .gate import DOCUMENT_LIMIT

    gr.mount_gradio_app(app, staff, "/staff", auth_dependency=staff_user,
                        **{**settings, "max_file_size": DOCUMENT_LIMIT})
    gr.mount_gradio_app(app, chat, "", auth_dependency=_user(web, staff=False)
                        if web.accounts.practitioners_sign_in else None, **settings)
    for blocks in (chat, staff):
        # Gradio checks the file paths a request names (only its own uploads; never the blocked folders) only
        # once an app "has launched", which a mounted app never does: without this, any signed-in user could
        # make the server copy any file it can read into the cache.
        blocks.has_launched = True
    return Gate(app, web, hosts=(hosts or set()) | {host.lower()})


def _user(web: Web, staff: bool):
    from .accounts import STAFF_ROLES

    def user(request: Any) -> str | None:
        who = web.caller(request)
        if who.account is None or (staff and who.account.role not in STAFF_ROLES):
            return None
        return who.account.name

    return user


@dataclass
class Running:
    """A server on a background thread; `close()` stops it."""

    server: Any
    thread: threading.Thread
    web: Web
    url: str
    sweeping: threading.Event  # set it to stop the downloads' sweep
    watching: threading.Event | None = None  # set it to stop watching for a new index build

    def close(self) -> None:
        self.sweeping.set()
        if self.watching is not None:
            self.watching.set()
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def block_thread(self) -> None:
        try:
            while self.thread.is_alive():
                self.thread.join(0.5)
        except KeyboardInterrupt:
            self.close()


def allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in os.environ.get("SHAREWISE_ALLOWED_HOSTS", "").split(",") if h.strip()}


def start(sw: Any, host: str = "127.0.0.1", port: int = 7860, accounts: Accounts | None = None,
          web: Web | None = None, queue: tuple[int, int] = QUEUE) -> Running:
    """Serve on host:port from a background thread; returns once it answers."""
    import uvicorn

    web = web or Web(accounts or Accounts.from_env())
    app = build(sw, web, host, port, allowed_hosts(), queue)
    trusted = os.environ.get("FORWARDED_ALLOW_IPS", "").strip()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            proxy_headers=bool(trusted), forwarded_allow_ips=trusted or "",
                            server_header=False, date_header=False, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="sharewise-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise OSError(f"the server could not start on {host}:{port} (is the port in use?)")
        time.sleep(0.05)
    # A document ingested while serving (`sharewise ingest`, or the staff page) is answered from within seconds.
    watching = sw.watch_index() if hasattr(sw, "watch_index") else None
    return Running(server, thread, web, f"http://{host}:{port}", web.downloads.start_sweeping(), watching)
