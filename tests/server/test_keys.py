"""Signing keys and server files at rest, through `kiosk-server` as an administrator runs it
(issue 14, point 3)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from kiosk_server import admin, keys
from kiosk_server.db import entities, open_db, signing_keys

pytestmark = pytest.mark.slow  # each test starts kiosk-server processes


def server_cmd(data_dir: Path, *args: str, env: dict[str, str] | None = None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "kiosk_server", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serving(data_dir: Path, *args: str, scheme="http", verify: bool | str = True):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk_server",
            "--data-dir",
            str(data_dir),
            "serve",
            "--port",
            str(port),
            *args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/v1/health", timeout=1, verify=verify).ok:
                return proc, url
        except requests.ConnectionError:
            time.sleep(0.05)  # a poll: the loop ends as soon as it answers
    proc.kill()
    raise RuntimeError("server did not start")


def trusted_public_keys(engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(entities.c.data).where(entities.c.kind == "trusted_key"))
        return {json.loads(d)["public_key"] for d in rows.scalars()}


def test_a_demo_server_serves_only_loopback_and_signs_nothing_until_its_key_is_rotated(tmp_path):
    assert server_cmd(tmp_path, "demo").returncode == 0
    refused = server_cmd(
        tmp_path, "serve", "--host", "0.0.0.0", "--port", str(free_port()), timeout=60
    )  # before: it served, and this timed out
    assert refused.returncode == 2 and "demo key" in refused.stderr
    assert "rotate-key" in refused.stderr
    token = server_cmd(tmp_path, "issue-token", "1001", "046085001234")
    assert token.returncode == 2 and "demo key" in token.stderr and not token.stdout
    assert server_cmd(tmp_path, "rotate-key").returncode == 0
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    assert admin.demo_public_hex() not in trusted_public_keys(engine)  # withdrawn, not just old
    assert not admin.demo_key_in_use(engine)
    assert server_cmd(tmp_path, "issue-token", "1001", "046085001234").stdout.startswith("CK1:")


def test_demo_again_after_rotate_key_keeps_the_rotated_key(tmp_path):
    assert server_cmd(tmp_path, "demo").returncode == 0
    assert server_cmd(tmp_path, "rotate-key").returncode == 0
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    with engine.connect() as conn:
        rotated = set(conn.execute(select(signing_keys.c.key_id)).scalars())
    engine.dispose()
    again = server_cmd(tmp_path, "demo")  # before: it took the public demo key back
    assert again.returncode == 0, again.stderr
    assert "rotate" in again.stderr  # says the demo's signed samples no longer verify
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    try:
        with engine.connect() as conn:
            assert set(conn.execute(select(signing_keys.c.key_id)).scalars()) == rotated
        assert admin.demo_public_hex() not in trusted_public_keys(engine)
        assert not admin.demo_key_in_use(engine)
    finally:
        engine.dispose()
    token = server_cmd(tmp_path, "issue-token", "1001", "046085001234")
    assert token.returncode == 0 and token.stdout.startswith("CK1:"), token.stderr


def test_demo_on_a_server_that_made_its_own_key_keeps_it(tmp_path):
    data = tmp_path / "srv"
    proc, _url = serving(data)  # its first start makes its own key
    proc.terminate()
    proc.wait(timeout=30)
    assert server_cmd(data, "demo").returncode == 0
    engine = open_db(f"sqlite:///{data}/server.db")
    try:
        assert not admin.demo_key_in_use(engine)
        with engine.connect() as conn:
            held = list(conn.execute(select(signing_keys)))
        secret = keys.passphrase(engine)
        publics = {admin._public_hex(keys.unseal(r.private_pem, r.key_id, secret)) for r in held}
        assert publics and admin.demo_public_hex() not in publics
    finally:
        engine.dispose()


def test_a_new_server_makes_its_own_key_sealed_and_every_file_is_its_owners(tmp_path):
    data = tmp_path / "srv"
    proc, url = serving(data)
    try:
        code = server_cmd(data, "pair").stdout.strip()
        assert requests.post(
            url + "/v1/pair", json={"protocol": 1, "code": code, "kiosk_name": "k"}, timeout=30
        ).ok  # the database is written
        names = {p.name for p in data.iterdir()}
        assert {"server.db", "server.db-wal", "server.db-shm", "key-passphrase"} <= names
        for path in [data, *data.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o077 == 0, f"{path.name} is {mode:o}"
    finally:
        proc.terminate()
        proc.wait(10)
    engine = open_db(f"sqlite:///{data}/server.db")
    with engine.connect() as conn:
        ((key_id, stored),) = conn.execute(
            select(signing_keys.c.key_id, signing_keys.c.private_pem)
        )
    published = trusted_public_keys(engine)
    assert len(published) == 1 and admin.demo_public_hex() not in published
    assert stored.startswith("kiosk-server-key/1$")
    key = keys.unseal(stored, key_id, (data / "key-passphrase").read_bytes().strip())
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    database = b"".join(p.read_bytes() for p in data.glob("server.db*"))
    assert raw not in database and b"PRIVATE KEY" not in database


def test_the_key_passphrase_must_be_right_and_its_file_private(tmp_path):
    assert server_cmd(tmp_path, "rotate-key").returncode == 0
    wrong = server_cmd(tmp_path, "rotate-key", env={"KIOSK_SERVER_KEY_PASSPHRASE": "guess"})
    assert wrong.returncode == 2 and "passphrase does not open" in wrong.stderr
    (tmp_path / "key-passphrase").chmod(0o644)
    exposed = server_cmd(tmp_path, "rotate-key")
    assert exposed.returncode == 2 and "chmod 600" in exposed.stderr


def test_a_key_stored_plain_before_is_sealed_at_the_next_start(tmp_path):
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    assert admin.rotate_key(engine) == 1
    key = keys.unseal(_stored(engine), 1, keys.passphrase(engine))
    plain = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with engine.begin() as conn:  # as a server from before sealing left it
        conn.execute(signing_keys.update().values(private_pem=plain))
    assert admin.seal_plain_keys(engine) == 1
    assert keys.is_sealed(_stored(engine))
    assert admin.active_key(engine)[1].private_bytes_raw() == key.private_bytes_raw()


def _stored(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(select(signing_keys.c.private_pem)).scalar_one()


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


def test_serve_speaks_tls_with_its_own_certificate(tmp_path):
    certfile, keyfile = _self_signed(tmp_path)
    proc, url = serving(
        tmp_path / "srv",
        "--certfile",
        str(certfile),
        "--keyfile",
        str(keyfile),
        scheme="https",
        verify=str(certfile),
    )
    try:
        answer = requests.get(url + "/v1/health", timeout=10, verify=str(certfile))
        assert answer.json()["status"] == "ok"
        # a browser that reached it over TLS is told never to try plain HTTP (a year)
        assert answer.headers["strict-transport-security"] == "max-age=31536000"
        login = requests.get(url + "/login", timeout=10, verify=str(certfile))
        assert login.headers["strict-transport-security"] == "max-age=31536000"
        with pytest.raises(requests.ConnectionError):  # plain HTTP is not answered
            requests.get(url.replace("https", "http") + "/v1/health", timeout=5)
    finally:
        proc.terminate()
        proc.wait(10)
