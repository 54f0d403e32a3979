//! Persistence: the only module that names diesel. One code path serves SQLite and PostgreSQL
//! through a `MultiConnection`; backend-specific SQL stays inside the function that needs it.

pub mod attachments;
pub mod audit;
pub mod bulk;
pub mod cases;
pub mod closures;
pub mod error;
pub mod events;
pub mod export_keys;
pub mod imports;
pub mod maps;
pub mod migrate;
pub mod pool;
pub mod queue;
pub mod related;
pub mod reports;
pub mod rules;
pub mod schema;
pub mod sessions;
pub mod sites;
pub mod stats;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod writer;

use diesel::{PgConnection, SqliteConnection};

pub use error::DbError;
pub use pool::{Backend, Db, DbUrl};
pub use writer::write;

/// A connection to either backend. Queries are written once against this type.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// A time as stored: UTC, whole seconds, so both backends compare it identically.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    let naive = at.naive_utc();
    chrono::Timelike::with_nanosecond(&naive, 0).unwrap_or(naive)
}

/// One round trip, for health checks.
pub fn ping(conn: &mut DbConn) -> Result<(), DbError> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}
