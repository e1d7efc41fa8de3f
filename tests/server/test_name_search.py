"""Search by name as staff type it: without accents or capitals ("nguyen van an"), on SQLite and
on PostgreSQL, where a trigram index on the folded name keeps it fast at millions of rows."""

from __future__ import annotations

import unicodedata

from sqlalchemy import text

from kiosk_server import office
from kiosk_server.db import open_db, upsert_entities

PEOPLE = [
    "Nguyễn Văn An",
    "Nguyễn Văn Anh",
    "Trần Thị Ánh",
    "Đặng Hữu Đức",
    "Lê Văn Bình",
    unicodedata.normalize("NFD", "Phạm Thị Ân"),
]


def _engine(url: str):
    engine = open_db(url)
    office.enable_folding(engine)
    office.ensure_indexes(engine)
    upsert_entities(
        engine,
        "declaration",
        [
            (
                str(i),
                {
                    "id": i,
                    "subject_id": f"0460850000{i:02d}",
                    "full_name": name,
                    "status": "approved",
                },
            )
            for i, name in enumerate(PEOPLE, start=1)
        ],
    )
    return engine


def _names(engine, typed: str) -> list[str]:
    return sorted(d["full_name"] for d in office.search_declarations(engine, typed))


def test_a_name_typed_without_accents_finds_the_person(db_url):
    engine = _engine(db_url)
    assert _names(engine, "nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert _names(engine, "NGUYEN  VAN AN") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert _names(engine, "Nguyễn Văn An") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert _names(engine, "dang huu duc") == ["Đặng Hữu Đức"]
    assert _names(engine, "anh") == ["Nguyễn Văn Anh", "Trần Thị Ánh"]
    assert _names(engine, "pham thi an") == [unicodedata.normalize("NFD", "Phạm Thị Ân")]
    assert _names(engine, "le van binh x") == []
    assert _names(engine, "100%") == []  # a LIKE wildcard typed is a character
    assert _names(engine, "nguyen_") == []
    # a page's worth found from the name's start (PostgreSQL's prefix index) is a page
    first = office.search_declarations(engine, "nguyen", limit=2)
    assert [d["full_name"] for d in first] == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    engine.dispose()


def test_postgresql_answers_a_name_from_its_trigram_index(db_url):
    engine = _engine(db_url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        return
    # the name condition alone, sequential scans off: only a matching index can answer it
    match = office.name_contains(engine, "full_name", "van an")
    with engine.connect() as conn:
        where = str(match.compile(conn, compile_kwargs={"literal_binds": True}))
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            conn.execute(
                text("EXPLAIN SELECT data FROM entities WHERE " + where.replace("%%", "%"))
            ).scalars()
        )
    assert "ix_entities_full_name_folded" in plan, plan
    engine.dispose()
