import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from openapi import document  # noqa: E402


def test_committed_openapi_document_matches_the_server():
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == document(), "run: python scripts/openapi.py"


def test_every_protocol_route_is_documented():
    text = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    for route in ("/v1/pair", "/v1/changes", "/v1/events", "/v1/health"):
        assert route in text
