"""CSV exports: the same bytes whichever way the rows are read (SQL takes the columns out on
PostgreSQL, Python parses each document on SQLite), in the format staff and the importers know:
UTF-8 with BOM, one header, CRLF lines, flags as true/false, formulas defused."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

from kiosk_server import exports, staff
from kiosk_server.db import open_db, upsert_entities
from kiosk_server.office_db import office_audit

TRICKY = [
    {
        "id": 1,
        "subject_id": "046085000001",
        "full_name": "Nguyễn Văn An",
        "birth_date": "1985-01-01",
        "sex": "M",
        "phone": "0905000000",
        "status": "approved",
        "valid_until": "2099-01-01T00:00:00+00:00",
        "declared_by_proxy": False,
    },
    {
        "id": 2,
        "subject_id": "046085000002",
        "full_name": 'Trần "Bé", Thị\nHai',
        "birth_date": "1990-02-03",
        "sex": "F",
        "phone": "+84905123456",
        "status": "pending",
        "declared_by_proxy": True,
        "symptoms": '=HYPERLINK("http://x")',
        "review_reason": None,
        "source": "assisted",
    },
    {
        "id": 3,
        "subject_id": "046085000003",
        "full_name": "Lê Ánh",
        "phone": "-12",
        "travel_areas": "@48 -49",
        "origin_area": ["48", "49"],
        "status": {"x": 1},
        "valid_until": 1.5e-07,
    },
    {
        "id": 10,
        "subject_id": "046085000010",
        "full_name": "  spaces  ",
        "phone": "",
        "review_reason": "a,b",
        "source": "[not a list",
        "origin_area": "\t=1+2",
        "travel_areas": "\r=3",
    },  # Excel skips a leading tab or CR and runs what follows
    # Excel with the Vietnamese list separator splits at ';': each piece can be a formula
    {
        "id": 4,
        "subject_id": "046085000004",
        "full_name": "Lê Văn An;=cmd|'/C calc'!A0",
        "phone": "0905;-12",
        "review_reason": "ghi chú\n=1+1",
        "source": "a,+SUM(1)",
        "origin_area": " =1+1",
        "travel_areas": "\u200b=2",
        "symptoms": "\u00a0@x",
    },
    {
        "id": 5,
        "subject_id": "046085000005",
        "full_name": "\uff1dHYPERLINK(1)",
        "phone": "\uff0b1",
        "review_reason": "\uff0d2",
        "source": "\uff20x",
        "origin_area": ["a;=b"],
        "travel_areas": "\n=3",
    },
]


def _fill(url: str):
    engine = open_db(url)
    upsert_entities(engine, "declaration", [(str(d["id"]), d) for d in TRICKY])
    upsert_entities(
        engine,
        "market",
        [
            (
                "1",
                {
                    "id": 1,
                    "name": "Chợ Đông Ba",
                    "days": "odd",
                    "param": None,
                    "slot": ["06:00", "09:00"],
                    "max_entries": 1,
                    "period_days": 1,
                },
            )
        ],
    )
    staff.add_user(engine, "yte", "health", "khẩu trang 2021 xanh")
    with engine.begin() as conn:
        conn.execute(
            office_audit.insert(),
            [
                {
                    "at": datetime(2026, 12, 1, 8, 0, 0, tzinfo=UTC),
                    "actor": "=cmd|' /C calc'!A0",
                    "action": "export",
                    "target": "declarations",
                    "detail": "{}",
                },
                {
                    "at": datetime(2026, 12, 1, 8, 0, 0, 120, tzinfo=UTC),
                    "actor": "yte",
                    "action": "approve",
                    "target": "declaration:1",
                    "detail": '{"reason": "a, \\"b\\""}',
                },
                {
                    "at": datetime(2026, 12, 1, 1, 30, tzinfo=timezone(timedelta(hours=7))),
                    "actor": "-5",
                    "action": "search",
                    "target": "+x",
                    "detail": "",
                },
            ],
        )
    return engine


def test_every_export_is_the_same_bytes_either_way(db_url):
    engine = _fill(db_url)
    for spec in exports.EXPORTS.values():
        streamed = b"".join(exports.csv_chunks(engine, spec))
        assert streamed == exports.reference_csv(engine, spec), spec.name
        assert streamed.count(b"\r\n") == 1 + exports.count(engine, spec)  # the header
    audit = b"".join(exports.csv_chunks(engine, exports.EXPORTS["audit"])).decode("utf-8-sig")
    assert "2026-12-01T08:00:00.000120+00:00,yte,approve" in audit
    assert "'=cmd|' /C calc'!A0" in audit and ",-5,search,'+x," in audit
    declarations = b"".join(exports.csv_chunks(engine, exports.EXPORTS["declarations"]))
    # the quote after the tab or the line break: Excel in Vietnamese ends a row at "\r"
    assert ",\t'=1+2,\"\r'=3\"," in declarations.decode("utf-8-sig")
    engine.dispose()


def test_the_declarations_file_keeps_its_columns_quoting_and_defused_formulas(db_url):
    engine = _fill(db_url)
    seen: list[int] = []
    body = b"".join(
        exports.csv_chunks(engine, exports.EXPORTS["declarations"], progress=seen.append)
    )
    assert seen == [6]
    assert exports.count(engine, exports.EXPORTS["declarations"]) == 6
    assert body.startswith(
        b"\xef\xbb\xbfid,subject_id,full_name,birth_date,sex,phone,status,"
        b"valid_until,origin_area,travel_areas,symptoms,declared_by_proxy,"
        b"source,review_reason\r\n"
    )
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[1] == (
        "1,046085000001,Nguyễn Văn An,1985-01-01,M,0905000000,approved,"
        "2099-01-01T00:00:00+00:00,,,,false,,"
    )
    assert lines[3] == (
        '2,046085000002,"Trần ""Bé"", Thị\nHai",1990-02-03,F,+84905123456,'
        'pending,,,,"\'=HYPERLINK(""http://x"")",true,assisted,'
    )
    assert lines[4] == (
        "3,046085000003,Lê Ánh,,,-12,{'x': 1},1.5e-07,\"['48', '49']\",'@48 -49,,,,"
    )
    # keys sort as text: "10" before "2", as the export always did
    assert [r[0] for r in csv.reader(io.StringIO(body.decode("utf-8-sig")))] == [
        "id",
        "1",
        "10",
        "2",
        "3",
        "4",
        "5",
    ]
    engine.dispose()


def _cells_after_splitting_at(body: bytes, separator: str) -> list[str]:
    """The cells Excel makes of the file when it splits rows at line breaks and cells at
    `separator` whatever the quotes (Vietnamese Windows: ';'), blanks and quotes stripped."""
    import re

    lines = re.split(r"\r\n|\r|\n", body.decode("utf-8-sig"))
    return [re.sub(r'^["\s\u200b]+|"+$', "", p) for line in lines for p in line.split(separator)]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_no_piece_of_a_cell_starts_like_a_formula_whatever_the_separator(db_url):
    engine = _fill(db_url)
    body = b"".join(exports.csv_chunks(engine, exports.EXPORTS["declarations"]))
    for separator in (",", ";", "\t"):
        for piece in _cells_after_splitting_at(body, separator):
            formula = piece[:1] in ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
            assert not formula or _number(piece), (separator, piece)
    text = body.decode("utf-8-sig")
    assert "Lê Văn An;'=cmd|'/C calc'!A0" in text  # the name is still read, a quote aside
    assert "0905;'-12" in text  # after a ';' Excel would read on into the next column
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["4"]["origin_area"] == "' =1+1" and rows["4"]["review_reason"] == "ghi chú\n'=1+1"
    assert rows["4"]["travel_areas"] == "'\u200b=2" and rows["4"]["symptoms"] == "'\u00a0@x"
    assert rows["4"]["source"] == "a,'+SUM(1)"
    assert [rows["5"][k] for k in ("full_name", "phone", "review_reason", "source")] == [
        "'\uff1dHYPERLINK(1)",
        "'\uff0b1",
        "'\uff0d2",
        "'\uff20x",
    ]
    assert rows["5"]["origin_area"] == "['a;'=b']" and rows["5"]["travel_areas"] == "\n'=3"
    engine.dispose()
