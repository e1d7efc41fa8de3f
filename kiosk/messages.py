"""Words for the codes the core speaks: Vietnamese first, English as a choice.

One catalogue serves the command line and the window, so an operator reads the same sentence in
both. Every code has both languages (tests/kiosk/test_messages.py fails otherwise).
"""

from __future__ import annotations

LANGUAGES = ("vi", "en")

VERDICT_WORDS: dict[str, tuple[str, str]] = {
    "allow": ("ĐƯỢC QUA", "ALLOW"),
    "attention": ("KIỂM TRA", "ATTENTION"),
    "deny": ("TỪ CHỐI", "DENY"),
}

REASONS: dict[str, tuple[str, str]] = {
    "approved": (
        "Tờ khai đã được duyệt, còn hạn đến {date}.",
        "Declaration approved, valid until {date}.",
    ),
    "pending": (
        "Tờ khai đang chờ duyệt: hướng dẫn chờ hoặc liên hệ cán bộ y tế.",
        "Declaration pending approval: ask the person to wait or see the medic.",
    ),
    "not_found": (
        "Không có tờ khai: hướng dẫn khai báo y tế (có thể khai hộ).",
        "No declaration found: help the person declare (assisted declaration).",
    ),
    "epidemic_zone": (
        "Đến từ vùng dịch ({zone}): cách ly tập trung 21 ngày và xét nghiệm PCR.",
        "Comes from an epidemic zone ({zone}): 21-day centralised quarantine and a PCR test.",
    ),
    "symptoms": (
        "Có triệu chứng ({symptoms}): chuyển cán bộ y tế kiểm tra.",
        "Symptoms declared ({symptoms}): refer to the medic.",
    ),
    "signed_not_cached": (
        "Mã hợp lệ nhưng chưa có trong dữ liệu máy: kiểm tra giấy tờ, đồng bộ lại.",
        "Valid code, but not yet in this kiosk's data: check papers, sync again.",
    ),
    "rejected": ("Tờ khai đã bị từ chối.", "Declaration rejected."),
    "expired": (
        "Tờ khai hoặc mã đã hết hạn{date_suffix}.",
        "Declaration or code expired{date_suffix}.",
    ),
    "forged": (
        "Mã giả hoặc đã bị sửa: chữ ký không đúng.",
        "Forged or altered code: the signature does not match.",
    ),
    "unknown_key": (
        "Mã ký bằng khóa chưa biết: đồng bộ rồi quét lại, hoặc mã giả.",
        "Code signed with an unknown key: sync and scan again, or it is forged.",
    ),
    "unreadable": (
        "Mã hỏng hoặc không đọc được: yêu cầu mở lại mã.",
        "Damaged or unreadable code: ask for the code again.",
    ),
    "id_inconsistent": (
        "Số định danh không khớp năm sinh hoặc giới tính in trên thẻ: nghi giả mạo.",
        "ID number does not match the printed birth year or sex: suspected forgery.",
    ),
    "vehicle_approved": (
        "Xe đã được duyệt ({business}), thời gian: {window}.",
        "Vehicle approved ({business}), window: {window}.",
    ),
    "vehicle_pending": (
        "Đăng ký xe đang chờ duyệt: chưa cho vào.",
        "Vehicle registration pending approval: not yet allowed in.",
    ),
    "vehicle_transit": (
        "Xe chỉ đi qua: bắt buộc đi Đường tránh Huế, không dừng, đỗ.",
        "Transit only: must take the Huế bypass and not stop.",
    ),
    "vehicle_outside_window": (
        "Xe được duyệt nhưng ngoài thời gian cho phép ({window}).",
        "Approved, but outside the approved window ({window}).",
    ),
    "vehicle_rejected": ("Đăng ký xe đã bị từ chối.", "Vehicle registration rejected."),
    "vehicle_not_registered": (
        "Xe chưa đăng ký giao nhận hàng hoặc đoàn công tác: vi phạm.",
        "Vehicle not registered for freight or a delegation: a violation.",
    ),
    "card_valid": ("Thẻ hợp lệ: được vào chợ hôm nay.", "Valid card: may enter the market today."),
    "card_wrong_day": (
        "Không phải ngày đi chợ của thẻ. Ngày được đi: {days}.",
        "Not this card's market day. Allowed: {days}.",
    ),
    "card_wrong_time": (
        "Ngoài khung giờ của thẻ ({slot}).",
        "Outside the card's time slot ({slot}).",
    ),
    "card_wrong_market": ("Thẻ của chợ khác: {market}.", "Card for another market: {market}."),
    "card_already_today": (
        "Hộ này đã vào chợ hôm nay lúc {time}.",
        "This household already entered today at {time}.",
    ),
    "card_quota_used": (
        "Đã dùng hết {count} lượt đến ngày {until}.",
        "All {count} entries used until {until}.",
    ),
    "card_revoked": ("Thẻ đã bị thu hồi.", "Card revoked."),
    "card_expired": (
        "Thẻ hết hạn hoặc chưa đến ngày dùng (hạn {date}).",
        "Card expired or not yet valid (valid until {date}).",
    ),
}

SYMPTOM_WORDS: dict[str, tuple[str, str]] = {
    "fever": ("sốt", "fever"),
    "cough": ("ho", "cough"),
    "sore_throat": ("đau họng", "sore throat"),
    "breathless": ("khó thở", "shortness of breath"),
}

# Input errors: the operator's input was not usable and nothing was recorded.
ERRORS: dict[str, tuple[str, str]] = {
    "empty_input": ("Chưa nhập gì.", "Nothing was entered."),
    "id_not_digits": ("Số CMND/CCCD chỉ gồm chữ số.", "A CMND/CCCD number has digits only."),
    "id_bad_length": (
        "Số CMND có 9 chữ số, số CCCD có 12 chữ số.",
        "A CMND number has 9 digits, a CCCD number 12.",
    ),
    "id_bad_province": (
        "Số CCCD sai: 3 chữ số đầu không phải mã tỉnh.",
        "Invalid CCCD: the first 3 digits are not a province code.",
    ),
    "id_bad_century": (
        "Số CCCD sai: chữ số thứ 4 (thế kỷ, giới tính) cho năm sinh trong tương lai.",
        "Invalid CCCD: the 4th digit (century, sex) gives a birth year in the future.",
    ),
    "cccd_malformed": (
        "Mã QR trên CCCD bị hỏng hoặc sai định dạng.",
        "The CCCD card's QR is damaged or malformed.",
    ),
    "personal_qr_malformed": (
        "Mã QR cá nhân bị hỏng hoặc sai định dạng.",
        "The personal QR is damaged or malformed.",
    ),
    "not_checkpoint_code": (
        "Không phải mã của chốt kiểm soát (mã sản phẩm, đường dẫn…).",
        "Not a checkpoint code (a product barcode, a link…).",
    ),
    "not_utf8": (
        "Không phải mã của chốt kiểm soát: mã chứa dữ liệu nhị phân, không phải văn bản.",
        "Not a checkpoint code: it holds binary data, not text.",
    ),
    "plate_malformed": (
        "Không phải biển số xe hợp lệ (ví dụ: 75A-123.45, 75-B1 123.45).",
        "Not a valid licence plate (e.g. 75A-123.45, 75-B1 123.45).",
    ),
    "not_a_card": ("Không phải thẻ đi chợ.", "Not a market-day card."),
    "market_card_here": (
        "Đây là thẻ đi chợ: kiểm tra ở màn hình Chợ.",
        "This is a market-day card: check it on the Market screen.",
    ),
    "pin_format": ("Mã PIN gồm 4 đến 8 chữ số.", "A PIN has 4 to 8 digits."),
    "unknown_operator": ("Không có cán bộ này.", "No such operator."),
    "pin_wrong": ("Sai mã PIN. Còn {left} lần thử.", "Wrong PIN. {left} tries left."),
    "locked": (
        "Nhập sai quá nhiều lần: tạm khóa đăng nhập {minutes} phút.",
        "Too many wrong PINs: sign-in locked for {minutes} minutes.",
    ),
    "form_name": (
        "Nhập họ và tên đầy đủ (ít nhất hai chữ, không có số).",
        "Enter the full name (two words or more, no digits).",
    ),
    "form_birth_date": (
        "Ngày sinh theo dạng ngày/tháng/năm, ví dụ 05/09/1980.",
        "Date of birth as day/month/year, e.g. 05/09/1980.",
    ),
    "form_required": ("Mục này bắt buộc.", "This field is required."),
    "form_phone": (
        "Số điện thoại di động 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.",
        "A 10-digit mobile number starting 03, 05, 07, 08 or 09.",
    ),
    "form_province": ("Chọn tỉnh/thành phố trong danh sách.", "Choose a province from the list."),
    "id_inconsistent_form": (
        "Số CCCD không khớp ngày sinh hoặc giới tính đã nhập.",
        "The CCCD number does not match the birth date or sex entered.",
    ),
    "unreachable": (
        "Không kết nối được máy chủ: máy vẫn làm việc ngoại tuyến; lần đồng bộ sau sẽ gửi tiếp.",
        "The server cannot be reached: working offline; the next sync carries on from here.",
    ),
    "server_error": (
        "Máy chủ đang lỗi: máy vẫn làm việc ngoại tuyến; lần đồng bộ sau sẽ gửi tiếp.",
        "The server has a problem: working offline; the next sync carries on from here.",
    ),
    "protocol_error": (
        "Máy chủ trả lời sai giao thức: không ghi gì; lần đồng bộ sau sẽ thử lại.",
        "The server answered something unexpected: nothing changed; the next sync tries again.",
    ),
    "credential_revoked": (
        "Máy này đã bị thu hồi quyền đồng bộ: liên hệ quản trị để ghép lại.",
        "This kiosk's credential was revoked: ask the administrator to pair it again.",
    ),
    "not_paired": (
        "Máy chưa ghép với máy chủ: chạy kiosk pair URL MÃ.",
        "Not paired with a server yet: run kiosk pair URL CODE.",
    ),
    "sync_failed": (
        "Đồng bộ gặp lỗi không lường trước: đã ghi nhật ký; máy vẫn làm việc ngoại tuyến.",
        "Sync met an unexpected error: logged; the kiosk keeps working offline.",
    ),
    "server_url_invalid": (
        "Địa chỉ máy chủ không hợp lệ: cần dạng https://tên-máy-chủ.",
        "Not a server address: it must look like https://server-name.",
    ),
    "server_url_insecure": (
        "Không ghép nối qua http:// không mã hoá tới máy khác: dùng https:// "
        "(hoặc --insecure trên mạng thử nghiệm).",
        "Will not pair over unencrypted http:// to another machine: use https:// "
        "(or --insecure on a test network).",
    ),
    "already_paired": (
        "Máy này đã ghép với máy chủ: muốn ghép lại thì thêm --again.",
        "This kiosk is already paired: add --again to pair it anew.",
    ),
    "pairing_code_invalid": (
        "Mã ghép sai, đã dùng hoặc hết hạn.",
        "The pairing code is wrong, used or expired.",
    ),
    "refused": (
        "Máy chủ từ chối yêu cầu đồng bộ: đã ghi nhật ký; lần đồng bộ sau sẽ thử lại.",
        "The server refused the sync request: logged; the next sync tries again.",
    ),
    "tls_error": (
        "Chứng chỉ máy chủ không hợp lệ: không đồng bộ.",
        "The server's certificate is not valid: not syncing.",
    ),
    "image_unreadable": ("Không mở được tệp ảnh.", "The image file cannot be opened."),
    "no_display": (
        "Không có màn hình để mở cửa sổ (DISPLAY trống). Chạy trên máy có màn hình, "
        "hoặc đặt QT_QPA_PLATFORM=offscreen để chạy ẩn.",
        "No display to open the window on (DISPLAY is empty). Run it on a machine with a screen, "
        "or set QT_QPA_PLATFORM=offscreen to run it invisibly.",
    ),
    "disk_full": (
        "Ổ đĩa đầy: không ghi được lượt quét. Giải phóng dung lượng rồi thử lại.",
        "Disk full: the scan could not be recorded. Free some space and try again.",
    ),
    "db_locked": (
        "Cơ sở dữ liệu đang bận: thử lại sau giây lát.",
        "The database is busy: try again in a moment.",
    ),
    "receipt_failed": (
        "Không ghi được biên nhận (ổ đĩa?): chưa lưu tờ khai, thông tin vẫn còn.",
        "The receipt could not be written (disk?): nothing saved, the form is kept.",
    ),
    "db_newer": (
        "Dữ liệu do phiên bản phần mềm mới hơn tạo ra: hãy cập nhật phần mềm.",
        "The data was written by a newer version of the kiosk: update the software.",
    ),
    "db_unavailable": (
        "Không ghi được vào cơ sở dữ liệu: báo quản trị viên.",
        "The database cannot be written: tell the administrator.",
    ),
}

UI: dict[str, tuple[str, str]] = {
    "window_title": (
        "Chốt kiểm soát dịch — Kiểm tra khai báo y tế",
        "Epidemic checkpoint — health declaration check",
    ),
    "id_label": ("Số CMND/CCCD:", "CMND/CCCD number:"),
    "id_placeholder": ("Nhập 9 hoặc 12 chữ số rồi Enter", "Type 9 or 12 digits, then Enter"),
    "check_button": ("Kiểm tra", "Check"),
    "waiting_word": ("SẴN SÀNG", "READY"),
    "waiting_reason": (
        "Đưa mã QR vào camera, quét bằng đầu đọc hoặc nhập số CMND/CCCD.",
        "Show a QR code to the camera, use the reader, or type a CMND/CCCD number.",
    ),
    "camera_none": (
        "Không có camera: vẫn nhập số hoặc dùng đầu đọc được.",
        "No camera: typing and the reader still work.",
    ),
    "camera_demo": (
        "Camera: video mẫu (không tìm thấy webcam)",
        "Camera: demo video (no webcam found)",
    ),
    "camera_live": ("Camera: {name}", "Camera: {name}"),
    "serial_lost": (
        "Không kết nối được đầu đọc QR (cổng nối tiếp), đang thử lại…",
        "Serial QR reader not connected, retrying…",
    ),
    "camera_lost": ("Mất tín hiệu camera, đang thử kết nối lại…", "Camera lost, reconnecting…"),
    "worker_restarted": (
        "Luồng {name} gặp lỗi và đã được khởi động lại: {error}",
        "The {name} worker failed and was restarted: {error}",
    ),
    "person_line": ("{name} · {id} · sinh {dob}", "{name} · {id} · born {dob}"),
    "scans_today": ("Lượt quét hôm nay: {count}", "Scans today: {count}"),
    "language": ("English", "Tiếng Việt"),
    "source_camera": ("camera", "camera"),
    "source_wedge": ("đầu đọc", "reader"),
    "source_typed": ("nhập tay", "typed"),
    "sync_online": (
        "● Trực tuyến · đồng bộ lúc {when} · {pending} bản ghi chờ gửi",
        "● Online · synced {when} · {pending} records to send",
    ),
    "sync_offline": (
        "○ Ngoại tuyến · đồng bộ lần cuối {when} · {pending} bản ghi chờ gửi",
        "○ Offline · last synced {when} · {pending} records to send",
    ),
    "sync_not_paired": (
        "○ Chưa ghép máy chủ · {pending} bản ghi chờ gửi",
        "○ Not paired with a server · {pending} records to send",
    ),
    "sign_in_title": ("Đăng nhập ca trực", "Sign in to your shift"),
    "pin_placeholder": ("Mã PIN", "PIN"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "signed_out_idle": (
        "Đã tự đăng xuất vì không thao tác trong một thời gian.",
        "Signed out after a while without activity.",
    ),
    "demo_pins": ("Dữ liệu mẫu — mã PIN: {pins}", "Demo data — PINs: {pins}"),
    "signed_in_as": (
        "{name} · {role} · chốt {checkpoint}",
        "{name} · {role} · checkpoint {checkpoint}",
    ),
    "role_medic": ("Y tế", "Medic"),
    "role_police": ("Công an", "Police"),
    "role_market": ("Ban quản lý chợ", "Market manager"),
    "role_assistant": ("Hỗ trợ khai báo", "Assistant"),
    "role_supervisor": ("Trưởng chốt", "Supervisor"),
    "screen_medic": ("Y tế: khai báo", "Medic: declarations"),
    "screen_police": ("Công an: xe", "Police: vehicles"),
    "screen_market": ("Chợ: thẻ đi chợ", "Market: cards"),
    "screen_assistant": ("Khai hộ", "Assisted declaration"),
    "field_full_name": ("Họ và tên", "Full name"),
    "field_id_number": ("Số CMND/CCCD", "CMND/CCCD number"),
    "field_birth_date": ("Ngày sinh", "Date of birth"),
    "field_sex": ("Giới tính", "Sex"),
    "field_phone": ("Điện thoại", "Phone"),
    "field_province": ("Tỉnh/thành phố", "Province"),
    "field_district": ("Quận/huyện", "District"),
    "field_commune": ("Phường/xã", "Commune"),
    "field_address": ("Số nhà, đường, thôn", "Street address"),
    "field_came_from": ("Đến từ (tỉnh, thành phố)", "Coming from (province)"),
    "field_travel_14d": ("Nơi đã qua trong 14 ngày", "Places visited in the last 14 days"),
    "field_transport": ("Phương tiện", "Means of transport"),
    "field_plate": ("Biển số xe", "Licence plate"),
    "field_symptoms": ("Triệu chứng", "Symptoms"),
    "field_contact": (
        "Có tiếp xúc với ca bệnh (F0) trong 14 ngày",
        "Contact with a confirmed case in the last 14 days",
    ),
    "hint_full_name": ("Ví dụ: Nguyễn Thị Ngọc Bích", "e.g. Nguyễn Thị Ngọc Bích"),
    "hint_birth_date": ("ngày/tháng/năm, ví dụ 05/09/1980", "day/month/year, e.g. 05/09/1980"),
    "hint_id_number": ("9 hoặc 12 chữ số", "9 or 12 digits"),
    "hint_phone": ("Ví dụ 0905123456", "e.g. 0905123456"),
    "hint_plate": ("Nếu đi ô tô hoặc xe máy", "If by car or motorbike"),
    "sex_M": ("Nam", "Male"),
    "sex_F": ("Nữ", "Female"),
    "transport_car": ("Ô tô", "Car"),
    "transport_motorbike": ("Xe máy", "Motorbike"),
    "transport_bus": ("Xe khách", "Coach"),
    "transport_train": ("Tàu hỏa", "Train"),
    "transport_plane": ("Máy bay", "Plane"),
    "transport_other": ("Khác", "Other"),
    "save_declaration": ("Lưu và in biên nhận", "Save and print receipt"),
    "open_receipt": ("Mở biên nhận (PDF)", "Open the receipt (PDF)"),
    "receipt_saved": (
        "Đã lưu. Số biên nhận {receipt}. Trạng thái: {status}.",
        "Saved. Receipt no. {receipt}. Status: {status}.",
    ),
    "market_waiting": ("Quét thẻ đi chợ của hộ gia đình.", "Scan the household's market-day card."),
    "card_line": ("thẻ số {card}", "card no. {card}"),
    "market_count": (
        "Hôm nay: {entered} lượt vào · {inside} người đang trong chợ",
        "Today: {entered} entries · {inside} inside the market",
    ),
    "mode_entry": ("Đang ghi: VÀO chợ (bấm để ghi RA)", "Recording: ENTRY (press for EXIT)"),
    "mode_exit": ("Đang ghi: RA khỏi chợ (bấm để ghi VÀO)", "Recording: EXIT (press for ENTRY)"),
    "exit_recorded": ("Đã ghi nhận ra khỏi chợ.", "Exit recorded."),
    "exit_none": ("Thẻ này chưa vào chợ hôm nay.", "This card has not entered today."),
    "police_waiting": ("Nhập biển số xe rồi Enter.", "Type the licence plate, then Enter."),
    "plate_label": ("Biển số xe:", "Licence plate:"),
    "plate_placeholder": ("Ví dụ 75C-123.45 hoặc 75c12345", "e.g. 75C-123.45 or 75c12345"),
    "suggestions_label": (
        "Không thấy biển này. Xe đã đăng ký gần giống (bấm để điền, đối chiếu biển thật rồi "
        "Kiểm tra):",
        "Not found. Registered plates one typo away (press to fill in, compare with the real "
        "plate, then Check):",
    ),
    "vehicle_kind_freight": ("xe giao, nhận hàng", "freight delivery"),
    "vehicle_kind_delegation": ("đoàn vào làm việc", "delegation"),
    "vehicle_kind_transit": ("đi qua tỉnh", "transit"),
    "driver_line": ("Lái xe: {name} · {phone}", "Driver: {name} · {phone}"),
    "near_misses": (
        "Có phải xe: {plates}? (chỉ gợi ý, hãy kiểm tra biển số)",
        "Did you mean: {plates}? (a suggestion only: check the plate)",
    ),
    "status_queued": (
        "Đang chờ gửi về trung tâm, chờ duyệt",
        "Queued for the central server, pending",
    ),
    "source_serial": ("đầu đọc", "reader"),
}


def _pick(entry: tuple[str, str], lang: str) -> str:
    return entry[LANGUAGES.index(lang)]


def reason_text(reason: str, params: dict[str, str], lang: str) -> str:
    values = dict(params)
    if "symptoms" in values:
        values["symptoms"] = ", ".join(
            # a symptom code newer than this kiosk is shown as it came, not crashed on
            _pick(SYMPTOM_WORDS.get(s, (s, s)), lang)
            for s in values["symptoms"].split(",")
            if s
        )
    sep = " ngày " if lang == "vi" else " on "
    values["date_suffix"] = f"{sep}{values['date']}" if values.get("date") else ""
    return _pick(REASONS[reason], lang).format_map(_Missing(values))


def error_text(code: str, lang: str, **params: object) -> str:
    return _pick(ERRORS[code], lang).format_map(_Missing({k: str(v) for k, v in params.items()}))


def verdict_word(verdict: str, lang: str) -> str:
    return _pick(VERDICT_WORDS[verdict], lang)


def ui_text(key: str, lang: str, **params: object) -> str:
    return _pick(UI[key], lang).format(**params)


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def verdict_json(verdict: str, reason: str, params: dict[str, str]) -> dict[str, str]:
    """The `kiosk check` contract, for every kind of check: these four keys, nothing personal."""
    return {
        "verdict": verdict,
        "reason": reason,
        "message_vi": reason_text(reason, params, "vi"),
        "message_en": reason_text(reason, params, "en"),
    }
