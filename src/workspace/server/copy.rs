//! Bulk writes through `COPY … FROM STDIN` in PostgreSQL's text format: whole tables (a
//! re-ingest, a copy of a workspace, millions of incidents) go in at the speed of the wire
//! instead of one statement per row.

use std::io::Write;

use postgres::Transaction;

/// Rows in COPY's text format, written out to the server in chunks.
pub struct Rows<'a> {
    writer: postgres::CopyInWriter<'a>,
    buffer: Vec<u8>,
    first: bool,
    failed: bool,
}

/// How much is gathered before it is sent.
const CHUNK: usize = 1 << 20;

impl<'a> Rows<'a> {
    /// Starts `COPY table (columns) FROM STDIN`.
    pub fn start(
        tx: &'a mut Transaction<'_>,
        table: &str,
        columns: &str,
    ) -> Result<Self, postgres::Error> {
        let writer = tx.copy_in(&format!("COPY {table} ({columns}) FROM STDIN"))?;
        Ok(Self {
            writer,
            buffer: Vec::with_capacity(CHUNK + 4096),
            first: true,
            failed: false,
        })
    }

    fn separate(&mut self) {
        if !self.first {
            self.buffer.push(b'\t');
        }
        self.first = false;
    }

    /// A text value, escaped; `None` is SQL NULL.
    pub fn text(&mut self, value: Option<&str>) -> &mut Self {
        self.separate();
        match value {
            None => self.buffer.extend_from_slice(b"\\N"),
            Some(text) => escape(text, &mut self.buffer),
        }
        self
    }

    /// A value whose text form needs no escaping (numbers, dates, hex geometry).
    pub fn plain(&mut self, value: Option<impl std::fmt::Display>) -> &mut Self {
        self.separate();
        match value {
            None => self.buffer.extend_from_slice(b"\\N"),
            Some(value) => {
                let _ = write!(self.buffer, "{value}");
            }
        }
        self
    }

    /// A WGS 84 point as hex EWKB, which PostGIS reads without parsing text.
    pub fn point(&mut self, lon: f64, lat: f64) -> &mut Self {
        self.separate();
        let mut bytes = Vec::with_capacity(25);
        bytes.push(1u8);
        bytes.extend_from_slice(&0x2000_0001u32.to_le_bytes());
        bytes.extend_from_slice(&4326u32.to_le_bytes());
        bytes.extend_from_slice(&lon.to_le_bytes());
        bytes.extend_from_slice(&lat.to_le_bytes());
        for byte in bytes {
            let _ = write!(self.buffer, "{byte:02X}");
        }
        self
    }

    /// Ends a row; sends what was gathered once it is large.
    pub fn end_row(&mut self) {
        self.buffer.push(b'\n');
        self.first = true;
        if self.buffer.len() >= CHUNK {
            self.send();
        }
    }

    fn send(&mut self) {
        if !self.failed && self.writer.write_all(&self.buffer).is_err() {
            // The server's own error comes back from `finish`.
            self.failed = true;
        }
        self.buffer.clear();
    }

    /// Sends the rest; returns how many rows the server took.
    pub fn finish(mut self) -> Result<u64, postgres::Error> {
        self.send();
        self.writer.finish()
    }
}

fn escape(text: &str, out: &mut Vec<u8>) {
    for &byte in text.as_bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            // NUL cannot be stored in a PostgreSQL text value.
            0 => {}
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_copy() {
        let mut out = Vec::new();
        escape("a\tb\\c\nd\re\0f", &mut out);
        assert_eq!(
            out,
            b"a\\tb\\\\c\\nd\\re f"
                .iter()
                .copied()
                .filter(|&b| b != b' ')
                .collect::<Vec<_>>()
        );
    }
}
