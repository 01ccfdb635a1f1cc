"""The mailer sends over TLS or not at all, unless a plain-text relay is explicitly allowed.

Real SMTP servers on loopback (aiosmtpd): one that offers no STARTTLS, one that requires it
with a certificate made for the test.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from reporting_support import free_port

from reporting import mailer


class Recorder:
    """Keeps every accepted message with whether its session was encrypted."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, bool]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((envelope.original_content, session.ssl is not None))
        return "250 OK"


def _message() -> list:
    return [mailer.build_message("noivu@vanquan.example", "yte@vanquan.example", "Nhắc hạn", "Nội dung")]


@pytest.fixture()
def plain_server() -> Iterator[tuple[Recorder, int]]:
    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture()
def starttls_server(tmp_path: Path) -> Iterator[tuple[Recorder, int, Path]]:
    cert_path, key_path = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    try:
        yield recorder, port, cert_path
    finally:
        controller.stop()


def test_production_refuses_a_server_without_tls(plain_server, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port = plain_server
    monkeypatch.setenv("PLATFORM_MODE", "production")
    with pytest.raises(mailer.InsecureMailServerError, match="offers no STARTTLS"):
        mailer.send(_message(), mailer.parse_connection(f"smtp://127.0.0.1:{port}"))
    assert recorder.received == []


def test_an_explicitly_allowed_local_relay_takes_plain_text(plain_server, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port = plain_server
    monkeypatch.setenv("PLATFORM_MODE", "production")
    mailer.send(_message(), mailer.parse_connection(f"smtp://127.0.0.1:{port}?local_relay=true"))
    assert [encrypted for _, encrypted in recorder.received] == [False]


def test_demo_mode_uses_its_loopback_relay(plain_server, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port = plain_server
    monkeypatch.setenv("PLATFORM_MODE", "demo")
    mailer.send(_message(), mailer.parse_connection(f"smtp://127.0.0.1:{port}"))
    assert len(recorder.received) == 1


def test_starttls_is_used_when_offered(starttls_server, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port, cert_path = starttls_server
    monkeypatch.setenv("PLATFORM_MODE", "production")
    mailer.send(_message(), mailer.parse_connection(f"smtp://127.0.0.1:{port}?ca_file={cert_path}"))
    assert [encrypted for _, encrypted in recorder.received] == [True]


def test_an_untrusted_certificate_stops_the_mail(starttls_server, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port, _ = starttls_server
    monkeypatch.setenv("PLATFORM_MODE", "production")
    with pytest.raises(ssl.SSLCertVerificationError):
        mailer.send(_message(), mailer.parse_connection(f"smtp://127.0.0.1:{port}"))
    assert recorder.received == []


@pytest.mark.parametrize(
    ("uri", "mode", "allowed"),
    [
        ("smtp://mail.example:25", "demo", False),
        ("smtp://127.0.0.1:25", "production", False),
        ("smtp://mail.example:25?local_relay=true", "production", True),
        ("smtp://localhost:25", "demo", True),
    ],
)
def test_who_may_send_in_plain_text(uri: str, mode: str, allowed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_MODE", mode)
    assert mailer.plain_text_allowed(mailer.parse_connection(uri)) is allowed
