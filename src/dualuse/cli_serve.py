"""``dualuse serve`` and ``dualuse keys``: the REST service and its API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from dualuse.cli_common import JsonOpt, app, console, emit_json, handles_input_errors
from dualuse.cli_ledger import required_store

keys_app = typer.Typer(help="API keys for the service (stored hashed) and their roles.")
keys_app.info.no_args_is_help = True
app.add_typer(keys_app, name="keys")


@app.command()
@handles_input_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    require_keys: Annotated[
        bool, typer.Option("--require-keys", help="Ask for API keys even on 127.0.0.1.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Worker processes sharing the port (default: the machine's cores).", min=1, max=64
        ),
    ] = None,
) -> None:
    """Serve the REST API (and web page) on the configured ledger; print the address."""
    import os

    import uvicorn

    from dualuse import settings
    from dualuse.api.app import is_loopback
    from dualuse.api.keys import any_keys
    from dualuse.errors import InputError

    store = required_store()
    open_mode = is_loopback(host) and not require_keys
    if not open_mode and not any_keys(store):
        raise InputError.single(
            "--host",
            host,
            "serving beyond this machine needs API keys; create one first with "
            "`dualuse keys create NAME --role admin`",
        )
    shown = f"[{host}]" if ":" in host else host
    count = workers or settings.cores()
    typer.echo(f"ledger: {store.engine.url.render_as_string(hide_password=True)}")
    typer.echo(f"serving on http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)")
    typer.echo(f"workers: {count}")
    if open_mode:
        typer.echo(
            "open mode: no API key is asked for, and every caller may commit as an officer; "
            "this is allowed only on a loopback address. Use --require-keys to turn it off."
        )
    # The ledger is created and migrated here, once, before any worker opens it.
    store.close()
    # Worker processes build the app from settings: hand them the mode and the address.
    os.environ[settings.SERVE_OPEN] = "1" if open_mode else "0"
    os.environ[settings.SERVE_HOST] = host
    uvicorn.run(
        "dualuse.api.app:app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="warning",
    )


@keys_app.command("create")
@handles_input_errors
def keys_create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for.")],
    role: Annotated[str, typer.Option(help="viewer, officer or admin.")] = "viewer",
    as_json: JsonOpt = False,
) -> None:
    """Create a key; it is printed once and only its hash is kept."""
    from dualuse.api.keys import create_key, parse_role

    key, text = create_key(required_store(), name, parse_role(role, "--role"))
    if as_json:
        emit_json({**key.as_dict(), "key": text})
    else:
        typer.echo(
            f"{key.id} ({key.role}) for {key.name}:\n{text}\nKeep it now; it is not shown again."
        )


@keys_app.command("list")
@handles_input_errors
def keys_list(as_json: JsonOpt = False) -> None:
    """Every key: id, holder, role, when created and revoked (never the secret)."""
    from dualuse.api.keys import list_keys

    rows = [k.as_dict() for k in list_keys(required_store())]
    if as_json:
        emit_json(rows)
        return
    from dualuse.render import print_rows

    print_rows(
        console(),
        f"API keys ({len(rows)})",
        ("id", "name", "role", "created_at", "revoked_at"),
        rows,
    )


@keys_app.command("revoke")
@handles_input_errors
def keys_revoke(key_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Revoke a key: it stops working at once; the record stays."""
    from dualuse.api.keys import revoke_key

    key = revoke_key(required_store(), key_id)
    typer.echo(f"{key.id} revoked at {key.revoked_at}")
