"""The pydantic models and the shared JSON Schemas must not drift apart.

Field names, enums and required fields of every object in the contract schemas are
compared with the JSON Schema the models emit. The models may add fields; they may not
drop or rename one, change an enum, or make a required field optional.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dualuse.contract import Determination, Transaction


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].split("/")[-1]
        node = schema["$defs"][name]
    return node


def _object_branch(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    node = _resolve(schema, node)
    if "properties" in node:
        return node
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            found = _object_branch(schema, option)
            if found is not None:
                return found
    if node.get("type") == "array" and "items" in node:
        return _object_branch(schema, node["items"])
    return None


def _enum(schema: dict[str, Any], node: dict[str, Any]) -> set[Any] | None:
    node = _resolve(schema, node)
    if "enum" in node:
        return set(node["enum"])
    values: set[Any] = set()
    found = False
    for key in ("anyOf", "oneOf"):
        for option in node.get(key, []):
            sub = _enum(schema, option)
            if sub is not None:
                values |= sub
                found = True
            elif _resolve(schema, option).get("type") == "null":
                values.add(None)
    if "const" in node:
        return {node["const"]}
    return values if found else None


def _compare(
    contract: dict[str, Any],
    c_node: dict[str, Any],
    model: dict[str, Any],
    m_node: dict[str, Any],
    where: str,
) -> list[str]:
    problems: list[str] = []
    c_obj = _object_branch(contract, c_node)
    if c_obj is None:
        c_enum = _enum(contract, c_node)
        m_enum = _enum(model, m_node)
        if c_enum is not None:
            c_enum.discard(None)
            if m_enum is None or not c_enum <= m_enum or (m_enum - {None}) != c_enum:
                problems.append(f"{where}: enum {sorted(map(str, c_enum))} vs {m_enum}")
        return problems
    m_obj = _object_branch(model, m_node)
    if m_obj is None:
        return [f"{where}: the contract has an object, the model does not"]
    for name, c_prop in c_obj["properties"].items():
        if name not in m_obj["properties"]:
            problems.append(f"{where}.{name}: missing from the model")
            continue
        problems += _compare(contract, c_prop, model, m_obj["properties"][name], f"{where}.{name}")
    missing_required = set(c_obj.get("required", [])) - set(m_obj.get("required", []))
    if missing_required:
        problems.append(f"{where}: not required in the model: {sorted(missing_required)}")
    return problems


@pytest.mark.parametrize(
    ("filename", "model", "mode"),
    [
        # A transaction is input (validated); a determination is output (serialized).
        ("transaction.schema.json", Transaction, "validation"),
        ("determination.schema.json", Determination, "serialization"),
    ],
)
def test_models_match_contract(contract_path: Path, filename: str, model: Any, mode: str) -> None:
    contract = json.loads((contract_path / filename).read_text())
    emitted = model.model_json_schema(mode=mode)
    emitted.setdefault("$defs", {})
    problems = _compare(contract, contract, emitted, emitted, model.__name__)
    assert not problems, "\n".join(problems)


def test_item_defaults_match_contract(contract_path: Path) -> None:
    contract = json.loads((contract_path / "transaction.schema.json").read_text())
    assert contract["properties"]["mode"]["default"] == Transaction.model_fields["mode"].default
    assert (
        contract["properties"]["activity"]["default"]
        == Transaction.model_fields["activity"].default
    )
    assert (
        contract["properties"]["language"]["default"]
        == Transaction.model_fields["language"].default
    )


def test_contract_example_transaction_validates(contract_path: Path) -> None:
    """The README example in the contract is a valid transaction for the models."""
    import jsonschema

    example = {
        "date": "2025-06-01",
        "mode": "codified",
        "ship_from": "US",
        "destination": "IN",
        "parties": {"consignee": {"name": "Example Cloud Pvt Ltd", "country": "IN"}},
        "items": [{"catalog": "nvidia/h100-sxm", "quantity": 1000}],
    }
    schema = json.loads((contract_path / "transaction.schema.json").read_text())
    jsonschema.validate(example, schema)
    Transaction.model_validate(example)


def test_vendored_contract_matches_shared() -> None:
    """The repository's copy of the contract is the shared one, byte for byte."""
    from .conftest import SHARED_CONTRACT, VENDORED_CONTRACT

    if not SHARED_CONTRACT.is_dir():
        pytest.skip("no shared/contract beside this checkout to compare with")
    for name in ("transaction.schema.json", "determination.schema.json", "README.md"):
        assert (VENDORED_CONTRACT / name).read_bytes() == (SHARED_CONTRACT / name).read_bytes(), (
            name
        )
