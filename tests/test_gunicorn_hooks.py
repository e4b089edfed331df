"""The gunicorn settings `hubhome serve` and the bench share: each worker freezes what it loaded."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_worker_freezes_the_loaded_application_out_of_the_collectors_reach(tmp_path):
    app = tmp_path / "frozen_app.py"
    app.write_text(
        "import gc\n"
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [str(gc.get_freeze_count()).encode()]\n"
    )
    with subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--config", "python:hubhome.gunicorn_hooks",
         "--workers", "1", "--bind", "127.0.0.1:0", "--chdir", str(tmp_path),
         "--log-level", "info", "frozen_app:app"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    ) as server:  # fmt: skip
        try:
            assert server.stderr is not None
            port = None
            deadline = time.monotonic() + 30
            while port is None and time.monotonic() < deadline:
                line = server.stderr.readline()
                if "Listening at: http://127.0.0.1:" in line:
                    port = int(line.rsplit(":", 1)[1].split()[0])
            assert port, "gunicorn did not start"
            for _ in range(50):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:  # noqa: S310
                        frozen = int(r.read())
                    break
                except OSError:
                    time.sleep(0.1)
            assert frozen > 1000  # the modules and everything the worker loaded
        finally:
            server.terminate()
            server.wait(timeout=10)
