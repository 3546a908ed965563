"""Search keys for glosses and translations: case, diacritics and script (Cyrillic or Latin) normalised away.

Both the text searched and the query become one Latin key, so a query in either script finds a gloss in
either: Russian and Kazakh Cyrillic letters are transliterated (a simple scheme close to the passport
one: ж zh, х kh, ц ts, ч ch, ш sh, щ shch, й y, ю yu, я ya; Kazakh ә a, ғ g, қ k, ң n, ө o, ұ ү u, һ h, і i),
the letters of the Kazakh Latin alphabet are brought to the same spelling (ş sh, ç ch, q k, ...), remaining
diacritics are dropped (é -> e), and everything but letters and digits becomes a single space, as does the
border between letters and digits (the variant numbers of glosses such as SMILE1).
"""

from __future__ import annotations

import re
import unicodedata

CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
# Kazakh Latin (2021) letters and Latin spellings that stand for one Cyrillic letter.
LATIN_VARIANTS: dict[str, str] = {"ş": "sh", "ç": "ch", "ğ": "g", "q": "k", "ñ": "n", "ı": "y", "x": "kh"}
_TABLE = str.maketrans({**CYRILLIC_TO_LATIN, **LATIN_VARIANTS})
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def search_key(text: str) -> str:
    """The normalised Latin key of ``text`` ("Привет!" -> "privet", "TO-SMILE3^" -> "to smile 3")."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_TABLE)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", _DIGITS.sub(" ", text)).strip()
