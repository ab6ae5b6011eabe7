"""Normalising what people type into gazetteer keys (shared by the build script and the resolver).

`São Paulo`, `sao paulo` and ` SAO-PAULO. ` all become `sao paulo`; `St. John's` and `Saint John’s`
both become `st johns`. The same function builds the index and reads the query, so whatever it
folds, it folds on both sides.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter + accent, folded as GeoNames'
# asciiname column does.
_LETTER_FOLDS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
    }
)
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´"), None)
# Invisible characters that pasted text carries inside words (soft hyphen, zero-width space and
# joiner, word joiner, bidi marks, byte order mark: Unicode's format characters, category Cf) and
# variation selectors: removed, not read as blanks, so `Tok<soft hyphen>yo` is still `tokyo`.
# Zero-width non-joiner stays a word break: in Persian names it stands where a space may be typed.
_ZERO_WIDTH_NON_JOINER = "\u200c"
_VARIATION_SELECTORS = frozenset(map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
# Common abbreviations in place names, written the short way on both sides.
_TOKEN_CANON = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}

MAX_QUERY_LENGTH = 200
"""Longest query (in characters) worth looking up; longer ones are "not found" at once."""


def fold_ascii(text: str) -> str:
    """Return `text` with accents removed (`Zürich` → `Zurich`, `Łódź` → `Lodz`); case is kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTER_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Return the lookup key of a place name or query.

    Case, accents, apostrophes, punctuation, runs of blanks and invisible format characters do
    not matter; letters of every script are kept (`Москва` → `москва`, `東京` → `東京`).
    Returns "" when nothing is left.
    """
    folded = fold_ascii(text).casefold().translate(_APOSTROPHES)
    cleaned = "".join(_key_character(ch) for ch in folded)
    return " ".join(_TOKEN_CANON.get(token, token) for token in cleaned.split())


def _key_character(ch: str) -> str:
    """What one (folded) character becomes in a key: itself, a blank, or nothing."""
    category = unicodedata.category(ch)
    if ch in _VARIATION_SELECTORS or (category == "Cf" and ch != _ZERO_WIDTH_NON_JOINER):
        return ""
    return ch if category[0] in "LNM" else " "


def has_control_characters(text: str) -> bool:
    """Return True when `text` holds a NUL or another control character, or a lone surrogate
    (bytes that were not UTF-8 on the command line): never part of a name.

    Tabs and line breaks count as blanks, not control characters.
    """
    return any(
        (unicodedata.category(ch) == "Cc" and not ch.isspace()) or "\ud800" <= ch <= "\udfff"
        for ch in text
    )


_STRAIGHT = str.maketrans(dict.fromkeys("’‘ʼ", "'"))


def typeable(text: str) -> str:
    """`Saint John’s` → `Saint John's`: curly apostrophes (GeoNames writes them) made straight,
    so a suggestion or note can be typed back as it is shown."""
    return text.translate(_STRAIGHT)
