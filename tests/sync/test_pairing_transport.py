"""Pairing sends the one-time code and receives the kiosk's credential: never in clear text
across a network unless the operator says so (issue 14, point 6)."""

import subprocess
import sys

import pytest

from kiosk.storage import Store


def pair(data_dir, *args):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "pair", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("url", ["http://192.0.2.7:8765", "http://kiosk.example.vn"])
def test_plain_http_to_another_machine_is_refused_and_nothing_is_sent(tmp_path, url):
    done = pair(tmp_path, url, "1234-5678-9ABC")
    assert done.returncode == 4
    assert done.stderr.strip().startswith("Không ghép nối qua http://")
    store = Store.open(tmp_path / "kiosk.db")
    try:
        assert not store.replica.state("server_url")
    finally:
        store.close()


def test_insecure_lets_the_operator_pair_over_http_on_a_test_network(tmp_path):
    done = pair(tmp_path, "http://192.0.2.7:9", "1234-5678-9ABC", "--insecure")
    assert done.returncode == 4  # tried, and TEST-NET-1 answers nobody
    assert "http://" not in done.stderr


def test_loopback_over_http_is_this_machine_and_allowed(server, tmp_path):
    from kiosk_server import admin

    done = pair(
        tmp_path,
        server.url.replace("127.0.0.1", "localhost"),
        admin.new_pairing_code(server.engine),
    )
    assert done.returncode == 0, done.stderr
