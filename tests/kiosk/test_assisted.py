import json
import subprocess

import cv2
import pytest

from kiosk.assisted import DeclarationDesk
from kiosk.checker import PersonDesk
from kiosk.declaration_form import validate
from kiosk.receipts import receipt_qr_text
from scanner.pipeline import decode_frame
from tests.kiosk.conftest import ASSISTED_FORM, NOW

GOOD = ASSISTED_FORM


def test_a_complete_form_validates_and_normalises():
    decl, errors = validate(GOOD, NOW.date())
    assert errors == {}
    assert decl.phone == "0905123456" and decl.symptoms == ("fever",)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("full_name", "Ữ", "form_name"),
        ("full_name", "Võ Thị 2", "form_name"),
        ("id_number", "04630100234", "id_bad_length"),
        ("birth_date", "2001-02-14", "form_birth_date"),
        ("birth_date", "14/02/2031", "form_birth_date"),
        ("phone", "0123", "form_phone"),
        ("province", "Huế", "form_province"),
        ("commune", " ", "form_required"),
        ("plate", "xe máy", "plate_malformed"),
        # by motorbike with the plate left empty: "required", not "not a valid plate"
        ("plate", " ", "form_required"),
    ],
)
def test_each_bad_field_gets_its_own_message(field, value, code):
    _decl, errors = validate({**GOOD, field: value}, NOW.date())
    assert errors == {field: code}


def test_id_number_must_agree_with_the_birth_date_and_sex_typed():
    _decl, errors = validate({**GOOD, "sex": "M"}, NOW.date())
    assert errors == {"id_number": "id_inconsistent_form"}


@pytest.fixture
def desk(store, tmp_path):
    return DeclarationDesk(
        store,
        operator_id="a1",
        checkpoint_id="chot-1",
        receipts_dir=tmp_path / "receipts",
        clock=lambda: NOW,
    )


def test_an_invalid_form_is_kept_as_a_draft_and_nothing_is_queued(store, desk):
    form = {**GOOD, "phone": "12"}
    submitted, errors = desk.submit(form)
    assert submitted is None and "phone" in errors
    assert desk.draft() == json.loads(json.dumps(form))
    assert store.outbox.queued() == []


def test_saving_queues_the_declaration_and_the_receipt_reads_back(store, desk, tmp_path):
    desk.save_draft(GOOD)
    submitted, errors = desk.submit(GOOD)
    assert errors == {} and submitted is not None
    assert [q.receipt_no for q in store.outbox.queued()] == [submitted.queued.receipt_no]
    assert desk.draft() == {}  # the draft went with the save
    text = subprocess.run(
        ["pdftotext", "-layout", str(submitted.receipt), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for expected in (
        "BIÊN NHẬN KHAI BÁO Y TẾ",
        "Võ Thị Ữ",
        "046301002345",
        submitted.queued.receipt_no,
        "Thừa Thiên Huế",
        "Đang chờ",
    ):
        assert expected in text
    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", str(submitted.receipt), str(png)],
        check=True,
    )
    codes = decode_frame(cv2.imread(str(png) + ".png"))
    assert len(codes) == 1
    # the next checkpoint reads the receipt QR and finds the declaration made here, pending,
    # with the fever it declared (which outranks "pending")
    checker = PersonDesk(store, checkpoint_id="c2", operator_id="m")
    result = checker.check_payload(codes[0].text, "camera")
    assert (result.verdict.value, result.reason) == ("attention", "symptoms")
    assert result.person.name == "Võ Thị Ữ"
    _d, _e = desk.submit(
        {**GOOD, "id_number": "046185001111", "birth_date": "01/01/1985", "symptoms": []}
    )
    assert checker.check_id("046185001111", "typed").reason == "pending"


def test_a_receipt_the_disk_refuses_still_saves_the_declaration_once(store, tmp_path):
    blocked = tmp_path / "receipts"
    blocked.write_text("a file where the receipts folder should be")
    desk = DeclarationDesk(
        store, operator_id="a1", checkpoint_id="chot-1", receipts_dir=blocked, clock=lambda: NOW
    )
    submitted, errors = desk.submit(GOOD)
    assert errors == {} and submitted.receipt is None  # the window says so, and prints it
    assert [q.receipt_no for q in store.outbox.queued()] == [submitted.queued.receipt_no]
    assert submitted.content.qr_text == receipt_qr_text(
        submitted.declaration, submitted.queued.receipt_no
    )
    assert desk.draft() == {}  # saved: no draft left to save twice


def test_review_gives_the_declaration_to_read_back_and_records_nothing(store, desk):
    decl, errors = desk.review(GOOD)
    assert errors == {} and decl.full_name == "Võ Thị Ữ" and decl.phone == "0905123456"
    assert store.outbox.queued() == [] and desk.draft()["full_name"] == "Võ Thị Ữ"


@pytest.mark.parametrize(("paper", "width_pt"), [("a5", 419.528), ("roll80", 226.772)])
def test_the_receipt_pdf_on_each_paper_reads_back(store, tmp_path, paper, width_pt):
    desk = DeclarationDesk(
        store,
        operator_id="a1",
        checkpoint_id="chot-1",
        receipts_dir=tmp_path / "r",
        paper=paper,
        clock=lambda: NOW,
    )
    submitted, _errors = desk.submit(
        {
            **GOOD,
            "district": "Huyện Phong Điền, một huyện rất "
            "dài tên để thử xuống dòng trên cuộn giấy 80 mm",
        }
    )
    info = subprocess.run(
        ["pdfinfo", str(submitted.receipt)], capture_output=True, text=True, check=True
    ).stdout
    assert f"Page size:       {width_pt} x" in info
    text = subprocess.run(
        ["pdftotext", str(submitted.receipt), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Võ Thị Ữ" in text and "cuộn giấy 80" in text  # a long address wraps, not cut
    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(submitted.receipt), str(png)],
        check=True,
    )
    codes = decode_frame(cv2.imread(str(png) + ".png"))
    assert [c.text for c in codes] == [submitted.content.qr_text]
