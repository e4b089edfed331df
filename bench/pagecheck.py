"""Time and profile the `--org-scale` pages in-process, against an already generated database.

    python -m bench.pagecheck --db postgresql+psycopg://postgres@127.0.0.1/hubhome_bench \
        [--reuse] [--repeat 20] [--profile] [page_call_log page_ivo_report ...]

Builds each page scenario's requests (`bench/pages.py`) against the app served in this process,
then sends them through Flask's test client: the median and worst wall and CPU time per request
(`time.process_time`, which the machine's other load moves far less than the wall clock) and
the `X-Query-Count` of each. `--profile` prints each page's top functions by cumulative time
(cProfile). `--reuse` first recreates the database from its generated copy (`bench/reuse.py`):
the live panel's scenario rings 40 calls each time it is built.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import statistics
import threading
import time

from werkzeug.serving import make_server

from bench.__main__ import DEFAULT_DB, _free_port, _server_env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pagecheck", description=__doc__)
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)

    from bench import reuse
    from bench.pages import PAGES
    from config import Settings
    from hubhome import create_app

    generated = reuse.restore(args.db) if args.reuse else reuse.load(args.db)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = _free_port()
    app = create_app(Settings.from_env(_server_env(args.db, port)))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    client = app.test_client(use_cookies=False)
    try:
        for name in args.pages or list(PAGES):
            requests = PAGES[name](base, generated)
            walls: list[float] = []
            cpus: list[float] = []
            queries: set[int] = set()
            profiler = cProfile.Profile() if args.profile else None
            for i in range(args.repeat * len(requests)):
                request = requests[i % len(requests)]
                wall, cpu = time.perf_counter(), time.process_time()
                if profiler is not None and i >= len(requests):  # the first round warms up
                    profiler.enable()
                response = client.open(
                    request["path"],
                    method=request["method"],
                    headers=request.get("headers", {}),
                    data=request.get("body"),
                )
                if profiler is not None:
                    profiler.disable()
                cpus.append((time.process_time() - cpu) * 1000)
                walls.append((time.perf_counter() - wall) * 1000)
                if response.status_code >= 400:
                    print(f"{name}: {request['path']} answered {response.status_code}")  # noqa: T201
                count = response.headers.get("X-Query-Count")
                if count is not None:
                    queries.add(int(count))
            print(  # noqa: T201
                f"{name:32} wall p50 {statistics.median(walls):7.1f} max {max(walls):7.1f} ms"
                f"  cpu p50 {statistics.median(cpus):7.1f} ms  queries {sorted(queries)}"
            )
            if profiler is not None:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
                print(out.getvalue())  # noqa: T201
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
