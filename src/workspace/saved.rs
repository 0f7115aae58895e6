//! Where a workspace is saved: a file on this computer, or a database server a desk shares.
//! Both keep the same tables and answer the same calls; the desk does not tell them apart
//! except to take in what others changed on a server.

use std::path::Path;

use super::Source;
use super::annotations::Annotation;
use super::corrections::Correction;
use super::file::{Machine, WorkspaceFile};
use super::server::{RecordError, ServerUrl, WorkspaceServer};
use crate::articles::feeds;
use crate::store::Store;

#[derive(Debug)]
pub enum Saved {
    File(WorkspaceFile),
    Server(Box<WorkspaceServer>),
}

impl Saved {
    /// Opens the workspace a source names (a file or a server URL).
    pub fn open(source: &Source) -> Result<Self, String> {
        match source {
            Source::Server(url) => Ok(Self::Server(Box::new(WorkspaceServer::open(url)?))),
            other => Ok(Self::File(WorkspaceFile::open(other.path())?)),
        }
    }

    /// Creates an empty workspace where a source names (a new file, an empty database).
    pub fn create(source: &Source) -> Result<Self, String> {
        match source {
            Source::Server(url) => Ok(Self::Server(Box::new(WorkspaceServer::create(url)?))),
            other => Ok(Self::File(WorkspaceFile::create(other.path())?)),
        }
    }

    /// Where it is, as a source to open again.
    pub fn source(&self) -> Source {
        match self {
            Self::File(file) => Source::Workspace(file.path().to_owned()),
            Self::Server(server) => Source::Server(server.url().clone()),
        }
    }

    pub fn file_path(&self) -> Option<&Path> {
        match self {
            Self::File(file) => Some(file.path()),
            Self::Server(_) => None,
        }
    }

    pub fn server_url(&self) -> Option<&ServerUrl> {
        match self {
            Self::File(_) => None,
            Self::Server(server) => Some(server.url()),
        }
    }

    pub fn server(&self) -> Option<&WorkspaceServer> {
        match self {
            Self::File(_) => None,
            Self::Server(server) => Some(server),
        }
    }

    pub fn read_only(&self) -> bool {
        matches!(self, Self::Server(server) if server.read_only())
    }

    pub fn sources(&self) -> Result<Vec<Source>, String> {
        match self {
            Self::File(file) => file.sources(),
            Self::Server(server) => server.sources(),
        }
    }

    pub fn machine(&self) -> Result<Machine, String> {
        match self {
            Self::File(file) => file.machine(),
            Self::Server(server) => server.machine(),
        }
    }

    pub fn corrections(&self) -> Result<(Vec<Correction>, Vec<Correction>), String> {
        match self {
            Self::File(file) => file.corrections(),
            Self::Server(server) => server.corrections(),
        }
    }

    pub fn replace_machine(
        &mut self,
        sources: &[Source],
        machine: &Machine,
        layer: &Store,
    ) -> Result<(), String> {
        match self {
            Self::File(file) => file.replace_machine(sources, machine, layer),
            Self::Server(server) => server.replace_machine(sources, machine, layer),
        }
    }

    /// Records a correction; `keep_author` keeps its author and time as they are (a copy),
    /// else a server records its database role and its own clock.
    pub fn record(
        &mut self,
        correction: Correction,
        before: &Store,
        rebuild: impl Fn(&Correction) -> Store,
        keep_author: bool,
    ) -> Result<(Correction, Store), RecordError> {
        match self {
            Self::File(file) => Ok(file.record(correction, before, rebuild)?),
            Self::Server(server) => server.record(correction, before, rebuild, keep_author),
        }
    }

    pub fn set_undone(
        &mut self,
        seq: i64,
        undone: bool,
        before: &Store,
        after: &Store,
    ) -> Result<(), RecordError> {
        match self {
            Self::File(file) => Ok(file.set_undone(seq, undone, before, after)?),
            Self::Server(server) => server.set_undone(seq, undone, before, after),
        }
    }

    pub fn annotations(&self) -> Result<Vec<Annotation>, String> {
        match self {
            Self::File(file) => file.annotations(),
            Self::Server(server) => server.annotations(),
        }
    }

    /// Saves a mark (a new one when its id is 0); `keep_author` keeps its author and time as
    /// they are (a copy), else a server records its database role and its own clock. Returns
    /// the mark as saved, with its id.
    pub fn save_annotation(
        &self,
        annotation: &Annotation,
        keep_author: bool,
    ) -> Result<Annotation, String> {
        match self {
            Self::File(file) => Ok(Annotation {
                id: file.save_annotation(annotation)?,
                ..annotation.clone()
            }),
            Self::Server(server) => server.save_annotation(annotation, keep_author),
        }
    }

    pub fn delete_annotation(&self, id: i64) -> Result<(), String> {
        match self {
            Self::File(file) => file.delete_annotation(id),
            Self::Server(server) => server.delete_annotation(id),
        }
    }

    pub fn add_feed(&self, url: &str) -> Result<(), String> {
        match self {
            Self::File(file) => file.add_feed(url),
            Self::Server(server) => server.add_feed(url),
        }
    }

    pub fn feeds(&self) -> Result<Vec<feeds::Feed>, String> {
        match self {
            Self::File(file) => file.feeds(),
            Self::Server(server) => server.feeds(),
        }
    }

    pub fn record_feeds(
        &self,
        looked: &[feeds::Feed],
        taken: &[(String, feeds::Item, String)],
    ) -> Result<(), String> {
        match self {
            Self::File(file) => file.record_feeds(looked, taken),
            Self::Server(server) => server.record_feeds(looked, taken),
        }
    }
}
