"""HTTP for protocol v1: requests with timeouts, gzip both ways, TLS verification on.

Every failure becomes one of the protocol's errors, so the caller sorts them by who must act.
Retrying is the caller's (sync.engine with sync.backoff), so one cycle never hangs for long.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import UTC, datetime

import requests

from kiosk import __version__
from sync.pinning import PinningAdapter
from sync.protocol import (
    API,
    PROTOCOL,
    CredentialRevoked,
    Page,
    ProtocolError,
    PushReceipt,
    SyncError,
    Unreachable,
    read_page,
    read_pairing,
    read_push,
)

TIMEOUT = (3.05, 30.0)  # connect, read (seconds)
MAX_BODY = 64 * 1024 * 1024  # inflated bytes; a full page of 10,000 changes is a few MB


class SyncClient:
    def __init__(
        self,
        base_url: str,
        credential: str | None = None,
        *,
        verify: bool | str = True,
        timeout: tuple[float, float] = TIMEOUT,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        pin: str | None = None,
    ) -> None:
        self.clock = clock  # stamps each batch, so the server can measure this kiosk's skew
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.verify = verify
        self.timeout = timeout
        self.session = session or requests.Session()
        # the server's key pinned at pairing (sync/pinning.py); checked before a request is sent
        self.pinning = PinningAdapter(pin)
        self.session.mount("https://", self.pinning)

    def _call(
        self,
        method: str,
        path: str,
        body: object | None = None,
        params: dict[str, object] | None = None,
    ) -> object:
        headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
            "Kiosk-Protocol": str(PROTOCOL),
            "User-Agent": f"checkpoint-kiosk/{__version__}",  # the back office's kiosks list
        }
        if self.credential:
            headers["Authorization"] = f"Bearer {self.credential}"
        data = None
        if body is not None:
            data = gzip.compress(json.dumps(body, ensure_ascii=False).encode(), compresslevel=5)
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        try:
            response = self.session.request(
                method,
                self.base_url + API + path,
                data=data,
                params=params,
                headers=headers,
                timeout=self.timeout,
                verify=self.verify,
                stream=True,  # read below with a size limit, not whole into memory
            )
        except requests.RequestException as exc:  # down, timed out, a redirect loop: retry later
            if self.pinning.mismatch:
                raise SyncError("server_pin_mismatch", self.pinning.seen or "") from None
            if isinstance(exc, requests.exceptions.SSLError):
                raise SyncError("tls_error", str(exc)) from None
            raise Unreachable("unreachable", type(exc).__name__) from None
        with response:  # streamed: the connection goes back to the pool however this ends
            return _answer(response)

    def pair(self, code: str, kiosk_name: str) -> tuple[str, str]:
        try:
            answer = self._call(
                "POST", "/pair", {"protocol": PROTOCOL, "code": code, "kiosk_name": kiosk_name}
            )
        except CredentialRevoked:
            raise SyncError("pairing_code_invalid") from None  # 403 here: the code, not a key
        return read_pairing(answer)

    def pull(self, cursor: int, limit: int) -> Page:
        body = self._call("GET", "/changes", params={"cursor": cursor, "limit": limit})
        return read_page(body, cursor)

    def push(self, batch_id: str, events: list[dict[str, object]]) -> PushReceipt:
        body = {
            "protocol": PROTOCOL,
            "batch_id": batch_id,
            "sent_at": self.clock().isoformat(),
            "events": events,
        }
        return read_push(self._call("POST", "/events", body), len(events))


def _answer(response: requests.Response) -> object:
    """The JSON body of a 2xx answer, or the protocol error that says who must act."""
    if response.status_code in (401, 403):
        raise CredentialRevoked("credential_revoked", _error_of(response))
    if response.status_code >= 500 or response.status_code == 429:
        raise Unreachable("server_error", str(response.status_code))
    if response.status_code >= 400:
        raise SyncError(_error_of(response) or "refused", str(response.status_code))
    content_type = response.headers.get("Content-Type", "")
    if "application/json" not in content_type:
        raise ProtocolError("protocol_error", "content type " + (content_type or "none"))
    try:
        return json.loads(_bounded_body(response))
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested past any use
        raise ProtocolError("protocol_error", "body is not JSON") from None


def _bounded_body(response: requests.Response) -> bytes:
    """The body, inflated, or ProtocolError once it passes MAX_BODY: a broken or hostile
    server must not fill a kiosk's memory with a small gzip that inflates to gigabytes."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > MAX_BODY:
                raise ProtocolError("protocol_error", f"body over {MAX_BODY} bytes")
            chunks.append(chunk)
    except requests.RequestException as exc:  # cut short, or not the gzip it said
        raise ProtocolError("protocol_error", type(exc).__name__) from None
    return b"".join(chunks)


def _error_of(response: requests.Response) -> str:
    try:
        body = json.loads(_bounded_body(response))
    except (ProtocolError, ValueError, RecursionError):
        return ""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        return str(detail.get("error", ""))
    return str(body.get("error", "")) if isinstance(body, dict) else ""
