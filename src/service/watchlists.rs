//! Restricted-party lists: import a list from CSV (the file replaces the list), the lists with
//! their sizes, and a name search for the Watchlists page. The same calls serve the page and
//! `cordon watchlist import`. Every import bumps `watchlists-version` (screening rebuilds its
//! name index) and is audited, in one transaction.

use super::sites::ImportError;
use super::{now, ServiceError};
use crate::db::sites::NewWatchRow;
use crate::db::{self, DbConn};
use crate::domain::screening::names;
use crate::domain::sites::{parse_list_name, parse_watch_csv};
use crate::domain::ValidationErrors;

/// Most entries a search shows.
pub const SEARCH_LIMIT: usize = 200;
/// Longest search text, in characters.
pub const MAX_QUERY: usize = 300;

/// A list and how many entries it holds.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ListCount {
    /// The list's name.
    pub name: String,
    /// How many entries it holds.
    pub count: i64,
}

/// What an import did to a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListReport {
    /// The list's name, as stored.
    pub list: String,
    /// Entries the list held before (all replaced).
    pub removed: usize,
    /// Entries it holds now.
    pub added: usize,
}

/// An entry found by a search, with how closely its best name matches.
#[derive(Clone, Debug, serde::Serialize)]
pub struct WatchHit {
    /// The list the entry belongs to.
    pub list: String,
    /// The name as listed.
    pub name: String,
    /// Other names the entry is known by.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country: Option<String>,
    /// The sanctions or restriction program.
    pub program: String,
    /// Where the entry comes from.
    pub source: String,
    /// 0 to 1: the fuzzy score of the closest of its name and aliases (normalised names).
    pub score: f64,
}

/// What a search found.
#[derive(Clone, Debug, Default)]
pub struct SearchResult {
    /// Best first, at most `SEARCH_LIMIT`.
    pub hits: Vec<WatchHit>,
    /// How many entries matched.
    pub matching: usize,
}

/// Every list with its number of entries, by name.
pub fn lists(conn: &mut DbConn) -> Result<Vec<ListCount>, ServiceError> {
    Ok(db::sites::list_counts(conn)?
        .into_iter()
        .map(|(name, count)| ListCount { name, count })
        .collect())
}

/// Replaces the list `list_name` with the entries of a CSV file (`name,aliases,country,
/// program,source`). The whole file is checked first and refused with every line's problem;
/// a good file replaces the list in one transaction. `progress(done, total)` is called while
/// rows are written.
pub fn import_list(
    conn: &mut DbConn,
    actor: Option<&str>,
    list_name: &str,
    bytes: &[u8],
    progress: &dyn Fn(usize, usize),
) -> Result<ListReport, ImportError> {
    let list = parse_list_name(list_name)
        .map_err(|m| ServiceError::Validation(ValidationErrors::single("list", m)))?;
    let entries = parse_watch_csv(bytes).map_err(ImportError::Lines)?;
    let total = entries.len();
    let at = now();
    let rows: Vec<NewWatchRow> = entries
        .into_iter()
        .map(|e| NewWatchRow {
            list: list.clone(),
            name: e.name,
            aliases: e.aliases.join(";"),
            country: e.country,
            program: e.program,
            source: e.source,
            created_at: at,
        })
        .collect();
    db::write::<_, ImportError, _>(conn, |conn| {
        db::cases::next_counter(conn, "watchlists-version")?;
        let removed = db::sites::delete_list(conn, &list)?;
        progress(0, total);
        let mut done = 0;
        for chunk in rows.chunks(500) {
            db::sites::insert_watch_many(conn, chunk)?;
            done += chunk.len();
            progress(done, total);
        }
        db::audit::record(
            conn,
            at,
            actor,
            "watchlists.import",
            &format!("{list}: {total} entries from CSV (replacing {removed})"),
        )?;
        Ok(ListReport {
            list: list.clone(),
            removed,
            added: total,
        })
    })
}

/// Finds entries whose name or an alias contains the query (case-insensitive, also after
/// normalising punctuation and legal suffixes), best match first.
pub fn search(conn: &mut DbConn, query: &str) -> Result<SearchResult, ServiceError> {
    let query: String = query.trim().chars().take(MAX_QUERY).collect();
    if query.is_empty() {
        return Ok(SearchResult::default());
    }
    let lower = query.to_lowercase();
    let normal = names::normalize(&query);
    let mut hits: Vec<WatchHit> = Vec::new();
    for row in db::sites::all_watch(conn)? {
        let aliases: Vec<String> = row
            .aliases
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        let mut found = false;
        let mut best: f64 = 0.0;
        for candidate in std::iter::once(&row.name).chain(aliases.iter()) {
            let n = names::normalize(candidate);
            if candidate.to_lowercase().contains(&lower)
                || (!normal.is_empty() && n.contains(&normal))
            {
                found = true;
            }
            best = best.max(names::score(&normal, &n));
        }
        if found {
            hits.push(WatchHit {
                list: row.list,
                name: row.name,
                aliases,
                country: row.country,
                program: row.program,
                source: row.source,
                score: best,
            });
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.list.cmp(&b.list))
    });
    let matching = hits.len();
    hits.truncate(SEARCH_LIMIT);
    Ok(SearchResult { hits, matching })
}

/// What the Watchlists page shows: every list with its size, and what a search found.
pub fn overview(
    conn: &mut DbConn,
    query: &str,
) -> Result<(Vec<ListCount>, SearchResult), ServiceError> {
    Ok((lists(conn)?, search(conn, query)?))
}
