"""`/healthz` under gunicorn answers within 3 s whatever the database does, and recovers.

A load balancer that waits longer than a few seconds for a health check takes the node out
whatever the answer; a stalled database must give a quick 503, not a hang.
"""

from __future__ import annotations

from tests.faults.processes import Answer

ANSWER_SECONDS = 3.0  # the load balancer's patience
REFUSED_SECONDS = 1.0  # a refused connection fails at once: nothing waits for a timeout


def _unavailable(answer: Answer, within: float) -> None:
    assert answer.status == 503, answer.body
    assert answer.json()["status"] == "unavailable"
    assert answer.seconds < within, f"answered after {answer.seconds:.2f} s"


def test_healthz_answers_503_within_3_s_while_its_pooled_connection_stalls(db_proxy, start_server):
    server = start_server()
    assert server.get("/healthz").status == 200
    assert db_proxy.open_connections == 1  # the worker keeps its connection in the pool
    worker = server.worker_pids()
    db_proxy.hold()
    stalled = server.get("/healthz")
    _unavailable(stalled, ANSWER_SECONDS)
    # The stalled connection was thrown away: this time the worker has to connect, and the
    # new connection is held as well.
    accepted = db_proxy.accepted
    reconnecting = server.get("/healthz")
    _unavailable(reconnecting, ANSWER_SECONDS)
    assert db_proxy.accepted == accepted + 1
    db_proxy.pass_through()
    recovered = server.get("/healthz")
    assert recovered.status == 200, recovered.body
    assert server.worker_pids() == worker  # the same worker throughout: none crashed
    print(  # shown with -rP: the timings the report quotes
        f"pooled connection held: {stalled.seconds:.2f} s; new connection held: "
        f"{reconnecting.seconds:.2f} s; after recovery: {recovered.seconds:.3f} s"
    )


def test_healthz_answers_503_within_3_s_while_a_first_connection_stalls(db_proxy, start_server):
    server = start_server()
    assert db_proxy.accepted == 0  # serving a static file did not touch the database
    db_proxy.hold()
    first = server.get("/healthz")
    _unavailable(first, ANSWER_SECONDS)
    assert db_proxy.accepted == 1
    db_proxy.pass_through()
    recovered = server.get("/healthz")
    assert recovered.status == 200, recovered.body
    print(f"first connection held: {first.seconds:.2f} s")


def test_healthz_answers_503_at_once_while_the_database_refuses(db_proxy, start_server):
    server = start_server()
    assert server.get("/healthz").status == 200
    db_proxy.refuse()  # cuts the pooled connection and resets every new one
    cut = server.get("/healthz")
    _unavailable(cut, REFUSED_SECONDS)
    refused = server.get("/healthz")
    _unavailable(refused, REFUSED_SECONDS)
    db_proxy.pass_through()
    recovered = server.get("/healthz")
    assert recovered.status == 200, recovered.body
    print(f"pooled connection cut: {cut.seconds:.3f} s; refused: {refused.seconds:.3f} s")


def test_healthz_answers_200_while_the_database_is_slow_but_within_the_deadline(
    db_proxy, start_server
):
    server = start_server()
    assert server.get("/healthz").status == 200
    db_proxy.slow(0.05)  # every answer from the database 0.05 s late
    slow = server.get("/healthz")
    assert slow.status == 200, slow.body
    assert 0.05 <= slow.seconds < ANSWER_SECONDS
    db_proxy.slow(5)  # later than the deadline
    late = server.get("/healthz")
    _unavailable(late, ANSWER_SECONDS)
    db_proxy.pass_through()
    assert server.get("/healthz").status == 200
    print(f"database 0.05 s late: {slow.seconds:.2f} s; 5 s late: {late.seconds:.2f} s")
