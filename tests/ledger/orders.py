"""Orders and licences the ledger tests share, with where their expected numbers come from.

- LPP: 15 CFR 740.29 (90 FR 4544) allows 26,900,000 TPP per ultimate consignee per
  calendar year (us-rules.md 7.4, table row "LPP per consignee per calendar year").
- H100 SXM: TPP 15,831.2 (chips.md, example 1: 1,978.9 dense FP8 TOPS x 8 bits).
- So 100 H100s draw 1,583,120 TPP; 16 such orders (25,329,920) fit in a year's allowance,
  a 17th (26,913,040) does not.
- A licence authorises exports only within the terms on its face -- items, quantities,
  value, parties, destinations, validity (15 CFR 750.7(a)); it is not a quota to exceed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.contract import Transaction, parse_transaction
from dualuse.ledger.licence import Licence

LPP_LIMIT = 26_900_000.0
H100_TPP = 15_831.2
ORDER_TPP = 100 * H100_TPP
LPP_ORDERS_THAT_FIT = 16

LPP_ORDER_DOCUMENT: dict[str, Any] = {
    "id": "PO-1",
    "date": "2025-06-02",
    "mode": "codified",
    "ship_from": "US",
    "destination": "IN",
    "parties": {"consignee": {"name": "Example Cloud Pvt. Ltd.", "country": "IN"}},
    "items": [{"catalog": "nvidia/h100-sxm", "quantity": 100}],
}
"""100 H100s to a Tier 2 consignee in India, as codified: the order the CLI and API send."""

LICENCE_DOCUMENT: dict[str, Any] = {
    "jurisdiction": "us",
    "authority": "BIS",
    "number": "D1000001",
    "control_codes": ["3A090"],
    "destinations": ["AE"],
    "quantity": 1000,
    "valid_from": "2025-01-01",
    "valid_until": "2028-12-31",
}
"""A BIS licence for 1,000 units of 3A090 items to the UAE, as a user would file it."""


def lpp_order(
    name: str = "Example Cloud Pvt. Ltd.",
    quantity: int = 100,
    day: str = "2025-06-02",
    identifiers: dict[str, str] | None = None,
) -> Transaction:
    """H100s to a Tier 2 consignee in India, as codified (LPP applies from 2025-05-15)."""
    consignee: dict[str, Any] = {"name": name, "country": "IN"}
    if identifiers:
        consignee["identifiers"] = identifiers
    return parse_transaction(
        {
            "date": day,
            "mode": "codified",
            "ship_from": "US",
            "destination": "IN",
            "parties": {"consignee": consignee},
            "items": [{"catalog": "nvidia/h100-sxm", "quantity": quantity}],
        }
    )


def licensed_order(
    quantity: float = 50, value_usd: float | None = None, day: str = "2025-03-03", **extra: Any
) -> Transaction:
    """H100s (3A090.a) to the UAE, a D:4 destination needing a licence (15 CFR 742.6(a)(6))."""
    item: dict[str, Any] = {"catalog": "nvidia/h100-sxm", "quantity": quantity}
    if value_usd is not None:
        item["value_usd"] = value_usd
    return parse_transaction(
        {
            "date": day,
            "ship_from": "US",
            "destination": "AE",
            "parties": {"consignee": {"name": "Example AI FZ-LLC", "country": "AE"}},
            "items": [item],
            **extra,
        }
    )


def licence(
    number: str = "D1000001",
    quantity: float | None = 1000,
    value_usd: float | None = None,
    valid_from: str = "2025-01-01",
    valid_until: str = "2028-12-31",
    **extra: Any,
) -> Licence:
    data: dict[str, Any] = {
        "jurisdiction": "us",
        "authority": "BIS",
        "number": number,
        "control_codes": ["3A090"],
        "destinations": ["AE"],
        "parties": [{"name": "EXAMPLE AI FZ LLC", "country": "AE"}],
        "quantity": quantity,
        "value_usd": value_usd,
        "valid_from": dt.date.fromisoformat(valid_from),
        "valid_until": dt.date.fromisoformat(valid_until),
        **extra,
    }
    return Licence.model_validate(data)
