//! Sign-in, sessions and API tokens.

use chrono::{Duration, NaiveDateTime};

use super::secrets::{digest, dummy_hash, random_token, same_secret, verify_password};
use super::{now, ServiceError};
use crate::config::Settings;
use crate::db::{self, Db, DbConn};
use crate::domain::Role;

/// Who is making a request, as every handler sees it.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// The session's CSRF token (empty for API tokens, which need none).
    pub csrf_token: String,
}

/// A new session: the cookie value (never stored) and its CSRF token.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub principal: Principal,
}

/// Where a sign-in comes from, for throttling and the session record.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub addr: Option<String>,
    pub user_agent: Option<String>,
}

fn account_key(username: &str) -> String {
    format!("account:{}", username.trim().to_lowercase())
}

fn address_key(addr: &str) -> String {
    format!("address:{addr}")
}

fn role_of(row: &db::users::UserRow) -> Result<Role, ServiceError> {
    row.role
        .parse()
        .map_err(|e: crate::domain::roles::UnknownRole| ServiceError::Internal(e.to_string()))
}

/// How long a sign-in waits for the attempts being weighed before it (colleagues signing in
/// from one address at the same moment) before it is refused.
const WAIT_FOR_WEIGHING: std::time::Duration = std::time::Duration::from_secs(10);
/// How often a waiting sign-in looks again.
const WAIT_STEP: std::time::Duration = std::time::Duration::from_millis(25);
/// An attempt marked as being weighed for longer than this was lost with its node, and counts as
/// a failure.
const WEIGHING_LOST_AFTER_SECS: i64 = 60;

/// Whether an attempt may be weighed now: `Err(Throttled)` when the account or the address has
/// too many recent failures, `Ok(false)` when its failures and the attempts being weighed reach
/// a limit together (the attempt waits for those to end), `Ok(true)` otherwise.
fn may_weigh(
    conn: &mut DbConn,
    settings: &Settings,
    keys: &[(String, i64)],
    at: NaiveDateTime,
) -> Result<bool, ServiceError> {
    let window = Duration::minutes(settings.login_window_minutes);
    let lost_before = at - Duration::seconds(WEIGHING_LOST_AFTER_SECS);
    let mut free = true;
    for (key, limit) in keys {
        let tally = db::throttle::tally_since(conn, key, at - window, lost_before)?;
        if tally.failed >= *limit {
            let oldest = tally.oldest_failure.unwrap_or(at);
            let retry = (oldest + window - at).num_seconds().max(1);
            return Err(ServiceError::Throttled {
                retry_after_secs: retry,
            });
        }
        free &= tally.failed + tally.weighing < *limit;
    }
    Ok(free)
}

/// Writes the attempt down against each key before its password is weighed, once the limits
/// allow it: attempts at the same moment, on this node or another, each see the ones before
/// them, and no more than a limit are ever weighed at once. Holds a connection only while it
/// writes, never while it waits.
fn reserve_attempt(
    db: &Db,
    settings: &Settings,
    keys: &[(String, i64)],
) -> Result<Vec<i64>, ServiceError> {
    let started = std::time::Instant::now();
    loop {
        let at = now();
        let mut conn = db.conn()?;
        let reserved = db::write::<_, ServiceError, _>(&mut conn, |conn| {
            for (key, _) in keys {
                db::throttle::lock_key(conn, key)?;
            }
            if !may_weigh(conn, settings, keys, at)? {
                return Ok(None);
            }
            keys.iter()
                .map(|(key, _)| Ok(db::throttle::reserve(conn, key, at)?))
                .collect::<Result<Vec<i64>, ServiceError>>()
                .map(Some)
        })?;
        drop(conn);
        match reserved {
            Some(ids) => return Ok(ids),
            None if started.elapsed() < WAIT_FOR_WEIGHING => std::thread::sleep(WAIT_STEP),
            None => {
                return Err(ServiceError::Throttled {
                    retry_after_secs: 1,
                })
            }
        }
    }
}

/// Checks a name and password and opens a session. Unknown name, wrong password and disabled
/// account all give `BadCredentials` after the same amount of work. Holds a connection only for
/// the short database steps, never while argon2 runs.
pub fn login(
    db: &Db,
    settings: &Settings,
    username: &str,
    password: &str,
    client: &Client,
) -> Result<NewSession, ServiceError> {
    let at = now();
    let name = username.trim().to_lowercase();
    let account = account_key(&name);
    let address = client.addr.as_deref().map(address_key);
    let mut keys = vec![(account.clone(), settings.login_max_per_account)];
    if let Some(a) = &address {
        keys.push((a.clone(), settings.login_max_per_address));
    }

    let reserved = reserve_attempt(db, settings, &keys)?;
    let user = {
        let mut conn = db.conn()?;
        db::users::find_by_name(&mut conn, &name)?
    };

    let stored = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or(dummy_hash());
    let password_ok = verify_password(stored, password);

    let mut conn = db.conn()?;
    let user = match user {
        Some(u) if password_ok && !u.disabled => u,
        _ => {
            db::write::<_, ServiceError, _>(&mut conn, |conn| {
                Ok(db::throttle::settle(conn, &reserved)?)
            })?;
            tracing::info!(user = %name, "sign-in refused");
            return Err(ServiceError::BadCredentials);
        }
    };
    let role = role_of(&user)?;
    let token = random_token();
    let csrf = random_token();
    let token_hash = digest(&token);
    let idle_before = at - Duration::minutes(settings.session_idle_minutes);
    let created_before = at - Duration::hours(settings.session_absolute_hours);
    db::write::<_, ServiceError, _>(&mut conn, |conn| {
        db::throttle::forget(conn, &reserved)?;
        db::throttle::clear(conn, &account)?;
        db::throttle::purge_before(conn, at - Duration::minutes(settings.login_window_minutes))?;
        db::sessions::delete_expired(conn, idle_before, created_before)?;
        db::sessions::insert(
            conn,
            &db::sessions::NewSession {
                token_hash: &token_hash,
                user_id: user.id,
                csrf_token: &csrf,
                created_at: at,
                last_seen_at: at,
                client_addr: client.addr.as_deref(),
                user_agent: client.user_agent.as_deref(),
            },
        )?;
        Ok(())
    })?;
    tracing::info!(user = %user.username, "signed in");
    Ok(NewSession {
        token,
        principal: Principal {
            user_id: user.id,
            username: user.username,
            role,
            csrf_token: csrf,
        },
    })
}

/// The principal behind a session cookie, if the session is live. Expired sessions and sessions
/// of disabled users are deleted on sight. `last_seen_at` is written at most once a minute.
pub fn resolve_session(
    conn: &mut DbConn,
    settings: &Settings,
    token: &str,
) -> Result<Option<Principal>, ServiceError> {
    let at = now();
    let hash = digest(token);
    let Some((session, user)) = db::sessions::find_with_user(conn, &hash)? else {
        return Ok(None);
    };
    let idle = at - session.last_seen_at > Duration::minutes(settings.session_idle_minutes);
    let too_old = at - session.created_at > Duration::hours(settings.session_absolute_hours);
    if user.disabled || idle || too_old {
        db::sessions::delete_by_hash(conn, &hash)?;
        return Ok(None);
    }
    if at - session.last_seen_at >= Duration::seconds(60) {
        db::write::<_, db::DbError, _>(conn, |c| db::sessions::touch(c, session.id, at))?;
    }
    Ok(Some(Principal {
        user_id: user.id,
        role: role_of(&user)?,
        username: user.username,
        csrf_token: session.csrf_token,
    }))
}

/// Ends the session behind a cookie (nothing happens when there is none).
pub fn logout(conn: &mut DbConn, token: &str) -> Result<(), ServiceError> {
    db::sessions::delete_by_hash(conn, &digest(token))?;
    Ok(())
}

/// The principal behind a bearer token, if the token is live and its user enabled.
pub fn resolve_api_token(
    conn: &mut DbConn,
    token: &str,
) -> Result<Option<Principal>, ServiceError> {
    if token.len() > 200 {
        return Ok(None);
    }
    let Some((row, user)) = db::tokens::find_live_with_user(conn, &digest(token))? else {
        return Ok(None);
    };
    // The stored digest matched; compare again in constant time for good measure.
    if !same_secret(&row.token_hash, &digest(token)) || user.disabled {
        return Ok(None);
    }
    let at = now();
    if row
        .last_used_at
        .is_none_or(|t| at - t >= Duration::seconds(60))
    {
        db::tokens::mark_used(conn, row.id, at)?;
    }
    Ok(Some(Principal {
        user_id: user.id,
        role: role_of(&user)?,
        username: user.username,
        csrf_token: String::new(),
    }))
}
