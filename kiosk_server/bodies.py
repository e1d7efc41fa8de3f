"""Request bodies, read as a server open to strangers must read them.

Order of things for a request with a body: the caller's credential (or, for pairing, its
address's allowance) is checked first and nothing of the body is read before; then the body is
read within a time limit, a few bodies at a time, and refused past a size on the wire and a size
inflated; then it is inflated, parsed and validated in a worker thread, never on the event loop,
and refused when it holds more JSON values, deeper nesting, or values no column should hold
(NaN, Infinity, lone surrogates, NUL characters). What each bound costs at worst is in
docs/security.md.
"""

from __future__ import annotations

import json
import math
import os
import zlib
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Limits:
    wire: int  # bytes as sent (gzip or not)
    inflated: int  # bytes of JSON text after inflating
    values: int  # JSON values, counted as below: never fewer than the parse makes


# 5,000 events of a kiosk (an assisted declaration is about 1 KiB of JSON, 40 values) fit
EVENTS = Limits(wire=8 << 20, inflated=8 << 20, values=400_000)
PAIR = Limits(wire=4096, inflated=4096, values=64)
MAX_DEPTH = 32
READERS = 4  # bodies read and parsed at once, all callers together


def body_timeout() -> float:
    """Seconds a whole body may take to arrive: 8 MiB at 2.2 Mbit/s (a kiosk sends far less)."""
    return float(os.environ.get("KIOSK_SERVER_BODY_TIMEOUT", "30"))


def queue_wait() -> float:
    """Seconds a body waits for one of the READERS before its sender hears "busy" (503)."""
    return float(os.environ.get("KIOSK_SERVER_QUEUE_WAIT", "10"))


_readers: anyio.Semaphore | None = None


def _semaphore() -> anyio.Semaphore:
    global _readers
    if _readers is None:  # made inside the running loop that will use it
        _readers = anyio.Semaphore(READERS)
    return _readers


def refuse(status: int, error: str) -> HTTPException:
    return HTTPException(status, {"error": error})


async def read_model(request: Request, model: type[M], limits: Limits) -> M:
    """The body as `model`; 4xx (never 500) for anything else, 503 when too many are read."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise refuse(415, "unsupported_encoding")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.wire:
        raise refuse(413, "too_large")
    try:
        with anyio.fail_after(queue_wait()):
            await _semaphore().acquire()
    except TimeoutError:
        raise refuse(503, "busy") from None
    try:
        try:
            with anyio.fail_after(body_timeout()):
                raw = await _read(request, limits.wire)
        except TimeoutError:
            raise refuse(408, "body_timeout") from None
        return await anyio.to_thread.run_sync(_parse, raw, encoding == "gzip", model, limits)
    finally:
        _semaphore().release()


async def _read(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise refuse(413, "too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(raw: bytes, gzipped: bool, model: type[M], limits: Limits) -> M:
    if gzipped:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(raw, limits.inflated)
        except zlib.error:
            raise refuse(400, "bad_gzip") from None
        if inflater.unconsumed_tail:
            raise refuse(413, "too_large")
        if not inflater.eof:
            raise refuse(400, "bad_gzip")
    if len(raw) > limits.inflated:
        raise refuse(413, "too_large")
    # every JSON value is the whole document, a container's first item or follows a ',' or a
    # ':', so this never counts fewer values than the parse would make (characters in strings
    # only add to it): the parse's memory is bounded before it starts
    counted = sum(raw.count(c) for c in (b",", b":", b"[", b"{")) + 1
    if counted > limits.values:
        raise refuse(413, "too_many_values")
    try:
        doc = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, NaN, 1e999, 5,000 digits
        raise refuse(400, "bad_json") from None
    _check_values(doc)
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise RequestValidationError(errors) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a column can hold")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _check_values(doc: object) -> None:
    """Refuses what no column holds and no database takes: a lone surrogate cannot be written as
    UTF-8, PostgreSQL refuses NUL in text, and deep nesting overflows the stack of the code that
    writes it back."""
    stack: list[tuple[object, int]] = [(doc, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise refuse(400, "too_deep")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((item, depth + 1))


def _check_text(text: str) -> None:
    if "\0" in text:
        raise refuse(400, "bad_text")
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise refuse(400, "bad_text") from None
