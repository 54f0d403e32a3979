//! In-memory indices built from the database: the spatial site index and the watchlist name index.
//!
//! Both are plain data structures over the rows the screening needs ([`Site`]s and
//! [`WatchEntry`]s), built once from the database and rebuilt whenever those rows change (a site
//! or watchlist import, an edit); they are never updated in place. [`SiteIndex`] answers the
//! screening's [`SiteLookup`] with an R-tree over the sites' centres on the unit sphere;
//! [`NameIndex`] answers [`NameLookup`] with an inverted index of name words, their one-letter
//! deletions and run-together word pairs, checked by trigram similarity. [`ScanSites`] and
//! [`ScanNames`] answer the same questions by looking at every row: the reference the indices are
//! tested and benchmarked against.
//!
//! [`Site`]: crate::domain::screening::Site
//! [`WatchEntry`]: crate::domain::screening::WatchEntry
//! [`SiteLookup`]: crate::domain::screening::SiteLookup
//! [`NameLookup`]: crate::domain::screening::NameLookup

pub mod names;
pub mod sites;

#[cfg(test)]
mod testing;

pub use names::{NameIndex, ScanNames};
pub use sites::{ScanSites, SiteIndex};
