"""E-mail through SMTP (`HUBHOME_SMTP_URL`, e.g. smtp://127.0.0.1:1025), sent only once the
unit of work that asked for it has committed, with a deadline on every step."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

from config import Settings
from hubhome.transaction import after_commit

log = logging.getLogger(__name__)


def send_after_commit(to: str, subject: str, body: str) -> None:
    """Send an e-mail once the request's changes are committed (a rolled-back one sends
    nothing). Without an SMTP server configured, outside production, nothing is sent."""
    settings: Settings = current_app.config["HUBHOME"]
    message = compose(settings, to, subject, body)
    after_commit(lambda: _deliver(settings, message))


def _deliver(settings: Settings, message: EmailMessage) -> None:
    if not settings.smtp_url:
        log.warning("no HUBHOME_SMTP_URL: an e-mail was not sent")
        return
    try:
        deliver(settings, message)
    except (OSError, smtplib.SMTPException):
        log.warning("an e-mail could not be sent", exc_info=True)


def compose(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Send one e-mail now through `HUBHOME_SMTP_URL`; raises OSError or SMTPException."""
    url = urlsplit(settings.smtp_url)
    secure = url.scheme == "smtps"
    port = url.port or (465 if secure else 25)
    host = url.hostname or "127.0.0.1"
    client = smtplib.SMTP_SSL if secure else smtplib.SMTP
    with client(host, port, timeout=settings.smtp_timeout) as smtp:
        if url.scheme == "smtp+starttls":
            smtp.starttls()
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(message)
