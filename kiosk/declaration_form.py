"""The assisted declaration ("khai hộ"): fields, validation, and the record that is queued.

Each field is validated on its own and gives a stable error code (words in kiosk.messages), so
the form can show every problem at once, next to its field, and keep everything typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.errors import InputError
from kiosk.ids import agrees_with, parse_id
from kiosk.plates import parse_plate
from kiosk.provinces import PROVINCE_CODES
from kiosk.rules import SYMPTOMS

TRANSPORT = ("car", "motorbike", "bus", "train", "plane", "other")
NEEDS_PLATE = ("car", "motorbike")
PROVINCES = tuple(sorted(PROVINCE_CODES.values()))
FIELDS = (
    "full_name",
    "id_number",
    "birth_date",
    "sex",
    "phone",
    "province",
    "district",
    "commune",
    "address",
    "came_from",
    "travel_14d",
    "transport",
    "plate",
    "symptoms",
    "contact_with_case",
    "from_epidemic_zone",
)
_PHONE = re.compile(r"^0[35789]\d{8}$")
_NAME = re.compile(r"^[^\W\d_]+( [^\W\d_]+)+$")


@dataclass(frozen=True)
class AssistedDeclaration:
    full_name: str
    id_number: str
    birth_date: date
    sex: str  # 'M' or 'F'
    phone: str
    province: str
    district: str
    commune: str
    address: str
    came_from: str
    travel_14d: str
    transport: str
    plate: str
    symptoms: tuple[str, ...]
    contact_with_case: bool
    from_epidemic_zone: bool = False  # passed through or came from an epidemic zone

    @property
    def exposure(self) -> tuple[str, ...]:
        """What the answers declare that means quarantine (directive 82/CV-BCĐ III.4.b)."""
        return tuple(
            e
            for e, said in (
                ("epidemic_zone", self.from_epidemic_zone),
                ("contact", self.contact_with_case),
            )
            if said
        )

    def to_json(self) -> dict[str, object]:
        """The wire form (docs/formats.md, 'assisted declaration v1')."""
        return {
            "version": 1,
            **{f: getattr(self, f) for f in FIELDS},
            "birth_date": self.birth_date.isoformat(),
            "symptoms": list(self.symptoms),
        }


def _phone(value: str) -> str:
    digits = re.sub(r"[\s.\-]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not _PHONE.match(digits):
        raise InputError("form_phone")
    return digits


def validate(
    form: dict[str, object], today: date
) -> tuple[AssistedDeclaration | None, dict[str, str]]:
    """(declaration, {}) when every field is right, else (None, {field: error code})."""
    errors: dict[str, str] = {}

    def text(name: str) -> str:
        return " ".join(str(form.get(name) or "").split())

    name = text("full_name")
    if not _NAME.match(name) or len(name) > 100:
        errors["full_name"] = "form_name"
    pid = None
    try:
        pid = parse_id(text("id_number").replace(" ", ""), today)
    except InputError as exc:
        errors["id_number"] = exc.code
    birth = None
    try:
        birth = datetime.strptime(text("birth_date"), "%d/%m/%Y").date()
        if birth > today or birth.year < today.year - 120:
            raise ValueError
    except ValueError:
        birth = None
        errors["birth_date"] = "form_birth_date"
    sex = text("sex")
    if sex not in ("M", "F"):
        errors["sex"] = "form_required"
    if pid and birth and sex in ("M", "F") and not agrees_with(pid, birth, sex):
        errors["id_number"] = "id_inconsistent_form"
    phone = ""
    try:
        # optional: people without a smartphone often have no phone, or give a relative's
        phone = _phone(text("phone")) if text("phone") else ""
    except InputError as exc:
        errors["phone"] = exc.code
    if text("province") not in PROVINCES:
        errors["province"] = "form_province"
    for required in ("district", "commune", "came_from"):
        if not text(required):
            errors[required] = "form_required"
    transport = text("transport")
    plate = text("plate")
    if transport not in TRANSPORT:
        errors["transport"] = "form_required"
    elif transport in NEEDS_PLATE and not plate:
        errors["plate"] = "form_required"
    elif transport in NEEDS_PLATE:
        try:
            plate = parse_plate(plate).typed
        except InputError:
            errors["plate"] = "plate_malformed"
    symptoms = tuple(s for s in SYMPTOMS if s in (form.get("symptoms") or ()))
    if errors:
        return None, errors
    assert pid is not None and birth is not None
    return AssistedDeclaration(
        full_name=name,
        id_number=pid.number,
        birth_date=birth,
        sex=sex,
        phone=phone,
        province=text("province"),
        district=text("district"),
        commune=text("commune"),
        address=text("address"),
        came_from=text("came_from"),
        travel_14d=text("travel_14d"),
        transport=transport,
        plate=plate if transport in NEEDS_PLATE else "",
        symptoms=symptoms,
        contact_with_case=bool(form.get("contact_with_case")),
        from_epidemic_zone=bool(form.get("from_epidemic_zone")),
    ), {}
