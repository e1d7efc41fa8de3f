from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.office import Office, start_office


@pytest.fixture
def office(tmp_path) -> Iterator[Office]:
    o = start_office(tmp_path)
    yield o
    o.server.stop()
