"""What every ``dualuse`` command shares: the app, option types, input parsing, output.

The command modules (``cli``, ``cli_ledger``, ``cli_serve``) register on :data:`app`
here, so none of them imports another, and ``python -m dualuse.cli`` works.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from pydantic import BaseModel

    from dualuse.contract import Mode

app = typer.Typer(
    name="dualuse",
    help="Export-control determinations for AI chips, AI compute and the materials behind them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
F = TypeVar("F", bound=Callable[..., Any])

DateOpt = Annotated[
    str | None, typer.Option("--date", "-d", help="As-of date, YYYY-MM-DD (default: today).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
LangOpt = Annotated[str, typer.Option("--language", "-l", help="en or ko.")]
ModeOpt = Annotated[str, typer.Option("--mode", help="enforced or codified.")]


def handles_input_errors(fn: F) -> F:
    """Turn refused input into a message on stderr and exit code 2, and a ledger that
    cannot be opened into one line and exit code 1; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from dualuse.errors import InputError, LedgerUnavailable

        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"error: {problem.render()}", err=True)
            raise typer.Exit(2) from None
        except LedgerUnavailable as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


# ------------------------------------------------------------------------------ parsing


def parse_date(value: str | None, field: str = "--date") -> dt.date:
    from dualuse.errors import InputError

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError.single(field, value, "not a date; use YYYY-MM-DD") from None


def parse_choice(value: str, choices: tuple[str, ...], field: str) -> str:
    from dualuse.errors import InputError

    if value not in choices:
        raise InputError.single(field, value, "must be one of " + ", ".join(choices))
    return value


def parse_mode(value: str) -> Mode:
    from dualuse.contract import Mode

    return Mode(parse_choice(value, tuple(m.value for m in Mode), "--mode"))


def load_document(path: Path) -> Any:
    """A JSON or YAML file's content, or an InputError naming the file."""
    import yaml

    from dualuse.errors import InputError

    if not path.is_file():
        raise InputError.single("FILE", str(path), "no such file")
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError.single("FILE", str(path), f"not valid JSON/YAML: {exc}") from None


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True)


def console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)
