//! In-memory indices built from the database: the spatial site index and the watchlist name index.
