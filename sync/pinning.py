"""The server's key, pinned at pairing: SHA-256 of the certificate's SubjectPublicKeyInfo.

At `kiosk pair URL` over https the kiosk records the pin of the certificate the server showed
(after the usual CA and host name checks). From then on every connection checks it right after
the TLS handshake, before a byte of the request (the credential, the scans) is sent: another
certificate, even one a trusted CA signed, is refused with 'server_pin_mismatch'. A renewed
certificate on the same key keeps the pin; a new key needs `kiosk pair URL CODE --again`.
Plain http:// has nothing to pin (whether it is allowed is sync.engine's: loopback only).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


def spki_sha256(der_certificate: bytes) -> str:
    """'sha256/<base64>' of the certificate's public key (the HPKP notation)."""
    spki = (
        x509.load_der_x509_certificate(der_certificate)
        .public_key()
        .public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    )
    return "sha256/" + base64.b64encode(hashlib.sha256(spki).digest()).decode()


class PinMismatch(OSError):
    """Raised inside the connection; the adapter remembers it for the client's message."""


class PinningAdapter(HTTPAdapter):
    """An HTTPAdapter whose https connections check `pin` (None: record what is seen only)."""

    def __init__(self, pin: str | None) -> None:
        self.pin = pin
        self.seen: str | None = None  # the pin of the last certificate met
        self.mismatch = False
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        adapter = self

        class Connection(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                der = self.sock.getpeercert(binary_form=True)  # type: ignore[union-attr]
                seen = spki_sha256(der) if der else None
                adapter.seen = seen
                if adapter.pin is not None and seen != adapter.pin:
                    adapter.mismatch = True
                    self.close()
                    raise PinMismatch(f"server key {seen}, pinned {adapter.pin}")

        class Pool(HTTPSConnectionPool):
            ConnectionCls = Connection

        self.poolmanager.pool_classes_by_scheme = {"http": HTTPConnectionPool, "https": Pool}
