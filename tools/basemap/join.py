#!/usr/bin/env python3
"""Join the world (low zoom) and region (high zoom) PMTiles archives into one.

Region tiles outside the region's own tile range are dropped: tippecanoe writes a ring of
near-empty tiles around a clipped area (its tile buffer reaches into them), and such a tile
would hide the world tile a viewer could otherwise fall back to there.

Usage: join.py WORLD.pmtiles REGION.pmtiles W,S,E,N OUT.pmtiles
       (W,S,E,N: the region, already aligned to tiles at the region's lowest zoom)
"""

import json
import math
import sys

from pmtiles.reader import MmapSource, Reader, all_tiles
from pmtiles.tile import Compression, TileType, tileid_to_zxy, zxy_to_tileid
from pmtiles.writer import Writer

NAME = "incident-map basemap"
ATTRIBUTION = (
    "Natural Earth (public domain); GeoNames (CC BY 4.0); "
    "GSHHG/WDBII rivers (LGPL-3.0-or-later)"
)


def tile_range(bounds, z):
    """Tiles at zoom z covering the box; the box's edges are expected on tile edges, and
    rounding of its coordinates (to 1e-6 degrees) is absorbed."""
    w, s, e, n = bounds
    scale = 2**z

    def tx(lon):
        return (lon + 180.0) / 360.0 * scale

    def ty(lat):
        return (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * scale

    return (
        round(tx(w)),
        round(ty(n)),
        round(tx(e)) - 1,
        round(ty(s)) - 1,
    )


def merge_layers(a, b):
    by_id = {}
    for layer in a + b:
        cur = by_id.get(layer["id"])
        if cur is None:
            by_id[layer["id"]] = {
                "id": layer["id"],
                "description": layer.get("description", ""),
                "minzoom": layer["minzoom"],
                "maxzoom": layer["maxzoom"],
                "fields": dict(layer.get("fields", {})),
            }
        else:
            cur["minzoom"] = min(cur["minzoom"], layer["minzoom"])
            cur["maxzoom"] = max(cur["maxzoom"], layer["maxzoom"])
            for k, v in layer.get("fields", {}).items():
                if k in cur["fields"] and cur["fields"][k] != v:
                    cur["fields"][k] = "Mixed"
                else:
                    cur["fields"].setdefault(k, v)
    return [by_id[k] for k in sorted(by_id)]


def main():
    world_path, region_path, bbox, out_path = sys.argv[1:5]
    bounds = tuple(float(v) for v in bbox.split(","))

    tiles = {}
    with open(world_path, "rb") as f:
        world = Reader(MmapSource(f))
        wh, wm = world.header(), world.metadata()
        for (z, x, y), data in all_tiles(world.get_bytes):
            tiles[zxy_to_tileid(z, x, y)] = data
    world_max = wh["max_zoom"]

    dropped = 0
    with open(region_path, "rb") as f:
        region = Reader(MmapSource(f))
        rh, rm = region.header(), region.metadata()
        base = rh["min_zoom"]
        x0b, y0b, x1b, y1b = tile_range(bounds, base)
        ranges = {}
        for (z, x, y), data in all_tiles(region.get_bytes):
            if z <= world_max:
                raise SystemExit(f"region archive overlaps the world archive at zoom {z}")
            if z not in ranges:
                k = 2 ** (z - base)
                ranges[z] = (x0b * k, y0b * k, (x1b + 1) * k - 1, (y1b + 1) * k - 1)
            x0, y0, x1, y1 = ranges[z]
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                dropped += 1
                continue
            tiles[zxy_to_tileid(z, x, y)] = data

    for h in (wh, rh):
        if h["tile_compression"] != Compression.GZIP or h["tile_type"] != TileType.MVT:
            raise SystemExit("both archives must hold gzip-compressed MVT")

    metadata = {
        "name": NAME,
        "description": (
            f"World at zoom {wh['min_zoom']}-{wh['max_zoom']}; "
            f"{bounds[0]:.3f},{bounds[1]:.3f},{bounds[2]:.3f},{bounds[3]:.3f} "
            f"at zoom {rh['min_zoom']}-{rh['max_zoom']}. Protomaps-style layers "
            "(earth, water, boundaries, places) plus admin1 and coastline."
        ),
        "attribution": ATTRIBUTION,
        "format": "pbf",
        "type": "baselayer",
        "version": "1",
        "region_bounds": ",".join(f"{v:.6f}" for v in bounds),
        "region_minzoom": rh["min_zoom"],
        "vector_layers": merge_layers(wm.get("vector_layers", []), rm.get("vector_layers", [])),
    }

    header = {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_lon_e7": -1800000000,
        "min_lat_e7": -850511000,
        "max_lon_e7": 1800000000,
        "max_lat_e7": 850511000,
        # Between Iraq and Syria.
        "center_zoom": 6,
        "center_lon_e7": 420000000,
        "center_lat_e7": 350000000,
    }

    with open(out_path, "wb") as f:
        writer = Writer(f)
        for tid in sorted(tiles):
            writer.write_tile(tid, tiles[tid])
        writer.finalize(header, metadata)

    zs = tileid_to_zxy(min(tiles))[0], tileid_to_zxy(max(tiles))[0]
    print(f"[join] {len(tiles)} tiles, zoom {zs[0]}-{zs[1]}, "
          f"dropped {dropped} region tiles outside the region", file=sys.stderr)


if __name__ == "__main__":
    main()
