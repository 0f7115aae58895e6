//! incident-map: read news articles, find incidents, place them on an offline map.
