"""The map of France's regions, drawn on the server as SVG paths from the IGN outlines.

Outlines: programmes/data/*.geojson (IGN GEOFLA and Admin Express COG, via
france-geojson, Licence Ouverte). Projected once per process and simplified for a
1000-unit-wide drawing; no JavaScript needed to show or use the map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FILES = {"pre2016": "regions-pre2016.geojson", "current": "regions-2016.geojson"}
CREDITS = {
    "pre2016": "IGN GEOFLA, via france-geojson",
    "current": "IGN Admin Express COG, via france-geojson",
}

WIDTH = 1000
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -5.3, 9.7, 41.2, 51.2
COS_LAT = math.cos(math.radians(46.5))
SCALE = WIDTH / ((LON_MAX - LON_MIN) * COS_LAT)
HEIGHT = round((LAT_MAX - LAT_MIN) * SCALE)
MIN_STEP = 2.5  # drawing units: points closer than this to the last kept one are dropped


@dataclass(frozen=True)
class Outline:
    code: str
    path: str  # SVG path data
    label_x: float
    label_y: float


def _project(lon: float, lat: float) -> tuple[float, float]:
    return ((lon - LON_MIN) * COS_LAT * SCALE, (LAT_MAX - lat) * SCALE)


def _ring_path(ring: list[list[float]]) -> tuple[str, list[tuple[float, float]]]:
    points: list[tuple[float, float]] = []
    for lon, lat in ring:
        x, y = _project(lon, lat)
        if not points or math.dist(points[-1], (x, y)) >= MIN_STEP:
            points.append((x, y))
    if len(points) < 3:
        return "", points
    head = f"M{points[0][0]:.1f} {points[0][1]:.1f}"
    body = "".join(f"L{x:.1f} {y:.1f}" for x, y in points[1:])
    return head + body + "Z", points


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        xs, ys = zip(*points, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


@cache
def outlines(generation: str) -> dict[str, Outline]:
    """Region outlines of one generation ("pre2016" or "current"), by INSEE code."""
    collection = json.loads((DATA / FILES[generation]).read_text(encoding="utf-8"))
    result = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        parts, best = [], (0.0, 0.0, 0.0)
        for polygon in polygons:
            for index, ring in enumerate(polygon):
                path, points = _ring_path(ring)
                if not path:
                    continue
                parts.append(path)
                if index == 0:
                    candidate = _centroid(points)
                    best = max(best, candidate)
        code = str(feature["properties"]["code"])
        result[code] = Outline(
            code=code, path="".join(parts), label_x=round(best[1], 1), label_y=round(best[2], 1)
        )
    return result


def view_box() -> str:
    return f"0 0 {WIDTH} {HEIGHT}"
