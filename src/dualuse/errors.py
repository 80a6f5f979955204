"""Errors a caller can act on.

Every way into dualuse turns bad input into an :class:`InputError` that names the field
and the offending value; the CLI maps it to exit code 2 and the HTTP API to a 422 problem
document. Nothing that raises it has changed stored state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with the input: where, what value, and why."""

    field: str
    value: Any
    message: str
    suggestions: tuple[str, ...] = ()
    missing: bool = False

    def render(self) -> str:
        if self.missing:
            return f"{self.field}: {self.message}"
        text = f"{self.field}: {self.message} (got {self.value!r})"
        if self.suggestions:
            text += "; did you mean " + ", ".join(self.suggestions) + "?"
        return text


@dataclass
class InputError(Exception):
    """Input that dualuse refuses, with every problem found."""

    problems: Sequence[FieldProblem] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    @classmethod
    def single(
        cls, field_name: str, value: Any, message: str, suggestions: Sequence[str] = ()
    ) -> InputError:
        return cls((FieldProblem(field_name, value, message, tuple(suggestions)),))

    def render(self) -> str:
        return "; ".join(p.render() for p in self.problems) or "invalid input"


class UnknownId(InputError):
    """No resource has the id asked for (catalog item, rulebook, country, account, licence,
    key). The CLI refuses it like other input (exit 2); the API answers 404, because the id
    is in the path, not in a body."""


class DataError(Exception):
    """A shipped data file (catalog, rulebook, country groups) failed validation.

    This is a defect in the package, not in the caller's input.
    """


class LedgerUnavailable(Exception):
    """The ledger database cannot be reached or opened (not the caller's input: exit 1)."""
