"""Who an account belongs to: normalised ultimate-consignee identity.

LPP is counted per ultimate consignee, so the same company written two ways must draw on
one account. Names are folded (case, punctuation, common legal-form words) and combined
with the country.
"""

from __future__ import annotations

import re
import unicodedata

# Legal-form words and their long forms fold to one token, so "Pvt. Ltd." and
# "PRIVATE LIMITED" agree.
_LEGAL_FORMS = {
    "private": "pvt",
    "pvt": "pvt",
    "limited": "ltd",
    "ltd": "ltd",
    "incorporated": "inc",
    "inc": "inc",
    "corporation": "corp",
    "corp": "corp",
    "company": "co",
    "co": "co",
    "pte": "pte",
    "llc": "llc",
    "gmbh": "gmbh",
    "plc": "plc",
    "sa": "sa",
    "bv": "bv",
}


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    words = re.findall(r"[^\W_]+", text)
    return "-".join(_LEGAL_FORMS.get(w, w) for w in words)


def consignee_key(name: str, country: str) -> str:
    return f"{country}/{normalise_name(name)}"
