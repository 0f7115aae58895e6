#!/usr/bin/env python3
"""Check a built basemap: header, layers, tiles per zoom, sample tiles; draw previews.

Usage: verify.py BASEMAP.pmtiles [PREVIEW_DIR]

Exits non-zero when something the app relies on is missing. Previews (PNG) are drawn from
the decoded tiles with matplotlib, roughly in the colours of walkers' light Protomaps style,
to eyeball that the tiles look like a map; they are not what the app draws.
"""

import gzip
import json
import math
import os
import sys
from collections import Counter, defaultdict

import mapbox_vector_tile
from pmtiles.reader import MmapSource, Reader, all_tiles

EXPECTED_LAYERS = {"earth", "water", "boundaries", "places", "admin1", "coastline"}


def lonlat_to_tile(lon, lat, z):
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def decode(reader, z, x, y):
    data = reader.get(z, x, y)
    if data is None:
        return None
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})


def summarize(tile):
    out = {}
    for name, layer in sorted(tile.items()):
        kinds = Counter()
        props = set()
        for f in layer["features"]:
            kinds[(f["properties"].get("kind"), f["geometry"]["type"])] += 1
            props.update(f["properties"].keys())
        out[name] = {"features": len(layer["features"]), "kinds": dict(kinds), "properties": sorted(props)}
    return out


def check(path):
    problems = []
    with open(path, "rb") as f:
        r = Reader(MmapSource(f))
        h = r.header()
        m = r.metadata()
        size = os.path.getsize(path)
        print(f"file: {path}  {size} bytes ({size / 1e6:.2f} MB)")
        print(f"header: zoom {h['min_zoom']}-{h['max_zoom']}, bounds "
              f"{h['min_lon_e7'] / 1e7},{h['min_lat_e7'] / 1e7},{h['max_lon_e7'] / 1e7},{h['max_lat_e7'] / 1e7}, "
              f"center {h['center_lon_e7'] / 1e7},{h['center_lat_e7'] / 1e7} z{h['center_zoom']}, "
              f"tile_type {h['tile_type']}, compression {h['tile_compression']}")
        print(f"metadata: name={m.get('name')!r} attribution={m.get('attribution')!r}")
        print(f"          region_bounds={m.get('region_bounds')} region_minzoom={m.get('region_minzoom')}")
        layers = {}
        for layer in m.get("vector_layers", []):
            layers[layer["id"]] = layer
            print(f"layer {layer['id']:<11} z{layer['minzoom']}-{layer['maxzoom']} fields: "
                  + ", ".join(f"{k}:{v}" for k, v in sorted(layer["fields"].items())))
        missing = EXPECTED_LAYERS - set(layers)
        if missing:
            problems.append(f"missing layers {sorted(missing)}")

        per_zoom = Counter()
        for (z, x, y), data in all_tiles(r.get_bytes):
            per_zoom[z] += 1
        print("tiles per zoom:", dict(sorted(per_zoom.items())))
        if h["min_zoom"] != 0 or h["max_zoom"] < 11:
            problems.append(f"zoom range {h['min_zoom']}-{h['max_zoom']} is not 0-11+")
        if per_zoom.get(5) != 4**5:
            problems.append(f"zoom 5 has {per_zoom.get(5)} tiles, not the whole world")
        if size > 25_000_000:
            problems.append(f"size {size} over 25 MB")

        # Value sets over the whole archive, for the layers the style filters on.
        values = defaultdict(Counter)
        for (z, x, y), data in all_tiles(r.get_bytes):
            if z not in (5, 8, 11):
                continue
            t = mapbox_vector_tile.decode(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
            for name, layer in t.items():
                for f in layer["features"]:
                    p = f["properties"]
                    for key in ("kind", "kind_detail"):
                        if key in p:
                            values[(name, key)][p[key]] += 1
        print("value sets (zoom 5, 8, 11 tiles):")
        for (name, key), c in sorted(values.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            print(f"  {name}.{key}: " + ", ".join(f"{v!r}x{n}" for v, n in sorted(c.items(), key=str)))

        samples = [
            ("z5 over Iraq (Baghdad)", 5, 44.4, 33.3),
            ("z10 over al-Hasakah", 10, 40.75, 36.5),
            ("z11 over Mosul", 11, 43.13, 36.34),
        ]
        for label, z, lon, lat in samples:
            x, y = lonlat_to_tile(lon, lat, z)
            t = decode(r, z, x, y)
            print(f"sample {label}: tile {z}/{x}/{y}")
            if t is None:
                problems.append(f"tile {z}/{x}/{y} missing")
                continue
            for name, s in summarize(t).items():
                print(f"  {name}: {s['features']} features, kinds {s['kinds']}")
                print(f"  {' ' * len(name)}  properties {s['properties']}")
            for need in ("earth", "places", "admin1"):
                if need not in t:
                    problems.append(f"tile {z}/{x}/{y} has no {need} layer")
            if "places" in t:
                names = [f["properties"].get("name") for f in t["places"]["features"]]
                print(f"  places names: {names[:25]}")
            if "water" in t:
                rivers = sorted({f["properties"].get("name") for f in t["water"]["features"]
                                 if f["properties"].get("kind") == "river" and f["properties"].get("name")})
                print(f"  named rivers: {rivers}")
    return problems


# --------------------------------------------------------------------------- previews

LAND = "#f2f2f0"
WATER = "#88b2e2"


def draw_view(path, out_png, z, lon0, lat0, lon1, lat1, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox, TransformedBbox

    x0, y0 = lonlat_to_tile(lon0, lat1, z)
    x1, y1 = lonlat_to_tile(lon1, lat0, z)
    ext = 4096
    # 256 px a tile at 100 dpi, as the app shows them; text sizes below are in points,
    # about 0.7 of the pixel sizes walkers' style asks for.
    fig_w = (x1 - x0 + 1) * 2.56
    fig_h = (y1 - y0 + 1) * 2.56
    fig, ax = plt.subplots(figsize=(fig_w, fig_h))
    ax.set_facecolor(LAND)
    ax.set_xlim(0, (x1 - x0 + 1) * ext)
    ax.set_ylim((y1 - y0 + 1) * ext, 0)
    ax.set_aspect("equal")
    ax.axis("off")

    def rings_path(rings, ox, oy):
        verts, codes = [], []
        for ring in rings:
            if len(ring) < 3:
                continue
            for i, (px, py) in enumerate(ring):
                verts.append((px + ox, py + oy))
                codes.append(Path.MOVETO if i == 0 else Path.LINETO)
            verts.append((0, 0))
            codes.append(Path.CLOSEPOLY)
        return Path(verts, codes) if verts else None

    def polys(geom):
        if geom["type"] == "Polygon":
            return [geom["coordinates"]]
        if geom["type"] == "MultiPolygon":
            return geom["coordinates"]
        return []

    def lines(geom):
        if geom["type"] == "LineString":
            return [geom["coordinates"]]
        if geom["type"] == "MultiLineString":
            return geom["coordinates"]
        return []

    texts = []
    with open(path, "rb") as f:
        r = Reader(MmapSource(f))
        for tx in range(x0, x1 + 1):
            for ty in range(y0, y1 + 1):
                t = decode(r, z, tx, ty)
                if t is None:
                    continue
                ox, oy = (tx - x0) * ext, (ty - y0) * ext
                clip_box = TransformedBbox(Bbox([[ox, oy], [ox + ext, oy + ext]]), ax.transData)
                for feat in t.get("water", {}).get("features", []):
                    for p in polys(feat["geometry"]):
                        pa = rings_path(p, ox, oy)
                        if pa:
                            ax.add_patch(PathPatch(pa, facecolor=WATER, edgecolor="none", zorder=1))
                for feat in t.get("admin1", {}).get("features", []):
                    if feat["properties"].get("adm0") in ("IQ", "SY"):
                        for p in polys(feat["geometry"]):
                            pa = rings_path(p, ox, oy)
                            if pa:
                                patch = PathPatch(pa, facecolor="#e8d9a8", alpha=0.25,
                                                  edgecolor="none", zorder=0.5)
                                ax.add_patch(patch)
                                patch.set_clip_box(clip_box)
                for feat in t.get("water", {}).get("features", []):
                    props = feat["properties"]
                    for ln in lines(feat["geometry"]):
                        xs = [p[0] + ox for p in ln]
                        ys = [p[1] + oy for p in ln]
                        named = bool(props.get("name"))
                        ax.plot(xs, ys, color="#3a78c8" if named else WATER,
                                lw=1.4 if named else 0.6,
                                ls=":" if props.get("intermittent") else "-", zorder=2)
                    if feat["geometry"]["type"] == "Point" and props.get("name"):
                        px, py = feat["geometry"]["coordinates"]
                        texts.append((px + ox, py + oy, props["name"], 7, "#2f6690", "italic"))
                for feat in t.get("boundaries", {}).get("features", []):
                    props = feat["properties"]
                    country = props.get("kind_detail", 9) <= 2
                    for ln in lines(feat["geometry"]):
                        xs = [p[0] + ox for p in ln]
                        ys = [p[1] + oy for p in ln]
                        ax.plot(xs, ys, color="#1f1f1f" if country else "#9a8a9a",
                                lw=1.3 if country else 0.7, ls="--" if country else "-", zorder=3)
                for feat in t.get("places", {}).get("features", []):
                    props = feat["properties"]
                    if feat["geometry"]["type"] != "Point":
                        continue
                    px, py = feat["geometry"]["coordinates"]
                    kind = props.get("kind")
                    if kind == "country":
                        texts.append((px + ox, py + oy, props.get("name:en", ""), 12, "#1f1f1f", "bold"))
                    elif kind == "region":
                        texts.append((px + ox, py + oy, props.get("name", ""), 8, "#6a4a6a", "normal"))
                    else:
                        big = props.get("population_rank", 0) >= 11
                        ax.plot([px + ox], [py + oy], "o", color="#333333", ms=2.5 if big else 1.5, zorder=4)
                        texts.append((px + ox, py + oy, props.get("name", ""), 8 if big else 6.5,
                                      "#1a1a1a", "normal"))
    for px, py, s, size, color, weight in texts:
        ax.text(px, py, s, fontsize=size, color=color, ha="center", va="bottom",
                fontweight="bold" if weight == "bold" else "normal",
                fontstyle="italic" if weight == "italic" else "normal", zorder=5, clip_on=True)
    ax.set_title(title)
    fig.savefig(out_png, dpi=100, bbox_inches="tight")
    plt.close(fig)
    print(f"preview: {out_png}")


def main():
    path = sys.argv[1]
    problems = check(path)
    if len(sys.argv) > 2:
        d = sys.argv[2]
        os.makedirs(d, exist_ok=True)
        draw_view(path, os.path.join(d, "preview_z2_world.png"), 2, -179, -80, 179, 80, "zoom 2, world")
        draw_view(path, os.path.join(d, "preview_z5_iraq_syria.png"), 5, 34, 28, 50, 40, "zoom 5")
        draw_view(path, os.path.join(d, "preview_z7_north.png"), 7, 38.5, 34.0, 45.5, 37.5, "zoom 7")
        draw_view(path, os.path.join(d, "preview_z9_mosul_erbil.png"), 9, 42.7, 35.8, 44.4, 36.9, "zoom 9")
        draw_view(path, os.path.join(d, "preview_z10_hasakah.png"), 10, 40.45, 36.3, 41.05, 36.7, "zoom 10, al-Hasakah")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("verify: ok")


if __name__ == "__main__":
    main()
