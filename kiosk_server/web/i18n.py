"""The back office's words: Vietnamese first, English one click away (the `lang` cookie)."""

from __future__ import annotations

LANGUAGES = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app": ("Văn phòng chốt kiểm soát dịch", "Checkpoint back office"),
    "login": ("Đăng nhập", "Sign in"),
    "user_name": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "wrong": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "locked": (
        "Tài khoản tạm khóa 15 phút vì nhập sai nhiều lần.",
        "Account locked for 15 minutes after repeated failures.",
    ),
    "nul_character": (
        "Nội dung có ký tự NUL (mã 0), không lưu hay tìm được; hãy gõ lại.",
        "The text holds a NUL character (code 0), which cannot be stored or looked up; type it"
        " again.",
    ),
    "upload_too_large": (
        "Tệp quá lớn (tối đa 1 GB). Hãy chia thành nhiều tệp nhỏ hơn.",
        "The file is too large (1 GB at most). Split it into smaller files.",
    ),
    "too_many_tries": (
        "Quá nhiều lần đăng nhập sai từ địa chỉ mạng này trong ít phút: tạm dừng đăng nhập từ"
        " đây. Ở nơi khác vẫn đăng nhập bình thường.",
        "Too many failed sign-ins from this address in a few minutes: signing in from it is"
        " paused. Others, elsewhere, sign in as usual.",
    ),
    "try_again_in": ("Hãy thử lại sau {minutes} phút.", "Try again in {minutes} min."),
    "sign_in_busy": (
        "Máy chủ đang bận kiểm tra nhiều lần đăng nhập; hãy thử lại sau ít phút.",
        "The server is busy checking many sign-ins; try again in a few minutes.",
    ),
    "csrf": (
        "Biểu mẫu đã hết hạn; hãy tải lại trang và thử lại.",
        "The form has expired; reload the page and try again.",
    ),
    "forbidden": ("Vai trò của bạn không được mở mục này.", "Your role cannot open this section."),
    "not_found": ("Không tìm thấy.", "Not found."),
    "too_large": (
        "Nội dung gửi lên quá lớn (tối đa 64 KB). Hãy gửi ít hơn mỗi lần.",
        "What was sent is too large (64 KB at most). Send less at a time.",
    ),
    "bad_number": (
        "Số trang hoặc mã số không hợp lệ: chỉ gồm chữ số 0–9 và không quá lớn.",
        "The page number or id is not valid: digits 0–9 only, and not that large.",
    ),
    "home": ("Trang chính", "Home"),
    "back": ("Quay lại", "Back"),
    "refused_403": ("Không có quyền", "Not allowed"),
    "refused_404": ("Không tìm thấy", "Not found"),
    "refused": ("Không thực hiện được", "Could not be done"),
    # the staff roles (kiosk_server.office_db.ROLES), as the header and the accounts list say
    "role_admin": ("Quản trị", "Administrator"),
    "role_health": ("Y tế", "Health"),
    "role_police": ("Công an", "Police"),
    "role_market": ("Quản lý chợ", "Market management"),
    # the kiosk operators' roles (kiosk.auth.ROLE_SCREENS), in the kiosk's own words (ui/texts.py
    # ROLES), so the operators list names a role as the operator's sign-in screen does
    "operator_role_medic": ("Y tế", "Medic"),
    "operator_role_police": ("Công an", "Police"),
    "operator_role_market": ("Ban quản lý chợ", "Market manager"),
    "operator_role_assistant": ("Hỗ trợ khai báo", "Assistant"),
    "operator_role_supervisor": ("Trưởng chốt", "Supervisor"),
    "declarations": ("Tờ khai y tế", "Health declarations"),
    "zones": ("Vùng dịch", "Epidemic zones"),
    "vehicles": ("Phương tiện", "Vehicles"),
    "markets": ("Chợ", "Markets"),
    "cards": ("Thẻ đi chợ", "Market cards"),
    "operators": ("Nhân viên chốt", "Checkpoint operators"),
    "kiosks": ("Máy kiểm soát", "Kiosks"),
    "users": ("Tài khoản văn phòng", "Staff accounts"),
    "audit": ("Nhật ký thay đổi", "Audit trail"),
    "export_csv": ("Xuất CSV", "Export CSV"),
    "export_rows": ("Tệp sẽ có {rows} dòng.", "The file will hold {rows} rows."),
    "export_how": (
        "Tệp được ghi dần trong lúc tải: trình duyệt hiện số MB đã nhận.",
        "The file is written as it downloads: the browser shows the megabytes received.",
    ),
    "export_download": ("Tải tệp CSV", "Download the CSV file"),
    "import_file": ("Nhập tệp CSV", "Import a CSV file"),
    "import_how": (
        "Tệp CSV UTF-8, dòng đầu là tên cột. Tất cả các dòng được nhập, hoặc không dòng nào "
        "nếu có một dòng sai.",
        "A UTF-8 CSV file, column names on its first line. Every row is imported, or none if "
        "one row is wrong.",
    ),
    "import_columns_note": (
        "* cột bắt buộc. Tên cột tiếng Việt hoặc tiếng Anh (như tệp xuất CSV) đều được.",
        "* a column needed. Column names in English (as the CSV export writes them) or in "
        "Vietnamese are both taken.",
    ),
    "csv_file": ("Tệp CSV", "CSV file"),
    "csv_file_needed": ("Hãy chọn một tệp CSV.", "Choose a CSV file."),
    "import_checked": ("Đã kiểm tra", "Checked"),
    "import_written": ("Đã ghi", "Written"),
    "rows": ("dòng", "rows"),
    "rows_per_s": ("dòng/giây", "rows/s"),
    "import_done": ("Đã nhập {count} dòng.", "{count} rows imported."),
    # a refused import (kiosk_server.web.imports.said): "FILE: line N, column “C”: RULE NOTHING"
    "import_line": ("dòng {line}", "line {line}"),
    "import_nothing": ("Không dòng nào được nhập.", "No row was imported."),
    # what the cell or the file must be (kiosk_server.admin.import_csv's rules)
    "import_rule_id": (
        "phải là một số nguyên dương (chỉ chữ số 0–9, không quá 19 chữ số).",
        "must be a positive whole number (digits 0–9 only, 19 at most).",
    ),
    "import_rule_id_number": (
        "phải là số CMND/CCCD gồm 9 hoặc 12 chữ số (chỉ chữ số 0–9).",
        "must be an ID number of 9 or 12 digits (digits 0–9 only).",
    ),
    "import_rule_one_of": ("phải là một trong: {choices}.", "must be one of: {choices}."),
    "import_rule_date": (
        "phải là ngày dạng năm-tháng-ngày, ví dụ 2026-12-25.",
        "must be a date written year-month-day, e.g. 2026-12-25.",
    ),
    "import_rule_time": (
        "phải là thời điểm dạng năm-tháng-ngàyTgiờ:phút, ví dụ 2026-12-25T08:30 (giờ Việt Nam "
        "nếu không ghi múi giờ).",
        "must be a time written year-month-dayThours:minutes, e.g. 2026-12-25T08:30 (Vietnam "
        "time unless a zone is given).",
    ),
    "import_rule_plate": (
        "phải là biển số xe, ví dụ 75C-123.45.",
        "must be a number plate, e.g. 75C-123.45.",
    ),
    "import_nul": (
        "có ký tự NUL (mã 0), không lưu được; hãy xóa ký tự đó.",
        "holds a NUL character (code 0), which cannot be stored; remove it.",
    ),
    "import_missing_column": (
        "thiếu cột bắt buộc này; hãy thêm tên cột vào dòng đầu (dòng tên cột).",
        "this column is needed and missing; add its name to the first line (the column names).",
    ),
    # after import_missing_column: the first line's names that are no column of the file
    "import_unknown_columns": (
        "Tên cột không nhận ra: {names}.",
        "Column names not recognised: {names}.",
    ),
    "import_no_header": (
        "không có tên cột nào của loại tệp này (thiếu dòng tên cột?); hãy thêm dòng tên cột "
        "như hướng dẫn.",
        "no column of this kind of file is named (no line of column names?); add the line of "
        "column names the hint shows.",
    ),
    "import_duplicate_column": (
        "cột này có hai lần (một tên tiếng Việt và một tên tiếng Anh?); hãy xóa một cột.",
        "this column is named twice (once in Vietnamese, once in English?); remove one.",
    ),
    "import_empty": (
        "tệp trống; dòng đầu phải là tên các cột.",
        "the file is empty; its first line must name the columns.",
    ),
    "import_not_utf8": (
        "tệp không phải văn bản UTF-8; hãy lưu lại dạng «CSV UTF-8».",
        "the file is not UTF-8 text; save it again as “CSV UTF-8”.",
    ),
    "import_bad_csv": (
        "không đọc được dòng này như CSV (dấu ngoặc kép chưa đóng, hoặc một ô quá 128 KB?).",
        "this line cannot be read as CSV (an unclosed quote, or a cell over 128 KB?).",
    ),
    "import_bad_file": (
        "không đọc được tệp (CSV UTF-8?); không dòng nào được nhập.",
        "the file could not be read (UTF-8 CSV?); no row was imported.",
    ),
    "search": ("Tìm", "Search"),
    "search_hint": ("Số CMND/CCCD hoặc họ tên", "ID number or name"),
    "review_queue": ("Hàng chờ duyệt", "Review queue"),
    "results": ("Kết quả tìm kiếm", "Search results"),
    "none": ("Không có.", "None."),
    "id": ("Mã", "ID"),
    "id_number": ("Số CMND/CCCD", "ID number"),
    "full_name": ("Họ tên", "Full name"),
    "birth_date": ("Ngày sinh", "Birth date"),
    "sex": ("Giới tính", "Sex"),
    "phone": ("Điện thoại", "Phone"),
    "status": ("Trạng thái", "Status"),
    "approved": ("Đã duyệt", "Approved"),
    "pending": ("Chờ duyệt", "Pending"),
    "rejected": ("Từ chối", "Rejected"),
    "source": ("Nguồn", "Source"),
    "assisted": ("Khai hộ tại chốt", "Assisted at a checkpoint"),
    "imported": ("Nhập từ tệp", "Imported"),
    "valid_until": ("Hiệu lực đến", "Valid until"),
    "approve": ("Duyệt", "Approve"),
    "reject": ("Từ chối", "Reject"),
    "reason": ("Lý do", "Reason"),
    "reason_needed": ("Từ chối cần có lý do.", "A rejection needs a reason."),
    "open": ("Mở", "Open"),
    "form": ("Nội dung khai", "Declared answers"),
    "done_approved": (
        "Đã duyệt; các máy nhận được ở lần đồng bộ tới.",
        "Approved; kiosks receive it at their next sync.",
    ),
    "done_rejected": ("Đã từ chối.", "Rejected."),
    "saved": (
        "Đã lưu; các máy nhận được ở lần đồng bộ tới.",
        "Saved; kiosks receive it at their next sync.",
    ),
    "area_code": ("Mã vùng", "Area code"),
    "name": ("Tên", "Name"),
    "active_from": ("Từ ngày", "From"),
    "active_to": ("Đến ngày", "To"),
    "save": ("Lưu", "Save"),
    "add": ("Thêm", "Add"),
    "role": ("Vai trò", "Role"),
    "checkpoint": ("Chốt", "Checkpoint"),
    "active": ("Đang dùng", "Active"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "pin": ("Mã PIN (4–8 số)", "PIN (4–8 digits)"),
    "new_pin": ("Đặt PIN mới", "Set a new PIN"),
    "disable": ("Khóa", "Disable"),
    "enable": ("Mở lại", "Enable"),
    "bad_pin": ("PIN phải gồm 4 đến 8 chữ số.", "A PIN is 4 to 8 digits."),
    "bad_operator_id": (
        "Mã nhân viên chỉ gồm chữ, số, - và _.",
        "An operator id holds letters, digits, - and _ only.",
    ),
    "operator_exists": ("Mã nhân viên đã có.", "That operator id exists."),
    "checkpoint_needed": ("Cần ghi chốt.", "A checkpoint is needed."),
    "poster_url_too_long": (
        "Địa chỉ trong QR dài quá 300 ký tự: mã sẽ quá dày để quét từ xa. "
        "Hãy dùng địa chỉ ngắn hơn.",
        "The address in the QR is longer than 300 characters: the code would be too dense to scan "
        "from a distance. Use a shorter address.",
    ),
    "bad_role": ("Vai trò không hợp lệ.", "Unknown role."),
    "no_operator": ("Không có nhân viên này.", "No such operator."),
    "bad_zone": (
        "Mã là một số; mã vùng là các số cách nhau bởi dấu chấm, ví dụ 48.490.",
        "The id is a number; an area code is numbers separated by dots, e.g. 48.490.",
    ),
    "bad_dates": ("Ngày kết thúc trước ngày bắt đầu.", "The end comes before the start."),
    "kiosk_name": ("Tên máy (chốt)", "Kiosk name (checkpoint)"),
    "paired_at": ("Ghép nối lúc", "Paired at"),
    "last_sync": ("Đồng bộ gần nhất", "Last sync"),
    "events_received": ("Sự kiện đã nhận", "Events received"),
    "clock_skew": ("Lệch giờ (giây)", "Clock skew (s)"),
    "version": ("Phiên bản", "Version"),
    "revoked": ("Đã thu hồi", "Revoked"),
    "revoke": ("Thu hồi", "Revoke"),
    "stale": ("Quá 1 ngày chưa đồng bộ", "No sync for over a day"),
    "pair_new": ("Ghép nối máy mới", "Pair a new kiosk"),
    "pair_code": ("Mã ghép nối (dùng một lần, 30 phút)", "Pairing code (once, 30 minutes)"),
    "pair_how": (
        "Trên máy kiểm soát (tên chốt là tên máy; ghép lại cùng tên thì máy cũ bị thu hồi):",
        "On the kiosk (the checkpoint is its name; pairing again under it retires the old one):",
    ),
    "plate": ("Biển số", "Plate"),
    "kind": ("Loại", "Kind"),
    "freight": ("Xe hàng", "Freight"),
    "delegation": ("Đoàn công tác", "Delegation"),
    "coach": ("Xe khách", "Coach"),
    "transit": ("Quá cảnh", "Transit"),
    "business": ("Doanh nghiệp / nơi đến", "Business / host"),
    "driver_name": ("Lái xe", "Driver"),
    "valid_from": ("Hiệu lực từ", "Valid from"),
    "valid_to": ("Hiệu lực đến", "Valid to"),
    "route": ("Lộ trình", "Route"),
    "bad_vehicle": (
        "Biển số, mã, loại hoặc thời gian không hợp lệ.",
        "Plate, id, kind or times are not valid.",
    ),
    "bad_vehicle_kind": (
        "Loại xe không được đăng ký; chỉ nhận:",
        "This kind of vehicle is not registered; the kinds are:",
    ),
    "checks": ("Lượt kiểm tra gần đây", "Recent checks"),
    "at": ("Lúc", "At"),
    "verdict": ("Kết quả", "Verdict"),
    "actor": ("Người làm", "Who"),
    "action": ("Việc", "Action"),
    "target": ("Đối tượng", "Target"),
    "detail": ("Chi tiết", "Detail"),
    "filter": ("Lọc", "Filter"),
    "all": ("Tất cả", "All"),
    "created_at": ("Tạo lúc", "Created"),
    "locked_until": ("Khóa đến", "Locked until"),
    "weak_password": ("Mật khẩu cần ít nhất 10 ký tự.", "A password needs 10 characters or more."),
    "exists": ("Tên đã có.", "That name exists."),
    "bad_name": ("Tên chỉ gồm chữ, số, . - _", "A name holds letters, digits, . - _ only."),
    "no_user": ("Không có tài khoản này.", "No such account."),
    "welcome": ("Xin chào", "Hello"),
    # the sign-in page, while `kiosk-server demo`'s accounts still have their public passwords
    "demo_accounts": ("Tài khoản dùng thử", "Demo accounts"),
    "demo_here_only": (
        "Tài khoản dùng thử với mật khẩu công khai chỉ đăng nhập được trên chính máy chủ.",
        "A demo account with its public password signs in only on the server itself.",
    ),
    "demo_accounts_note": (
        "Tài khoản của dữ liệu thử (kiosk-server demo). Ai cũng biết các mật khẩu này: máy chủ "
        "chỉ phục vụ chính máy này (127.0.0.1) cho đến khi chúng được đổi: đăng nhập rồi chọn "
        "«Đổi mật khẩu» ở đầu trang (/password), hoặc lệnh kiosk-server user password TÊN.",
        "Accounts of the demo data (kiosk-server demo). Anyone can know these passwords: the "
        "server serves only this machine (127.0.0.1) until they are changed: sign in and choose "
        "“Change password” at the top of the page (/password), or run "
        "kiosk-server user password NAME.",
    ),
    "pending_count": ("tờ khai chờ duyệt", "declarations waiting for review"),
    "language": ("English", "Tiếng Việt"),
    "next": ("Trang sau", "Next page"),
    "prev": ("Trang trước", "Previous page"),
    "market_days": ("Ngày họp", "Market days"),
    "household_head": ("Chủ hộ", "Head of household"),
    "market": ("Chợ", "Market"),
    "days": ("Ngày được đi", "Allowed days"),
    "odd": ("Ngày lẻ", "Odd dates"),
    "even": ("Ngày chẵn", "Even dates"),
    "weekdays": ("Thứ trong tuần", "Weekdays"),
    "every": ("Cách N ngày", "Every N days"),
    "param": ("Thứ (bit: T2=1 … CN=64) hoặc N", "Weekday bits (Mon=1 … Sun=64) or N"),
    "slot_from": ("Khung giờ từ", "Time slot from"),
    "slot_to": ("đến", "to"),
    "max_entries": ("Số lượt tối đa", "Most entries"),
    "period_days": ("trong số ngày", "per days"),
    "bad_market": (
        "Chợ: mã, tên, ngày hoặc khung giờ không hợp lệ.",
        "Market: id, name, days or time slot not valid.",
    ),
    "household": ("Số hộ / sổ hộ khẩu", "Household no."),
    "issue": ("Cấp thẻ", "Issue a card"),
    "reissue": ("Cấp lại", "Reissue"),
    "print": ("In thẻ đã chọn (PDF)", "Print the ticked cards (PDF)"),
    "card_issued": ("Đã cấp thẻ; đánh dấu để in.", "Card issued; tick it to print."),
    "bad_card": (
        "Thẻ: cần họ tên chủ hộ (2 từ trở lên), chợ và ngày hợp lệ.",
        "Card: a head of household (two words or more), a market and valid dates.",
    ),
    "household_has_card": (
        "Hộ này đã có thẻ còn hiệu lực: thu hồi hoặc cấp lại.",
        "This household holds a valid card: revoke or reissue it.",
    ),
    "demo_key": (
        "Máy chủ còn ký bằng khóa demo công khai: chạy `kiosk-server rotate-key` trước khi "
        "cấp thẻ.",
        "The server still signs with the public demo key: run `kiosk-server rotate-key` before "
        "issuing cards.",
    ),
    "no_card": ("Không có thẻ này.", "No such card."),
    "nothing_to_print": ("Chưa chọn thẻ nào còn hiệu lực.", "No valid card ticked."),
    "card_no": ("Số thẻ", "Card no."),
    "poster": ("Áp phích QR của chốt (A4)", "Checkpoint QR poster (A4)"),
    "poster_url": ("Địa chỉ khai báo (trong QR)", "Declaration address (in the QR)"),
    "make_pdf": ("Tạo PDF", "Make the PDF"),
    "province": ("Tỉnh/thành", "Province"),
    "district": ("Quận/huyện", "District"),
    "commune": ("Phường/xã", "Commune"),
    "address": ("Địa chỉ", "Address"),
    "came_from": ("Đến từ", "Coming from"),
    "travel_14d": ("Nơi đã qua trong 14 ngày", "Places in the last 14 days"),
    "transport": ("Phương tiện", "Transport"),
    "symptoms": ("Triệu chứng", "Symptoms"),
    "contact_with_case": ("Tiếp xúc ca bệnh", "Contact with a case"),
    "from_epidemic_zone": ("Đến từ vùng dịch", "Came from an epidemic zone"),
    "receipt_no": ("Số biên nhận", "Receipt no."),
    "measures": ("Biện pháp theo CV 82", "Measures (directive 82)"),
    "quarantine": ("Cách ly 21 ngày", "21 days' quarantine"),
    "pcr": ("Xét nghiệm PCR", "PCR test"),
    "from_zone": ("Qua vùng dịch", "Through an epidemic zone"),
    "no_measures": ("Không yêu cầu thêm", "Nothing further"),
    "import_csv": ("Nhập nhiều xe từ CSV (dán vào đây)", "Import vehicles from CSV (paste here)"),
    # followed by the columns' names in the page's language (kiosk_server.office.VEHICLE_COLUMNS)
    "csv_columns": ("Dòng đầu là tên các cột:", "The first line names the columns:"),
    "csv_times": (
        "Thời gian dạng dd/mm/yyyy hh:mm (chỉ ghi ngày: cả ngày). Loại:",
        "Times as dd/mm/yyyy hh:mm (a day alone: the whole day). Kinds:",
    ),
    "bad_vehicle_line": (
        "Dòng CSV không hợp lệ (không dòng nào được nhập): dòng",
        "A CSV line is not valid (nothing imported): line",
    ),
    "imported_rows": ("Đã nhập; số dòng:", "Imported; rows:"),
    # tracing and statistics (issue 10)
    "tracing": ("Truy vết", "Tracing"),
    "stats": ("Thống kê", "Statistics"),
    "trace_id": ("Số CMND/CCCD cần truy vết", "ID number to trace"),
    "from": ("Từ ngày", "From"),
    "to": ("Đến ngày", "To"),
    "overlap_minutes": ("Khoảng thời gian (phút)", "Overlap (minutes)"),
    "trace_level": ("Mức", "Level"),
    "trace_run": ("Truy vết", "Trace"),
    "trace_bad": (
        "Số CMND/CCCD (9 hoặc 12 số), ngày hoặc khoảng thời gian không hợp lệ.",
        "The ID number (9 or 12 digits), the dates or the overlap are not valid.",
    ),
    # the QR's 18-digit number is taken too, but staff type the number on the card
    "trace_id_bad": (
        "Số CMND/CCCD gồm 9 hoặc 12 chữ số (chỉ chữ số 0–9).",
        "An ID number is 9 or 12 digits (digits 0–9 only).",
    ),
    "day_out_of_range": (
        "Ngày không hợp lệ: chỉ từ 01/01/2020 đến 31/12/2100.",
        "A date is not valid: from 1 January 2020 to 31 December 2100 only.",
    ),
    "trace_overlap_bad": (
        "Khoảng thời gian phải là số phút từ 1 đến 1440 (chỉ chữ số 0–9).",
        "The overlap must be a number of minutes from 1 to 1440 (digits 0–9 only).",
    ),
    "trace_level_bad": (
        "Mức truy vết phải là F1 hoặc F1 + F2.",
        "The level must be F1 or F1 + F2.",
    ),
    "contacts_found": ("Số người tiếp xúc", "Contacts found"),
    "via": ("Qua", "Via"),
    "first_seen": ("Đến lúc", "First seen"),
    "last_seen": ("Rời lúc", "Last seen"),
    "contact": ("Người tiếp xúc", "Contact"),
    "scanned_at": ("Quét lúc", "Scanned at"),
    "minutes_apart": ("Cách (phút)", "Minutes apart"),
    "stats_bad": (
        "Ngày không hợp lệ: từ 01/01/2020 đến 31/12/2100, ngày đầu không sau ngày cuối.",
        "The dates are not valid: from 1 January 2020 to 31 December 2100, the first not after "
        "the last.",
    ),
    "stats_by": ("Theo", "By"),
    "stats_by_bad": (
        "Cách nhóm không hợp lệ: theo ngày, giờ, quận/huyện hoặc chốt.",
        "The grouping is not valid: by day, hour, district or checkpoint.",
    ),
    "by_day": ("Ngày", "Day"),
    "by_hour": ("Giờ", "Hour"),
    "by_district": ("Quận/huyện", "District"),
    "by_checkpoint": ("Chốt", "Checkpoint"),
    "stats_key": ("Nhóm", "Group"),
    "scans": ("Lượt quét", "Scans"),
    "chart": ("Biểu đồ", "Chart"),
    "total": ("Tổng", "Total"),
    "qr_points": ("Điểm quét QR", "QR points"),
    "scans_in": ("Vào", "In"),
    "scans_out": ("Ra", "Out"),
    "scans_allow": ("Được qua", "Allowed"),
    "scans_attention": ("Kiểm tra", "Attention"),
    "scans_deny": ("Không qua", "Denied"),
    "declarations_self": ("Tự khai", "Self-declared"),
    "declarations_assisted": ("Khai hộ", "Assisted"),
    "violations": ("Vi phạm", "Violations"),
    # hospitals' approvals of patients from other provinces (directive 82/CV-BCĐ I.6)
    "hospital": ("Khám chữa bệnh", "Hospital approvals"),
    "hospital_intro": (
        "Người ngoài tỉnh đến khám, tái khám tại cơ sở khám chữa bệnh ở Thừa Thiên Huế phải "
        "được cơ sở đó phê duyệt trước khi vào tỉnh (CV 82/CV-BCĐ, mục I.6). Phê duyệt ghi ở "
        "đây đến các chốt ở lần đồng bộ tới; chốt chỉ nhận số CMND/CCCD, họ tên đã che, cơ sở "
        "và các ngày được vào.",
        "People from other provinces coming for an examination or a follow-up at a hospital in "
        "Thừa Thiên Huế need that hospital's approval before entering (directive 82/CV-BCĐ, "
        "I.6). Approvals recorded here reach checkpoints at their next sync; a checkpoint gets "
        "only the ID number, the masked name, the hospital and the days of entry.",
    ),
    "hospital_name": ("Cơ sở khám chữa bệnh", "Hospital"),
    "home_province": ("Tỉnh/thành nơi ở", "Home province"),
    "purpose": ("Mục đích", "Purpose"),
    "kham": ("Khám bệnh", "Examination"),
    "tai_kham": ("Tái khám", "Follow-up"),
    "appointment_date": ("Ngày hẹn", "Appointment"),
    "entry_days": ("Được vào tỉnh", "May enter"),
    "entry_from": ("Được vào từ ngày", "May enter from"),
    "entry_to": ("đến hết ngày", "until the end of"),
    "entry_hint": (
        "Để trống: ngày trước ngày hẹn và ngày hẹn.",
        "Left empty: the day before the appointment and its day.",
    ),
    "approved_by": ("Người duyệt (bác sĩ, khoa)", "Approved by (doctor, department)"),
    "approver": ("Người duyệt", "Approved by"),
    "hospital_add": ("Ghi phê duyệt khám bệnh", "Record a hospital approval"),
    "hospital_import": (
        "Nhập phê duyệt từ CSV (dán vào đây)",
        "Import approvals from CSV (paste here)",
    ),
    # followed by the columns' names in the page's language (kiosk_server.csv_columns)
    "hospital_csv_columns": (
        "Dòng đầu là tên các cột (tên tiếng Anh của tệp xuất cũng được):",
        "The first line names the columns (the Vietnamese names are taken too):",
    ),
    "hospital_csv_values": (
        "Mã để trống nếu là phê duyệt mới; Mục đích là kham hoặc tai_kham; ngày dạng "
        "DD/MM/YYYY hoặc YYYY-MM-DD.",
        "id empty for a new approval; purpose kham or tai_kham; dates DD/MM/YYYY or YYYY-MM-DD.",
    ),
    "search_id": ("Số CMND/CCCD", "ID number"),
    "hospital_fields_needed": (
        "Cần số CMND/CCCD, họ tên, tỉnh nơi ở, cơ sở khám chữa bệnh và ngày hẹn.",
        "The ID number, name, home province, hospital and appointment date are needed.",
    ),
    "bad_id_number": ("Số CMND/CCCD gồm 9 hoặc 12 chữ số.", "An ID number is 9 or 12 digits."),
    "hospital_home_province": (
        "Mục I.6 dành cho người ngoài tỉnh: người ở Thừa Thiên Huế không cần phê duyệt này.",
        "Part I.6 is for people from other provinces: a Thừa Thiên Huế resident needs none.",
    ),
    "bad_purpose": ("Mục đích là kham hoặc tai_kham.", "The purpose is kham or tai_kham."),
    "bad_status": ("Trạng thái là approved hoặc revoked.", "The status is approved or revoked."),
    # the example's day is past 12, so no order is misread
    "bad_date": (
        "Ngày không hợp lệ. Hãy ghi ngày/tháng/năm, ví dụ 25/12/2026.",
        "A date is not valid. Write day/month/year, e.g. 25/12/2026.",
    ),
    # after a refused form's message: the label of the box to correct
    "in_box": ("Ô cần sửa: «{box}».", "Box to correct: “{box}”."),
    # after a refused download's message (no form to mark): the parameter, and its box's label
    "in_param": ("Tham số cần sửa: {param} («{box}»).", "Parameter to correct: {param} (“{box}”)."),
    # the date boxes' hints (the browser shows them when a box's pattern is not met)
    "day_hint": (
        "Ngày/tháng/năm, ví dụ 25/12/2026",
        "Day/month/year, e.g. 25/12/2026",
    ),
    "time_hint": (
        "Ngày/tháng/năm và giờ:phút, ví dụ 25/12/2026 08:30 (không ghi giờ: cả ngày)",
        "Day/month/year and hours:minutes, e.g. 25/12/2026 08:30 (no time: the whole day)",
    ),
    "bad_window": (
        "Ngày hẹn phải nằm trong các ngày được vào, tối đa 14 ngày.",
        "The appointment must fall within the days of entry, 14 days at most.",
    ),
    "too_long": ("Một ô quá dài.", "A field is too long."),
    "bad_id": ("Mã (id) phải là số dương.", "The id must be a positive number."),
    "empty": ("Không có dòng nào.", "No rows."),
    # a CSV header naming one column twice (its Vietnamese name and its English key, say)
    "duplicate_column": (
        "hai cột cùng là một cột (một tên tiếng Việt và một tên tiếng Anh?)",
        "two columns are the same column (one named in Vietnamese, one in English?)",
    ),
    "hospital_bad_header": (
        "Dòng đầu CSV phải có tên cột (xem bên dưới); không dòng nào được nhập.",
        "The CSV's first line must name its columns (see below); nothing imported.",
    ),
    "hospital_bad_line": (
        "Dòng CSV không hợp lệ (không dòng nào được nhập): dòng",
        "A CSV line is not valid (nothing imported): line",
    ),
    # after "line N" of a refused paste: the column, named as the paste hint names it
    "in_column": ("cột «{column}»", "column “{column}”"),
    "no_hospital_approval": ("Không có phê duyệt này.", "No such approval."),
    "hospital_saved": (
        "Đã ghi phê duyệt; các chốt nhận được ở lần đồng bộ tới.",
        "Approval recorded; checkpoints receive it at their next sync.",
    ),
    "hospital_revoked_done": (
        "Đã thu hồi; chốt sẽ không cho vào từ lần đồng bộ tới.",
        "Revoked; checkpoints refuse entry from their next sync.",
    ),
    "revoke_confirm": ("Lý do thu hồi", "Reason for revoking"),
    # one's own password (/password)
    "password_link": ("Đổi mật khẩu", "Change password"),
    "password_change": ("Đổi mật khẩu", "Change your password"),
    "password_current": ("Mật khẩu hiện tại", "Current password"),
    "password_new": ("Mật khẩu mới", "New password"),
    "password_repeat": ("Nhập lại mật khẩu mới", "New password again"),
    "password_rule": (
        "Ít nhất 10 ký tự, khác mật khẩu hiện tại và tên đăng nhập; nên dùng một câu dễ nhớ. "
        "Các phiên đăng nhập khác của tài khoản sẽ kết thúc.",
        "10 characters or more, other than the current password and the user name; a sentence "
        "you remember works well. The account's other sessions end.",
    ),
    "password_changed": ("Đã đổi mật khẩu.", "Your password was changed."),
    "password_wrong": ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
    "password_locked": (
        "Tài khoản tạm khóa 15 phút vì nhập sai nhiều lần.",
        "Account locked for 15 minutes after repeated failures.",
    ),
    "password_weak": (
        "Mật khẩu mới cần ít nhất 10 ký tự, khác mật khẩu hiện tại, tên đăng nhập và mật khẩu "
        "công khai của tài khoản dùng thử.",
        "The new password needs 10 characters or more, other than the current one, the user "
        "name and a demo account's public password.",
    ),
    "password_mismatch": (
        "Hai lần nhập mật khẩu mới không khớp.",
        "The two entries of the new password differ.",
    ),
    # the audit trail's actions (kiosk_server.staff.ACTIONS), as the audit page names them
    "action_sign_in": ("Đăng nhập", "Sign-in"),
    "action_sign_out": ("Đăng xuất", "Sign-out"),
    "action_search": ("Tìm kiếm", "Search"),
    "action_open": ("Mở hồ sơ", "Record opened"),
    "action_export": ("Xuất CSV", "CSV export"),
    "action_import": ("Nhập tệp CSV", "CSV import"),
    "action_approve": ("Duyệt tờ khai", "Declaration approved"),
    "action_reject": ("Từ chối tờ khai", "Declaration rejected"),
    "action_assisted_intake": ("Nhận tờ khai hộ từ chốt", "Assisted declaration received"),
    "action_zone_save": ("Lưu vùng dịch", "Epidemic zone saved"),
    "action_operator_add": ("Thêm nhân viên chốt", "Operator added"),
    "action_operator_change": ("Sửa nhân viên chốt", "Operator changed"),
    "action_pairing_code": ("Tạo mã ghép nối", "Pairing code made"),
    "action_kiosk_revoke": ("Thu hồi máy", "Kiosk revoked"),
    "action_vehicle_save": ("Lưu phương tiện", "Vehicle saved"),
    "action_vehicle_import": ("Nhập phương tiện từ CSV", "Vehicles imported"),
    "action_market_save": ("Lưu chợ", "Market saved"),
    "action_card_issue": ("Cấp thẻ đi chợ", "Market card issued"),
    "action_card_revoke": ("Thu hồi thẻ đi chợ", "Market card revoked"),
    "action_card_print": ("In thẻ đi chợ", "Market cards printed"),
    "action_poster": ("Tạo áp phích QR", "QR poster made"),
    "action_user_add": ("Thêm tài khoản", "Account added"),
    "action_user_active": ("Khóa/mở tài khoản", "Account disabled/enabled"),
    "action_user_password": ("Đặt mật khẩu tài khoản", "Account password set"),
    "action_password_change": ("Tự đổi mật khẩu", "Own password changed"),
    "action_hospital_add": ("Ghi phê duyệt khám bệnh", "Hospital approval recorded"),
    "action_hospital_import": ("Nhập phê duyệt khám bệnh", "Hospital approvals imported"),
    "action_hospital_revoke": ("Thu hồi phê duyệt khám bệnh", "Hospital approval revoked"),
    "action_trace": ("Truy vết tiếp xúc", "Contact trace"),
    # who acted (the audit page's who column): the server's console, a command typed there
    "actor_cli": ("Dòng lệnh", "Command line"),
    # what an action was done to (the audit page's target column), before its number or name
    "target_account": ("Tài khoản", "Account"),
    "target_declaration": ("Tờ khai", "Declaration"),
    "target_vehicle": ("Phương tiện", "Vehicle"),
    "target_zone": ("Vùng dịch", "Epidemic zone"),
    "target_operator": ("Nhân viên chốt", "Operator"),
    "target_kiosk": ("Máy kiểm soát", "Kiosk"),
    "target_market": ("Chợ", "Market"),
    "target_card": ("Thẻ đi chợ", "Market card"),
    "target_checkpoint": ("Chốt", "Checkpoint"),
    "target_hospital_approval": ("Phê duyệt khám bệnh", "Hospital approval"),
    "target_person": ("Người", "Person"),
    # the audit trail's details: their keys, and the codes some of them hold
    "detail_outcome": ("Kết quả", "Outcome"),
    "outcome_ok": ("thành công", "succeeded"),
    "outcome_wrong": ("sai mật khẩu", "wrong password"),
    "outcome_locked": ("tài khoản đang khóa", "account locked"),
    "outcome_too_many_tries": (
        "từ chối: quá nhiều lần sai từ địa chỉ này",
        "refused: too many failures from this address",
    ),
    "detail_address": ("Địa chỉ IP", "IP address"),
    "outcome_weak": ("mật khẩu mới quá yếu", "new password too weak"),
    "outcome_mismatch": ("hai lần nhập không khớp", "the two entries differ"),
    "detail_query": ("Tìm theo", "Searched for"),
    "detail_hits": ("Số kết quả", "Results"),
    "detail_rows": ("Số dòng", "Rows"),
    "detail_cards": ("Thẻ", "Cards"),
    "detail_replaces": ("Thay thẻ", "Replaces card"),
    "detail_pin": ("PIN", "PIN"),
    "pin_new": ("đặt mới", "set anew"),
    "detail_subject": ("Người", "Person"),
    "detail_hospital": ("Cơ sở khám chữa bệnh", "Hospital"),
    "detail_appointment": ("Ngày hẹn", "Appointment"),
    "detail_window": ("Được vào tỉnh", "May enter"),
    "detail_slot": ("Khung giờ", "Time slot"),
    "detail_param": ("Tham số", "Parameter"),
}


def text(key: str, lang: str) -> str:
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "vi" else pair[1]
