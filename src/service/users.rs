//! Account administration and API tokens: the same calls serve the admin pages and the CLI.
//! Every change is written to the audit log in the same transaction.

use super::secrets::{digest, generate_password, hash_password, random_token};
use super::{now, ServiceError};
use crate::db::{self, DbConn};
use crate::domain::users::{parse_new_account, NewPassword, Username};
use crate::domain::{Role, ValidationErrors};

/// A user as lists and pages show it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: chrono::NaiveDateTime,
}

impl TryFrom<db::users::UserRow> for UserView {
    type Error = ServiceError;
    fn try_from(row: db::users::UserRow) -> Result<Self, ServiceError> {
        Ok(UserView {
            role: row
                .role
                .parse()
                .map_err(|e: crate::domain::roles::UnknownRole| {
                    ServiceError::Internal(e.to_string())
                })?,
            id: row.id,
            username: row.username,
            disabled: row.disabled,
            created_at: row.created_at,
        })
    }
}

/// A password that the caller must show once: either the one given or a generated one.
#[derive(Clone, Debug)]
pub struct Issued<T> {
    pub value: T,
    /// Set when Cordon generated the password, so it must be printed now.
    pub generated_password: Option<String>,
}

fn choose_password(given: Option<NewPassword>) -> (String, Option<String>) {
    match given {
        Some(p) => (p.expose().to_string(), None),
        None => {
            let p = generate_password();
            (p.clone(), Some(p))
        }
    }
}

/// Creates an account. Without a password, one is generated and returned once.
pub fn add_user(
    conn: &mut DbConn,
    actor: Option<&str>,
    name: &str,
    role: Role,
    password: Option<&str>,
) -> Result<Issued<UserView>, ServiceError> {
    let (name, password) = parse_new_account(name, password)?;
    let (plain, generated) = choose_password(password);
    let hash = hash_password(&plain)?;
    let at = now();
    let row = db::write::<_, ServiceError, _>(conn, |conn| {
        if db::users::find_by_name(conn, name.as_str())?.is_some() {
            return Err(ValidationErrors::single("username", "That user name is taken.").into());
        }
        let row = db::users::insert_user(conn, name.as_str(), &hash, role.as_str(), at)?;
        db::audit::record(
            conn,
            at,
            actor,
            "user.add",
            &format!("{} as {}", row.username, role),
        )?;
        Ok(row)
    })?;
    Ok(Issued {
        value: row.try_into()?,
        generated_password: generated,
    })
}

pub fn list_users(conn: &mut DbConn) -> Result<Vec<UserView>, ServiceError> {
    db::users::list(conn)?
        .into_iter()
        .map(UserView::try_from)
        .collect()
}

fn find(conn: &mut DbConn, name: &str) -> Result<db::users::UserRow, ServiceError> {
    let name = Username::parse(name).map_err(|_| ServiceError::NotFound)?;
    db::users::find_by_name(conn, name.as_str())?.ok_or(ServiceError::NotFound)
}

/// Sets a new password (generated when none is given) and ends the user's sessions.
pub fn reset_password(
    conn: &mut DbConn,
    actor: Option<&str>,
    name: &str,
    password: Option<&str>,
) -> Result<Issued<UserView>, ServiceError> {
    let given = match password.filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => {
            Some(NewPassword::parse(p).map_err(|m| ValidationErrors::single("password", m))?)
        }
    };
    let (plain, generated) = choose_password(given);
    let hash = hash_password(&plain)?;
    let at = now();
    let row = db::write::<_, ServiceError, _>(conn, |conn| {
        let row = find(conn, name)?;
        db::users::set_password(conn, row.id, &hash, at)?;
        db::sessions::delete_for_user(conn, row.id)?;
        db::audit::record(conn, at, actor, "user.passwd", &row.username)?;
        Ok(row)
    })?;
    Ok(Issued {
        value: row.try_into()?,
        generated_password: generated,
    })
}

/// Refuses to leave Cordon without an enabled admin.
fn keep_one_admin(conn: &mut DbConn, row: &db::users::UserRow) -> Result<(), ServiceError> {
    if row.role == "admin" && !row.disabled && db::users::count_active_admins(conn)? <= 1 {
        return Err(ServiceError::Conflict(
            "This is the last enabled admin; add another admin first.".into(),
        ));
    }
    Ok(())
}

/// Disables or re-enables an account; disabling ends its sessions at once.
pub fn set_disabled(
    conn: &mut DbConn,
    actor: Option<&str>,
    name: &str,
    disabled: bool,
) -> Result<UserView, ServiceError> {
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        let mut row = find(conn, name)?;
        if disabled {
            keep_one_admin(conn, &row)?;
            db::sessions::delete_for_user(conn, row.id)?;
        }
        db::users::set_disabled(conn, row.id, disabled, at)?;
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        db::audit::record(conn, at, actor, action, &row.username)?;
        row.disabled = disabled;
        row.try_into()
    })
}

/// Changes an account's role; its sessions carry the new role from their next request.
pub fn set_role(
    conn: &mut DbConn,
    actor: Option<&str>,
    name: &str,
    role: Role,
) -> Result<UserView, ServiceError> {
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        let mut row = find(conn, name)?;
        if role != Role::Admin {
            keep_one_admin(conn, &row)?;
        }
        db::users::set_role(conn, row.id, role.as_str(), at)?;
        db::audit::record(
            conn,
            at,
            actor,
            "user.role",
            &format!("{} to {}", row.username, role),
        )?;
        row.role = role.as_str().to_string();
        row.try_into()
    })
}

/// An API token as lists show it (never the secret).
#[derive(Clone, Debug, serde::Serialize)]
pub struct TokenView {
    pub id: i64,
    pub username: String,
    pub label: String,
    pub created_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

/// The longest token label.
pub const MAX_LABEL_LEN: usize = 100;

/// Creates a token for a user; the secret is returned once and stored only as its SHA-256.
pub fn create_token(
    conn: &mut DbConn,
    actor: Option<&str>,
    name: &str,
    label: &str,
) -> Result<(TokenView, String), ServiceError> {
    let label = label.trim();
    if label.chars().count() > MAX_LABEL_LEN {
        return Err(ValidationErrors::single(
            "label",
            format!("At most {MAX_LABEL_LEN} characters."),
        )
        .into());
    }
    if label.chars().any(char::is_control) {
        return Err(ValidationErrors::single("label", "No control characters.").into());
    }
    let secret = format!("cordon_{}", random_token());
    let at = now();
    let view = db::write::<_, ServiceError, _>(conn, |conn| {
        let user = match Username::parse(name)
            .ok()
            .map(|n| db::users::find_by_name(conn, n.as_str()))
        {
            Some(found) => found?,
            None => None,
        }
        .ok_or_else(|| ValidationErrors::single("username", "No such user."))?;
        if user.disabled {
            return Err(ValidationErrors::single("username", "That user is disabled.").into());
        }
        let row = db::tokens::insert(conn, user.id, label, &digest(&secret), at)?;
        db::audit::record(
            conn,
            at,
            actor,
            "token.create",
            &format!("#{} for {}", row.id, user.username),
        )?;
        Ok(TokenView {
            id: row.id,
            username: user.username,
            label: row.label,
            created_at: row.created_at,
            last_used_at: None,
            revoked_at: None,
        })
    })?;
    Ok((view, secret))
}

/// Revokes a live token by id.
pub fn revoke_token(conn: &mut DbConn, actor: Option<&str>, id: i64) -> Result<(), ServiceError> {
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        let row = db::tokens::revoke(conn, id, at)?;
        db::audit::record(conn, at, actor, "token.revoke", &format!("#{}", row.id))?;
        Ok(())
    })
}

pub fn list_tokens(conn: &mut DbConn) -> Result<Vec<TokenView>, ServiceError> {
    Ok(db::tokens::list_with_owner(conn)?
        .into_iter()
        .map(|(t, username)| TokenView {
            id: t.id,
            username,
            label: t.label,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        })
        .collect())
}

/// The latest entries of the administrative audit log, newest first.
pub fn recent_audit(
    conn: &mut DbConn,
    limit: i64,
) -> Result<Vec<db::audit::AuditRow>, ServiceError> {
    Ok(db::audit::recent(conn, limit)?)
}
