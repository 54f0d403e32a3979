//! Demo data and the first admin, created through the same service calls as everything else.
//!
//! `load` creates one user per role, then replays the cases of [`stories`] (MineOne and Fufeng,
//! as they happened, and four illustrative mines that share a party with MineOne) and
//! [`generated`] (forty made-up cases in every state of the workflow,
//! along the paths of [`segments`]) through [`replay`], each step at the instant it happened,
//! so every event, deadline and hash is what the services would have recorded at the time. The
//! whole load is one transaction: all of it or nothing.

mod generated;
mod replay;
#[rustfmt::skip]
mod segments;
mod stories;

use super::auth::Principal;
use super::clock::Now;
use super::{cases, users, ServiceError};
use crate::db::{self, DbConn};
use crate::domain::workflow::WorkflowSettings;
use crate::domain::Role;
use replay::{Cast, Player};

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
    /// The user name.
    pub username: String,
    /// The user's role.
    pub role: Role,
    /// The generated password (shown once, stored hashed).
    pub password: String,
}

/// Loads the demo into an empty database: the users, then the cases with their histories.
/// Returns the sign-ins, or `None` when the database already has users.
pub fn load(conn: &mut DbConn) -> Result<Option<Vec<DemoLogin>>, ServiceError> {
    if db::users::count(conn)? > 0 {
        return Ok(None);
    }
    let today = Now::real().today;
    db::write::<_, ServiceError, _>(conn, |conn| {
        let mut logins = Vec::new();
        let mut principals = Vec::new();
        for (name, role) in DEMO_USERS {
            let issued = users::add_user(conn, Some("demo"), name, role, None)?;
            principals.push(Principal {
                user_id: issued.value.id,
                username: issued.value.username.clone(),
                role,
                csrf_token: String::new(),
            });
            logins.push(DemoLogin {
                username: issued.value.username,
                role,
                password: issued.generated_password.unwrap_or_default(),
            });
        }
        let find = |role: Role| {
            principals
                .iter()
                .find(|p| p.role == role)
                .cloned()
                .ok_or_else(|| ServiceError::Internal(format!("no demo {role}")))
        };
        let cast = Cast {
            admin: find(Role::Admin)?,
            chair: find(Role::Chair)?,
            reviewer: find(Role::Reviewer)?,
        };
        load_sites_and_lists(conn)?;
        let player = Player {
            cast: &cast,
            ws: WorkflowSettings::default(),
            screener: Default::default(),
            cal: cases::calendar(conn)?,
            today,
        };
        // Logged in date order, so that references run in date order within each year.
        let mut dated = Vec::new();
        let stories = stories::all().into_iter().chain(stories::illustrative());
        for story in stories.chain(generated::all(today)?) {
            dated.push((player.logged_on(&story)?, story));
        }
        dated.sort_by_key(|(day, _)| *day);
        for (_, story) in &dated {
            player.play(conn, story)?;
        }
        Ok(Some(logins))
    })
}

/// Real sites (DOMAIN.md 2.7, with their listing dates), the Microsoft data center in
/// Cheyenne, a few covered ports, and a small watchlist from public lists.
const DEMO_SITES: &[u8] = include_bytes!("../../../data/demo/sites.csv");
const DEMO_WATCHLIST: &[u8] = include_bytes!("../../../data/demo/watchlist.csv");

fn load_sites_and_lists(conn: &mut crate::db::DbConn) -> Result<(), ServiceError> {
    let refused = |e: super::sites::ImportError| ServiceError::Internal(format!("demo data: {e}"));
    super::sites::import_sites(conn, Some("demo"), DEMO_SITES, &|_, _| {}).map_err(refused)?;
    super::watchlists::import_list(
        conn,
        Some("demo"),
        "Public lists (demo)",
        DEMO_WATCHLIST,
        &|_, _| {},
    )
    .map_err(refused)?;
    Ok(())
}
