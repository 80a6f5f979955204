"""A process that commits orders to a ledger until it is killed (for the crash test).

Prints ``ack <seq>`` after each commit returns, so the parent knows which commits were
acknowledged when it sends SIGKILL.
"""

from __future__ import annotations

import sys

from dualuse.ledger.store import LedgerStore

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from orders import licensed_order, lpp_order


def main(url: str) -> None:
    store = LedgerStore.open(url)
    n = 0
    while True:
        n += 1
        # Alternate an LPP draw (India) and a licence draw (UAE), each writing a journal
        # entry with postings, so a kill can land inside either kind of write.
        tx = lpp_order(quantity=1) if n % 2 else licensed_order(quantity=1)
        (done,) = store.commit([tx], "writer", f"crash-{n}-{id(store)}")
        sys.stdout.write(f"ack {done.seq}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
