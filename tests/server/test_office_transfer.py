"""A CSV file imported from the back office with its progress in the page, and an export that
says how many rows it will write before the download starts; through a real server."""

from __future__ import annotations

import pytest

from tests.server.office import csrf_of, post_form

pytestmark = pytest.mark.slow
ROWS = 6000
HEADER = "id,subject_id,full_name,birth_date,sex,phone,status,valid_until\n"


def _rows(n: int) -> str:
    return "".join(
        f"{i},0460850{i:05d},Nguyễn Văn An {i},1985-01-01,M,0905000000,approved,"
        "2099-01-01T00:00:00\n"
        for i in range(1, n + 1)
    )


def _upload(session, url: str, kind: str, body: str, csrf: str | None) -> tuple[int, str]:
    files = {"file": ("to-khai.csv", body.encode("utf-8"), "text/csv")}
    data = {"csrf": csrf} if csrf is not None else {}
    with session.post(f"{url}/import/{kind}", files=files, data=data, stream=True) as answer:
        parts = [chunk.decode("utf-8") for chunk in answer.iter_content(None)]
        return answer.status_code, "".join(parts)


def test_an_upload_is_imported_with_its_progress_in_the_page(office):
    health = office.session("yte")
    form = health.get(office.url + "/import/declarations").text
    assert 'enctype="multipart/form-data"' in form and "Số CMND/CCCD*" in form
    token = csrf_of(form)
    status, page = _upload(health, office.url, "declarations", HEADER + _rows(ROWS), token)
    assert status == 200
    # a bar for the checking, then the writing, and the outcome last
    assert '<progress value="1000" max="6000"></progress> Đã kiểm tra: 1.000 / 6.000 dòng' in page
    assert '<progress value="5000" max="6000"></progress> Đã ghi: 5.000 / 6.000 dòng' in page
    assert "dòng/giây" in page
    assert page.index("<progress") < page.index(f"Đã nhập {ROWS:,} dòng.".replace(",", "."))
    assert page.rstrip().endswith("</html>")
    found = post_form(
        health, office.url, "/declarations", "/declarations/search", {"q": "046085006000"}
    ).text
    assert "Nguyễn Văn An 6000" in found
    count = health.get(office.url + "/export/declarations").text
    assert "Tệp sẽ có 6.000 dòng." in count and 'href="/export/declarations.csv"' in count
    audit = office.session("admin").get(office.url + "/audit", params={"action": "import"}).text
    assert "<td>Tờ khai y tế</td>" in audit


def _outcome(page: str) -> str:
    return page.split('<p class="step error" role="alert">')[1].split("</p>")[0]


def test_a_bad_line_imports_nothing_and_says_which_in_the_pages_language(office):
    health = office.session("yte")
    token = csrf_of(health.get(office.url + "/import/declarations").text)
    body = HEADER + _rows(3) + "4,046085000004,Lê Thị Sai,1985-01-01,X,,approved,2099-01-01\n"
    status, page = _upload(health, office.url, "declarations", body, token)
    assert status == 200
    assert _outcome(page) == (
        "to-khai.csv: dòng 5, cột «Giới tính»: phải là một trong: M, F. Không dòng nào được nhập."
    )
    assert (
        "Nguyễn Văn An 1"
        not in post_form(
            health, office.url, "/declarations", "/declarations/search", {"q": "046085000001"}
        ).text
    )
    health.get(office.url + "/lang/en")
    # an ID number typed in the birth date's column: the column and its rule, not the number
    body = HEADER + _rows(1) + "2,046085000002,Lê Thị Sai,079301009876,F,,approved,2099-01-01\n"
    status, page = _upload(health, office.url, "declarations", body, token)
    assert _outcome(page) == (
        "to-khai.csv: line 3, column “birth_date”: must be a date written "
        "year-month-day, e.g. 2026-12-25. No row was imported."
    )
    assert "079301009876" not in page


def test_a_file_without_its_columns_or_not_utf8_says_what_to_fix(office):
    police = office.session("congan")
    token = csrf_of(police.get(office.url + "/import/vehicles").text)
    misspelt = (
        "Mã,Bien so xe,Loại,Trạng thái,Hiệu lực từ,Hiệu lực đến\n"
        "1,75C-123.45,freight,approved,2026-12-01T00:00,2026-12-31T00:00\n"
    )
    status, page = _upload(police, office.url, "vehicles", misspelt, token)
    assert status == 200
    assert _outcome(page) == (
        "to-khai.csv: dòng 1, cột «Biển số»: thiếu cột bắt buộc này; hãy thêm tên cột vào dòng "
        "đầu (dòng tên cột). Tên cột không nhận ra: Bien so xe. Không dòng nào được nhập."
    )
    # the header line left out: its first row is no header, and none of it is said back
    _, page = _upload(
        police,
        office.url,
        "vehicles",
        "079301009876,75C-123.45,freight,approved,2026-12-01,2026-12-31\n",
        token,
    )
    assert "dòng 1: không có tên cột nào của loại tệp này" in _outcome(page)
    assert "079301009876" not in page
    police.get(office.url + "/lang/en")
    _, page = _upload(police, office.url, "vehicles", misspelt, token)
    assert _outcome(page).startswith(
        "to-khai.csv: line 1, column “plate”: this column is needed and missing"
    )
    assert "Column names not recognised: Bien so xe." in _outcome(page)
    _, page = _upload(police, office.url, "vehicles", "", token)
    assert _outcome(page) == (
        "to-khai.csv: the file is empty; its first line must name the columns. No row was imported."
    )
    # the column names and no rows (a quiet day's export): nothing to import, nothing refused
    header_only = misspelt.replace("Bien so xe", "Biển số").splitlines()[0] + "\n"
    _, page = _upload(police, office.url, "vehicles", header_only, token)
    assert "0 rows imported." in page
    files = {"file": ("xe.csv", misspelt.replace("Bien so xe", "Biển số").encode("utf-16"))}
    with police.post(office.url + "/import/vehicles", files=files, data={"csrf": token}) as sent:
        assert "xe.csv: the file is not UTF-8 text; save it again as “CSV UTF-8”." in sent.text


def test_an_upload_needs_its_csrf_token_and_the_section(office):
    health = office.session("yte")
    status, _ = _upload(health, office.url, "declarations", HEADER + _rows(2), None)
    assert status == 403
    token = csrf_of(health.get(office.url + "/import/declarations").text)
    status, _ = _upload(health, office.url, "vehicles", "id\n", token)
    assert status == 403  # a health user imports no vehicles
    assert health.get(office.url + "/export/vehicles").status_code == 403


def test_the_import_page_names_the_columns_in_its_language_and_takes_either_name(office):
    health = office.session("yte")
    form = health.get(office.url + "/import/declarations").text
    columns = form.split('<p class="columns"><code>')[1].split("</code>")[0]
    assert columns.startswith("Mã*, Số CMND/CCCD*, Họ tên*, Ngày sinh*, Giới tính*")
    assert "subject_id" not in columns and "valid_until" not in columns
    english = health.get(office.url + "/lang/en?next=/import/declarations").text
    assert "id*, subject_id*, full_name*" in english
    header = "Mã,Số CMND/CCCD,Họ tên,Ngày sinh,Giới tính,Điện thoại,Trạng thái,Hiệu lực đến\n"
    status, page = _upload(health, office.url, "declarations", header + _rows(2), csrf_of(form))
    assert status == 200 and "2 rows imported." in page
    found = post_form(
        health, office.url, "/declarations", "/declarations/search", {"q": "046085000002"}
    ).text
    assert "Nguyễn Văn An 2" in found


def test_a_file_naming_a_column_twice_imports_nothing(office):
    """The ID number under its English key and again under its Vietnamese name: the import read
    the column further right, not the one a person checking the sheet reads first."""
    health = office.session("yte")
    token = csrf_of(health.get(office.url + "/import/declarations").text)
    body = HEADER.rstrip("\n") + ",Số CMND/CCCD\n" + _rows(1).rstrip("\n") + ",079301009876\n"
    status, page = _upload(health, office.url, "declarations", body, token)
    assert status == 200 and _outcome(page) == (
        "to-khai.csv: dòng 1, cột «Số CMND/CCCD»: cột này có hai lần (một tên tiếng Việt và một "
        "tên tiếng Anh?); hãy xóa một cột. Không dòng nào được nhập."
    )
    found = post_form(
        health, office.url, "/declarations", "/declarations/search", {"q": "079301009876"}
    ).text
    assert "Nguyễn Văn An 1" not in found


def test_a_pasted_vehicle_list_naming_a_column_twice_is_refused(office):
    police = office.session("congan")
    pasted = (
        "id,plate,kind,valid_from,valid_to,Biển số\n"
        "990001,75C-123.45,freight,01/12/2026 08:00,31/12/2026 18:00,43A-999.99\n"
    )
    refused = post_form(police, office.url, "/vehicles", "/vehicles/import", {"csv": pasted})
    assert refused.status_code == 400
    said = refused.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert "dòng 1, cột «Biển số»: hai cột cùng là một cột" in said, said
    assert "43A-999.99" not in refused.text.split("<tbody>")[1].split("</tbody>")[0]


def test_a_pasted_vehicle_list_names_the_missing_column_and_the_bad_cell(office):
    police = office.session("congan")
    pasted = (
        "id,bien so xe,kind,valid_from,valid_to\n"
        "990002,75C-123.46,freight,01/12/2026 08:00,31/12/2026 18:00\n"
    )
    refused = post_form(police, office.url, "/vehicles", "/vehicles/import", {"csv": pasted})
    said = refused.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert refused.status_code == 400 and said == (
        "Dòng CSV không hợp lệ (không dòng nào được nhập): dòng 1, cột «Biển số»: thiếu cột bắt "
        "buộc này; hãy thêm tên cột vào dòng đầu (dòng tên cột)."
    ), said
    police.get(office.url + "/lang/en")
    pasted = pasted.replace("bien so xe", "plate").replace("75C-123.46", "not a plate")
    refused = post_form(police, office.url, "/vehicles", "/vehicles/import", {"csv": pasted})
    said = refused.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert said == (
        "A CSV line is not valid (nothing imported): line 2, column “plate”: must be "
        "a number plate, e.g. 75C-123.45."
    ), said
