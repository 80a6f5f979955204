"""Reading the YAML data shipped inside the package, validated once."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from dualuse.errors import DataError

M = TypeVar("M", bound=BaseModel)


def data_dir(*parts: str) -> Traversable:
    """The folder ``dualuse/<parts...>`` inside the installed package."""
    node: Traversable = resources.files("dualuse")
    for part in parts:
        node = node.joinpath(part)
    return node


def yaml_files(folder: Traversable) -> Iterator[Traversable]:
    """Every ``*.yaml`` below ``folder``, in a stable order."""
    found: list[Traversable] = []
    stack = [folder]
    while stack:
        node = stack.pop()
        for child in node.iterdir():
            if child.is_dir():
                stack.append(child)
            elif child.name.endswith(".yaml"):
                found.append(child)
    yield from sorted(found, key=lambda t: str(t))


# libyaml's parser when PyYAML was built with it (the wheels are): the same safe
# constructor, so the same values, read several times faster than the pure-Python scanner.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(node: Traversable) -> Any:
    with node.open("r", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=SAFE_LOADER)  # a safe loader


def load_model(node: Traversable, model: type[M]) -> M:
    """Parse one data file into ``model``; a failure names the file and the field."""
    try:
        return model.model_validate(load_yaml(node))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DataError(
            f"{node.name}: {where}: {first['msg']} ({exc.error_count()} errors)"
        ) from exc
    except yaml.YAMLError as exc:
        raise DataError(f"{node.name}: not valid YAML: {exc}") from exc
