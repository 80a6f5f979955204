"""`dualuse check` over inputs too long to hold: an index pass, then decide and write as it goes.

The first pass reads every document once and validates it, so that a bad line refuses the
whole run before anything is written (as a batch does); of each transaction it keeps only
its date, its file and where it starts — some 20 bytes. The second pass reads them again in
date order (the stable order `determine_many` uses, so the same draws reach the same
orders), decides each against one book of balances, and writes its result at once. Input
already in date order is read straight through. Otherwise each result goes to a temporary
file as it is made and is copied out afterwards in input order, so the output is the same
as the batch's either way; only the index and the book's balances are held.

JSON Lines files are read line by line; a JSON or YAML file is one document (or a list of
them) and is held as it is read.
"""

from __future__ import annotations

import json
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from dualuse.contract import Determination, Transaction
    from dualuse.ledger import InMemoryLedger
    from dualuse.screening.ownership import Ownership

Writer = Callable[["Transaction", "Determination"], str]
"""Renders one result as the text the chosen format prints for it."""


@dataclass
class Source:
    """One input file, and how to read a document of it again."""

    path: Path
    held: list[Any] | None = None  # the documents of a JSON/YAML file; None for JSON Lines
    _handle: IO[bytes] | None = None

    def documents(self) -> Iterator[tuple[int, Any]]:
        """Each document with where it starts (a byte offset, or its place in the file)."""
        from dualuse.errors import InputError

        if self.held is not None:
            yield from enumerate(self.held)
            return
        if not self.path.is_file():
            raise InputError.single("FILE", str(self.path), "no such file")
        start = 0
        with self.path.open("rb") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        document = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise InputError.single(
                            "FILE", f"{self.path}:{number}", f"not JSON: {exc}"
                        ) from None
                    yield start, document
                start += len(line)

    def read(self, start: int) -> Any:
        if self.held is not None:
            return self.held[start]
        if self._handle is None:
            self._handle = self.path.open("rb")
        self._handle.seek(start)
        return json.loads(self._handle.readline())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def open_sources(files: list[Path]) -> list[Source]:
    from dualuse.cli import load_documents

    return [
        Source(path) if path.suffix.lower() == ".jsonl" else Source(path, load_documents(path))
        for path in files
    ]


@dataclass
class Index:
    """Per transaction, in input order: its date (as an ordinal), file and start."""

    ordinals: array[int] = field(default_factory=lambda: array("l"))
    files: array[int] = field(default_factory=lambda: array("H"))
    starts: array[int] = field(default_factory=lambda: array("q"))

    def __len__(self) -> int:
        return len(self.ordinals)

    def in_date_order(self) -> bool:
        o = self.ordinals
        return all(o[i] <= o[i + 1] for i in range(len(o) - 1))

    def date_order(self) -> array[int]:
        """Positions in date order; orders of one day keep their input order (stable, as
        determine_many's sort). A bucket per day, so a million positions take 8 MB, not a
        list of a million Python ints."""
        buckets: dict[int, array[int]] = {}
        for position, ordinal in enumerate(self.ordinals):
            bucket = buckets.get(ordinal)
            if bucket is None:
                bucket = buckets[ordinal] = array("q")
            bucket.append(position)
        order = array("q")
        for ordinal in sorted(buckets):
            order.extend(buckets.pop(ordinal))
        return order


def with_overrides(raw: Any, overrides: dict[str, Any]) -> Any:
    if isinstance(raw, dict):
        return {**raw, **{k: v for k, v in overrides.items() if v is not None}}
    return raw


def index(sources: list[Source], overrides: dict[str, Any]) -> Index:
    """Validate every document; refuse the run naming every problem, or index it."""
    from dualuse.contract import parse_transaction
    from dualuse.errors import FieldProblem, InputError

    found = Index()
    problems: list[FieldProblem] = []
    first: Any = None
    seen = 0
    for number, source in enumerate(sources):
        for i, (start, raw) in enumerate(source.documents()):
            seen += 1
            if seen == 1:
                first = raw
            try:
                tx = parse_transaction(with_overrides(raw, overrides), f"{source.path.name}[{i}]")
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            found.ordinals.append(tx.date.toordinal())
            found.files.append(number)
            found.starts.append(start)
    if problems and seen == 1 and len(sources) == 1:
        # One transaction in one file: name its fields without a place, as a batch does.
        parse_transaction(with_overrides(first, overrides))
    if problems:
        raise InputError(problems)
    return found


class Layout(NamedTuple):
    """How a format prints results: each one, and what goes around and between them."""

    write: Writer
    before: str = ""
    separator: str = ""
    after: str = ""


def stream_check(
    files: list[Path],
    overrides: dict[str, Any],
    layout: Callable[[int], Layout],
    book: InMemoryLedger,
    ownership: Ownership | None = None,
    out: IO[str] | None = None,
) -> int:
    """Decide every transaction of ``files`` and print each result as the format laid out
    for that many results prints it, in input order. Returns how many were decided."""
    from dualuse.contract import parse_transaction
    from dualuse.engine import determine_in_order
    from dualuse.heap import settle

    stream = out if out is not None else sys.stdout
    sources = open_sources(files)
    try:
        found = index(sources, overrides)
        settle()  # the rulebooks and lists are loaded now; what follows is short-lived
        chosen = layout(len(found))

        def transactions(order: Iterator[int]) -> Iterator[Transaction]:
            for position in order:
                raw = sources[found.files[position]].read(found.starts[position])
                tx = parse_transaction(with_overrides(raw, overrides))
                yield ownership.on_transaction(tx) if ownership is not None else tx

        stream.write(chosen.before)
        if found.in_date_order():
            pending = transactions(iter(range(len(found))))
            for n, (tx, det) in enumerate(determine_in_order(pending, book)):
                stream.write((chosen.separator if n else "") + chosen.write(tx, det))
        else:
            _spilled(found, transactions, book, chosen, stream)
        stream.write(chosen.after)
        return len(found)
    finally:
        for source in sources:
            source.close()


def _spilled(
    found: Index,
    transactions: Callable[[Iterator[int]], Iterator[Transaction]],
    book: InMemoryLedger,
    layout: Layout,
    stream: IO[str],
) -> None:
    """Decide in date order into a temporary file, then copy out in input order."""
    from dualuse.engine import determine_in_order

    order = found.date_order()
    starts = array("q", bytes(8 * len(found)))
    lengths = array("q", bytes(8 * len(found)))
    with tempfile.TemporaryFile() as spill:
        decided = determine_in_order(transactions(iter(order)), book)
        for position, (tx, det) in zip(order, decided, strict=True):
            encoded = layout.write(tx, det).encode("utf-8")
            starts[position] = spill.tell()
            lengths[position] = len(encoded)
            spill.write(encoded)
        del order
        for position in range(len(found)):
            spill.seek(starts[position])
            text = spill.read(lengths[position]).decode("utf-8")
            stream.write((layout.separator if position else "") + text)
