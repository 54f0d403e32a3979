//! What is stored, as one comparable value: every row of every table, read through one query,
//! so a refused request can be shown to have changed nothing.
//!
//! Left out, because the battery's own refused requests change them by design:
//! - `sessions.last_seen_at` and `api_tokens.last_used_at`: every request of a signed-in user
//!   or a token touches them (the idle timeout and the token list need it);
//! - `login_failures`: every refused sign-in is counted there for throttling, which is the
//!   point of the table, and the battery sends hostile sign-ins on purpose.

use std::collections::BTreeMap;

use diesel::sql_types::Text;

use crate::support::{Backend, TestApp};

/// Columns whose change is a touch, not stored data.
const TOUCH_COLUMNS: &[(&str, &str)] =
    &[("sessions", "last_seen_at"), ("api_tokens", "last_used_at")];

/// Tables that the battery's refused requests write to by design.
const SKIPPED_TABLES: &[&str] = &["login_failures"];

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    t: String,
    #[diesel(sql_type = Text)]
    r: String,
}

/// The rows of every table, sorted within each table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<String, Vec<String>>);

/// Reads the whole database in one query, made once per application.
pub struct Snapshotter {
    sql: String,
    tables: Vec<String>,
}

fn skipped(table: &str) -> bool {
    SKIPPED_TABLES.contains(&table)
}

fn touch(table: &str, column: &str) -> bool {
    TOUCH_COLUMNS.contains(&(table, column))
}

impl Snapshotter {
    pub fn new(app: &TestApp) -> Snapshotter {
        let (tables, parts) = match app.backend {
            Backend::Sqlite => {
                let tables: Vec<String> = app
                    .load::<Name>(
                        "SELECT name FROM sqlite_master WHERE type = 'table' \
                         AND name NOT LIKE 'sqlite_%' ORDER BY name",
                    )
                    .into_iter()
                    .map(|n| n.name)
                    .filter(|t| !skipped(t))
                    .collect();
                let parts = tables
                    .iter()
                    .map(|t| {
                        let cols: Vec<String> = app
                            .load::<Name>(&format!(
                                "SELECT name FROM pragma_table_info('{t}') ORDER BY cid"
                            ))
                            .into_iter()
                            .map(|n| n.name)
                            .filter(|c| !touch(t, c))
                            .map(|c| format!("quote(\"{c}\")"))
                            .collect();
                        format!(
                            "SELECT '{t}' AS t, {} AS r FROM \"{t}\"",
                            cols.join(" || ',' || ")
                        )
                    })
                    .collect::<Vec<_>>();
                (tables, parts)
            }
            Backend::Postgres => {
                let tables: Vec<String> = app
                    .load::<Name>(
                        "SELECT table_name::text AS name FROM information_schema.tables \
                         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
                         ORDER BY table_name",
                    )
                    .into_iter()
                    .map(|n| n.name)
                    .filter(|t| !skipped(t))
                    .collect();
                let parts = tables
                    .iter()
                    .map(|t| {
                        let minus: String = TOUCH_COLUMNS
                            .iter()
                            .filter(|(table, _)| table == t)
                            .map(|(_, c)| format!(" - '{c}'"))
                            .collect();
                        format!("SELECT '{t}' AS t, (to_jsonb(x){minus})::text AS r FROM \"{t}\" x")
                    })
                    .collect::<Vec<_>>();
                (tables, parts)
            }
        };
        assert!(
            tables.iter().any(|t| t == "cases") && tables.iter().any(|t| t == "events"),
            "the snapshot sees the case tables: {tables:?}"
        );
        Snapshotter {
            sql: parts.join(" UNION ALL "),
            tables,
        }
    }

    /// How many tables a snapshot covers.
    pub fn tables(&self) -> usize {
        self.tables.len()
    }

    pub fn take(&self, app: &TestApp) -> Snapshot {
        let mut all: BTreeMap<String, Vec<String>> = self
            .tables
            .iter()
            .map(|t| (t.clone(), Vec::new()))
            .collect();
        for row in app.load::<Row>(&self.sql) {
            all.entry(row.t).or_default().push(row.r);
        }
        for rows in all.values_mut() {
            rows.sort();
        }
        Snapshot(all)
    }
}

fn cut(s: &str) -> String {
    let short: String = s.chars().take(300).collect();
    if short.len() < s.len() {
        format!("{short}…")
    } else {
        short
    }
}

impl Snapshot {
    /// What differs from `before`, table by table (rows gone and rows new), or `None`.
    pub fn changes_since(&self, before: &Snapshot, allowed: &[&str]) -> Option<String> {
        if self == before {
            return None;
        }
        let mut out = Vec::new();
        for (table, rows) in &self.0 {
            if allowed.contains(&table.as_str()) {
                continue;
            }
            let old = before.0.get(table).cloned().unwrap_or_default();
            if &old == rows {
                continue;
            }
            let gone: Vec<&String> = old.iter().filter(|r| !rows.contains(r)).collect();
            let new: Vec<&String> = rows.iter().filter(|r| !old.contains(r)).collect();
            out.push(format!("table {table}:"));
            for r in gone.iter().take(3) {
                out.push(format!("  - {}", cut(r)));
            }
            for r in new.iter().take(3) {
                out.push(format!("  + {}", cut(r)));
            }
        }
        (!out.is_empty()).then(|| out.join("\n"))
    }
}
