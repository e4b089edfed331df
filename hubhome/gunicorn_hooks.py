"""Gunicorn settings shared by `hubhome serve` and the bench (`-c python:hubhome.gunicorn_hooks`).

`post_worker_init`: once a worker has loaded the application, everything alive then (modules,
the app, SQLAlchemy's mappers and compiled statements, Babel's catalogs: hundreds of thousands
of objects that live as long as the worker) is moved out of the garbage collector's reach with
`gc.freeze()`. Otherwise every full collection walks them again: measured at the largest
municipality, the outcomes page's worker CPU fell from 67–82 ms to 48–60 ms per request, and a
full collection in the middle of a request (80 ms) was what put its p95 far above its p50.
Reference counting still frees everything a request makes; only cycles wait for the collector.
"""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:  # noqa: ARG001  (gunicorn's hook signature)
    gc.collect()
    gc.freeze()
