"""Load driver, run as its own process: replay prepared requests with N concurrent clients.

Input: a JSON file {"base": url, "requests": [{"method", "path", "headers", "body", "source"}],
"concurrency": n, "total": m, "think_ms": t}. Each of the n clients sends a request, waits for
the answer, pauses t ms (0: closed loop, as fast as the server answers) and sends the next.
A request with a "source" (a loopback address such as 127.0.0.7) is sent from that
address, as many clients' requests are, on a connection of its own.
Output: one JSON line with latencies (ms), throughput and the X-Query-Count the server
reported (mean, min and max over the requests).
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def run(spec: dict) -> dict:
    base = urlsplit(spec["base"])
    requests = spec["requests"]
    total = int(spec["total"])
    concurrency = int(spec["concurrency"])
    think = float(spec.get("think_ms", 0)) / 1000
    latencies: list[float] = []
    queries: list[int] = []
    errors: list[str] = []
    counter = iter(range(total))
    lock = threading.Lock()

    def worker(stagger: float) -> None:
        time.sleep(stagger)  # paced clients start spread out, not as one burst
        conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
        source = None
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            req = requests[i % len(requests)]
            if req.get("source") != source:  # from another loopback address: reconnect
                source = req.get("source")
                conn.close()
                conn = http.client.HTTPConnection(
                    base.hostname, base.port, timeout=30, source_address=(source or "", 0)
                )
            body = req.get("body")
            started = time.perf_counter()
            try:
                conn.request(req["method"], req["path"], body=body, headers=req.get("headers", {}))
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(
                    base.hostname, base.port, timeout=30, source_address=(source or "", 0)
                )
                with lock:
                    errors.append(type(exc).__name__)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if response.status >= 400:
                    errors.append(str(response.status))
                count = response.getheader("X-Query-Count")
                if count is not None:
                    queries.append(int(count))
            if think:
                time.sleep(think)
        conn.close()

    threads = [
        threading.Thread(target=worker, args=(think * n / concurrency,)) for n in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "throughput": len(latencies) / wall if wall else 0.0,
        "p50_ms": _percentile(ordered, 0.50),
        "p95_ms": _percentile(ordered, 0.95),
        "p99_ms": _percentile(ordered, 0.99),
        "mean_queries": statistics.fmean(queries) if queries else None,
        "min_queries": min(queries) if queries else None,
        "max_queries": max(queries) if queries else None,
    }


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(run(json.load(handle))))  # noqa: T201
