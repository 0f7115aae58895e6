//! The spatial index behind the map. The incidents that pass the filter are kept as Web
//! Mercator world coordinates in store order; their clusters are computed once per zoom step
//! on a grid fixed to the world (so they hold still while the map pans) and kept for the steps
//! last used, each step's clusters in an R-tree. A frame asks only for the clusters in view,
//! so its cost follows what is on screen, not how many incidents are loaded. Over many
//! incidents a new step's clusters are computed in a background job while the map keeps
//! drawing the step before, so no frame waits for them.

use std::collections::HashMap;
use std::f64::consts::PI;
use std::sync::Arc;

use egui::{Pos2, Rect, pos2};

use rstar::{AABB, RTree, primitives::GeomWithData};
use walkers::Projector;

use crate::store::{EventType, Store};
use crate::workspace::job::{Job, Poll};

/// Walkers draws the world this many points wide at zoom 0.
const TILE_SIZE: f64 = 256.0;
/// Clusters are computed per half zoom level: on screen they then sit between one and
/// √2 cluster cells apart at any zoom.
pub const STEPS_PER_ZOOM: f64 = 2.0;
/// Zoom steps whose clusters are kept; zooming back and forth over them costs nothing.
const CACHED_LEVELS: usize = 6;
/// From this many indexed incidents on, a zoom step's clusters are computed in the background
/// (tens of milliseconds at a million); below it at once, in the frame that asks.
pub const BACKGROUND_CLUSTERS_FROM: usize = 50_000;
/// Web Mercator stops here; beyond it the projection runs off to infinity.
const MAX_LATITUDE: f64 = 85.051_128_78;

/// Web Mercator world coordinates of a place, both in 0..1 (x east, y south), exactly as
/// walkers projects it before scaling by zoom.
pub fn world(lat: f64, lon: f64) -> [f64; 2] {
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (1.0 + lon.to_radians() / PI) / 2.0;
    let y = (1.0 - lat.tan().asinh() / PI) / 2.0;
    [x, y]
}

/// Where the map looks: turns world coordinates into screen points and back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// World coordinates at the centre of the map on screen.
    center: [f64; 2],
    /// Screen points per world unit.
    scale: f64,
    screen_center: Pos2,
    zoom: f64,
}

impl View {
    pub fn new(center: [f64; 2], zoom: f64, screen_center: Pos2) -> Self {
        Self {
            center,
            scale: TILE_SIZE * 2f64.powf(zoom),
            screen_center,
            zoom,
        }
    }

    /// The view walkers is drawing this frame.
    pub fn from_projector(projector: &Projector) -> Self {
        let clip = projector.clip_rect();
        let center = projector.unproject(clip.center().to_vec2());
        Self::new(
            world(center.y(), center.x()),
            projector.zoom(),
            clip.center(),
        )
    }

    pub fn zoom(&self) -> f64 {
        self.zoom
    }

    pub fn to_screen(&self, at: [f64; 2]) -> Pos2 {
        pos2(
            self.screen_center.x + ((at[0] - self.center[0]) * self.scale) as f32,
            self.screen_center.y + ((at[1] - self.center[1]) * self.scale) as f32,
        )
    }

    pub fn to_world(&self, at: Pos2) -> [f64; 2] {
        [
            self.center[0] + f64::from(at.x - self.screen_center.x) / self.scale,
            self.center[1] + f64::from(at.y - self.screen_center.y) / self.scale,
        ]
    }

    /// The world area under a screen rectangle.
    pub fn world_rect(&self, rect: Rect) -> AABB<[f64; 2]> {
        AABB::from_corners(self.to_world(rect.min), self.to_world(rect.max))
    }

    /// A distance in screen points, in world units.
    pub fn world_distance(&self, points: f32) -> f64 {
        f64::from(points) / self.scale
    }
}

/// Position of an event type in [`EventType::ALL`], for per-type counts.
pub fn type_slot(event_type: EventType) -> usize {
    EventType::ALL
        .iter()
        .position(|&t| t == event_type)
        .unwrap_or(0)
}

/// One incident in the index: where it is in the world and which it is in the store.
pub type IndexedPoint = GeomWithData<[f64; 2], u32>;

/// The incidents that pass the filter, with their clusters per zoom step.
pub struct MapIndex {
    /// Where each incident shown is, in store order, for computing clusters in one pass
    /// (shared with the job computing a step in the background).
    points: Arc<Vec<IndexedPoint>>,
    /// Event type slot of every incident, by store index (shared by every filter's index).
    types: Arc<Vec<u8>>,
    /// Pixels within which markers merge into a cluster.
    cell_px: f64,
    levels: Vec<ClusterLevel>,
    /// Ticks on every level lookup, so the least recently used level is the one dropped.
    clock: u64,
    /// A zoom step's clusters being computed in the background, and which step.
    computing: Option<(i32, Job<ClusterLevel>)>,
    /// The zoom last asked for: an index built for a new filter computes its clusters first.
    last_zoom: Option<f64>,
}

impl MapIndex {
    /// Indexes the incidents at `indices` (those passing the filter); markers closer than
    /// `cell_px` screen points form clusters.
    pub fn new(store: &Store, indices: &[usize], cell_px: f32) -> Self {
        let types = store
            .incidents
            .iter()
            .map(|incident| type_slot(incident.event_type) as u8)
            .collect();
        let points = indices
            .iter()
            .filter_map(|&i| {
                let loc = &store.incidents.get(i)?.location;
                Some(IndexedPoint::new(
                    world(loc.lat, loc.lon),
                    u32::try_from(i).ok()?,
                ))
            })
            .collect();
        Self::from_points(points, Arc::new(types), cell_px)
    }

    /// Indexes points already projected, in store order, with every incident's type slot.
    pub fn from_points(points: Vec<IndexedPoint>, types: Arc<Vec<u8>>, cell_px: f32) -> Self {
        Self {
            points: Arc::new(points),
            types,
            cell_px: f64::from(cell_px.max(1.0)),
            levels: Vec::new(),
            clock: 0,
            computing: None,
            last_zoom: None,
        }
    }

    /// An index of nothing.
    pub fn empty() -> Self {
        Self::new(&Store::default(), &[], 26.0)
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The zoom step whose clusters are drawn at `zoom`.
    pub fn step_for(zoom: f64) -> i32 {
        (zoom.max(0.0) * STEPS_PER_ZOOM).floor() as i32
    }

    /// The clusters at `zoom`, computed on first use and kept while the filter stays. Over
    /// many incidents a step not yet computed is started in the background and the step last
    /// drawn is returned meanwhile (see [`Self::computing`]); with no step at all yet, the
    /// clusters are computed at once.
    pub fn level(&mut self, zoom: f64) -> &ClusterLevel {
        let step = Self::step_for(zoom);
        self.last_zoom = Some(zoom);
        self.take_computed();
        let position = match self.levels.iter().position(|l| l.step == step) {
            Some(position) => position,
            None if self.points.len() >= BACKGROUND_CLUSTERS_FROM && !self.levels.is_empty() => {
                if self.computing.is_none() {
                    let (points, types) = (Arc::clone(&self.points), Arc::clone(&self.types));
                    let cell_px = self.cell_px;
                    let job = Job::spawn(
                        "Clustering the markers",
                        || {},
                        move |_| ClusterLevel::compute(&points, &types, step, cell_px),
                    );
                    self.computing = Some((step, job));
                }
                // Meanwhile the step drawn last.
                let latest = self
                    .levels
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, l)| l.last_used);
                latest.map_or(0, |(i, _)| i)
            }
            None => {
                let level = ClusterLevel::compute(&self.points, &self.types, step, self.cell_px);
                self.keep(level)
            }
        };
        self.clock += 1;
        let level = &mut self.levels[position];
        level.last_used = self.clock;
        level
    }

    /// Whether a zoom step's clusters are being computed in the background: the map then
    /// draws again soon to show them.
    pub fn computing(&self) -> bool {
        self.computing.is_some()
    }

    /// Computes the clusters at `last_zoom` (the zoom last asked of the index this one
    /// replaces), so that an index built in the background for a new filter arrives with the
    /// map's clusters ready.
    pub fn prepare_like(&mut self, last_zoom: Option<f64>) {
        if let Some(zoom) = last_zoom {
            let step = Self::step_for(zoom);
            let level = ClusterLevel::compute(&self.points, &self.types, step, self.cell_px);
            self.keep(level);
            self.last_zoom = Some(zoom);
        }
    }

    /// The zoom the map last asked clusters for.
    pub fn last_zoom(&self) -> Option<f64> {
        self.last_zoom
    }

    /// Keeps a step's clusters computed in the background, once they are done.
    fn take_computed(&mut self) {
        let Some((step, job)) = self.computing.as_mut() else {
            return;
        };
        let step = *step;
        match job.poll() {
            Poll::Running => {}
            Poll::Done(level) => {
                self.computing = None;
                if !self.levels.iter().any(|l| l.step == step) {
                    self.keep(level);
                }
            }
            // The thread ended without clusters: the next frame asks again.
            Poll::Lost => self.computing = None,
        }
    }

    /// Adds a step's clusters, dropping the least recently used step when enough are kept;
    /// returns its position.
    fn keep(&mut self, level: ClusterLevel) -> usize {
        if self.levels.len() >= CACHED_LEVELS
            && let Some(oldest) = self
                .levels
                .iter()
                .enumerate()
                .min_by_key(|(_, l)| l.last_used)
                .map(|(i, _)| i)
        {
            let dropped = self.levels.swap_remove(oldest);
            // A fine step over many incidents is a large tree: freed off the window's thread.
            if self.points.len() >= BACKGROUND_CLUSTERS_FROM {
                let _freeing = Job::spawn("Freeing clusters", || {}, move |_| drop(dropped));
            }
        }
        self.levels.push(level);
        self.levels.len() - 1
    }

    /// The clusters of a zoom step if they are still kept.
    pub fn cached_level(&self, step: i32) -> Option<&ClusterLevel> {
        self.levels.iter().find(|l| l.step == step)
    }
}

/// Incidents drawn as one marker at a zoom step.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelCluster {
    /// Mean world position of the members.
    pub center: [f64; 2],
    /// Members per event type, in the order of [`EventType::ALL`].
    pub by_type: [u32; 6],
    start: u32,
    len: u32,
}

impl LevelCluster {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Every cluster at one zoom step.
pub struct ClusterLevel {
    step: i32,
    last_used: u64,
    /// Cluster cell in world units.
    cell: f64,
    clusters: Vec<LevelCluster>,
    /// Store indices of every cluster's members, cluster after cluster, ascending within one.
    members: Vec<u32>,
    /// Cluster centres, holding their position in `clusters`.
    centres: RTree<GeomWithData<[f64; 2], u32>>,
}

/// A grid cell's points while a level is computed.
struct GridCell {
    key: (i32, i32),
    len: usize,
    center: [f64; 2],
}

impl ClusterLevel {
    /// Grid-clusters every indexed incident at a zoom step: points sharing a cell of `cell_px`
    /// screen points form a group; the fullest groups then take in neighbouring groups whose
    /// centres are nearer than a cell, so a cluster never straddles a cell edge beside a twin.
    /// Two passes over the points and none of them sorted: `points` is in store order, so
    /// each cluster's members come out ascending.
    fn compute(points: &[IndexedPoint], types: &[u8], step: i32, cell_px: f64) -> Self {
        let zoom = f64::from(step) / STEPS_PER_ZOOM;
        let cell = cell_px / (TILE_SIZE * 2f64.powf(zoom));
        let key = |at: &[f64; 2]| ((at[0] / cell).floor() as i32, (at[1] / cell).floor() as i32);

        // Pass one: each point's cell, and each cell's size and centre.
        let mut cell_ids: HashMap<(i32, i32), u32> = HashMap::new();
        let mut cells: Vec<GridCell> = Vec::new();
        let cell_of_point: Vec<u32> = points
            .iter()
            .map(|p| {
                let at = *p.geom();
                let id = *cell_ids.entry(key(&at)).or_insert_with(|| {
                    cells.push(GridCell {
                        key: key(&at),
                        len: 0,
                        center: [0.0, 0.0],
                    });
                    (cells.len() - 1) as u32
                });
                let c = &mut cells[id as usize];
                c.len += 1;
                c.center[0] += at[0];
                c.center[1] += at[1];
                id
            })
            .collect();
        drop(cell_ids);
        for c in &mut cells {
            c.center = [c.center[0] / c.len as f64, c.center[1] / c.len as f64];
        }
        // Neighbours are found by binary search over the cells in key order.
        let mut by_key: Vec<u32> = (0..cells.len() as u32).collect();
        by_key.sort_unstable_by_key(|&i| cells[i as usize].key);
        let find = |k: (i32, i32)| {
            by_key
                .binary_search_by_key(&k, |&i| cells[i as usize].key)
                .ok()
                .map(|at| by_key[at] as usize)
        };
        let mut order: Vec<usize> = (0..cells.len()).collect();
        order.sort_unstable_by_key(|&i| (std::cmp::Reverse(cells[i].len), cells[i].key));

        // Fullest cells first, each taking in its free neighbours that sit close enough.
        const FREE: u32 = u32::MAX;
        let mut cluster_of_cell = vec![FREE; cells.len()];
        let mut clusters: Vec<LevelCluster> = Vec::new();
        for seed in order {
            if cluster_of_cell[seed] != FREE {
                continue;
            }
            let id = clusters.len() as u32;
            cluster_of_cell[seed] = id;
            let mut len = cells[seed].len;
            let (kx, ky) = cells[seed].key;
            let at = cells[seed].center;
            for (dx, dy) in NEIGHBOURS {
                let Some(other) = find((kx + dx, ky + dy)) else {
                    continue;
                };
                let c = cells[other].center;
                if cluster_of_cell[other] == FREE
                    && ((c[0] - at[0]).powi(2) + (c[1] - at[1]).powi(2)).sqrt() < cell
                {
                    cluster_of_cell[other] = id;
                    len += cells[other].len;
                }
            }
            clusters.push(LevelCluster {
                center: [0.0, 0.0],
                by_type: [0; 6],
                start: 0,
                len: len as u32,
            });
        }
        let mut start = 0;
        for c in &mut clusters {
            c.start = start;
            start += c.len;
        }

        // Pass two: members into place, centres and types counted.
        let mut members = vec![0u32; points.len()];
        let mut filled = vec![0u32; clusters.len()];
        for (point, &cell_id) in points.iter().zip(&cell_of_point) {
            let id = cluster_of_cell[cell_id as usize] as usize;
            let cluster = &mut clusters[id];
            members[(cluster.start + filled[id]) as usize] = point.data;
            filled[id] += 1;
            let at = point.geom();
            cluster.center[0] += at[0];
            cluster.center[1] += at[1];
            let slot = types.get(point.data as usize).copied().unwrap_or(0);
            cluster.by_type[usize::from(slot)] += 1;
        }
        for c in &mut clusters {
            let n = f64::from(c.len.max(1));
            c.center = [c.center[0] / n, c.center[1] / n];
        }
        let centres = RTree::bulk_load(
            clusters
                .iter()
                .enumerate()
                .map(|(i, c)| GeomWithData::new(c.center, i as u32))
                .collect(),
        );
        Self {
            step,
            last_used: 0,
            cell,
            clusters,
            members,
            centres,
        }
    }

    pub fn step(&self) -> i32 {
        self.step
    }

    /// Every cluster, in no particular order.
    pub fn clusters(&self) -> &[LevelCluster] {
        &self.clusters
    }

    pub fn cluster(&self, id: u32) -> Option<&LevelCluster> {
        self.clusters.get(id as usize)
    }

    /// Store indices of a cluster's members, ascending.
    pub fn members(&self, cluster: &LevelCluster) -> &[u32] {
        let start = cluster.start as usize;
        &self.members[start..start + cluster.len as usize]
    }

    /// The clusters whose centres lie inside a world area, with their ids.
    pub fn in_view<'a>(
        &'a self,
        area: &AABB<[f64; 2]>,
    ) -> impl Iterator<Item = (u32, &'a LevelCluster)> + 'a {
        self.centres
            .locate_in_envelope(area)
            .filter_map(|c| Some((c.data, self.clusters.get(c.data as usize)?)))
    }

    /// The cluster holding the incident `index` at world position `at`.
    pub fn cluster_of(&self, index: usize, at: [f64; 2]) -> Option<u32> {
        let index = u32::try_from(index).ok()?;
        // A member is at most a cell and a half from its cluster's centre.
        let reach = 3.0 * self.cell;
        self.centres
            .locate_within_distance(at, reach * reach)
            .find(|c| {
                self.clusters
                    .get(c.data as usize)
                    .is_some_and(|cluster| self.members(cluster).binary_search(&index).is_ok())
            })
            .map(|c| c.data)
    }
}

const NEIGHBOURS: [(i32, i32); 8] = [
    (-1, -1),
    (0, -1),
    (1, -1),
    (-1, 0),
    (1, 0),
    (-1, 1),
    (0, 1),
    (1, 1),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DatePrecision, Incident, Location, LocationPrecision, SubEventType};

    fn incident(i: usize, lat: f64, lon: f64, sub: SubEventType) -> Incident {
        Incident {
            id: format!("i{i}"),
            date: None,
            date_precision: DatePrecision::Unknown,
            event_type: sub.event_type(),
            sub_event_type: sub,
            actors: vec![],
            fatalities: None,
            counts: Default::default(),
            location: Location {
                name: "somewhere".into(),
                country: None,
                admin1: None,
                admin2: None,
                admin3: None,
                precision: LocationPrecision::Point,
                lat,
                lon,
                gazetteer_id: None,
                confidence: None,
            },
            sources: vec![],
            summary: String::new(),
            review: Default::default(),
            coded: None,
        }
    }

    /// A few thousand incidents on a pseudo-random scatter over Iraq and Syria.
    fn scattered(n: usize) -> Store {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let subs = [
            SubEventType::ArmedClash,
            SubEventType::AirDroneStrike,
            SubEventType::Attack,
            SubEventType::PeacefulProtest,
        ];
        Store {
            incidents: (0..n)
                .map(|i| incident(i, 30.0 + 8.0 * next(), 36.0 + 12.0 * next(), subs[i % 4]))
                .collect(),
            ..Store::default()
        }
    }

    #[test]
    fn world_coordinates_follow_walkers_projection() {
        let memory = walkers::MapMemory::default();
        let clip = Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let mercator = walkers::MercatorProjection;
        let projector = Projector::new(clip, &mercator, &memory, walkers::lat_lon(34.0, 42.0));
        let view = View::from_projector(&projector);
        for (lat, lon) in [(34.0, 42.0), (36.2, 43.1), (33.3, 44.4), (35.5, 38.0)] {
            let theirs = projector.project(walkers::lat_lon(lat, lon)).to_pos2();
            let ours = view.to_screen(world(lat, lon));
            assert!(theirs.distance(ours) < 0.01, "{theirs:?} vs {ours:?}");
        }
    }

    #[test]
    fn clusters_at_every_zoom_hold_each_shown_incident_once() {
        let store = scattered(5000);
        let shown: Vec<usize> = (0..store.incidents.len()).filter(|i| i % 3 != 0).collect();
        let mut index = MapIndex::new(&store, &shown, 26.0);
        for zoom in [2.0, 4.5, 6.0, 8.0, 11.0, 15.0] {
            let level = index.level(zoom);
            let mut members: Vec<usize> = level
                .clusters()
                .iter()
                .flat_map(|c| level.members(c).iter().map(|&m| m as usize))
                .collect();
            assert_eq!(members.len(), shown.len(), "zoom {zoom}");
            members.sort_unstable();
            assert_eq!(members, shown, "zoom {zoom}");
            for cluster in level.clusters() {
                let counted: u32 = cluster.by_type.iter().sum();
                assert_eq!(counted as usize, cluster.len());
                let first = level.members(cluster)[0] as usize;
                let at = {
                    let loc = &store.incidents[first].location;
                    world(loc.lat, loc.lon)
                };
                let id = level.cluster_of(first, at).map(|id| level.cluster(id));
                assert_eq!(id, Some(Some(cluster)), "zoom {zoom}");
            }
        }
        // Zooming in splits clusters: more of them, never fewer.
        let coarse = index.level(5.0).clusters().len();
        let fine = index.level(9.0).clusters().len();
        assert!(
            coarse < fine,
            "{coarse} clusters at zoom 5, {fine} at zoom 9"
        );
    }

    #[test]
    fn over_many_incidents_a_new_step_is_computed_in_the_background() {
        let store = scattered(BACKGROUND_CLUSTERS_FROM + 1000);
        let shown: Vec<usize> = (0..store.incidents.len()).collect();
        let mut index = MapIndex::new(&store, &shown, 26.0);
        // The first step is computed at once: there is nothing else to draw.
        assert_eq!(index.level(5.0).step(), MapIndex::step_for(5.0));
        assert!(!index.computing());
        // A new step: the step before meanwhile, then the new one once it is done.
        let asked = MapIndex::step_for(9.0);
        assert_eq!(index.level(9.0).step(), MapIndex::step_for(5.0));
        assert!(index.computing());
        let started = std::time::Instant::now();
        while index.level(9.0).step() != asked {
            assert!(started.elapsed().as_secs() < 30, "no clusters in 30 s");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!index.computing());
        let level = index.level(9.0);
        let members: usize = level
            .clusters()
            .iter()
            .map(|c| level.members(c).len())
            .sum();
        assert_eq!(members, shown.len());
        // Prepared ahead for a zoom: ready in the first frame.
        let mut next = MapIndex::new(&store, &shown[..1000], 26.0);
        next.prepare_like(index.last_zoom());
        assert_eq!(
            next.cached_level(asked).map(ClusterLevel::step),
            Some(asked)
        );
    }

    #[test]
    fn levels_are_kept_and_the_least_recently_used_is_dropped() {
        let store = scattered(500);
        let shown: Vec<usize> = (0..store.incidents.len()).collect();
        let mut index = MapIndex::new(&store, &shown, 26.0);
        for zoom in 0..CACHED_LEVELS + 2 {
            index.level(zoom as f64);
        }
        assert!(index.cached_level(MapIndex::step_for(0.0)).is_none());
        let last = MapIndex::step_for((CACHED_LEVELS + 1) as f64);
        assert!(index.cached_level(last).is_some());
        assert_eq!(index.levels.len(), CACHED_LEVELS);
    }
}
