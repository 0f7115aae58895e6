//! Tests of the whole geoparser on the bundled gazetteer and the seed articles.
