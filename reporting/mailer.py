"""Sending e-mail through the Airflow connection ``smtp_default``, read from the environment.

The connection comes from ``AIRFLOW_CONN_SMTP_DEFAULT`` (a URI such as
``smtp://user:password@host:587?from_email=noivu@example``, or Airflow's JSON form), so the
same code runs inside an Airflow task and in a plain test process.

Mail carries office names and, with a login, a password: it goes over TLS (``smtps``, or
STARTTLS, which the server must offer) or not at all. The one exception is a relay the
operator explicitly allows in plain text: ``local_relay=true`` on the connection (or, in demo
mode only, the demo's own relay on loopback). A login is never sent in plain text to a host
other than loopback.
"""

from __future__ import annotations

import json
import smtplib
import ssl
from dataclasses import dataclass, field
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from ipaddress import ip_address
from urllib.parse import parse_qsl, unquote, urlsplit

from core import settings

CONN_ID = "smtp_default"


class MailSettingsError(RuntimeError):
    """The SMTP connection is missing or malformed."""


class InsecureMailServerError(MailSettingsError):
    """The server offers no TLS and the connection does not allow a plain-text relay."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    login: str | None = None
    password: str | None = None
    implicit_tls: bool = False
    local_relay: bool = False
    ca_file: str | None = None
    timeout: float = 30.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def from_email(self) -> str | None:
        return self.extra.get("from_email")


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def parse_connection(value: str) -> SmtpSettings:
    """Read an Airflow connection (URI or JSON) into SMTP settings."""
    value = value.strip()
    if value.startswith("{"):
        data = json.loads(value)
        extra = data.get("extra") or {}
        if isinstance(extra, str):
            extra = json.loads(extra) if extra else {}
        scheme = str(data.get("conn_type", "smtp"))
        host, port = data.get("host"), data.get("port")
        login, password = data.get("login"), data.get("password")
    else:
        parts = urlsplit(value)
        scheme = parts.scheme
        host, port = parts.hostname, parts.port
        login = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        extra = dict(parse_qsl(parts.query))
    if not host:
        raise MailSettingsError(f"connection {CONN_ID} has no host")
    implicit_tls = scheme == "smtps" or _truthy(extra.get("ssl", "false"))
    return SmtpSettings(
        host=str(host),
        port=int(port or (465 if implicit_tls else 25)),
        login=login or None,
        password=password or None,
        implicit_tls=implicit_tls,
        # ``disable_tls`` is the older name of the same explicit allowance.
        local_relay=_truthy(extra.get("local_relay", "false")) or _truthy(extra.get("disable_tls", "false")),
        ca_file=str(extra["ca_file"]) if extra.get("ca_file") else None,
        timeout=float(extra.get("timeout", 30)),
        extra={str(k): str(v) for k, v in extra.items()},
    )


def settings_from_env(conn_id: str = CONN_ID) -> SmtpSettings:
    """The SMTP settings of Airflow connection ``conn_id`` from ``AIRFLOW_CONN_<ID>``."""
    value = settings.airflow_connection(conn_id)
    if not value:
        raise MailSettingsError(f"AIRFLOW_CONN_{conn_id.upper()} is not set")
    return parse_connection(value)


def build_message(sender: str, recipient: str, subject: str, body: str) -> Message:
    """A UTF-8 plain-text message.

    Built with the classic ``Header`` class on purpose: the modern policy's folding of a
    long Vietnamese subject into encoded words can drop the space at a fold (seen with
    Python 3.11), which the recipient then reads as two words glued together.
    """
    message = MIMEText(body, "plain", "utf-8")
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = Header(subject, "utf-8")
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    return message


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def plain_text_allowed(smtp: SmtpSettings) -> bool:
    """Whether this connection may send without TLS: only a relay the operator named as such."""
    return smtp.local_relay or (settings.is_demo() and _is_loopback(smtp.host))


def send(messages: list[Message], smtp: SmtpSettings) -> None:
    """Send ``messages`` over one SMTP session; any refusal raises, nothing goes out in clear by default."""
    if not messages:
        return
    # The system's trust store, or the organisation's own CA when the connection names one.
    context = ssl.create_default_context(cafile=smtp.ca_file)
    client: smtplib.SMTP
    if smtp.implicit_tls:
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        client.ehlo()
        if not smtp.implicit_tls:
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif not plain_text_allowed(smtp):
                raise InsecureMailServerError(
                    f"{smtp.host}:{smtp.port} offers no STARTTLS; refusing to send mail in plain text "
                    "(use smtps://, a server with STARTTLS, or local_relay=true for a relay you trust)"
                )
            elif smtp.login and not _is_loopback(smtp.host):
                raise InsecureMailServerError(
                    f"refusing to send the login for {smtp.host} in plain text; only a loopback relay may take one"
                )
        if smtp.login:
            client.login(smtp.login, smtp.password or "")
        for message in messages:
            client.send_message(message)
