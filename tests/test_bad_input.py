"""Bad input is refused with the field and the value named, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest

from dualuse.contract import parse_transaction
from dualuse.errors import InputError


def order(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "date": "2025-06-01",
        "ship_from": "US",
        "destination": "IN",
        "items": [{"catalog": "nvidia/h100-sxm", "quantity": 8}],
    }
    base.update(changes)
    return base


def refused(data: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_transaction(data)
    return caught.value


def test_valid_order_passes() -> None:
    tx = parse_transaction(order())
    assert tx.items[0].catalog == "nvidia/h100-sxm"


def test_unknown_country_code() -> None:
    error = refused(order(destination="XX"))
    problem = error.problems[0]
    assert problem.field == "destination" and problem.value == "XX"


def test_lowercase_country_code_is_named() -> None:
    error = refused(order(destination="kr"))
    assert error.problems[0].field == "destination"
    assert error.problems[0].value == "kr"


def test_party_country_checked() -> None:
    error = refused(order(parties={"consignee": {"name": "X", "country": "ZZ"}}))
    assert error.problems[0].field == "parties.consignee.country"


@pytest.mark.parametrize("quantity", [0, -5])
def test_non_positive_quantity(quantity: int) -> None:
    error = refused(order(items=[{"catalog": "nvidia/h100-sxm", "quantity": quantity}]))
    assert error.problems[0].field == "items[0].quantity"
    assert error.problems[0].value == quantity


def test_unparseable_date() -> None:
    error = refused(order(date="2025-13-45"))
    assert error.problems[0].field == "date" and error.problems[0].value == "2025-13-45"


def test_unknown_catalog_id_suggests_closest() -> None:
    error = refused(order(items=[{"catalog": "nvidia/h100-sx", "quantity": 1}]))
    problem = error.problems[0]
    assert problem.field == "items[0].catalog" and problem.value == "nvidia/h100-sx"
    assert "nvidia/h100-sxm" in problem.suggestions


def test_alias_is_pointed_at_the_id() -> None:
    error = refused(order(items=[{"catalog": "H100 SXM5 80GB", "quantity": 1}]))
    assert error.problems[0].suggestions == ("nvidia/h100-sxm",)


def test_ic_without_throughput() -> None:
    error = refused(order(items=[{"specs": {"kind": "ic", "tops": {}}, "quantity": 1}]))
    assert error.problems[0].field == "items[0].specs.tops"
    assert "throughput" in error.problems[0].message


def test_ic_with_only_zero_throughput() -> None:
    error = refused(order(items=[{"specs": {"tops": {"8": 0}}, "quantity": 1}]))
    assert error.problems[0].field == "items[0].specs.tops"


def test_item_needs_catalog_or_specs() -> None:
    error = refused(order(items=[{"quantity": 1}]))
    assert error.problems[0].field == "items[0]"


def test_empty_items() -> None:
    assert refused(order(items=[])).problems[0].field == "items"


def test_unknown_mode_and_scenario() -> None:
    assert refused(order(mode="strict")).problems[0].field == "mode"
    problem = refused(order(scenario="us-lpp-50")).problems[0]
    assert problem.field == "scenario" and "us-lpp-500" in problem.suggestions


def test_every_problem_is_reported_at_once() -> None:
    error = refused(order(destination="XX", ship_from="YY"))
    assert {p.field for p in error.problems} == {"destination", "ship_from"}


def test_not_an_object() -> None:
    assert refused(["not", "a", "transaction"]).problems[0].field == "transaction"


@pytest.mark.parametrize(
    ("item", "field", "value"),
    [
        (
            {"specs": {"kind": "material", "name": "x"}, "quantity": 1},
            "items[0].specs.substance",
            None,
        ),
        (
            {"specs": {"kind": "equipment", "process": "polishing"}, "quantity": 1},
            "items[0].specs.process",
            "polishing",
        ),
        (
            {"specs": {"kind": "model_weights", "training_operations": -1}, "quantity": 1},
            "items[0].specs.training_operations",
            -1,
        ),
        (
            {"catalog": "nvidia/h100-sxm", "quantity": 1, "fab_use": "expand"},
            "items[0].fab_use",
            "expand",
        ),
        (
            {"specs": {"kind": "memory", "name": "DDR5"}, "quantity": 1},
            "items[0].specs.vendor",
            None,
        ),
        (
            {"catalog": "nvidia/h100-sxm", "quantity": 1, "us_content_percent": 140},
            "items[0].us_content_percent",
            140,
        ),
        (
            {"catalog": "nvidia/h100-sxm", "quantity": 1, "us_tools": "maybe"},
            "items[0].us_tools",
            "maybe",
        ),
    ],
)
def test_new_item_kinds_name_field_and_value(item: dict[str, Any], field: str, value: Any) -> None:
    error = refused(order(items=[item]))
    assert error.problems[0].field == field
    assert error.problems[0].value == value


def test_guardrails_question_names_field(tmp_path: Any) -> None:
    from dualuse.guardrails import parse_question

    with pytest.raises(InputError) as caught:
        parse_question(
            {
                "date": "2026-01-01",
                "company": "X",
                "award_date": "2025-01-01",
                "country": "QQ",
                "facility": "legacy",
                "existing_capacity": 10,
                "added_capacity": 1,
            }
        )
    assert caught.value.problems[0].field == "country"
    assert caught.value.problems[0].value == "QQ"


def test_every_problem_at_once_with_suggestions() -> None:
    # A malformed quantity used to hide the unknown catalog id and scenario behind it.
    bad = {
        "date": "2025-01-01",
        "ship_from": "US",
        "destination": "XX",
        "scenario": "us-lpp-50",
        "items": [{"catalog": "nvidia/h100-sx", "quantity": -1}],
    }
    try:
        parse_transaction(bad, "orders.json[1]")
    except InputError as exc:
        found = {p.field: p for p in exc.problems}
    else:
        raise AssertionError("refused input was accepted")
    assert set(found) == {
        "orders.json[1].items[0].quantity",
        "orders.json[1].destination",
        "orders.json[1].items[0].catalog",
        "orders.json[1].scenario",
    }
    assert found["orders.json[1].items[0].catalog"].suggestions[0] == "nvidia/h100-sxm"
    assert found["orders.json[1].scenario"].suggestions == ("us-lpp-500",)


def test_unknown_destination_region_is_named() -> None:
    error = refused(order(destination="UA", destination_region="odesa"))
    assert (error.problems[0].field, error.problems[0].value) == ("destination_region", "odesa")


def test_region_outside_ukraine_is_refused() -> None:
    error = refused(order(destination="RU", destination_region="crimea"))
    assert "destination_region 'crimea'" in error.problems[0].message
    assert "'RU'" in error.problems[0].message
