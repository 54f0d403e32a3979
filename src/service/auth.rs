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

/// Refuses with `Throttled` when the account or the address has too many recent failures.
fn check_throttle(
    conn: &mut DbConn,
    settings: &Settings,
    keys: &[(String, i64)],
    at: NaiveDateTime,
) -> Result<(), ServiceError> {
    let window = Duration::minutes(settings.login_window_minutes);
    let since = at - window;
    for (key, limit) in keys {
        if db::throttle::count_since(conn, key, since)? >= *limit {
            let oldest = db::throttle::oldest_since(conn, key, since)?.unwrap_or(at);
            let retry = (oldest + window - at).num_seconds().max(1);
            return Err(ServiceError::Throttled {
                retry_after_secs: retry,
            });
        }
    }
    Ok(())
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

    // The attempt counts as a failure from before the password is weighed until it proves
    // right: attempts at the same moment, on this node or another, each see the ones before
    // them, and no more than the limit are ever weighed.
    let (user, reserved) = {
        let mut conn = db.conn()?;
        let reserved = db::write::<_, ServiceError, _>(&mut conn, |conn| {
            for (key, _) in &keys {
                db::throttle::lock_key(conn, key)?;
            }
            check_throttle(conn, settings, &keys, at)?;
            keys.iter()
                .map(|(key, _)| Ok(db::throttle::reserve(conn, key, at)?))
                .collect::<Result<Vec<i64>, ServiceError>>()
        })?;
        (db::users::find_by_name(&mut conn, &name)?, reserved)
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
            // The failures reserved above stay.
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
