"""Vietnamese alphabetical order for lists a person reads (provinces): Python's sort puts
"Đà Nẵng" after "Yên Bái" (Đ is U+0110) and "Bắc Giang" before "Bạc Liêu".

The Vietnamese alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: the
letters with a breve, circumflex, horn or bar are letters of their own, after their base; the five
tone marks only break ties (none, grave, hook, tilde, acute, dot below), as dictionaries do.
PyICU's Vietnamese collator gives the same order but is a C++ library for one short list.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> list[tuple[int, int, str]]:
    """(alphabet index, tone, character) per letter; other characters sort after the alphabet
    by code point."""
    out: list[tuple[int, int, str]] = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        marks = decomposed[1:]
        letter_marks = "".join(m for m in marks if m in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", base + letter_marks)
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        index = ALPHABET.find(letter) if len(letter) == 1 else -1
        if index < 0:
            index = (len(ALPHABET) + ord(letter[0])) if letter[0] != " " else -1
        out.append((index, tone, ch))
    return out


def vi_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters = _letters(text)
    return tuple(i for i, _, _ in letters), tuple(t for _, t, _ in letters)
