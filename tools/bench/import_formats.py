#!/usr/bin/env python3
"""Writes N invented rows in each import layout (for BENCHMARKS.md, "Import of every format"):
ACLED today and before 2019, ACLED converted to GeoJSON, UCDP GED, GDELT 2.0 (no header), a
conflict tracker's point GeoJSON and a table needing --map. Deterministic for the same N.

    python3 tools/bench/import_formats.py 100000 /tmp/formats
"""
import csv, json, os, random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/formats"
os.makedirs(out, exist_ok=True)
rnd = random.Random(7)
PLACES = [("Iraq", "Diyala", "Baqubah", 33.75, 44.64), ("Iraq", "Ninewa", "Mosul", 36.34, 43.13),
          ("Syria", "Al-Hasakeh", "Hasakah", 36.5, 40.75), ("Syria", "Deir ez Zor", "Al Mayadin", 35.02, 40.45)]
NEW = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
       ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"),
       ("Riots", "Mob violence"), ("Strategic developments", "Arrests")]
OLD = ["Battle-No change of territory", "Remote violence", "Violence against civilians",
       "Riots/Protests", "Strategic development", "Battle-Government regains territory"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

def place():
    c, a1, town, lat, lon = rnd.choice(PLACES)
    return c, a1, town, round(lat + rnd.uniform(-0.1, 0.1), 4), round(lon + rnd.uniform(-0.1, 0.1), 4)

def day():
    return 2015 + rnd.randrange(9), 1 + rnd.randrange(12), 1 + rnd.randrange(28)

new_cols = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
            "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
            "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
            "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
            "source_scale", "notes", "fatalities", "tags", "timestamp"]
with open(f"{out}/acled.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(new_cols)
    for i in range(n):
        c, a1, town, lat, lon = place(); y, m, d = day(); t, s = rnd.choice(NEW)
        w.writerow([f"X{i}", f"{y}-{m:02}-{d:02}", y, 1, "Political violence", t, s, "Group A",
                    "Group C; Group D", 2, "Group B", "", 3, 23, "", 368, "Middle East", c, a1,
                    town, "", town, lat, lon, 1, "Wire One; Wire Two", "National",
                    f"Invented event {i} near {town}, with a comma.", rnd.randrange(5), "", 1600000000 + i])
old_cols = ["GWNO", "EVENT_ID_CNTY", "EVENT_ID_NO_CNTY", "EVENT_DATE", "YEAR", "TIME_PRECISION",
            "EVENT_TYPE", "ACTOR1", "ALLY_ACTOR_1", "INTER1", "ACTOR2", "ALLY_ACTOR_2", "INTER2",
            "INTERACTION", "COUNTRY", "ADMIN1", "ADMIN2", "ADMIN3", "LOCATION", "LATITUDE",
            "LONGITUDE", "GEO_PRECISION", "SOURCE", "NOTES", "FATALITIES"]
with open(f"{out}/acled-old.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(old_cols)
    for i in range(n):
        c, a1, town, lat, lon = place(); y, m, d = day()
        w.writerow([645, f"X{i}", i, f"{d:02}-{MONTHS[m-1]}-{y}", y, 1, rnd.choice(OLD), "Group A",
                    "", 2, "Group B", "", 3, 23, c, a1, town, "", town, lat, lon, 1, "Wire One",
                    f"Invented event {i}: shelling near {town}.", rnd.randrange(5)])
ucdp_cols = ["id", "relid", "year", "active_year", "code_status", "type_of_violence",
             "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
             "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
             "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
             "source_date", "source_headline", "source_original", "where_prec",
             "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude",
             "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity",
             "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
             "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob"]
with open(f"{out}/ucdp.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(ucdp_cols)
    for i in range(n):
        c, a1, town, lat, lon = place(); y, m, d = day(); b = rnd.randrange(20)
        row = dict.fromkeys(ucdp_cols, "")
        row.update(id=i, relid=f"R-{i}", year=y, active_year=1, code_status="Clear",
                   type_of_violence=1 + rnd.randrange(3), dyad_name="Side A - Side B",
                   side_a="Side A", side_b="Side B", source_office="Wire One",
                   source_date=f"{y}-{m:02}-{d:02}", source_headline=f"Invented headline {i}",
                   where_prec=1, where_coordinates=f"{town} town", adm_1=f"{a1} governorate",
                   latitude=lat, longitude=lon, geom_wkt=f"POINT ({lon} {lat})", country=c,
                   date_prec=1, date_start=f"{y}-{m:02}-{d:02} 00:00:00.000",
                   date_end=f"{y}-{m:02}-{d:02} 00:00:00.000", deaths_a=b, best=b, high=b, low=b)
        w.writerow([row[k] for k in ucdp_cols])
gdelt = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"] + [""] * 21 + \
        ["EventCode", "EventBaseCode", "EventRootCode"] + [""] * 22 + \
        ["ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
         "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
         "DATEADDED", "SOURCEURL"]
assert len(gdelt) == 61
with open(f"{out}/gdelt.export.CSV", "w") as f:
    for i in range(n):
        c, a1, town, lat, lon = place(); y, m, d = day(); code = rnd.choice(["190", "195", "141", "1831", "042"])
        cells = [str(1000000 + i), f"{y}{m:02}{d:02}", f"{y}{m:02}", str(y), f"{y}.5"] + [""] * 21 + \
                [code, code[:3], code[:2]] + [""] * 22 + \
                ["4", f"{town}, {a1}, {c}", "IZ", "IZ01", "", str(lat), str(lon), "-1", f"{y}{m:02}{d:02}000000",
                 f"https://example.org/{i}"]
        cells[6] = "ARMED GROUP"; cells[16] = "CIVILIAN"
        f.write("\t".join(cells) + "\n")
cats = ["Airstrike", "Clashes", "Kidnapping", "Protest", "Shelling"]
with open(f"{out}/tracker.geojson", "w") as f:
    f.write('{"type": "FeatureCollection", "features": [\n')
    for i in range(n):
        c, a1, town, lat, lon = place(); y, m, d = day()
        feat = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"id": i, "datetime": f"{y}-{m:02}-{d:02}T10:00:00Z",
                               "category": rnd.choice(cats), "title": f"Invented report {i}",
                               "deaths": rnd.randrange(5), "place": town}}
        f.write(json.dumps(feat) + (",\n" if i + 1 < n else "\n"))
    f.write("]}\n")
with open(f"{out}/sheet.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["when", "what", "where_lat", "where_lon", "story"])
    for i in range(n):
        c, a1, town, lat, lon = place(); y, m, d = day()
        w.writerow([f"{d:02}/{m:02}/{y % 100:02}", rnd.choice(cats), lat, lon, f"Invented story {i}"])
