"""The administrator's commands, run as a province's operator would run them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from kiosk_server import admin
from kiosk_server.db import entities, open_db


def server_cmd(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "kiosk_server", "--data-dir", str(tmp_path), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_import_is_all_rows_or_none_and_names_the_bad_line(tmp_path):
    good = tmp_path / "vehicles.csv"
    good.write_text(
        "id,plate,kind,status,business,valid_from,valid_to\n"
        "1,75C-123.45,freight,approved,Huế Xanh,2026-11-22T00:00:00+07:00,"
        "2026-11-23T00:00:00+07:00\n",
        encoding="utf-8",
    )
    done = server_cmd(tmp_path, "import", "vehicles", str(good))
    assert done.returncode == 0 and done.stdout.strip() == "1"
    bad = tmp_path / "more.csv"
    bad.write_text(
        good.read_text(encoding="utf-8")
        + "2,not a plate,freight,approved,X,2026-11-22T00:00:00,2026-11-23T00:00:00\n",
        encoding="utf-8",
    )
    done = server_cmd(tmp_path, "import", "vehicles", str(bad))
    assert done.returncode == 2 and done.stderr.strip() == (
        "more.csv: line 3, column “plate”: must be a number plate, e.g. 75C-123.45. No row was "
        "imported."
    )
    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    with engine.connect() as conn:
        rows = conn.execute(select(entities.c.key).where(entities.c.kind == "vehicle")).all()
    assert len(rows) == 1  # the bad file changed nothing


@pytest.mark.slow
def test_a_nul_character_in_a_sheet_is_refused_with_its_line_not_a_traceback(tmp_path):
    sheet = tmp_path / "vehicles.csv"
    sheet.write_text(
        "id,plate,kind,status,business,valid_from,valid_to\n"
        "1,75C-123.45,freight,approved,Huế Xanh,2026-11-22T00:00,2026-11-23T00:00\n"
        "2,75C-123.46,freight,approved,Huế\x00Xanh,2026-11-22T00:00,"
        "2026-11-23T00:00\n",
        encoding="utf-8",
    )
    done = server_cmd(tmp_path, "import", "vehicles", str(sheet))
    assert done.returncode == 2 and "line 3" in done.stderr and "NUL" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_import_takes_every_kind_the_back_office_form_takes_and_names_them_for_another(tmp_path):
    from kiosk_server import office

    head = "id,plate,kind,status,business,valid_from,valid_to\n"
    rows = "".join(
        f"{i},75C-123.4{i},{kind},approved,,2026-11-22T00:00,2026-11-23T00:00\n"
        for i, kind in enumerate(office.VEHICLE_KINDS, start=1)
    )
    assert "coach" in rows  # fixed-route coaches are registered (the police verdict knows them)
    good = tmp_path / "vehicles.csv"
    good.write_text(head + rows, encoding="utf-8")
    done = server_cmd(tmp_path, "import", "vehicles", str(good))
    assert done.returncode == 0 and done.stdout.strip() == str(len(office.VEHICLE_KINDS))
    bad = tmp_path / "tank.csv"
    bad.write_text(
        head + "9,75C-999.99,tank,approved,,2026-11-22T00:00,2026-11-23T00:00\n", encoding="utf-8"
    )
    done = server_cmd(tmp_path, "import", "vehicles", str(bad))
    assert done.returncode == 2
    assert (
        "line 2, column “kind”: must be one of: freight, transit, coach, delegation." in done.stderr
    )


@pytest.mark.slow
def test_a_cell_too_long_for_csv_is_refused_with_its_line_not_a_traceback(tmp_path):
    # a sheet's cell pasted over 128 KB: the command's count of the rows met it first
    big = tmp_path / "to-khai.csv"
    big.write_text(
        "id,subject_id,full_name,birth_date,sex,status,valid_until\n"
        f"1,046085001234,{'A' * 140_000},1985-01-01,M,approved,2099-01-01T00:00\n",
        encoding="utf-8",
    )
    done = server_cmd(tmp_path, "import", "declarations", str(big))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "to-khai.csv: line 2: this line cannot be read as CSV (an unclosed quote, or a cell over"
        " 128 KB?). No row was imported."
    )


@pytest.mark.slow
def test_pair_codes_are_one_time_and_revoked_kiosks_are_listed(tmp_path):
    code = server_cmd(tmp_path, "pair").stdout.strip()
    assert len(code) == 14 and code.count("-") == 2
    demo = server_cmd(tmp_path, "demo")
    assert demo.returncode == 0
    assert json.loads(demo.stdout)["manifest"].endswith("manifest.json")
    assert server_cmd(tmp_path, "revoke", "no-such-kiosk").returncode == 2
    refused = server_cmd(tmp_path, "issue-token", "1001", "046085001234")
    assert refused.returncode == 2 and "demo key" in refused.stderr  # public: rotate it first
    assert server_cmd(tmp_path, "rotate-key").returncode == 0
    token = server_cmd(tmp_path, "issue-token", "1001", "046085001234").stdout.strip()
    assert token.startswith("CK1:")
    for wrong in (("99999", "046085001234"), ("1001", "999999999999")):  # no such; someone else
        refused = server_cmd(tmp_path, "issue-token", *wrong)
        assert refused.returncode == 2 and not refused.stdout
        assert "999999999999" not in refused.stderr  # no ID number in what is printed


def _entities(engine, kind):
    with engine.connect() as conn:
        rows = conn.execute(
            select(entities.c.key, entities.c.data).where(entities.c.kind == kind)
        ).all()
    return {key: json.loads(data) for key, data in rows}


def test_imported_ids_are_numbers_and_spreadsheet_times_are_vietnamese(tmp_path):
    from kiosk_server import admin

    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    csv_file = tmp_path / "vehicles.csv"
    csv_file.write_text(
        "id,plate,kind,status,business,valid_from,valid_to\n"
        "007,75C-123.45,freight,approved,Huế Xanh,2026-11-22T06:00,2026-11-23T00:00\n",
        encoding="utf-8",
    )
    assert admin.import_csv(engine, "vehicles", csv_file) == 1
    ((key, data),) = _entities(engine, "vehicle").items()
    assert key == "7" and data["id"] == 7  # the key every kiosk matches on
    assert data["valid_from"] == "2026-11-22T06:00:00+07:00"  # not each laptop's own zone


def test_an_import_failing_in_the_database_half_way_writes_nothing(tmp_path):
    from kiosk_server.db import upsert_entities

    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    rows = [(str(i), {"id": i, "name": f"Chợ {i}"}) for i in range(1, 7001)]
    rows[6500] = ("x" * 41, {"id": 6501, "name": "?"})  # the key column holds 40
    with engine.begin() as conn:  # SQLite keeps long text; a trigger plays PostgreSQL's refusal
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse_long BEFORE INSERT ON entities WHEN length(NEW.key) > 40 "
            "BEGIN SELECT RAISE(ABORT, 'value too long'); END"
        )
    with pytest.raises(Exception, match="too long"):
        upsert_entities(engine, "market", rows, atomic=True)
    assert _entities(engine, "market") == {}


def test_a_revoked_demo_key_id_is_never_given_to_a_new_key(tmp_path):
    from kiosk_server import admin
    from kiosk_server.demo import load_demo

    engine = open_db(f"sqlite:///{tmp_path}/server.db")
    load_demo(engine, tmp_path)  # signs with the demo key, id 1, never rotated here
    assert admin.revoke_key(engine, 1)
    assert admin.rotate_key(engine) == 2


def test_a_revoked_key_id_is_never_given_to_a_new_key(server):
    first = admin.rotate_key(server.engine)
    assert admin.revoke_key(server.engine, first)
    assert admin.rotate_key(server.engine) == first + 1
