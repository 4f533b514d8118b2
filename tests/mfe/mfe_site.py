"""
The MFE host of a Tutor install, for the MFE tests: a built MFE served as tutor-mfe's Caddyfile serves it, on
an origin apart from the LMS's.

- ``/learner-dashboard/<path>``: the file of the build, or its ``index.html`` (the MFE routes in the browser);
- ``/api/mfe_config/v1...``: passed to the LMS, whose answer configures the MFE at start-up (Tutor builds
  MFEs with this relative ``MFE_CONFIG_API_URL``).
"""

import mimetypes
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

MFE_CONFIG_API = "/api/mfe_config/v1"


@contextmanager
def serving(build: Path, app: str, lms_url: str):
    """
    Serve the MFE ``app`` built in ``build`` beside the LMS at ``lms_url``, on the LMS's host name (cookies
    are shared by host, whatever the port, as the LMS and MFE hosts of a Tutor install share them by domain):
    yields the MFE host's URL.
    """
    prefix = f"/{app}"

    class MfeHost(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            path = urlsplit(self.path).path
            if path.startswith(MFE_CONFIG_API):
                self.answer(*from_lms(lms_url + self.path))
            elif path == prefix or path.startswith(f"{prefix}/"):
                self.answer(200, *build_file(build, path.removeprefix(prefix)))
            else:
                self.answer(404, "text/plain", b"Not found")

        def answer(self, status, content_type, body):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # the test's output is no access log
            pass

    host = urlsplit(lms_url).hostname
    server = ThreadingHTTPServer((host, 0), MfeHost)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build_file(build: Path, path: str) -> tuple[str, bytes]:
    """
    The content type and content of ``path`` in the build, or of its ``index.html``.
    """
    found = (build / path.lstrip("/")).resolve()
    if not found.is_file() or not found.is_relative_to(build.resolve()):
        found = build / "index.html"
    return mimetypes.guess_type(found.name)[0] or "application/octet-stream", found.read_bytes()


def from_lms(url: str) -> tuple[int, str, bytes]:
    """
    The LMS's status, content type and content for ``url``.
    """
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()
