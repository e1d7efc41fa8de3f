"""`make messages`: extracts the English sentences marked in kiosk/ and ui/ with Babel and merges
them into each package's Vietnamese catalogue (locale/vi/LC_MESSAGES/<domain>.po), then compiles
each to the .mo the kiosk reads.

A new sentence comes out with an empty translation, a sentence no longer in the code is dropped;
tests/kiosk/test_catalogue.py fails until every sentence has its Vietnamese.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.catalogue import EXTRACT_KEYWORDS, LANGUAGES, SOURCE_LANGUAGE  # noqa: E402

DOMAINS = {"kiosk": ROOT / "kiosk", "ui": ROOT / "ui"}  # domain -> the package it covers


def extract(domain: str) -> Catalog:
    """Every sentence the package marks, with the file it comes from."""
    package = DOMAINS[domain]
    template = Catalog(domain=domain, project="checkpoint-kiosk")
    found = extract_from_dir(
        package,
        method_map=[("**.py", "python")],
        keywords=EXTRACT_KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        where = f"{package.name}/{Path(filename).as_posix()}"
        template.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return template


HEADER = """\
# The kiosk's words in one language. msgid: the English source sentence (see kiosk/catalogue.py).
# Regenerate with `make messages`; placeholders in {braces} stay as they are."""


def po_path(domain: str, lang: str) -> Path:
    return DOMAINS[domain] / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def update(domain: str, lang: str) -> Catalog:
    path = po_path(domain, lang)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=domain)
    else:
        catalog = Catalog(
            locale=lang,
            domain=domain,
            project="checkpoint-kiosk",
            header_comment=HEADER,
            fuzzy=False,
        )
    catalog.update(extract(domain), no_fuzzy_matching=True, update_creation_date=False)
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        # no line numbers: moving code must not rewrite the translator's file
        write_po(
            f, catalog, width=100, ignore_obsolete=True, include_lineno=False, sort_output=True
        )


def compiled(po: Path) -> bytes:
    """The .mo the kiosk reads: what the .po says, fuzzy guesses left out."""
    with po.open("rb") as f:
        catalog = read_po(f, locale=po.parts[-3], domain=po.stem)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> int:
    for domain in DOMAINS:
        for lang in LANGUAGES:
            if lang != SOURCE_LANGUAGE:
                po = po_path(domain, lang)
                write(update(domain, lang), po)
                po.with_suffix(".mo").write_bytes(compiled(po))
                print(po.relative_to(ROOT), "and .mo")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
