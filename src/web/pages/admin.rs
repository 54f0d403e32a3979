//! Admin pages: users, API tokens and the audit log.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::db;
use crate::domain::{Role, ValidationErrors};
use crate::service::users::{TokenView, UserView};
use crate::service::{self, ServiceError};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{redirect, render, Flash, PageCtx};
use crate::web::AppState;

/// A secret shown once, right after it was made.
pub struct Shown {
    pub subject: String,
    pub secret: String,
}

#[derive(Template)]
#[template(path = "pages/admin/users.html")]
struct UsersPage {
    ctx: PageCtx,
    users: Vec<UserView>,
    roles: [Role; 4],
    username: String,
    role: String,
    errors: ValidationErrors,
    shown: Option<Shown>,
}

impl UsersPage {
    fn role_selected(&self, r: &Role) -> bool {
        self.role == r.as_str()
    }
}

pub async fn index() -> HttpResponse {
    redirect("/admin/users", None)
}

async fn users_page(
    state: &AppState,
    ctx: PageCtx,
    status: StatusCode,
    form: (String, String, ValidationErrors),
    shown: Option<Shown>,
) -> Result<HttpResponse, WebError> {
    let users = state.db.run(service::users::list_users).await?;
    let (username, role, errors) = form;
    let page = UsersPage {
        ctx: ctx.clone(),
        users,
        roles: Role::ALL,
        username,
        role,
        errors,
        shown,
    };
    render(status, &ctx, &page)
}

pub async fn users(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, WebError> {
    users_page(
        &state,
        ctx,
        StatusCode::OK,
        (String::new(), "reviewer".into(), ValidationErrors::new()),
        None,
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct AddUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub async fn add_user(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<AddUserForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let kept = (
        form.username.chars().take(64).collect::<String>(),
        form.role.chars().take(16).collect::<String>(),
    );
    let role = form.role.parse::<Role>();
    let actor = user.0.username.clone();
    let result = match role {
        Err(_) => Err(ServiceError::Validation(ValidationErrors::single(
            "role",
            "Choose one of the four roles.",
        ))),
        Ok(role) => {
            let (name, password) = (form.username, form.password);
            state
                .db
                .run(move |conn| {
                    service::users::add_user(conn, Some(&actor), &name, role, Some(&password))
                })
                .await
        }
    };
    match result {
        Ok(issued) => {
            let shown = issued.generated_password.map(|secret| Shown {
                subject: issued.value.username.clone(),
                secret,
            });
            let message = format!("Added {} as {}.", issued.value.username, issued.value.role);
            match shown {
                Some(shown) => {
                    users_page(
                        &state,
                        ctx,
                        StatusCode::OK,
                        (String::new(), "reviewer".into(), ValidationErrors::new()),
                        Some(shown),
                    )
                    .await
                }
                None => Ok(redirect("/admin/users", Some(("ok", &message)))),
            }
        }
        Err(ServiceError::Validation(errors)) => {
            users_page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                (kept.0, kept.1, errors),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The page context with a refusal to show at the top of the page.
fn refused(mut ctx: PageCtx, message: String) -> PageCtx {
    ctx.flash = Some(Flash {
        kind: "error",
        message,
    });
    ctx
}

/// The users page answering a refused change: the status and why, nothing changed.
async fn users_refused(
    state: &AppState,
    ctx: PageCtx,
    status: StatusCode,
    message: String,
) -> Result<HttpResponse, WebError> {
    users_page(
        state,
        refused(ctx, message),
        status,
        (String::new(), "reviewer".into(), ValidationErrors::new()),
        None,
    )
    .await
}

/// Runs a change to one user and comes back to the list with what happened; a refusal is
/// answered with its status and the reason on the list.
async fn user_action<F>(
    state: &AppState,
    ctx: PageCtx,
    done: String,
    f: F,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce(&mut db::DbConn) -> Result<UserView, ServiceError> + Send + 'static,
{
    match state.db.run(f).await {
        Ok(_) => Ok(redirect("/admin/users", Some(("ok", &done)))),
        Err(ServiceError::Conflict(m)) => users_refused(state, ctx, StatusCode::CONFLICT, m).await,
        Err(ServiceError::Validation(v)) => {
            let message = v.iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ");
            users_refused(state, ctx, StatusCode::UNPROCESSABLE_ENTITY, message).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn disable_user(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    name: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (actor, name) = (user.0.username, name.into_inner());
    let done = format!("Disabled {name}; their sessions have ended.");
    user_action(&state, ctx, done, move |c| {
        service::users::set_disabled(c, Some(&actor), &name, true)
    })
    .await
}

pub async fn enable_user(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    name: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (actor, name) = (user.0.username, name.into_inner());
    let done = format!("Enabled {name}.");
    user_action(&state, ctx, done, move |c| {
        service::users::set_disabled(c, Some(&actor), &name, false)
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    name: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, WebError> {
    let Ok(role) = form.role.parse::<Role>() else {
        let message = "Choose one of the four roles; nothing was changed.".to_string();
        return users_refused(&state, ctx, StatusCode::UNPROCESSABLE_ENTITY, message).await;
    };
    let (actor, name) = (user.0.username, name.into_inner());
    let done = format!("{name} is now {role}.");
    user_action(&state, ctx, done, move |c| {
        service::users::set_role(c, Some(&actor), &name, role)
    })
    .await
}

pub async fn reset_password(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    name: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (actor, name) = (user.0.username, name.into_inner());
    let issued = state
        .db
        .run(move |c| service::users::reset_password(c, Some(&actor), &name, None))
        .await?;
    let shown = issued.generated_password.map(|secret| Shown {
        subject: issued.value.username,
        secret,
    });
    users_page(
        &state,
        ctx,
        StatusCode::OK,
        (String::new(), "reviewer".into(), ValidationErrors::new()),
        shown,
    )
    .await
}

#[derive(Template)]
#[template(path = "pages/admin/tokens.html")]
struct TokensPage {
    ctx: PageCtx,
    tokens: Vec<TokenView>,
    usernames: Vec<String>,
    username: String,
    label: String,
    errors: ValidationErrors,
    shown: Option<Shown>,
}

async fn tokens_page(
    state: &AppState,
    ctx: PageCtx,
    status: StatusCode,
    form: (String, String, ValidationErrors),
    shown: Option<Shown>,
) -> Result<HttpResponse, WebError> {
    let (tokens, users) = state
        .db
        .run(|c| {
            Ok::<_, ServiceError>((
                service::users::list_tokens(c)?,
                service::users::list_users(c)?,
            ))
        })
        .await?;
    let usernames = users
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| u.username)
        .collect();
    let (username, label, errors) = form;
    let page = TokensPage {
        ctx: ctx.clone(),
        tokens,
        usernames,
        username,
        label,
        errors,
        shown,
    };
    render(status, &ctx, &page)
}

pub async fn tokens(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, WebError> {
    tokens_page(
        &state,
        ctx,
        StatusCode::OK,
        (String::new(), String::new(), ValidationErrors::new()),
        None,
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    label: String,
}

pub async fn create_token(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let kept = (
        form.username.chars().take(64).collect::<String>(),
        form.label.chars().take(200).collect::<String>(),
    );
    let actor = user.0.username;
    let (name, label) = (form.username, form.label);
    match state
        .db
        .run(move |c| service::users::create_token(c, Some(&actor), &name, &label))
        .await
    {
        Ok((view, secret)) => {
            let shown = Shown {
                subject: format!("#{} for {}", view.id, view.username),
                secret,
            };
            tokens_page(
                &state,
                ctx,
                StatusCode::OK,
                (String::new(), String::new(), ValidationErrors::new()),
                Some(shown),
            )
            .await
        }
        Err(ServiceError::Validation(errors)) => {
            tokens_page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                (kept.0, kept.1, errors),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let (actor, id) = (user.0.username, id.into_inner());
    match state
        .db
        .run(move |c| service::users::revoke_token(c, Some(&actor), id))
        .await
    {
        Ok(()) => Ok(redirect(
            "/admin/tokens",
            Some(("ok", &format!("Token #{id} revoked."))),
        )),
        Err(ServiceError::NotFound) => {
            let message = format!("Token #{id} does not exist or is already revoked.");
            tokens_page(
                &state,
                refused(ctx, message),
                StatusCode::NOT_FOUND,
                (String::new(), String::new(), ValidationErrors::new()),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "pages/admin/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    entries: Vec<db::audit::AuditRow>,
}

pub async fn audit(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, WebError> {
    let entries = state
        .db
        .run(|c| service::users::recent_audit(c, 500))
        .await?;
    render(
        StatusCode::OK,
        &ctx,
        &AuditPage {
            ctx: ctx.clone(),
            entries,
        },
    )
}

#[derive(Template)]
#[template(path = "pages/admin/closures.html")]
struct ClosuresPage {
    ctx: PageCtx,
    closures: Vec<(chrono::NaiveDate, String)>,
    holidays: Vec<(chrono::NaiveDate, &'static str)>,
    year: i32,
    day: String,
    label: String,
    errors: ValidationErrors,
}

async fn closures_page(
    state: &AppState,
    ctx: PageCtx,
    status: StatusCode,
    form: (String, String, ValidationErrors),
) -> Result<HttpResponse, WebError> {
    use chrono::Datelike;
    let closures = state.db.run(service::closures::list).await?;
    let year = crate::service::clock::Now::real().today.year();
    let mut holidays = crate::domain::clock::federal_holidays(year);
    holidays.extend(crate::domain::clock::federal_holidays(year + 1));
    let (day, label, errors) = form;
    let page = ClosuresPage {
        ctx: ctx.clone(),
        closures,
        holidays,
        year,
        day,
        label,
        errors,
    };
    render(status, &ctx, &page)
}

pub async fn closures(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, WebError> {
    closures_page(
        &state,
        ctx,
        StatusCode::OK,
        (String::new(), String::new(), ValidationErrors::new()),
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct ClosureForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    label: String,
}

pub async fn add_closure(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<ClosureForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let kept = (
        form.day.chars().take(40).collect(),
        form.label.chars().take(200).collect(),
    );
    let actor = user.0.username;
    let (day, label) = (form.day, form.label);
    match state
        .db
        .run(move |c| service::closures::add(c, &actor, &day, &label))
        .await
    {
        Ok(day) => Ok(redirect(
            "/admin/closures",
            Some(("ok", &format!("{day} is now a closure day."))),
        )),
        Err(ServiceError::Validation(errors)) => {
            closures_page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                (kept.0, kept.1, errors),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_closure(
    state: web::Data<AppState>,
    user: CurrentUser,
    day: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map_err(|_| WebError::NotFound { api: false })?;
    let actor = user.0.username;
    state
        .db
        .run(move |c| service::closures::remove(c, &actor, day))
        .await?;
    Ok(redirect(
        "/admin/closures",
        Some(("ok", &format!("{day} is a business day again."))),
    ))
}

#[derive(Template)]
#[template(path = "pages/admin/rules.html")]
struct RulesPage {
    ctx: PageCtx,
    version: String,
    name: String,
    builtin: String,
    loaded: Vec<crate::db::rules::RuleSetRow>,
    body: String,
    errors: ValidationErrors,
}

async fn rules_page(
    state: &AppState,
    ctx: PageCtx,
    status: StatusCode,
    body: String,
    errors: ValidationErrors,
) -> Result<HttpResponse, WebError> {
    let (current, loaded) = state.db.run(service::screening::rule_sets).await?;
    let builtin = crate::domain::rules::BUILTIN_TOML.to_string();
    let page = RulesPage {
        ctx: ctx.clone(),
        version: current.version,
        name: current.name,
        builtin,
        loaded,
        body,
        errors,
    };
    render(status, &ctx, &page)
}

pub async fn rules(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, WebError> {
    rules_page(
        &state,
        ctx,
        StatusCode::OK,
        String::new(),
        ValidationErrors::new(),
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    builtin: String,
}

pub async fn load_rules(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<RulesForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let by = user.0;
    if !form.builtin.is_empty() {
        state
            .db
            .run(move |c| service::screening::use_builtin_rules(c, &by))
            .await?;
        return Ok(redirect(
            "/admin/rules",
            Some((
                "ok",
                "The built-in rule set is in force. Re-screen open cases to apply it.",
            )),
        ));
    }
    let body = form.body.clone();
    match state
        .db
        .run(move |c| service::screening::load_rules(c, &by, &body))
        .await
    {
        Ok(v) => Ok(redirect(
            "/admin/rules",
            Some((
                "ok",
                &format!("Rule set {v} is in force. Re-screen open cases to apply it."),
            )),
        )),
        Err(ServiceError::Validation(errors)) => {
            rules_page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                form.body,
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
