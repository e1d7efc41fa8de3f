"""TLS pinning (issue 14): the kiosk pins the server's key at pairing and refuses another one
later, before sending the credential, even when a trusted CA signed the other certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk import messages
from kiosk.storage import Store
from sync import engine as sync_engine
from sync.pinning import spki_sha256
from sync.protocol import PROTOCOL, SyncError


def _ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _server_cert(folder: Path, name: str, ca) -> tuple[Path, Path, str]:
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path, spki_sha256(cert.public_bytes(serialization.Encoding.DER))


class _Handler(BaseHTTPRequestHandler):
    seen: list[str]

    def _json(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self.seen.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._json({"protocol": PROTOCOL, "kiosk_id": "k-1", "credential": "c" * 40})

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self._json({"protocol": PROTOCOL, "cursor": 0, "has_more": False, "changes": []})

    def log_message(self, *args: object) -> None:
        pass


def _serve(cert: Path, key: Path, port: int = 0):
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, seen


@pytest.fixture
def pki(tmp_path):
    ca = _ca(tmp_path)
    return tmp_path, ca


def test_the_key_pinned_at_pairing_is_the_only_one_trusted_later(pki, tmp_path):
    folder, ca = pki
    bundle = str(folder / "ca.pem")
    cert_a, key_a, pin_a = _server_cert(folder, "a", ca)
    httpd, _ = _serve(cert_a, key_a)
    port = httpd.server_address[1]
    store = Store.open(tmp_path / "kiosk" / "kiosk.db")
    try:
        sync_engine.pair(store, f"https://127.0.0.1:{port}", "CODE", "chot", verify=bundle)
        assert store.replica.state("server_pin") == pin_a
        sync_engine.client_for(store, bundle).pull(0, 10)  # the same server: fine
        httpd.shutdown()
        httpd.server_close()

        # another certificate for the same address, signed by the same trusted CA
        cert_b, key_b, pin_b = _server_cert(folder, "b", ca)
        assert pin_b != pin_a
        impostor, seen = _serve(cert_b, key_b, port)
        try:
            with pytest.raises(SyncError) as err:
                sync_engine.client_for(store, bundle).pull(0, 10)
            assert err.value.code == "server_pin_mismatch"
            assert seen == []  # refused after the handshake: no request, no credential sent
            assert "pair --again" in messages.error_text("server_pin_mismatch", "en")
        finally:
            impostor.shutdown()
            impostor.server_close()
    finally:
        store.close()
