"""HTTP hardening in front of the Gradio app: headers, same-origin writes, login throttling."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from urllib.parse import urlparse

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse

HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
MAX_FAILURES, WINDOW_S = 5, 60.0


class Hardening(BaseHTTPMiddleware):
    """Refuses cross-origin state changes and throttles repeated wrong passwords; adds headers."""

    failures: dict[str, deque] = defaultdict(deque)
    lock = threading.Lock()

    async def dispatch(self, request, call_next):
        client = request.client.host if request.client else "?"
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if origin is not None and (origin == "null" or urlparse(origin).netloc != request.headers.get("host")):
                return JSONResponse({"error": "cross-origin request refused"}, status_code=403)
        is_login = request.method == "POST" and request.url.path.rstrip("/").endswith("/login")
        if is_login and self._throttled(client):
            return JSONResponse({"error": "too many failed logins: wait a minute and try again"}, status_code=429)
        response = await call_next(request)
        if is_login and response.status_code >= 400:
            with self.lock:
                self.failures[client].append(time.monotonic())
        for k, v in HEADERS.items():
            response.headers.setdefault(k, v)
        if not request.url.path.startswith(("/assets", "/static", "/gradio_api/file")):
            response.headers["Cache-Control"] = "no-store"
        return response

    def _throttled(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            q = self.failures[client]
            while q and now - q[0] > WINDOW_S:
                q.popleft()
            return len(q) >= MAX_FAILURES
