//! The Watchlists page: the restricted-party lists with their sizes, a name search (`?q=`),
//! and for admins a CSV import that replaces one list.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::sites::LineError;
use crate::domain::{Role, ValidationErrors};
use crate::service::sites::ImportError;
use crate::service::watchlists::{ListCount, SearchResult};
use crate::service::{self, ServiceError};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{redirect, render, PageCtx};
use crate::web::AppState;

/// The page's query string.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct WatchQuery {
    #[serde(default)]
    q: String,
}

/// The import form as sent (and shown again on errors).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    list: String,
    #[serde(default)]
    csv: String,
}

#[derive(Template)]
#[template(path = "pages/watchlists/index.html")]
struct WatchPage {
    ctx: PageCtx,
    is_admin: bool,
    lists: Vec<ListCount>,
    q: String,
    result: SearchResult,
    form: ImportForm,
    errors: ValidationErrors,
    import_errors: Vec<LineError>,
}

impl WatchPage {
    fn score(&self, s: &f64) -> String {
        format!("{:.0}%", s * 100.0)
    }
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    status: StatusCode,
    q: String,
    import: (ImportForm, ValidationErrors, Vec<LineError>),
) -> Result<HttpResponse, WebError> {
    let q: String = q.chars().take(service::watchlists::MAX_QUERY).collect();
    let query = q.clone();
    let (lists, result) = state
        .db
        .run(move |c| service::watchlists::overview(c, &query))
        .await?;
    let (form, errors, import_errors) = import;
    let p = WatchPage {
        is_admin: ctx
            .user
            .as_ref()
            .is_some_and(|u| u.role.at_least(Role::Admin)),
        ctx: ctx.clone(),
        lists,
        q,
        result,
        form,
        errors,
        import_errors,
    };
    render(status, &ctx, &p)
}

/// `GET /watchlists`: the lists, and the entries matching `?q=`.
pub async fn index(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<WatchQuery>,
) -> Result<HttpResponse, WebError> {
    page(
        &state,
        ctx,
        StatusCode::OK,
        query.into_inner().q,
        (ImportForm::default(), ValidationErrors::new(), Vec::new()),
    )
    .await
}

/// `POST /watchlists/import`: replaces a list with the pasted CSV, or shows every problem
/// (nothing imported) with the input kept.
pub async fn import(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<ImportForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let (list, csv) = (form.list.clone(), form.csv.clone());
    let actor = user.0.username;
    let result = state
        .db
        .run(move |c| {
            service::watchlists::import_list(c, Some(&actor), &list, csv.as_bytes(), &|_, _| {})
        })
        .await;
    let kept = ImportForm {
        list: form.list.chars().take(200).collect(),
        csv: form.csv,
    };
    match result {
        Ok(r) => Ok(redirect(
            "/watchlists",
            Some((
                "ok",
                &format!(
                    "Imported {} entries into {} (replacing {}).",
                    r.added, r.list, r.removed
                ),
            )),
        )),
        Err(ImportError::Lines(lines)) => {
            page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
                (kept, ValidationErrors::new(), lines),
            )
            .await
        }
        Err(ImportError::Service(ServiceError::Validation(errors))) => {
            page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
                (kept, errors, Vec::new()),
            )
            .await
        }
        Err(ImportError::Service(e)) => Err(e.into()),
    }
}
