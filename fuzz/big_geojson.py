# Writes a GeoJSON incident file of about N MB in incident-map's own layout, for measuring
# the import's peak memory (FUZZING.md): python3 fuzz/big_geojson.py OUT.geojson 382
import json, sys, random
target = int(sys.argv[2]) * 1024 * 1024
out = open(sys.argv[1], 'w')
random.seed(7)
words = "convoy checkpoint shelling market district police patrol village road bridge clinic school".split()
out.write('{"type":"FeatureCollection","incident_map":{"schema":"incident-map/1","articles":[')
articles = 2000
for a in range(articles):
    text = " ".join(random.choice(words) for _ in range(150))
    art = {"id": f"art-{a}", "title": f"Report {a}", "publisher": "Generated", "published": "2023-05-01", "url": f"https://example.org/{a}", "text": text}
    out.write(("," if a else "") + json.dumps(art))
out.write(']},"features":[')
n = 0
size = out.tell()
while size < target:
    a = random.randrange(articles)
    f = {"type": "Feature", "id": f"inc-{n}", "geometry": {"type": "Point", "coordinates": [round(random.uniform(35, 48), 5), round(random.uniform(29, 37), 5)]},
         "properties": {"id": f"inc-{n}", "date": f"2023-{random.randint(1,12):02d}-{random.randint(1,28):02d}", "date_precision": "day",
                        "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
                        "actors": [f"Group {random.randint(1,50)}", f"Unit {random.randint(1,50)}"], "fatalities": random.randint(0, 9), "counts": {"injured": random.randint(0, 5)},
                        "location": f"Place {random.randint(1,5000)}", "country": "Iraq", "admin1": "Nineveh", "location_precision": "point", "gazetteer_id": None,
                        "summary": " ".join(random.choice(words) for _ in range(25)),
                        "sources": [{"article": f"art-{a}", "start": 0, "end": 40, "title": f"Report {a}", "publisher": "Generated", "published": "2023-05-01", "url": f"https://example.org/{a}"}]}}
    s = ("," if n else "") + json.dumps(f)
    out.write(s)
    size += len(s)
    n += 1
out.write(']}\n')
print(n, "features")
