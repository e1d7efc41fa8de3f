"""The back office's commands and what its changes do at a kiosk: `kiosk-server` and `kiosk`
as processes against a real server process."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from kiosk.auth import Authenticator, SignInError
from kiosk.storage import Store
from tests.server.office import (
    ASSISTED_FORM,
    csrf_of,
    kiosk_cmd,
    post_form,
    queue_assisted,
    server_cmd,
    urls_in,
)

pytestmark = pytest.mark.slow


def test_user_add_refuses_a_short_password_a_bad_role_and_a_second_account(tmp_path):
    assert (
        server_cmd(tmp_path, "user", "add", "a", "--role", "health", stdin="short\n").returncode
        == 2
    )
    bad_role = server_cmd(tmp_path, "user", "add", "a", "--role", "mayor", stdin="x" * 12)
    assert bad_role.returncode == 2 and "mayor" in bad_role.stderr
    assert (
        server_cmd(
            tmp_path, "user", "add", "a", "--role", "health", stdin="long enough pass\n"
        ).returncode
        == 0
    )
    again = server_cmd(tmp_path, "user", "add", "a", "--role", "admin", stdin="another one!!\n")
    assert again.returncode == 2 and "exists" in again.stderr


def test_operators_reach_a_paired_kiosk_with_no_demo_data_and_sign_in(office, tmp_path):
    made = office.cmd(
        "operator",
        "add",
        "yt-01",
        "--role",
        "medic",
        "--checkpoint",
        "CP-A",
        "--name",
        "Lê Thị Mai",
        stdin="582046\n",
    )
    assert made.returncode == 0, made.stderr
    assert (
        office.cmd(
            "operator", "add", "x", "--role", "medic", "--checkpoint", "CP-A", stdin="12\n"
        ).returncode
        == 2
    )  # not a PIN
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-A")
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    listed = [json.loads(line) for line in kiosk_cmd(kiosk, "operators").stdout.splitlines()]
    assert listed == [{"id": "yt-01", "role": "medic", "checkpoint": "CP-A", "active": True}]
    store = Store.open(kiosk / "kiosk.db")
    try:
        session = Authenticator(store).sign_in("yt-01", "582046")
        assert (session.display_name, session.screens) == ("Lê Thị Mai", ("medic",))
    finally:
        store.close()
    # disabled on the web: the next sync takes the sign-in away
    admin = office.session("admin")
    token = csrf_of(admin.get(office.url + "/operators").text)
    admin.post(office.url + "/operators/yt-01", data={"csrf": token, "action": "disable"})
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    assert json.loads(kiosk_cmd(kiosk, "operators").stdout)["active"] is False
    store = Store.open(kiosk / "kiosk.db")
    try:
        with pytest.raises(SignInError) as refused:
            Authenticator(store).sign_in("yt-01", "582046")
        assert refused.value.code == "unknown_operator"
    finally:
        store.close()


def test_review_from_a_shell_pending_approve_reject(office, tmp_path):
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-B")
    queue_assisted(kiosk, "CP-B")
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    assert kiosk_cmd(kiosk, "sync").returncode == 0  # a second push makes no second declaration
    pending = [json.loads(x) for x in office.cmd("declarations", "--pending").stdout.splitlines()]
    assert len(pending) == 1
    decl = pending[0]
    assert (decl["subject_id"], decl["full_name"], decl["status"], decl["source"]) == (
        ASSISTED_FORM["id_number"],
        ASSISTED_FORM["full_name"],
        "pending",
        "assisted",
    )
    assert decl["declared_by_proxy"] is True and decl["checkpoint_id"] == "CP-B"
    no_reason = office.cmd("reject", str(decl["id"]))
    assert no_reason.returncode == 2 and "reason" in no_reason.stderr
    assert office.cmd("approve", "999").returncode == 2
    done = office.cmd("reject", str(decl["id"]), "--reason", "Ảnh CCCD mờ")
    assert json.loads(done.stdout) == {"id": decl["id"], "status": "rejected"}
    assert office.cmd("declarations", "--pending").stdout == ""
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    verdict = json.loads(kiosk_cmd(kiosk, "check", "--id", ASSISTED_FORM["id_number"]).stdout)
    assert verdict["verdict"] == "deny"
    approved = json.loads(office.cmd("approve", str(decl["id"])).stdout)
    assert approved["status"] == "approved"
    admin = office.session("admin")
    trail = admin.get(office.url + "/audit", params={"target": f"declaration:{decl['id']}"}).text
    assert "Ảnh CCCD mờ" in trail and "approve" in trail and "assisted_intake" in trail


def test_pairing_again_under_the_same_name_retires_the_old_kiosk(office, tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    office.pair_kiosk(old, "CP-C")
    assert kiosk_cmd(old, "sync").returncode == 0
    office.pair_kiosk(new, "CP-C")
    assert kiosk_cmd(new, "sync").returncode == 0
    assert kiosk_cmd(old, "sync").returncode == 4  # its credential is revoked
    kiosks = [json.loads(x) for x in office.cmd("kiosks").stdout.splitlines()]
    assert sorted(k["revoked"] for k in kiosks) == [False, True]
    page = office.session("admin").get(office.url + "/kiosks").text
    assert page.count("CP-C") == 2 and "Đã thu hồi" in page


def test_zones_and_vehicles_saved_on_the_web_reach_the_kiosk(office, tmp_path):
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-D")
    police = office.session("congan")
    token = csrf_of(police.get(office.url + "/vehicles").text)
    bad = police.post(
        office.url + "/vehicles",
        data={
            "csrf": token,
            "id": "41",
            "plate": "không phải biển",
            "kind": "freight",
            "valid_from": "2020-01-01T00:00",
            "valid_to": "2099-01-01T00:00",
        },
    )
    assert "không hợp lệ" in bad.text
    police.post(
        office.url + "/vehicles",
        data={
            "csrf": token,
            "id": "41",
            "plate": "75C-123.45",
            "kind": "freight",
            "business": "Công ty Huế Xanh",
            "valid_from": "2020-01-01T00:00",
            "valid_to": "2099-01-01T00:00",
            "route": "QL1A – Phú Bài",
        },
    )
    assert "QL1A – Phú Bài" in police.get(office.url + "/vehicles").text
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    plate = json.loads(kiosk_cmd(kiosk, "check", "--plate", "75C12345").stdout)
    assert plate["verdict"] == "allow", plate
    health = office.session("yte")
    token = csrf_of(health.get(office.url + "/zones").text)
    bad = health.post(
        office.url + "/zones",
        data={
            "csrf": token,
            "id": "3",
            "area_code": "48",
            "active_from": "2026-01-10",
            "active_to": "2026-01-01",
        },
    )
    assert "trước ngày bắt đầu" in bad.text
    health.post(
        office.url + "/zones",
        data={
            "csrf": token,
            "id": "3",
            "area_code": "48",
            "name": "Đà Nẵng",
            "active_from": "2026-01-01",
            "active_to": "",
        },
    )
    assert "Đà Nẵng" in health.get(office.url + "/zones").text
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    store = Store.open(kiosk / "kiosk.db")
    try:
        from datetime import date

        assert store.epidemic_zone_for(["48.490"], date(2026, 6, 1)) == "Đà Nẵng"
    finally:
        store.close()


def test_a_plate_typed_any_way_is_listed_and_sent_to_kiosks_as_printed(office, tmp_path):
    police = office.session("congan")
    token = csrf_of(police.get(office.url + "/vehicles").text)
    police.post(
        office.url + "/vehicles",
        data={
            "csrf": token,
            "id": "42",
            "plate": "51c 12345",
            "kind": "freight",
            "valid_from": "2020-01-01T00:00",
            "valid_to": "2099-01-01T00:00",
        },
    )
    listed = police.get(office.url + "/vehicles").text
    assert "51C-123.45" in listed and "51c 12345" not in listed
    sheet = tmp_path / "vehicles.csv"
    sheet.write_text(
        "id,plate,kind,status,valid_from,valid_to\n"
        "43,29a12345,transit,approved,2020-01-01T00:00,2099-01-01T00:00\n",
        encoding="utf-8",
    )
    assert office.cmd("import", "vehicles", str(sheet)).returncode == 0
    assert "29A-123.45" in police.get(office.url + "/vehicles").text
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-D")
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    store = Store.open(kiosk / "kiosk.db")
    try:
        shown = {r.plate_display for r in store.vehicles.by_keys(["51C12345", "29A12345"])}
    finally:
        store.close()
    assert shown == {"51C-123.45", "29A-123.45"}


def test_exports_are_utf8_with_bom_streamed_and_what_the_cli_imports_stays_importable(
    office, tmp_path
):
    csv_in = tmp_path / "decl.csv"
    rows = ["id,subject_id,full_name,birth_date,sex,phone,status,valid_until"] + [
        f"{i},0460850{i:05d},Nguyễn Thị Ánh {i},1985-01-01,F,0905000000,approved,"
        f"2099-01-01T00:00:00"
        for i in range(1, 2501)
    ]
    csv_in.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert office.cmd("import", "declarations", str(csv_in)).stdout.strip() == "2500"
    health = office.session("yte")
    with health.get(office.url + "/export/declarations.csv", stream=True) as answer:
        assert answer.headers["content-type"].startswith("text/csv")
        assert "content-length" not in answer.headers  # streamed, not built whole
        body = b"".join(answer.iter_content(65536))
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert text.count("\n") == 2501 and "Nguyễn Thị Ánh 2500" in text
    # the export reads back through the importer
    back = tmp_path / "back.csv"
    back.write_bytes(body)
    again = server_cmd(tmp_path / "other", "import", "declarations", str(back))
    assert again.returncode == 0 and again.stdout.strip() == "2500"
    # searching by ID finds the person; by name too, case aside
    found = post_form(
        health, office.url, "/declarations", "/declarations/search", {"q": "046085002499"}
    )
    assert "Nguyễn Thị Ánh 2499" in found.text
    # the number searched is in no URL: not the page's, nor any its links and forms lead to
    addresses = [found.url, *(r.headers.get("location", "") for r in found.history)]
    assert not [a for a in addresses + urls_in(found.text) if "046085002499" in a]
    assert (
        "Nguyễn Thị Ánh 2499"
        not in health.get(office.url + "/declarations", params={"q": "046085002499"}).text
    )  # no search by URL
    page = post_form(
        health, office.url, "/declarations", "/declarations/search", {"q": "ánh 1234"}
    ).text
    assert "Nguyễn Thị Ánh 1234" in page
    assert health.post(office.url + "/declarations/search", data={"q": "ánh"}).status_code == 403


def test_cli_help_lists_the_office_commands():
    done = subprocess.run(
        [sys.executable, "-m", "kiosk_server", "--help"], capture_output=True, text=True
    )
    for command in ("user", "operator", "declarations", "approve", "reject", "hospital-approvals"):
        assert command in done.stdout


def test_an_assisted_declaration_from_an_epidemic_zone_asks_for_quarantine_and_pcr(
    office, tmp_path
):
    health = office.session("yte")
    token = csrf_of(health.get(office.url + "/zones").text)
    health.post(
        office.url + "/zones",
        data={
            "csrf": token,
            "id": "4",
            "area_code": "48",
            "name": "TP. Đà Nẵng",
            "active_from": "2021-01-01",
            "active_to": "",
        },
    )
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-E")
    queue_assisted(kiosk, "CP-E")  # came from Đà Nẵng
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    decl = json.loads(office.cmd("declarations", "--pending").stdout)
    assert decl["origin_area"] == "48"
    page = health.get(f"{office.url}/declarations/{decl['id']}").text
    assert "Cách ly 21 ngày" in page and "Xét nghiệm PCR" in page and "TP. Đà Nẵng" in page
    # and the kiosk, once it has the zone, says so too
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    office.cmd("approve", str(decl["id"]))
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    verdict = json.loads(kiosk_cmd(kiosk, "check", "--id", ASSISTED_FORM["id_number"]).stdout)
    assert verdict["reason"] == "epidemic_zone"
    kiosks = health.get(office.url + "/kiosks")
    assert kiosks.status_code == 403
    page = office.session("admin").get(office.url + "/kiosks").text
    assert "checkpoint-kiosk/" in page  # the version the kiosk runs


def test_vehicles_pasted_as_csv_are_all_imported_or_none(office, tmp_path):
    police = office.session("congan")
    token = csrf_of(police.get(office.url + "/vehicles").text)
    header = "id,plate,kind,business,driver_name,driver_phone,valid_from,valid_to,route\n"
    good = (
        "51,43C-111.22,coach,Xe khách Sông Hàn,Võ Văn Nam,0905111222,2020-01-01T00:00,"
        "2099-01-01T00:00,Đà Nẵng – Huế\n"
        "52,75H-333.44,transit,,,,2020-01-01T00:00,2099-01-01T00:00,QL1A\n"
    )
    bad = police.post(
        office.url + "/vehicles/import",
        data={"csrf": token, "csv": header + good + "53,75H-999.99,tank,,,,x,y,\n"},
    )
    assert "dòng 4" in bad.text
    assert bad.status_code == 400 and "53,75H-999.99,tank,,,,x,y," in bad.text  # kept to correct
    # the kinds a registration may be of, as the kiosk judges them, each with its CSV word
    assert "Loại xe không được đăng ký" in bad.text and "coach (Xe khách)" in bad.text
    assert "43C-111.22" not in police.get(office.url + "/vehicles").text  # none imported
    done = police.post(office.url + "/vehicles/import", data={"csrf": token, "csv": header + good})
    assert "Đã nhập" in done.text and "Đà Nẵng – Huế" in done.text
    kiosk = tmp_path / "kiosk"
    office.pair_kiosk(kiosk, "CP-F")
    assert kiosk_cmd(kiosk, "sync").returncode == 0
    coach = json.loads(kiosk_cmd(kiosk, "check", "--plate", "43C11122").stdout)
    transit = json.loads(kiosk_cmd(kiosk, "check", "--plate", "75H33344").stdout)
    assert (coach["verdict"], transit["reason"]) == ("allow", "vehicle_transit")


def test_the_paste_hint_names_the_columns_in_the_pages_language_and_they_import(office):
    police = office.session("congan")
    page = police.get(office.url + "/vehicles").text
    (header,) = re.findall(r'id="csv-columns">.*?<code>(.*?)</code>', page, re.S)
    assert header.startswith("Mã,Biển số,Loại,") and "Hiệu lực từ" in header, header
    assert "driver_name" not in page.split('id="csv-columns"')[1].split("</p>")[0]
    row = (
        "61,43C-555.66,coach,Xe khách Sông Hàn,Võ Văn Nam,0905111222,01/12/2026 06:00,"
        "31/12/2026,QL1A\n"
    )
    done = post_form(
        police, office.url, "/vehicles", "/vehicles/import", {"csv": header + "\n" + row}
    )
    assert "Đã nhập" in done.text and "01/12/2026 06:00" in done.text
    # typed without the diacritics, as a keyboard without Telex gives it: the same columns
    bare = "ma,bien so,loai,doanh nghiep,lai xe,dien thoai,hieu luc tu,hieu luc den,lo trinh\n"
    done = post_form(
        police,
        office.url,
        "/vehicles",
        "/vehicles/import",
        {"csv": bare + row.replace("61,43C-555.66", "62,43C-555.67")},
    )
    assert "Đã nhập" in done.text and "43C-555.67" in done.text
    police.get(office.url + "/lang/en")
    page = police.get(office.url + "/vehicles").text
    (header,) = re.findall(r'id="csv-columns">.*?<code>(.*?)</code>', page, re.S)
    assert header == "id,plate,kind,business,driver_name,driver_phone,valid_from,valid_to,route"


def test_a_checkpoint_poster_is_an_a4_pdf_whose_qr_reads_back(office, tmp_path):
    import zxingcpp
    from PIL import Image

    admin = office.session("admin")
    pdf = admin.get(
        office.url + "/kiosks/poster.pdf",
        params={
            "checkpoint": "CHOT-PHU-BAI",
            "name": "Chốt Phú Bài – QL1A",
            "url": "https://tokhaiyte.vn/?chot=CHOT-PHU-BAI",
        },
    )
    assert pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "poster.pdf").write_bytes(pdf.content)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "poster.pdf")], capture_output=True, text=True
    ).stdout
    assert "595.276 x 841.89" in info  # A4
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "poster.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Chốt Phú Bài – QL1A" in text and "CHỐT KIỂM SOÁT DỊCH" in text
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", str(tmp_path / "poster.pdf"), str(tmp_path / "poster")],
        check=True,
    )
    codes = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("poster*.png"))))
    assert [c.text for c in codes] == ["https://tokhaiyte.vn/?chot=CHOT-PHU-BAI"]
    assert (
        office.session("yte")
        .get(office.url + "/kiosks/poster.pdf", params={"checkpoint": "X"})
        .status_code
        == 403
    )
    # an address too long for a poster's QR is refused with a message naming its box
    long = admin.get(
        office.url + "/kiosks/poster.pdf",
        params={"checkpoint": "CHOT-PHU-BAI", "url": "https://tokhaiyte.vn/?q=" + "x" * 2000},
    )
    assert long.status_code == 400 and long.headers["content-type"].startswith("text/html")
    assert "300 ký tự" in long.text and "Địa chỉ khai báo (trong QR)" in long.text


def test_every_page_title_is_plain_text_and_the_kiosks_poster_form_shows_once(office):
    admin = office.session("admin")
    for section in (
        "",
        "declarations",
        "zones",
        "hospital",
        "vehicles",
        "markets",
        "cards",
        "operators",
        "kiosks",
        "users",
        "audit",
        "tracing",
        "stats",
    ):
        page = admin.get(f"{office.url}/{section}").text
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title and "<" not in title.group(1) and "\n" not in title.group(1), section
    kiosks = admin.get(office.url + "/kiosks").text
    assert "<title>Máy kiểm soát · Văn phòng chốt kiểm soát dịch</title>" in kiosks
    assert kiosks.count('action="/kiosks/poster.pdf"') == 1
    assert kiosks.index('action="/kiosks/poster.pdf"') > kiosks.index("<main>")
