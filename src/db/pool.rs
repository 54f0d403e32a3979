//! Connection pool for either backend, with SQLite pragmas applied when a connection opens.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

use super::{DbConn, DbError};

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A parsed `DATABASE_URL`: `sqlite://PATH`, `sqlite:PATH`, a bare path, or `postgres://…`.
#[derive(Clone, Debug)]
pub struct DbUrl {
    pub backend: Backend,
    /// What the driver is given: the file path for SQLite, the URL for PostgreSQL.
    pub target: String,
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl {
                backend: Backend::Postgres,
                target: url.to_string(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(DbError::Pool(format!("unsupported database URL: {url}")));
        }
        Ok(DbUrl {
            backend: Backend::Sqlite,
            target: path.to_string(),
        })
    }
}

/// Opens connections of the right backend; never guesses from a failed attempt.
#[derive(Clone, Debug)]
pub struct Manager {
    url: DbUrl,
}

/// SQLite settings for every connection: WAL for concurrent readers, foreign keys, a busy
/// timeout so writers queue instead of failing, and FULL sync so an acknowledged write
/// (above all an event) survives a crash.
/// (WAL itself is a property of the file, set once when the pool opens.)
const SQLITE_PRAGMAS: &str =
    "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        match self.url.backend {
            Backend::Postgres => PgConnection::establish(&self.url.target)
                .map(DbConn::Pg)
                .map_err(diesel::r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url.target)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map(|_| ())
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

#[derive(diesel::QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = diesel::sql_types::Text)]
    compile_options: String,
}

/// Whether the SQLite in this build keeps a statement's plan whatever values are bound
/// (`SQLITE_ENABLE_QPSG`), so that prepared statements are reused rather than compiled again.
pub fn stable_plans(conn: &mut SqliteConnection) -> Result<bool, DbError> {
    let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options").load(conn)?;
    Ok(options.iter().any(|o| o.compile_options == "ENABLE_QPSG"))
}

/// The pool plus what callers need to know about it. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    pub url: DbUrl,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.url.backend)
            .finish()
    }
}

impl Db {
    /// Opens a pool. SQLite gets a small pool (one writer at a time anyway); PostgreSQL more.
    pub fn open(url: &str, max_size: u32) -> Result<Self, DbError> {
        let url = DbUrl::parse(url)?;
        if url.backend == Backend::Sqlite {
            // Switch the file to WAL once, before several connections race to do it.
            let mut conn = SqliteConnection::establish(&url.target)
                .map_err(|e| DbError::Pool(format!("cannot open {}: {e}", url.target)))?;
            conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")?;
            if !stable_plans(&mut conn)? {
                tracing::warn!(
                    "SQLite was built without SQLITE_ENABLE_QPSG (see .cargo/config.toml): \
                     statements with LIMIT are compiled again on every run"
                );
            }
        }
        let pool = Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(10))
            .build(Manager { url: url.clone() })?;
        Ok(Db { pool, url })
    }

    pub fn conn(&self) -> Result<PooledConnection<Manager>, DbError> {
        Ok(self.pool.get()?)
    }

    /// Runs blocking database work off the async executor.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        let joined = actix_web::web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(e) => Err(E::from(DbError::Pool(format!("worker failed: {e}")))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_bundled_sqlite_keeps_plans_whatever_is_bound() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        assert!(
            stable_plans(&mut conn).unwrap(),
            "build with .cargo/config.toml's LIBSQLITE3_FLAGS"
        );
    }
}
