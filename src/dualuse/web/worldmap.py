"""Country outlines for the verdict map, from Natural Earth via the world-atlas package.

The TopoJSON is decoded once (quantised, delta-encoded arcs) and projected
equirectangularly onto a 1000 x 460 canvas cropped to 58°S-84°N; each country becomes one
SVG path keyed by its ISO 3166-1 alpha-2 code. Colouring is left to the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from dualuse.datafiles import data_dir

WIDTH, HEIGHT = 1000.0, 460.0
NORTH, SOUTH = 84.0, -58.0
MIN_STEP = 1.2
"""Smallest step between kept points, in canvas pixels (Manhattan distance)."""


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    path: str


def _project(lon: float, lat: float) -> tuple[float, float]:
    x = (lon + 180.0) / 360.0 * WIDTH
    y = (NORTH - max(SOUTH, min(NORTH, lat))) / (NORTH - SOUTH) * HEIGHT
    return round(x, 1), round(y, 1)


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(_project(x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> str:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    # A ring crossing the antimeridian jumps across the canvas; keep it continuous (the part
    # beyond the edge is clipped by the view box) instead of drawing a band across the map.
    unwrapped: list[tuple[float, float]] = []
    shift = 0.0
    for n, (x, y) in enumerate(points):
        if n and abs(x + shift - unwrapped[-1][0]) > WIDTH / 2:
            shift += WIDTH if x + shift < unwrapped[-1][0] else -WIDTH
        unwrapped.append((round(x + shift, 1), y))
    points = unwrapped
    # Drop points closer than MIN_STEP to the last one kept: at this scale they add bytes,
    # not shape. Small countries keep at least their first points.
    kept = [points[0]] if points else []
    for x, y in points[1:]:
        lx, ly = kept[-1]
        if abs(x - lx) + abs(y - ly) >= MIN_STEP:
            kept.append((x, y))
    if len(kept) < 3:
        kept = list(dict.fromkeys(points))[:4]
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z"


def _alpha2(numeric: str | None) -> str | None:
    if not numeric or not numeric.isdigit():
        return None
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_2 if country is not None else None


@cache
def outlines() -> tuple[Outline, ...]:
    node = data_dir("web", "static", "world-atlas", "countries-50m.json")
    topology = json.loads(node.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    found = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _alpha2(geometry.get("id"))
        if code is None:
            continue  # areas without an ISO code (e.g. disputed zones) are drawn as background
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        path = "".join(_ring(ring, arcs) for polygon in polygons for ring in polygon)
        if path:
            found.append(Outline(code, geometry["properties"].get("name", code), path))
    return tuple(found)
