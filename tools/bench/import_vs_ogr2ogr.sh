#!/usr/bin/env bash
# Imports each file written by import_formats.py (and the GeoPackage, workbook and GeoJSON that
# ogr2ogr makes of its ACLED table) with incident-map and with ogr2ogr, both writing GeoJSON, and
# prints the wall time and peak memory of each (for BENCHMARKS.md, "Import of every format").
#
#   python3 tools/bench/import_formats.py 100000 /tmp/formats
#   tools/bench/import_vs_ogr2ogr.sh target/release/incident-map /tmp/formats
set -euo pipefail
bin="$1"
dir="$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
xy=(-oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326)
# ogr2ogr's companion files for the ACLED table, made once and timed as inputs themselves.
[ -f "$dir/acled-ogr.geojson" ] || ogr2ogr -f GeoJSON "$dir/acled-ogr.geojson" "$dir/acled.csv" "${xy[@]}" -lco RFC7946=YES
[ -f "$dir/acled.gpkg" ] || ogr2ogr -f GPKG "$dir/acled.gpkg" "$dir/acled.csv" "${xy[@]}" -nln acled_events
[ -f "$dir/acled.xlsx" ] || ogr2ogr -f XLSX "$dir/acled.xlsx" "$dir/acled.csv" -oo AUTODETECT_TYPE=YES

measure() { # label, the GeoJSON it writes, command...
    local label="$1" written="$2"; shift 2
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >"$out/log" 2>&1 || { echo "$label FAILED: $(tail -3 "$out/log")"; return; }
    read -r seconds kb <"$out/time"
    local count
    count=$(ogrinfo -ro -so -al "$written" | sed -n 's/^Feature Count: //p')
    printf '%-58s %7.2f s %6d MB %8s features\n' "$label" "$seconds" $((kb / 1024)) "$count"
}

for case in "acled.csv|ACLED CSV (today)|${xy[*]}" \
            "acled-old.csv|ACLED CSV before 2019 (CRLF, UPPERCASE)|-oo X_POSSIBLE_NAMES=LONGITUDE -oo Y_POSSIBLE_NAMES=LATITUDE -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326" \
            "acled-ogr.geojson|ACLED through ogr2ogr, GeoJSON|" \
            "acled.gpkg|ACLED through ogr2ogr, GeoPackage|" \
            "acled.xlsx|ACLED through ogr2ogr, Excel workbook|" \
            "ucdp.csv|UCDP GED CSV|${xy[*]}" \
            "gdelt.export.CSV|GDELT 2.0 events (tab-separated, no header)|-oo SEPARATOR=TAB -oo HEADERS=NO -oo X_POSSIBLE_NAMES=field_58 -oo Y_POSSIBLE_NAMES=field_57 -a_srs EPSG:4326" \
            "tracker.geojson|a tracker's point GeoJSON|" \
            "sheet.csv|a table read with --map|-oo X_POSSIBLE_NAMES=where_lon -oo Y_POSSIBLE_NAMES=where_lat -a_srs EPSG:4326"; do
    IFS='|' read -r file label options <<<"$case"
    map=()
    [ "$file" = sheet.csv ] && map=(--map date=when,type=what,lat=where_lat,lon=where_lon,description=story)
    measure "incident-map: $label" "$out/ours.geojson" "$bin" export --data "$dir/$file" "${map[@]}" --format geojson -o "$out/ours.geojson"
    # shellcheck disable=SC2086
    measure "ogr2ogr:      $label" "$out/gdal.geojson" ogr2ogr -f GeoJSON "$out/gdal.geojson" "$dir/$file" $options
    rm -f "$out/ours.geojson" "$out/gdal.geojson"
done
