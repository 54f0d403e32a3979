//! The Sites pages: the list with its search and kind filter (URL), CSV export, and for admins
//! add, edit, retire/restore and CSV import (a pasted file).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::countries::{self, UsState};
use crate::domain::report::US_STATES;
use crate::domain::screening::SiteKind;
use crate::domain::sites::{LineError, SiteForm};
use crate::domain::{Role, ValidationErrors};
use crate::service::maps::MapView;
use crate::service::sites::{ImportError, SiteFilter, SiteList, SiteView};
use crate::service::{self, ServiceError};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{redirect, render, PageCtx};
use crate::web::AppState;

/// The list's query string.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SitesQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    /// A two-letter state code: the list keeps its sites and the map zooms on it.
    #[serde(default)]
    state: String,
}

#[derive(Template)]
#[template(path = "pages/sites/list.html")]
struct ListPage {
    ctx: PageCtx,
    is_admin: bool,
    q: String,
    kind: String,
    kinds: &'static [SiteKind],
    /// The chosen state's code, or empty.
    state: String,
    states: &'static [UsState],
    /// A state code that is no state, as typed (cut short).
    bad_state: Option<String>,
    map: MapView,
    list: SiteList,
    csv: String,
    import_errors: Vec<LineError>,
}

fn is_admin(ctx: &PageCtx) -> bool {
    ctx.user
        .as_ref()
        .is_some_and(|u| u.role.at_least(Role::Admin))
}

async fn list_page(
    state: &AppState,
    ctx: PageCtx,
    status: StatusCode,
    query: SitesQuery,
    import: (String, Vec<LineError>),
) -> Result<HttpResponse, WebError> {
    let q: String = query.q.chars().take(200).collect();
    let kind = SiteKind::parse(query.kind.trim());
    let (us_state, bad_state) = parse_state(&query.state);
    let status = if bad_state.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    let filter = SiteFilter {
        q: q.clone(),
        kind,
        state: us_state.map(|s| s.code.to_string()),
    };
    let list = state
        .db
        .run(move |c| service::sites::list_sites(c, &filter))
        .await?;
    let links = map_links(&q, kind);
    let map = service::maps::sites_map(&list.points, us_state, &links)?;
    let (csv, import_errors) = import;
    let page = ListPage {
        is_admin: is_admin(&ctx),
        ctx: ctx.clone(),
        q,
        kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        kinds: SiteKind::ALL,
        state: us_state.map(|s| s.code.to_string()).unwrap_or_default(),
        states: countries::STATES,
        bad_state,
        map,
        list,
        csv,
        import_errors,
    };
    render(status, &ctx, &page)
}

/// The `state` filter: empty for none, a known code, or what was typed (cut short) when it is
/// no state's code.
fn parse_state(raw: &str) -> (Option<&'static UsState>, Option<String>) {
    let raw = raw.trim();
    if raw.is_empty() {
        return (None, None);
    }
    match countries::us_state(raw) {
        Some(s) => (Some(s), None),
        None => (None, Some(raw.chars().take(20).collect())),
    }
}

/// The list's other filters as `&q=…&kind=…`, kept by the map's links.
fn map_links(q: &str, kind: Option<SiteKind>) -> String {
    let mut out = String::new();
    if !q.trim().is_empty() {
        let q: String = url::form_urlencoded::byte_serialize(q.trim().as_bytes()).collect();
        out.push_str(&format!("&q={q}"));
    }
    if let Some(k) = kind {
        out.push_str(&format!("&kind={}", k.as_str()));
    }
    out
}

/// `GET /sites`: the map and the list, filtered by `?q=`, `?kind=` and `?state=`.
pub async fn list(
    state: web::Data<AppState>,
    ctx: PageCtx,
    query: web::Query<SitesQuery>,
) -> Result<HttpResponse, WebError> {
    list_page(
        &state,
        ctx,
        StatusCode::OK,
        query.into_inner(),
        (String::new(), Vec::new()),
    )
    .await
}

/// The export's query string.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    retired: String,
}

/// `GET /sites/export.csv`: every active site (`?retired=1`: retired ones too) as CSV.
pub async fn export(
    state: web::Data<AppState>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, WebError> {
    let include_retired = !query.retired.is_empty() && query.retired != "0";
    let body = state
        .db
        .run(move |c| service::sites::export_sites(c, include_retired))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"sites.csv\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[derive(Template)]
#[template(path = "pages/sites/form.html")]
struct FormPage {
    ctx: PageCtx,
    /// `None` when adding.
    site: Option<SiteView>,
    form: SiteForm,
    errors: ValidationErrors,
    kinds: &'static [SiteKind],
    states: &'static [&'static str],
}

/// The Appendix A parts a site may be listed under.
const PARTS: [&str; 4] = ["1", "2", "3", "4"];

impl FormPage {
    fn parts(&self) -> [&'static str; 4] {
        PARTS
    }

    fn part_is(&self, p: &str) -> bool {
        self.form.part.trim() == p
    }

    /// A part that is none of the choices (kept so the form shows what was sent).
    fn odd_part(&self) -> Option<&str> {
        let p = self.form.part.trim();
        (!p.is_empty() && !PARTS.contains(&p)).then_some(p)
    }

    fn odd_kind(&self) -> Option<&str> {
        let k = self.form.kind.trim();
        (!k.is_empty() && SiteKind::parse(k).is_none()).then_some(k)
    }

    fn state_is(&self, s: &str) -> bool {
        self.form.state.trim().eq_ignore_ascii_case(s)
    }

    fn odd_state(&self) -> Option<&str> {
        let s = self.form.state.trim();
        (!s.is_empty() && !self.states.iter().any(|x| x.eq_ignore_ascii_case(s))).then_some(s)
    }

    fn action(&self) -> String {
        match &self.site {
            Some(s) => format!("/sites/{}/edit", s.id),
            None => "/sites/new".into(),
        }
    }
}

fn form_page(
    ctx: PageCtx,
    status: StatusCode,
    site: Option<SiteView>,
    form: SiteForm,
    errors: ValidationErrors,
) -> Result<HttpResponse, WebError> {
    let page = FormPage {
        ctx: ctx.clone(),
        site,
        form,
        errors,
        kinds: SiteKind::ALL,
        states: US_STATES,
    };
    render(status, &ctx, &page)
}

/// A form as it is shown again: every field cut to a sane length.
fn kept(form: &SiteForm) -> SiteForm {
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    SiteForm {
        name: cut(&form.name, 400),
        kind: cut(&form.kind, 40),
        part: cut(&form.part, 40),
        lat: cut(&form.lat, 60),
        lon: cut(&form.lon, 60),
        boundary_radius_mi: cut(&form.boundary_radius_mi, 60),
        criticality: cut(&form.criticality, 40),
        state: cut(&form.state, 40),
        listed_from: cut(&form.listed_from, 40),
        listed_until: cut(&form.listed_until, 40),
        counties: cut(&form.counties, 10_000),
        notes: cut(&form.notes, 4_000),
        boundary: form.boundary.clone(),
    }
}

/// `GET /sites/new`: an empty form.
pub async fn new_form(ctx: PageCtx) -> Result<HttpResponse, WebError> {
    let form = SiteForm {
        criticality: "3".into(),
        boundary_radius_mi: "0".into(),
        ..SiteForm::default()
    };
    form_page(ctx, StatusCode::OK, None, form, ValidationErrors::new())
}

/// `POST /sites/new`: adds the site, or shows the form again with each problem.
pub async fn create(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<SiteForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    let shown = kept(&form);
    let actor = user.0.username;
    match state
        .db
        .run(move |c| service::sites::add_site(c, Some(&actor), &form))
        .await
    {
        Ok(_) => Ok(redirect(
            "/sites",
            Some(("ok", &format!("Added site {}.", shown.name.trim()))),
        )),
        Err(ServiceError::Validation(errors)) => {
            form_page(ctx, StatusCode::UNPROCESSABLE_ENTITY, None, shown, errors)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /sites/{id}/edit`: the form filled with the site.
pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let (site, form) = state.db.run(move |c| service::sites::site(c, id)).await?;
    form_page(
        ctx,
        StatusCode::OK,
        Some(site),
        form,
        ValidationErrors::new(),
    )
}

/// `POST /sites/{id}/edit`: saves the site, or shows the form again with each problem.
pub async fn save(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<SiteForm>,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let shown = kept(&form);
    let actor = user.0.username;
    let result = state
        .db
        .run(move |c| service::sites::update_site(c, Some(&actor), id, &form))
        .await;
    match result {
        Ok(()) => Ok(redirect(
            "/sites",
            Some(("ok", &format!("Saved site {}.", shown.name.trim()))),
        )),
        Err(ServiceError::Validation(errors)) => {
            let (site, _) = state.db.run(move |c| service::sites::site(c, id)).await?;
            form_page(
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(site),
                shown,
                errors,
            )
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_retired(
    state: &AppState,
    user: CurrentUser,
    id: i64,
    retired: bool,
) -> Result<HttpResponse, WebError> {
    let actor = user.0.username;
    let result = state
        .db
        .run(move |c| {
            if retired {
                service::sites::retire_site(c, Some(&actor), id)
            } else {
                service::sites::restore_site(c, Some(&actor), id)
            }
        })
        .await;
    match result {
        Ok(name) if retired => Ok(redirect(
            "/sites",
            Some((
                "ok",
                &format!("Retired {name}; screening no longer uses it."),
            )),
        )),
        Ok(name) => Ok(redirect(
            "/sites",
            Some(("ok", &format!("Restored {name}; screening uses it again."))),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /sites/{id}/retire`.
pub async fn retire(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    set_retired(&state, user, id.into_inner(), true).await
}

/// `POST /sites/{id}/restore`.
pub async fn restore(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    set_retired(&state, user, id.into_inner(), false).await
}

/// The import form: a pasted CSV file.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
}

/// `POST /sites/import`: imports the pasted CSV, or shows every line's problem (nothing
/// imported) with the text kept.
pub async fn import(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<ImportForm>,
) -> Result<HttpResponse, WebError> {
    let csv = form.into_inner().csv;
    let actor = user.0.username;
    let text = csv.clone();
    let result = state
        .db
        .run(move |c| service::sites::import_sites(c, Some(&actor), text.as_bytes(), &|_, _| {}))
        .await;
    match result {
        Ok(r) => Ok(redirect(
            "/sites",
            Some((
                "ok",
                &format!(
                    "Imported {} sites ({} added, {} updated).",
                    r.added + r.updated,
                    r.added,
                    r.updated
                ),
            )),
        )),
        Err(ImportError::Lines(errors)) => {
            list_page(
                &state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                SitesQuery::default(),
                (csv, errors),
            )
            .await
        }
        Err(ImportError::Service(e)) => Err(e.into()),
    }
}
