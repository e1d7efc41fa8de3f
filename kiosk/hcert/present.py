"""What the medic compares with the ID document: the holder and the certificate's essentials,
masked for roles that do not need them (kiosk.privacy), in the operator's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kiosk.clock import local
from kiosk.privacy import mask_digits, mask_name, sees_personal_data

# Medicinal products (EU DCC value set vaccines-covid-19-names): the ones a checkpoint meets
# most; others are shown by their code.
PRODUCTS = {
    "EU/1/20/1528": "Comirnaty (Pfizer-BioNTech)",
    "EU/1/20/1507": "Spikevax (Moderna)",
    "EU/1/21/1529": "Vaxzevria (AstraZeneca)",
    "EU/1/20/1525": "Jcovden (Janssen)",
    "EU/1/21/1618": "Nuvaxovid (Novavax)",
    "BBIBP-CorV": "Sinopharm BIBP",
    "CoronaVac": "CoronaVac (Sinovac)",
    "Sputnik-V": "Sputnik V",
    "Covishield": "Covishield",
    "Abdala": "Abdala",
}
TEST_TYPES = {"LP6464-4": "PCR", "LP217198-3": "RAT"}


@dataclass(frozen=True)
class Holder:
    name: str  # family name first, as Vietnamese documents print it
    birth_date: str  # as the DGC has it: YYYY-MM-DD, YYYY-MM, YYYY or empty

    def birth_day(self) -> date | None:
        try:
            return date.fromisoformat(self.birth_date) if len(self.birth_date) == 10 else None
        except ValueError:
            return None


def holder_of(dgc: Mapping[str, Any]) -> Holder:
    nam = dgc.get("nam") if isinstance(dgc.get("nam"), Mapping) else {}
    family = nam.get("fn") or nam.get("fnt") or ""  # type: ignore[union-attr]
    given = nam.get("gn") or nam.get("gnt") or ""  # type: ignore[union-attr]
    name = " ".join(str(p).replace("<", " ") for p in (family, given) if isinstance(p, str))
    dob = dgc.get("dob")
    return Holder(" ".join(name.split())[:120], dob[:10] if isinstance(dob, str) else "")


def essentials(kind: str, item: Mapping[str, Any], issuer: str, expires: int) -> dict[str, str]:
    """Plain strings only: the JSON verdict and the screen both take them as they are."""
    out: dict[str, str] = {"kind": kind, "country": str(item.get("co", issuer))[:2]}
    if kind == "v":
        product = str(item.get("mp", ""))
        out |= {
            "dose": f"{item.get('dn', '?')}/{item.get('sd', '?')}",
            "date": str(item.get("dt", ""))[:10],
            "product": PRODUCTS.get(product, product)[:60],
        }
    elif kind == "t":
        out |= {
            "test": TEST_TYPES.get(str(item.get("tt", "")), str(item.get("tt", "")))[:20],
            "sampled": str(item.get("sc", ""))[:25],
        }
    else:
        out |= {"first_positive": str(item.get("fr", ""))[:10], "until": str(item.get("du", ""))}
    out["issuer"] = str(item.get("is", ""))[:80]
    out["expires"] = f"{local(datetime.fromtimestamp(expires, UTC)):%Y-%m-%d}"
    out["uvci"] = str(item.get("ci", ""))[:80]
    return out


def masked_holder(holder: Holder, role: str) -> dict[str, str]:
    if sees_personal_data(role):
        return {"name": holder.name, "birth_date": holder.birth_date}
    return {"name": mask_name(holder.name), "birth_date": holder.birth_date[:4]}


def masked_essentials(values: Mapping[str, str], role: str) -> dict[str, str]:
    out = dict(values)
    if not sees_personal_data(role) and out.get("uvci"):
        out["uvci"] = mask_digits(out["uvci"], 8, 2)
    return out


@dataclass(frozen=True)
class Shown:
    """What the medic's screen shows under the reason (its words are ui/texts.py's): who, as
    masked for the role; the certificate's kind and essentials as documents write them; since
    when the trust list is stale, if it is."""

    holder_name: str
    holder_born: str
    kind: str  # v, t, r or ""
    values: dict[str, str]
    stale_since: str | None


def shown(
    holder: Mapping[str, str] | None, values: Mapping[str, str], stale_since: str | None
) -> Shown:
    name = holder.get("name", "") if holder else ""
    born = (_shown(holder.get("birth_date", "")) or "?") if holder else "?"
    kind = values.get("kind", "")
    return Shown(
        name, born, kind if kind in ("v", "t", "r") else "", _defaults(values), stale_since
    )


def _shown(value: str) -> str:
    """ISO dates and times as Vietnamese documents write them, times in Vietnamese time;
    a partial date (a year, a month) as it came."""
    try:
        if len(value) > 10:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            return f"{local(moment):%d/%m/%Y %H:%M}"
        if len(value) == 10:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
    except ValueError:
        pass
    return value


def _defaults(values: Mapping[str, str]) -> dict[str, str]:
    keys = ("country", "dose", "date", "product", "test", "sampled", "first_positive", "until")
    shown = {k: _shown(values.get(k, "")) or "?" for k in keys}
    return shown | {"expires": _shown(values.get("expires", "")) or "?"}
