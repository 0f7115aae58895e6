//! The map view: tile sources, the query of what to show, and the drawing of it.

pub mod annotations;
pub mod areas;
pub mod basemap;
pub mod edit;
pub mod index;
pub mod markers;
pub mod panels;
pub mod query;
pub mod shown;
pub mod style;
