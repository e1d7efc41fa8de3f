"""Hospitals' approvals of patients from other provinces (directive 82/CV-BCĐ I.6) on the
server: what staff record, import and revoke, what kiosks are sent, the audit trail, the CSV.
The back office's routes run in a real `kiosk-server serve` process (the `office` fixture)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kiosk_server import exports, hospital
from kiosk_server.db import changes, entities, open_db
from kiosk_server.office import OfficeError
from kiosk_server.office_db import office_audit
from tests.server.office import csrf_of, post_form, urls_in

TAM = {
    "subject_id": "048090001234",
    "full_name": "Phan Văn Tâm",
    "home_province": "Đà Nẵng",
    "hospital": "Bệnh viện Trung ương Huế",
    "purpose": "tai_kham",
    "appointment_date": "05/12/2026",
    "approved_by": "BS. Lê Hữu Phước, Khoa Nội",
}
CSV = (
    "subject_id,full_name,home_province,hospital,purpose,appointment_date,entry_from,entry_to,"
    "approved_by\n"
    "048090001234,Phan Văn Tâm,Đà Nẵng,Bệnh viện Trung ương Huế,kham,2026-12-05,,,Khoa Nội\n"
    "079301009876,Nguyễn Thị Mỹ,TP. Hồ Chí Minh,Bệnh viện Đại học Y Dược Huế,tai_kham,"
    "07/12/2026,06/12/2026,08/12/2026,Khoa Mắt\n"
)


@pytest.fixture
def engine(db_url):  # SQLite, and PostgreSQL where CI provides one (tests/conftest.py)
    e = open_db(db_url)
    yield e
    e.dispose()


def sent_to_kiosks(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(entities.c.key, entities.c.data).where(entities.c.kind == "hospital_approval")
        )
        return {k: json.loads(d) for k, d in rows}


def trail(engine) -> list[tuple[str, str, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(select(office_audit).order_by(office_audit.c.seq))
        return [(r.action, r.target, json.loads(r.detail)) for r in rows]


def test_an_approval_is_kept_whole_on_the_server_and_sent_to_kiosks_masked(engine):
    row = hospital.add(engine, "yte", TAM)
    assert (row["entry_from"], row["entry_to"]) == (date(2026, 12, 4), date(2026, 12, 5))
    assert row["status"] == "approved" and row["purpose"] == "tai_kham"
    doc = sent_to_kiosks(engine)[str(row["id"])]
    assert doc == {
        "id": row["id"],
        "subject_id": "048090001234",
        "masked_name": "Phan V** T**",
        "hospital": "Bệnh viện Trung ương Huế",
        "appointment_date": "2026-12-05",
        "entry_from": "2026-12-04",
        "entry_to": "2026-12-05",
        "status": "approved",
    }
    assert "Phan Văn Tâm" not in json.dumps(doc, ensure_ascii=False)
    action, target, detail = trail(engine)[-1]
    assert (action, target) == ("hospital_add", f"hospital_approval:{row['id']}")
    assert detail["subject"] == "0480******34"  # the trail never holds the full number


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"subject_id": "04809000123"}, "bad_id_number"),
        ({"full_name": "  "}, "hospital_fields_needed"),
        ({"home_province": "Thừa Thiên Huế"}, "hospital_home_province"),
        ({"home_province": "thua thien hue"}, "hospital_home_province"),
        ({"purpose": "du_lich"}, "bad_purpose"),
        ({"appointment_date": "31/02/2026"}, "bad_date"),
        ({"entry_from": "2026-12-06", "entry_to": "2026-12-08"}, "bad_window"),
        ({"entry_from": "2026-12-05", "entry_to": "2026-12-01"}, "bad_dates"),
        ({"entry_from": "2026-11-01", "entry_to": "2026-12-05"}, "bad_window"),
    ],
)
def test_a_bad_approval_is_refused_with_its_reason_and_changes_nothing(engine, change, code):
    with pytest.raises(OfficeError) as caught:
        hospital.add(engine, "yte", {**TAM, **change})
    assert caught.value.code == code
    assert sent_to_kiosks(engine) == {} and trail(engine) == []


def test_an_import_is_all_rows_or_none_and_names_the_bad_line(engine):
    bad = CSV + "12345,Ai Đó,Quảng Trị,BV,kham,2026-12-05,,,\n"
    with pytest.raises(OfficeError) as caught:
        hospital.import_csv(engine, "yte", bad)
    assert (caught.value.code, caught.value.params) == (
        "hospital_bad_line",
        {"line": 4, "problem": "bad_id_number", "column": "subject_id"},
    )
    assert sent_to_kiosks(engine) == {}
    with pytest.raises(OfficeError) as caught:
        hospital.import_csv(engine, "yte", "a,b\n1,2\n")
    assert caught.value.code == "hospital_bad_header"
    with pytest.raises(OfficeError) as caught:  # the header names the others: the one missing
        hospital.import_csv(engine, "yte", CSV.replace("full_name", "ho va ten"))
    assert (caught.value.code, caught.value.params) == (
        "hospital_bad_line",
        {"line": 1, "problem": "import_missing_column", "column": "full_name"},
    )
    assert hospital.import_csv(engine, "yte", "\ufeff" + CSV) == 2
    docs = sent_to_kiosks(engine)
    assert sorted(d["entry_from"] for d in docs.values()) == ["2026-12-04", "2026-12-06"]
    assert trail(engine)[-1][:2] == ("hospital_import", "hospital_approvals")


def test_a_list_with_the_vietnamese_column_names_is_imported_too(engine):
    """The Vietnamese page's hint names the columns in Vietnamese: a sheet made from it is taken,
    as one made from an export (English keys) is."""
    vietnamese = (
        "Số CMND/CCCD,Họ tên,Tỉnh nơi ở,Cơ sở khám chữa bệnh,Mục đích,Ngày hẹn,"
        "Được vào từ ngày,Được vào đến ngày,Người duyệt"
    )
    assert hospital.import_csv(engine, "yte", vietnamese + "\n" + CSV.split("\n", 1)[1]) == 2
    docs = sent_to_kiosks(engine)
    assert sorted(d["entry_from"] for d in docs.values()) == ["2026-12-04", "2026-12-06"]
    bare = "so cmnd/cccd,HO TEN,tinh noi o,co so kham chua benh,muc dich,ngay hen\n"
    assert (
        hospital.import_csv(engine, "yte", bare + "048090001234,A Bê,Đà Nẵng,BV,kham,2026-12-09\n")
        == 1
    )  # no marks, any case: as a sheet is typed


def test_the_export_is_utf8_with_bom_and_reads_back_as_the_same_approvals(engine):
    hospital.import_csv(engine, "yte", CSV)
    text = b"".join(exports.csv_chunks(engine, exports.EXPORTS["hospital"])).decode("utf-8")
    assert text.startswith("\ufeffid,subject_id,full_name,home_province,hospital,purpose")
    assert "Nguyễn Thị Mỹ,TP. Hồ Chí Minh" in text
    # an edited export imported again replaces those approvals, by id: no duplicates
    edited = text.replace("Khoa Mắt", "Khoa Mắt – BS. Hồ Thị Lan")
    assert hospital.import_csv(engine, "yte", edited) == 2
    rows = hospital.page(engine, "", 10, 0)
    assert len(rows) == 2 and "Khoa Mắt – BS. Hồ Thị Lan" in {r["approved_by"] for r in rows}
    assert len(sent_to_kiosks(engine)) == 2


def test_a_revocation_reaches_kiosks_as_a_change_and_is_audited_with_its_reason(engine):
    row = hospital.add(engine, "yte", TAM)
    hospital.revoke(engine, "yte", row["id"], "Bệnh nhân đổi lịch")
    assert sent_to_kiosks(engine)[str(row["id"])]["status"] == "revoked"
    with engine.connect() as conn:
        ops = (
            conn.execute(select(changes.c.op).where(changes.c.kind == "hospital_approval"))
            .scalars()
            .all()
        )
    assert ops == ["upsert", "upsert"]  # the kiosk's cursor sees the revocation
    action, _target, detail = trail(engine)[-1]
    assert action == "hospital_revoke" and detail["reason"] == "Bệnh nhân đổi lịch"
    with pytest.raises(OfficeError):
        hospital.revoke(engine, "yte", 999, "")


# --- the back office's section, in a real server process -----------------------------------
def test_health_staff_add_search_and_revoke_on_the_page(office):
    health = office.session("yte")
    page = health.get(office.url + "/hospital")
    assert page.status_code == 200 and "Khám chữa bệnh" in page.text and "I.6" in page.text
    token = csrf_of(page.text)
    refused = health.post(office.url + "/hospital", data={**TAM, "csrf": "nope"})
    assert refused.status_code == 403
    bad = health.post(
        office.url + "/hospital", data={**TAM, "csrf": token, "home_province": "Thừa Thiên Huế"}
    )
    assert "dành cho người ngoài tỉnh" in bad.text
    done = health.post(office.url + "/hospital", data={**TAM, "csrf": token})
    assert "Đã ghi phê duyệt" in done.text and "Phan Văn Tâm" in done.text
    assert "04/12–05/12/2026" in done.text and "Tái khám" in done.text
    approval_id = sent_to_kiosks(office.server.engine).popitem()[0]
    gone = health.post(
        office.url + f"/hospital/{approval_id}/revoke", data={"csrf": token, "reason": "đổi lịch"}
    )
    assert "Đã thu hồi" in gone.text
    assert sent_to_kiosks(office.server.engine)[approval_id]["status"] == "revoked"
    english = health.get(office.url + "/lang/en?next=/hospital")
    assert "Hospital approvals" in english.text and "Follow-up" in english.text


@pytest.mark.parametrize(
    ("change", "bad", "label"),
    [
        ({"appointment_date": "31/02/2026"}, "appointment_date", "Ngày hẹn"),
        ({"entry_from": "4 tháng 12"}, "entry_from", "Được vào từ ngày"),
        ({"entry_to": "5/12/26"}, "entry_to", "đến hết ngày"),
    ],
)
def test_a_refused_approval_keeps_what_was_typed_and_names_the_date_box(office, change, bad, label):
    """A hospital's approval is long to type: a wrong date is one box to correct, named and
    marked, the rest as typed, not an emptied form to redo."""
    health = office.session("yte")
    typed = {**TAM, "entry_from": "04/12/2026", "entry_to": "05/12/2026", **change}
    refused = post_form(health, office.url, "/hospital", "/hospital", typed)
    assert refused.status_code == 400 and "Đã ghi phê duyệt" not in refused.text
    said = refused.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert "Ngày không hợp lệ" in said and f"Ô cần sửa: «{label}»." in said, said
    form = refused.text.split('id="add-approval"')[1].split("</form>")[0]
    for name, value in typed.items():
        if name == "purpose":
            assert f'<option value="{value}" selected>' in form
        else:
            assert f'name="{name}" value="{value}"' in form, name
    marked = [b.split(">")[0] for b in form.split("<")[1:] if 'aria-invalid="true"' in b]
    assert len(marked) == 1 and f'name="{bad}"' in marked[0] and "autofocus" in marked[0]
    assert sent_to_kiosks(office.server.engine) == {}


def test_the_paste_hint_names_the_columns_in_the_pages_language(office):
    health = office.session("yte")
    hint = health.get(office.url + "/hospital").text.split('id="hospital-csv-columns">')[1]
    hint = hint.split("</p>")[0]
    assert "Số CMND/CCCD,Họ tên,Tỉnh nơi ở,Cơ sở khám chữa bệnh,Mục đích,Ngày hẹn" in hint
    assert "subject_id" not in hint and "appointment_date" not in hint
    english = health.get(office.url + "/lang/en?next=/hospital").text
    hint = english.split('id="hospital-csv-columns">')[1].split("</p>")[0]
    assert "id,subject_id,full_name,home_province,hospital,purpose,appointment_date" in hint


@pytest.mark.parametrize(
    ("row", "vi", "en"),
    [
        ("048090001234,Phan Văn Tâm,Đà Nẵng,BV,kham,5 tháng 12,,,", "Ngày hẹn", "appointment_date"),
        ("0480900012,Phan Văn Tâm,Đà Nẵng,BV,kham,2026-12-05,,,", "Số CMND/CCCD", "subject_id"),
        ("048090001234,Phan Văn Tâm,Đà Nẵng,BV,xet_nghiem,2026-12-05,,,", "Mục đích", "purpose"),
    ],
)
def test_a_bad_pasted_line_names_its_column_in_the_pages_language(office, row, vi, en):
    """A hospital's list is pasted from a sheet: the column to correct is named as the paste
    hint names it, besides the line, so a long row need not be read cell by cell."""
    health = office.session("yte")
    pasted = {"csv": CSV + row + "\n"}
    page = post_form(health, office.url, "/hospital", "/hospital/import", pasted)
    said = page.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert "dòng 4" in said and f"cột «{vi}»" in said, said
    health.get(office.url + "/lang/en")
    english = post_form(health, office.url, "/hospital", "/hospital/import", pasted).text
    said = english.split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert "line 4" in said and f"column “{en}”" in said, said
    assert sent_to_kiosks(office.server.engine) == {}


def _many(subject: str, n: int) -> str:
    """A hospital's list with n follow-ups of one patient, a day apart."""
    return (
        CSV.split("\n", 1)[0]
        + "\n"
        + "".join(
            f"{subject},Phan Văn Tâm,Đà Nẵng,Bệnh viện Trung ương Huế,tai_kham,"
            f"{date(2026, 1, 1) + timedelta(days=i)},,,Khoa Nội\n"
            for i in range(n)
        )
    )


def test_a_search_is_audited_with_the_approvals_shown_not_the_look_ahead_row(office):
    engine = office.server.engine
    hospital.import_csv(engine, "yte", _many(TAM["subject_id"], 51))
    health = office.session("yte")
    first = post_form(health, office.url, "/hospital", "/hospital/search", {"q": TAM["subject_id"]})
    assert first.text.count("Phan Văn Tâm") == 50 and "Trang sau" in first.text
    second = health.post(
        office.url + "/hospital/search",
        data={"csrf": csrf_of(first.text), "q": TAM["subject_id"], "page": "1"},
    )
    assert second.text.count("Phan Văn Tâm") == 1 and "Trang sau" not in second.text
    searches = [d for a, t, d in trail(engine) if (a, t) == ("search", "hospital_approvals")]
    assert searches == [{"query": "0480******34", "hits": 50}, {"query": "0480******34", "hits": 1}]


def test_the_id_number_searched_or_saved_is_in_no_url(office):
    """A URL stays in the browser's history and in proxies' logs: the number must not."""
    health = office.session("yte")
    number = TAM["subject_id"]
    done = post_form(health, office.url, "/hospital", "/hospital", TAM)
    assert "Đã ghi phê duyệt" in done.text and number in done.text  # the person's approvals
    found = post_form(health, office.url, "/hospital", "/hospital/search", {"q": number})
    assert "Phan Văn Tâm" in found.text
    approval_id = sent_to_kiosks(office.server.engine).popitem()[0]
    gone = health.post(
        office.url + f"/hospital/{approval_id}/revoke",
        data={"csrf": csrf_of(found.text), "reason": "đổi lịch"},
    )
    assert "Đã thu hồi" in gone.text
    for answer in (done, found, gone):
        addresses = [answer.url, *(r.headers.get("location", "") for r in answer.history)]
        assert not [a for a in addresses + urls_in(answer.text) if number in a]
    health.get(office.url + "/hospital", params={"q": number})  # an old bookmark: no search
    searches = [a for a, t, _d in trail(office.server.engine) if t == "hospital_approvals"]
    assert searches.count("search") == 3  # the search, and the person's list after each change


def test_only_health_and_admin_open_the_section_and_its_export(office):
    police = office.session("congan")
    assert police.get(office.url + "/hospital").status_code == 403
    assert police.get(office.url + "/export/hospital.csv").status_code == 403
    assert "/hospital" not in police.get(office.url + "/").text
    assert office.session("admin").get(office.url + "/hospital").status_code == 200
    import requests

    assert requests.get(office.url + "/export/hospital.csv").status_code == 401


def test_the_web_export_is_utf8_with_bom_and_the_cli_imports_and_exports_the_same(office, tmp_path):
    source = tmp_path / "bv.csv"
    source.write_text(CSV, encoding="utf-8")
    done = office.cmd("hospital-approvals", "import", str(source))
    assert (done.returncode, done.stdout.strip()) == (0, "2"), done.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text(CSV.replace("2026-12-05", "5 tháng 12"), encoding="utf-8")
    done = office.cmd("hospital-approvals", "import", str(broken))
    assert done.returncode == 2 and "line 2" in done.stderr and "bad_date" in done.stderr
    with office.session("yte").get(office.url + "/export/hospital.csv", stream=True) as answer:
        assert answer.headers["content-type"].startswith("text/csv")
        body = b"".join(answer.iter_content(65536))
    assert body.startswith("\ufeff".encode())
    assert "Nguyễn Thị Mỹ" in body.decode("utf-8-sig")
    out = tmp_path / "out.csv"
    done = office.cmd("hospital-approvals", "export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith("\ufeff".encode())
    assert out.read_text(encoding="utf-8-sig").count("\n") == 3
    actions = [a for a, _t, _d in trail(office.server.engine)]
    assert "hospital_import" in actions and actions.count("export") == 2


def test_a_list_naming_a_column_twice_is_refused(engine):
    """A sheet with the ID column under its English key and, further right, under its
    Vietnamese name: someone checking it reads the first, the import read the last. Which one
    was meant is not guessed: nothing is imported and the first line is named."""
    header, first, _second = CSV.split("\n", 2)
    sheet = f"{header},Số CMND/CCCD\n{first},079301009876\n"
    with pytest.raises(OfficeError) as refused:
        hospital.import_csv(engine, "yte", sheet)
    assert (refused.value.code, refused.value.params) == (
        "hospital_bad_line",
        {"line": 1, "problem": "duplicate_column", "column": "subject_id"},
    )
    assert sent_to_kiosks(engine) == {}
