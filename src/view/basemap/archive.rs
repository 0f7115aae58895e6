//! A PMTiles v3 archive read without trusting it: the header, the root directory and every
//! leaf directory are checked before anything they point at is read (sections inside the
//! file, entry counts the bytes can hold, entries inside their section, tile ids in order,
//! leaves nested at most [`LEAF_DEPTH_LIMIT`] deep), and nothing is read or decompressed past
//! a fixed size. Tiles for the map and the fuzz target come through [`Archive::tile`].

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use super::TileType;

pub const HEADER_LEN: usize = 127;

/// Where the root directory must end: the format keeps header and root in the first 16 KiB.
pub const ROOT_LIMIT: u64 = 16 * 1024;

/// The most a directory (root or leaf) may take, stored or decompressed.
pub const DIRECTORY_LIMIT: u64 = 4 * 1024 * 1024;

/// The most the metadata may take, stored or decompressed.
pub const METADATA_LIMIT: u64 = 16 * 1024 * 1024;

/// The most one tile may take as stored in the archive.
pub const TILE_STORED_LIMIT: u64 = 4 * 1024 * 1024;

/// The most one tile may take once decompressed (a vector tile of a whole city is well
/// under 2 MB; a gzip bomb stops here).
pub const TILE_DECOMPRESSED_LIMIT: u64 = 8 * 1024 * 1024;

/// How many leaf levels may lie below the root (the format's writers use one).
pub const LEAF_DEPTH_LIMIT: usize = 4;

/// How many directory entries of leaves are kept in memory at once.
const LEAF_CACHE_ENTRIES: usize = 1 << 20;

/// A part of the file: its start and length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub offset: u64,
    pub len: u64,
}

/// What the header of a PMTiles v3 archive says, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub root: Section,
    pub metadata: Section,
    pub leaves: Section,
    pub data: Section,
    pub internal_compression: u8,
    pub tile_compression: u8,
    pub tile_type: TileType,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
}

/// One directory entry: a run of tiles in the tile data, or (run length 0) a leaf directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub tile_id: u64,
    pub offset: u64,
    pub length: u64,
    pub run_length: u64,
}

/// An open archive: its checked header and root directory, and the leaves read so far.
pub struct Archive<R> {
    reader: R,
    header: Header,
    root: Arc<[Entry]>,
    leaves: HashMap<u64, Arc<[Entry]>>,
    leaf_entries: usize,
}

impl<R: Read + Seek> Archive<R> {
    /// Reads and checks the header and the root directory of an archive of `file_len` bytes.
    pub fn open(mut reader: R, file_len: u64) -> Result<Self, String> {
        let mut bytes = [0u8; HEADER_LEN];
        reader
            .read_exact(&mut bytes)
            .map_err(|_| "too short to be a PMTiles archive".to_owned())?;
        let header = parse_header(&bytes, file_len)?;
        let root = read_section(&mut reader, header.root, "the root directory")?;
        let root = decompress(&root, header.internal_compression, DIRECTORY_LIMIT)
            .map_err(|e| format!("corrupt root directory: {e}"))?;
        let root =
            parse_directory(&root, &header).map_err(|e| format!("corrupt root directory: {e}"))?;
        Ok(Self {
            reader,
            header,
            root: root.into(),
            leaves: HashMap::new(),
            leaf_entries: 0,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The metadata JSON (`Null` when the archive has none).
    pub fn metadata(&mut self) -> Result<serde_json::Value, String> {
        if self.header.metadata.len > METADATA_LIMIT {
            return Err("metadata too large".to_owned());
        }
        let raw = read_section(&mut self.reader, self.header.metadata, "metadata")?;
        let json = decompress(&raw, self.header.internal_compression, METADATA_LIMIT)
            .map_err(|e| format!("corrupt metadata: {e}"))?;
        if json.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&json).map_err(|e| format!("corrupt metadata JSON: {e}"))
    }

    /// The tile at zoom `z`, column `x`, row `y`, decompressed; `None` where the archive has
    /// none. A directory or tile that breaks the limits is an error naming the tile.
    pub fn tile(&mut self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        let Some(id) = tile_id(z, x, y) else {
            return Ok(None);
        };
        self.tile_by_id(id)
            .map_err(|e| format!("tile {z}/{x}/{y}: {e}"))
    }

    /// The tile with PMTiles id `id`, decompressed.
    pub fn tile_by_id(&mut self, id: u64) -> Result<Option<Vec<u8>>, String> {
        let mut directory = Arc::clone(&self.root);
        for _ in 0..=LEAF_DEPTH_LIMIT {
            let Some(entry) = find_entry(&directory, id) else {
                return Ok(None);
            };
            if entry.run_length > 0 {
                return self.read_tile(entry).map(Some);
            }
            directory = self.leaf(entry)?;
        }
        Err(format!(
            "leaf directories nest deeper than {LEAF_DEPTH_LIMIT} levels (corrupt archive)"
        ))
    }

    /// Every entry of the root directory (for the fuzz target, which walks them all).
    pub fn root_entries(&self) -> Arc<[Entry]> {
        Arc::clone(&self.root)
    }

    /// A leaf directory, read and checked once, then kept.
    pub fn leaf(&mut self, entry: Entry) -> Result<Arc<[Entry]>, String> {
        if let Some(leaf) = self.leaves.get(&entry.offset) {
            return Ok(Arc::clone(leaf));
        }
        let section = Section {
            offset: self.header.leaves.offset + entry.offset,
            len: entry.length,
        };
        let raw = read_section(&mut self.reader, section, "a leaf directory")?;
        let bytes = decompress(&raw, self.header.internal_compression, DIRECTORY_LIMIT)
            .map_err(|e| format!("corrupt leaf directory: {e}"))?;
        let leaf: Arc<[Entry]> = parse_directory(&bytes, &self.header)
            .map_err(|e| format!("corrupt leaf directory: {e}"))?
            .into();
        if self.leaf_entries + leaf.len() > LEAF_CACHE_ENTRIES {
            self.leaves.clear();
            self.leaf_entries = 0;
        }
        self.leaf_entries += leaf.len();
        self.leaves.insert(entry.offset, Arc::clone(&leaf));
        Ok(leaf)
    }

    fn read_tile(&mut self, entry: Entry) -> Result<Vec<u8>, String> {
        if entry.length > TILE_STORED_LIMIT {
            return Err(format!(
                "takes {} bytes, over the {} MiB limit for one tile",
                entry.length,
                TILE_STORED_LIMIT >> 20
            ));
        }
        let section = Section {
            offset: self.header.data.offset + entry.offset,
            len: entry.length,
        };
        let raw = read_section(&mut self.reader, section, "the tile")?;
        decompress(&raw, self.header.tile_compression, TILE_DECOMPRESSED_LIMIT)
    }
}

/// Checks the fixed header: magic, version, every section inside the file and after the
/// header, the root within the first 16 KiB, a possible zoom range.
pub fn parse_header(bytes: &[u8; HEADER_LEN], file_len: u64) -> Result<Header, String> {
    if &bytes[0..7] != b"PMTiles" {
        return Err("not a PMTiles archive (wrong magic bytes)".to_owned());
    }
    if bytes[7] != 3 {
        return Err(format!(
            "PMTiles version {} is not supported (only version 3)",
            bytes[7]
        ));
    }
    let u64_at = |at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let i32_at = |at: usize| {
        let mut word = [0u8; 4];
        word.copy_from_slice(&bytes[at..at + 4]);
        i32::from_le_bytes(word)
    };
    let section = |at: usize| Section {
        offset: u64_at(at),
        len: u64_at(at + 8),
    };
    let (root, metadata, leaves, data) = (section(8), section(24), section(40), section(56));
    for (what, part) in [
        ("root directory", root),
        ("metadata", metadata),
        ("leaf directories", leaves),
        ("tile data", data),
    ] {
        if part
            .offset
            .checked_add(part.len)
            .is_none_or(|end| end > file_len)
        {
            return Err(format!(
                "the {what} runs past the end of the file (truncated or corrupt archive)"
            ));
        }
        if part.len > 0 && part.offset < HEADER_LEN as u64 {
            return Err(format!(
                "the {what} starts inside the header (corrupt archive)"
            ));
        }
    }
    // A reader trusts the root to be in the first 16 KiB, so an archive that breaks it is
    // refused before any tile is read.
    if root.offset + root.len > ROOT_LIMIT {
        return Err("the root directory lies beyond the first 16 KiB (corrupt archive)".to_owned());
    }
    let tile_type = match bytes[99] {
        1 => TileType::Mvt,
        2 => TileType::Png,
        3 => TileType::Jpeg,
        4 => TileType::Webp,
        5 => TileType::Avif,
        6 => TileType::Mlt,
        _ => TileType::Unknown,
    };
    let (min_zoom, max_zoom) = (bytes[100], bytes[101]);
    if min_zoom > max_zoom || max_zoom > 30 {
        return Err(format!("impossible zoom range {min_zoom}–{max_zoom}"));
    }
    let degrees = |at: usize| f64::from(i32_at(at)) / 10_000_000.0;
    Ok(Header {
        root,
        metadata,
        leaves,
        data,
        internal_compression: bytes[97],
        tile_compression: bytes[98],
        tile_type,
        min_zoom,
        max_zoom,
        bounds: [degrees(102), degrees(106), degrees(110), degrees(114)],
    })
}

/// Reads a section already checked to lie inside the file and to be of bounded size.
fn read_section(
    reader: &mut (impl Read + Seek),
    section: Section,
    what: &str,
) -> Result<Vec<u8>, String> {
    let len = usize::try_from(section.len).map_err(|_| format!("{what} is too large"))?;
    let mut bytes = vec![0u8; len];
    reader
        .seek(SeekFrom::Start(section.offset))
        .and_then(|_| reader.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    Ok(bytes)
}

/// Decompresses a directory, the metadata or a tile (none or gzip), never past `limit` bytes.
pub fn decompress(raw: &[u8], compression: u8, limit: u64) -> Result<Vec<u8>, String> {
    match compression {
        // 0: unknown, taken as none (what the writers mean by it).
        0 | 1 => {
            if raw.len() as u64 > limit {
                return Err(format!("takes over {} KiB", limit >> 10));
            }
            Ok(raw.to_vec())
        }
        2 => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(raw)
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|e| format!("cannot decompress: {e}"))?;
            if out.len() as u64 > limit {
                return Err(format!(
                    "decompresses to over {} KiB (a compression bomb?)",
                    limit >> 10
                ));
            }
            Ok(out)
        }
        3 => Err("Brotli compression is not supported".to_owned()),
        4 => Err("Zstandard compression is not supported".to_owned()),
        other => Err(format!("compression {other} is not supported")),
    }
}

/// Reads one unsigned LEB128 varint.
fn read_varint(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at).ok_or("ends inside a number")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a number runs over 64 bits".to_owned())
}

/// Parses and checks a decompressed directory (entry count, then tile-id deltas, run
/// lengths, lengths and offsets as columns): an entry count the bytes can hold, tile ids
/// rising, and every entry inside the tile data (a tile) or the leaf directories (a leaf,
/// run length 0, at most [`DIRECTORY_LIMIT`] bytes).
pub fn parse_directory(bytes: &[u8], header: &Header) -> Result<Vec<Entry>, String> {
    let mut at = 0;
    let count = read_varint(bytes, &mut at)?;
    // Each entry takes at least four bytes, one per column.
    if count.saturating_mul(4) > (bytes.len() - at) as u64 {
        return Err(format!("says {count} entries in {} bytes", bytes.len()));
    }
    let count = count as usize;
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0,
        };
        count
    ];
    let mut last_id = 0u64;
    for (i, entry) in entries.iter_mut().enumerate() {
        let delta = read_varint(bytes, &mut at)?;
        if i > 0 && delta == 0 {
            return Err("lists a tile id twice".to_owned());
        }
        last_id = last_id
            .checked_add(delta)
            .filter(|&id| id <= MAX_TILE_ID)
            .ok_or("a tile id is past the deepest zoom")?;
        entry.tile_id = last_id;
    }
    for entry in &mut entries {
        entry.run_length = read_varint(bytes, &mut at)?;
        if entry.run_length > u64::from(u32::MAX) {
            return Err("a run of tiles is too long".to_owned());
        }
    }
    for entry in &mut entries {
        entry.length = read_varint(bytes, &mut at)?;
        if entry.length == 0 || entry.length > u64::from(u32::MAX) {
            return Err("an entry has an impossible length".to_owned());
        }
    }
    let mut end_of_last = 0u64;
    for (i, entry) in entries.iter_mut().enumerate() {
        let raw = read_varint(bytes, &mut at)?;
        // 0 means "right after the previous entry".
        entry.offset = if raw == 0 && i > 0 {
            end_of_last
        } else {
            raw.saturating_sub(1)
        };
        end_of_last = entry.offset.saturating_add(entry.length);
    }
    for entry in &entries {
        let (section, limit) = if entry.run_length == 0 {
            if entry.length > DIRECTORY_LIMIT {
                return Err("a leaf directory is too large".to_owned());
            }
            ("leaf directories", header.leaves.len)
        } else {
            if entry.tile_id.saturating_add(entry.run_length - 1) > MAX_TILE_ID {
                return Err("a run of tiles is past the deepest zoom".to_owned());
            }
            ("tile data", header.data.len)
        };
        if entry
            .offset
            .checked_add(entry.length)
            .is_none_or(|end| end > limit)
        {
            return Err(format!("an entry points outside the {section}"));
        }
    }
    Ok(entries)
}

/// The entry covering tile `id`: the last one at or before it, if it is a leaf or its run
/// reaches `id`.
pub fn find_entry(entries: &[Entry], id: u64) -> Option<Entry> {
    let after = entries.partition_point(|entry| entry.tile_id <= id);
    let entry = *entries.get(after.checked_sub(1)?)?;
    (entry.run_length == 0 || id - entry.tile_id < entry.run_length).then_some(entry)
}

/// The deepest zoom a PMTiles tile id can name.
const MAX_ZOOM: u8 = 31;

/// The largest tile id: every tile of zooms 0 to 31.
pub const MAX_TILE_ID: u64 = ((1u64 << 62) - 1) / 3 + (1u64 << 62) - 1;

/// The PMTiles id of tile `z`/`x`/`y`: the tiles of all shallower zooms, then the tile's place
/// along the Hilbert curve of its zoom. `None` for a tile outside its zoom's grid.
pub fn tile_id(z: u8, x: u32, y: u32) -> Option<u64> {
    if z > MAX_ZOOM {
        return None;
    }
    let n = 1u64 << z;
    let (mut x, mut y) = (u64::from(x), u64::from(y));
    if x >= n || y >= n {
        return None;
    }
    // Tiles of zooms 0..z: (4^z - 1) / 3.
    let before = ((1u64 << (2 * u32::from(z))) - 1) / 3;
    let mut d = 0u64;
    let mut s = n / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    Some(before + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_hilbert_curve_of_the_format() {
        // Values from the PMTiles v3 specification's reference implementations.
        assert_eq!(tile_id(0, 0, 0), Some(0));
        assert_eq!(tile_id(1, 1, 0), Some(4));
        assert_eq!(tile_id(2, 1, 3), Some(11));
        assert_eq!(tile_id(3, 3, 0), Some(26));
        assert_eq!(tile_id(20, 0, 0), Some(366_503_875_925));
        let max = (1u32 << 31) - 1;
        assert_eq!(tile_id(31, max, max), Some(4_611_686_018_427_387_903));
        assert_eq!(tile_id(31, 0, max), Some(3_074_457_345_618_258_602));
        assert_eq!(tile_id(31, max, 0), Some(MAX_TILE_ID));
        assert_eq!(MAX_TILE_ID, 6_148_914_691_236_517_204);
        assert_eq!(tile_id(1, 2, 0), None);
        assert_eq!(tile_id(32, 0, 0), None);
    }

    #[test]
    fn find_entry_takes_runs_and_leaves() {
        let entries = [
            Entry {
                tile_id: 0,
                offset: 0,
                length: 1,
                run_length: 1,
            },
            Entry {
                tile_id: 5,
                offset: 1,
                length: 1,
                run_length: 3,
            },
            Entry {
                tile_id: 20,
                offset: 0,
                length: 1,
                run_length: 0,
            },
        ];
        assert_eq!(find_entry(&entries, 0).map(|e| e.tile_id), Some(0));
        assert_eq!(find_entry(&entries, 1), None);
        assert_eq!(find_entry(&entries, 7).map(|e| e.tile_id), Some(5));
        assert_eq!(find_entry(&entries, 8), None);
        assert_eq!(find_entry(&entries, 900).map(|e| e.tile_id), Some(20));
    }
}
