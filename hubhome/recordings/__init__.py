"""Call recordings kept in Hubhome: copied from Twilio, encrypted at rest, deleted at Twilio
once the copy is verified, played through an audited link, removed with the call log."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the recordings: the playback page, the copying job and the retention rule."""
    from hubhome.ops.retention import add_rule
    from hubhome.ops.schedule import add_job
    from hubhome.recordings.jobs import JOB, keep_recordings
    from hubhome.recordings.retention import remove_discarded_recordings
    from hubhome.recordings.views import bp

    app.register_blueprint(bp)
    add_rule(app, "recordings", remove_discarded_recordings)
    add_job(app, JOB, keep_recordings, "interval", minutes=5)
