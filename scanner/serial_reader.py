"""Serial (USB-CDC) QR readers: each scan arrives as bytes ending in CR or LF.

Unlike keyboard-wedge readers, these send the code's own bytes, so Vietnamese names survive:
the bytes are decoded as UTF-8 and normalised to NFC. The port and baud rate are settings.
"""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass

import serial

MAX_LINE = 4096  # bytes; a reader never sends more for one QR, so longer input is noise


@dataclass(frozen=True)
class SerialScan:
    text: str | None  # None when the bytes were not UTF-8
    raw: bytes


class SerialReader:
    def __init__(self, port: str, baud: int = 9600, timeout: float = 0.2) -> None:
        self.port = port
        self.baud = baud
        self.timeout = timeout
        self._serial: serial.Serial | None = None
        self._buffer = bytearray()

    def open(self) -> bool:
        self.close()
        try:
            self._serial = serial.Serial(self.port, self.baud, timeout=self.timeout)
        except (serial.SerialException, OSError):
            self._serial = None
            return False
        return True

    def close(self) -> None:
        if self._serial is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                self._serial.close()
            self._serial = None
        self._buffer.clear()

    def read_scans(self) -> list[SerialScan]:
        """Scans completed since the last call; raises OSError when the reader is gone."""
        if self._serial is None:
            raise OSError("serial reader not open")
        try:
            chunk = self._serial.read(max(1, self._serial.in_waiting))
        except serial.SerialException as exc:
            raise OSError(str(exc)) from exc
        self._buffer += chunk
        if len(self._buffer) > MAX_LINE and not any(b in self._buffer for b in b"\r\n"):
            self._buffer.clear()
        return split_scans(self._buffer)


def split_scans(buffer: bytearray) -> list[SerialScan]:
    """Takes every complete line out of `buffer` (CR, LF or CRLF end a scan)."""
    scans = []
    while True:
        ends = [i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0]
        if not ends:
            return scans
        end = min(ends)
        line = bytes(buffer[:end])
        del buffer[: end + 1]
        if not line:
            continue  # the LF of a CRLF
        try:
            text: str | None = unicodedata.normalize("NFC", line.decode("utf-8"))
        except UnicodeDecodeError:
            text = None
        scans.append(SerialScan(text, line))
