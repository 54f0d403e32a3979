//! Embedded migrations, one directory per backend with the same folder names.

use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::{DbConn, DbError};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// An arbitrary constant key so that two nodes starting together migrate one after the other.
const PG_MIGRATION_LOCK: i64 = 0x636f_7264_6f6e;

/// Runs every pending migration; returns how many ran.
pub fn run(conn: &mut DbConn) -> Result<usize, DbError> {
    match conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE)
            .map(|v| v.len())
            .map_err(|e| DbError::Migration(e.to_string())),
        DbConn::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|v| v.len())
                .map_err(|e| DbError::Migration(e.to_string()));
            c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"))?;
            result
        }
    }
}
