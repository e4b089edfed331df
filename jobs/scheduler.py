"""The scheduler process: APScheduler 3, one runner at a time (see jobs.lock)."""

from __future__ import annotations

import logging
import signal
import threading
import traceback
from collections.abc import Callable
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import update

from hubhome.ops.health import alert_if_scheduler_stale, heartbeat, report_failed_job
from hubhome.ops.models import JobRun
from hubhome.ops.schedule import stop_requested
from hubhome.timeutil import utcnow
from hubhome.transaction import unit_of_work
from jobs.lock import RENEW_SECONDS, lock_for
from jobs.registry import JobSpec, all_jobs

log = logging.getLogger(__name__)


def run_job(app: Flask, spec: JobSpec) -> JobRun:
    """Run one job as one unit of work; its run is recorded in units of their own, so a
    failed job still shows, rolled back, on the job page."""
    with app.app_context():
        with unit_of_work() as session:
            run = JobRun(job=spec.name, started_at=utcnow())
            session.add(run)
            session.flush()
            run_id = run.id
        try:
            with unit_of_work() as session:
                rows = spec.func(session)
        except Exception as exc:
            log.exception("job %s failed", spec.name)
            with unit_of_work() as session:
                run = session.get_one(JobRun, run_id)
                run.outcome = "failed"
                run.error = "".join(traceback.format_exception_only(exc))[:4000]
                run.finished_at = utcnow()
                report_failed_job(session, spec.name)
        else:
            with unit_of_work() as session:
                run = session.get_one(JobRun, run_id)
                run.outcome = "ok"
                run.rows = rows
                run.finished_at = utcnow()
        with unit_of_work() as session:
            run = session.get_one(JobRun, run_id)
            session.refresh(run)  # loaded again: the caller reads it after the session ends
            session.expunge(run)
        return run


ABANDONED = "abandoned: the scheduler stopped during this run (closed by the next runner)"


def close_abandoned_runs(app: Flask) -> int:
    """Close the runs a scheduler left "running" when it died (kill -9, a crash, a lost
    machine). Called by the runner that has just taken the lock: only a holder of the lock
    runs jobs, so every run still "running" then belongs to a runner that is gone."""
    with app.app_context(), unit_of_work() as session:
        result = session.execute(
            update(JobRun)
            .where(JobRun.outcome == "running")
            .values(outcome="failed", error=ABANDONED, finished_at=utcnow())
        )
        closed = int(getattr(result, "rowcount", 0) or 0)
    if closed:
        log.warning("closed %s job runs left running by an earlier scheduler", closed)
    return closed


def alert_as_standby(app: Flask) -> None:
    """A standby that cannot take the lock while the heartbeat is stale texts the admins
    (once per stop): the runner that holds the lock is alive but not beating. A scheduler
    that has never beaten is starting, not stopped."""
    with app.app_context(), unit_of_work() as session:
        if heartbeat(session) is not None:
            alert_if_scheduler_stale(session)


class Runner:
    """Runs jobs only while this process holds the single-runner lock."""

    def __init__(self, app: Flask):
        self.app = app
        self.lock = lock_for(app)
        self.leader = False

    def renew(self) -> None:
        was = self.leader
        try:
            self.leader = self.lock.acquire()
        except Exception:  # the database is unreachable: stay idle, try again later
            log.exception("could not renew the scheduler lock")
            self.leader = False
        if self.leader and not was:
            log.info("scheduler lock taken; this process runs the jobs")
            close_abandoned_runs(self.app)
        elif was and not self.leader:
            log.warning("scheduler lock lost; this process is idle")

    def watch(self) -> None:
        """As a standby, text the admins when the runner holding the lock stops beating."""
        if self.leader:
            return
        try:
            alert_as_standby(self.app)
        except Exception:
            log.exception("could not check the scheduler's heartbeat as a standby")

    def release(self) -> None:
        self.lock.release()
        self.leader = False

    def guarded(self, spec: JobSpec) -> Callable[[], None]:
        def run() -> None:
            if self.leader and not stop_requested.is_set():
                run_job(self.app, spec)

        return run


def _configure(scheduler: BlockingScheduler | BackgroundScheduler, runner: Runner) -> None:
    scheduler.add_job(runner.renew, "interval", seconds=RENEW_SECONDS, id="lock", max_instances=1)
    scheduler.add_job(runner.watch, "interval", seconds=RENEW_SECONDS, id="watch", max_instances=1)
    for spec in all_jobs(runner.app):
        scheduler.add_job(
            runner.guarded(spec),
            spec.trigger,
            id=spec.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=300,
            **spec.trigger_args,
        )


def run_once(app: Flask) -> int:
    """Run every job once if the lock can be had; return a process exit code.

    On SIGTERM the job in flight finishes its step (a job that works in steps stops at its
    next safe point) and records its end; no further job starts, the lock is released and
    the process exits 0 (1 if a job that ran failed).
    """
    runner = Runner(app)
    stop_requested.clear()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop_after_the_step) if main else None
    try:
        runner.renew()
        if not runner.leader:
            log.warning("another scheduler holds the lock; nothing run")
            return 0
        failed = []
        for spec in all_jobs(app):
            if stop_requested.is_set():
                log.info("stopping before %s: asked to stop", spec.name)
                break
            if run_job(app, spec).outcome != "ok":
                failed.append(spec.name)
    finally:
        runner.release()
        if main:
            signal.signal(signal.SIGTERM, previous)
        log.info("jobs run once; lock released")
    return 1 if failed else 0


def run_scheduler(app: Flask, *, once: bool = False) -> int:
    """Run the blocking scheduler (or every job once)."""
    if once:
        return run_once(app)
    scheduler = BlockingScheduler(timezone="Europe/Stockholm")
    runner = Runner(app)
    stop_requested.clear()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        runner.renew()
        _configure(scheduler, runner)
        log.info("scheduler started (%s jobs)", len(all_jobs(app)))
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopping: finishing the steps in flight")
    finally:
        stop_requested.set()  # jobs stop taking work at their next safe point
        if scheduler.running:
            scheduler.shutdown(wait=True)  # each run in flight records its end
        runner.release()
        signal.signal(signal.SIGTERM, previous)
        log.info("scheduler stopped; lock released")
    return 0


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (a service manager stopping the service): stop as Ctrl-C does."""
    stop_requested.set()
    raise SystemExit(0)


def _stop_after_the_step(signum: int, frame: FrameType | None) -> None:
    """SIGTERM during `hubhome jobs --once`: the main thread runs the job, so nothing is
    interrupted; the job stops at its next safe point and no other starts."""
    log.info("SIGTERM: finishing the step in flight")
    stop_requested.set()


def start_in_background(app: Flask) -> BackgroundScheduler:
    """Run the scheduler inside the demo's web process (never in production workers)."""
    scheduler = BackgroundScheduler(timezone="Europe/Stockholm", daemon=True)
    runner = Runner(app)
    threading.Thread(target=runner.renew, daemon=True).start()
    _configure(scheduler, runner)
    scheduler.start()
    return scheduler
