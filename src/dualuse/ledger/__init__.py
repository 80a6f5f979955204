"""Quota and licence accounts. Balances are derived from an append-only list of draws."""

from dualuse.ledger.base import Draw, InMemoryLedger, Ledger, QuotaExceeded, account_key

__all__ = ["Draw", "InMemoryLedger", "Ledger", "QuotaExceeded", "account_key"]
