"""gettext catalogues: English source strings in the code, a `.po` file per other language.

The msgids are the English sentences themselves (GNU gettext's own convention): a translator's
tool (Poedit, Lokalize, Weblate) shows the English as the source, English needs no catalogue, and
an entry missing from a catalogue falls back to readable English instead of a bare key. Codes that
leave the kiosk (reasons, error codes) stay stable identifiers mapped to these sentences by
explicit dictionaries, never built at run time, so Babel's extractor finds every sentence.

Translators edit the `.po` files; `make messages` (Babel) extracts, merges and compiles them to the
`.mo` files committed beside them, which the standard library's gettext reads in about a
millisecond. Compiling the `.po` with Babel at run time instead cost 150 ms on the first message
of every `kiosk check`; tests/kiosk/test_catalogue.py fails when a `.mo` is not what its `.po`
compiles to, so the two cannot drift.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("vi", "en")
SOURCE_LANGUAGE = "en"

# What Babel's extractor looks for (`make messages`, tests/kiosk/test_catalogue.py):
# gettext_noop(msgid) and ngettext_noop(singular, plural, count_parameter).
EXTRACT_KEYWORDS = {"gettext_noop": None, "ngettext_noop": (1, 2)}


@dataclass(frozen=True)
class Plural:
    """A sentence with plural forms; `count` names the parameter that chooses the form."""

    singular: str
    plural: str
    count: str


Message = str | Plural


def gettext_noop(msgid: str) -> str:
    """Marks a sentence for the catalogue; it is translated where it is shown."""
    return msgid


def ngettext_noop(singular: str, plural: str, count: str) -> Plural:
    return Plural(singular, plural, count)


@functools.cache
def translations(locale_dir: Path, domain: str, lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"no such language: {lang}")
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()  # English plural rule: n == 1 is singular
    with (locale_dir / lang / "LC_MESSAGES" / f"{domain}.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


class _Missing(dict[str, str]):
    """A parameter the caller did not have shows as '?' rather than crashing the screen."""

    def __missing__(self, key: str) -> str:
        return "?"


def render(t: gettext.NullTranslations, message: Message, params: Mapping[str, object]) -> str:
    values = _Missing({k: str(v) for k, v in params.items()})
    if isinstance(message, Plural):
        count = params.get(message.count)
        n = count if isinstance(count, int) else int(str(count)) if str(count).isdigit() else 0
        text = t.ngettext(message.singular, message.plural, n)
    else:
        text = t.gettext(message)
    return text.format_map(values)
