//! The map view: tile sources, the query of what to show, and the drawing of it.

pub mod annotations;
pub mod areas;
pub mod basemap;
pub mod bidi;
pub mod columns;
pub mod edit;
pub mod heat;
pub mod index;
pub mod markers;
pub mod measure;
pub mod panels;
pub mod query;
pub mod shown;
pub mod style;
