//! Write transactions. SQLite lets one writer in at a time and makes the others wait in its busy
//! handler, which sleeps and retries: under load some writers sleep for seconds while others
//! get in. So on SQLite the writers of this process take turns on a lock first and then begin
//! with `BEGIN IMMEDIATE`, which holds the write lock from the start: they wait in order, for
//! as long as the writers before them take. PostgreSQL keeps its own row-level concurrency.

use std::cell::Cell;
use std::sync::{Mutex, PoisonError};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::Error;
use diesel::Connection;

use super::DbConn;

/// The turn of this process's SQLite writers. One lock for the process: a node serves one
/// database, and writes are short.
static TURN: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread holds the turn (a nested write becomes a savepoint).
    static HOLDING: Cell<bool> = const { Cell::new(false) };
}

/// Clears `HOLDING` when the write ends, however it ends.
struct Holding;

impl Drop for Holding {
    fn drop(&mut self) {
        HOLDING.with(|h| h.set(false));
    }
}

/// Runs `f` in one transaction: committed when it returns `Ok`, rolled back otherwise.
pub fn write<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<Error>,
{
    if matches!(conn, DbConn::Pg(_)) || HOLDING.with(Cell::get) {
        return conn.transaction(f);
    }
    let _turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    HOLDING.with(|h| h.set(true));
    let _holding = Holding;
    if let DbConn::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    let result = f(conn);
    let DbConn::Sqlite(c) = conn else {
        return result;
    };
    match result {
        Ok(value) => match AnsiTransactionManager::commit_transaction(c) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = AnsiTransactionManager::rollback_transaction(c);
                Err(e.into())
            }
        },
        Err(e) => {
            AnsiTransactionManager::rollback_transaction(c)?;
            Err(e)
        }
    }
}
