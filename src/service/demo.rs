//! Demo data and the first admin, created through the same service calls as everything else.

use super::{users, ServiceError};
use crate::db::{self, DbConn};
use crate::domain::Role;

/// The demo sign-ins: one per role.
const DEMO_USERS: [(&str, Role); 4] = [
    ("admin", Role::Admin),
    ("chair", Role::Chair),
    ("reviewer", Role::Reviewer),
    ("observer", Role::Observer),
];

/// With no user at all, creates `admin` with a generated password and returns it.
pub fn ensure_admin(conn: &mut DbConn) -> Result<Option<String>, ServiceError> {
    if db::users::count(conn)? > 0 {
        return Ok(None);
    }
    let issued = users::add_user(conn, Some("cordon"), "admin", Role::Admin, None)?;
    Ok(issued.generated_password)
}

/// A demo sign-in, printed once at start.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub password: String,
}

/// Loads the demo into an empty database; returns the sign-ins, or `None` when the database
/// already has users.
pub fn load(conn: &mut DbConn) -> Result<Option<Vec<DemoLogin>>, ServiceError> {
    if db::users::count(conn)? > 0 {
        return Ok(None);
    }
    let mut logins = Vec::new();
    for (name, role) in DEMO_USERS {
        let issued = users::add_user(conn, Some("demo"), name, role, None)?;
        let password = issued.generated_password.unwrap_or_default();
        logins.push(DemoLogin {
            username: issued.value.username,
            role,
            password,
        });
    }
    Ok(Some(logins))
}
