"""The columns of the CSV files staff bring to the back office, each with the Vietnamese name
the Vietnamese pages give it. A file's first line may use either name, in any case, with or
without the diacritics: a sheet made from the Vietnamese hint and one made from an export (whose
header stays the English keys, what scripts read) are both taken."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from kiosk.privacy import mask_id

# per kind of file: (key, Vietnamese name); a kind's Vietnamese names are distinct
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "declarations": (
        ("id", "Mã"),
        ("subject_id", "Số CMND/CCCD"),
        ("full_name", "Họ tên"),
        ("birth_date", "Ngày sinh"),
        ("sex", "Giới tính"),
        ("status", "Trạng thái"),
        ("valid_until", "Hiệu lực đến"),
        ("phone", "Điện thoại"),
        ("origin_area", "Mã vùng nơi đi"),
        ("travel_areas", "Mã vùng đã qua"),
        ("symptoms", "Triệu chứng"),
        ("declared_by_proxy", "Khai hộ"),
    ),
    "vehicles": (
        ("id", "Mã"),
        ("plate", "Biển số"),
        ("kind", "Loại"),
        ("business", "Doanh nghiệp"),
        ("driver_name", "Lái xe"),
        ("driver_phone", "Điện thoại"),
        ("valid_from", "Hiệu lực từ"),
        ("valid_to", "Hiệu lực đến"),
        ("route", "Lộ trình"),
        ("status", "Trạng thái"),
    ),
    "cards": (
        ("card_id", "Số thẻ"),
        ("household_head", "Chủ hộ"),
        ("market_id", "Mã chợ"),
        ("phone", "Điện thoại"),
        ("revoked", "Đã thu hồi"),
    ),
    "zones": (
        ("id", "Mã"),
        ("area_code", "Mã vùng"),
        ("name", "Tên"),
        ("active_from", "Từ ngày"),
        ("active_to", "Đến ngày"),
    ),
    "markets": (("id", "Mã"), ("name", "Tên")),
    "hospital": (
        ("id", "Mã"),
        ("subject_id", "Số CMND/CCCD"),
        ("full_name", "Họ tên"),
        ("home_province", "Tỉnh nơi ở"),
        ("hospital", "Cơ sở khám chữa bệnh"),
        ("purpose", "Mục đích"),
        ("appointment_date", "Ngày hẹn"),
        ("entry_from", "Được vào từ ngày"),
        ("entry_to", "Được vào đến ngày"),
        ("approved_by", "Người duyệt"),
        ("status", "Trạng thái"),
    ),
}


def folded(name: str) -> str:
    """A column's name without case, diacritics or extra spaces: "Biển số" is "bien so"."""
    bare = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).lower().split())


def name(kind: str, key: str, lang: str) -> str:
    """The column as the page in `lang` names it: the key itself in English, what a script and
    an export write."""
    if lang != "vi":
        return key
    return dict(COLUMNS[kind]).get(key, key)


def names(kind: str, keys: Iterable[str], lang: str) -> list[str]:
    return [name(kind, k, lang) for k in keys]


def key_of(kind: str, header: str) -> str:
    """A header's column key, whichever name it uses; a name of neither kind kept, stripped."""
    return _known(kind).get(folded(header), header.strip())


class DuplicateColumn(ValueError):
    """Two headers name one column (its key and its Vietnamese name, say): a row would keep the
    last one's value, not the one a reader of the sheet sees under that name."""

    def __init__(self, key: str) -> None:
        super().__init__(f"the column {key} is named twice")
        self.key = key


def keyed(kind: str, reader: csv.DictReader) -> csv.DictReader:
    """`reader` with its header read as the columns' keys (once, not a row at a time: an
    import may be a hundred thousand rows). DuplicateColumn when two headers are one column."""
    if reader.fieldnames:
        keys = [key_of(kind, h or "") for h in reader.fieldnames]
        known = set(_known(kind).values())
        for key in keys:
            if key in known and keys.count(key) > 1:
                raise DuplicateColumn(key)
        reader.fieldnames = keys
    return reader


def header_problem(
    kind: str, keys: list[str], needed: Iterable[str]
) -> tuple[str, str, str] | None:
    """What a header (read by `keyed`) lacks, as (rule, column, unknown names); None when it
    names every `needed` column. A header naming none of the kind's columns is a file without
    its header line, its first row taken for one: "import_no_header", and none of that row
    repeated. Otherwise "import_missing_column", the first needed column missing and the names
    not taken (a misspelt one is the likely cause), an ID number among them masked."""
    taken = {key for key, _ in COLUMNS[kind]}
    if not taken & set(keys):
        return "import_no_header", "", ""
    missing = [c for c in needed if c not in keys]
    if not missing:
        return None
    unknown = [shown(k) for k in keys if k and k not in taken]
    return "import_missing_column", missing[0], ", ".join(unknown)


def shown(header: str) -> str:
    """A header as a message may quote it: short, and a number as long as an ID number masked."""
    cut = header if len(header) <= 40 else header[:39] + "…"
    return re.sub(r"\d{9,}", lambda m: mask_id(m.group()), cut)


@cache
def _known(kind: str) -> dict[str, str]:
    return {folded(n): key for key, vietnamese in COLUMNS[kind] for n in (key, vietnamese)}
