from __future__ import annotations

import os
import time
import unicodedata

import pytest

from scanner.serial_reader import SerialReader, split_scans

CCCD = "046085001234||Trần Văn Đức|12031985|Nam|Số 12 Lê Lợi, Huế|01052021"


def test_lines_end_at_cr_lf_or_crlf_and_partial_lines_wait():
    buffer = bytearray(b"first\r\nsecond\rthird\nfour")
    assert [s.text for s in split_scans(buffer)] == ["first", "second", "third"]
    assert bytes(buffer) == b"four"


def test_vietnamese_bytes_come_through_as_nfc_text():
    decomposed = unicodedata.normalize("NFD", "Trần Văn Đức")  # as some readers send it
    buffer = bytearray(decomposed.encode("utf-8") + b"\r\n")
    (scan,) = split_scans(buffer)
    assert scan.text == unicodedata.normalize("NFC", "Trần Văn Đức")
    assert len(scan.text) == len("Trần Văn Đức")


def test_bytes_that_are_not_utf8_are_flagged_not_guessed():
    buffer = bytearray("Trâm".encode("cp1258") + b"\n")  # a reader set to Windows-1258
    (scan,) = split_scans(buffer)
    assert scan.text is None


@pytest.fixture
def pty_reader():
    master, slave = os.openpty()
    reader = SerialReader(os.ttyname(slave), 9600, timeout=0.05)
    yield master, reader
    reader.close()
    os.close(master)
    os.close(slave)


def test_a_scan_sent_in_pieces_over_a_real_tty_arrives_whole(pty_reader):
    master, reader = pty_reader
    assert reader.open()
    data = CCCD.encode("utf-8") + b"\r\n"
    os.write(master, data[:20])
    os.write(master, data[20:])
    scans = []
    deadline = time.monotonic() + 5
    while not scans and time.monotonic() < deadline:
        scans = reader.read_scans()
    assert [s.text for s in scans] == [CCCD]


def test_a_missing_port_does_not_open():
    assert not SerialReader("/dev/no-such-reader").open()
