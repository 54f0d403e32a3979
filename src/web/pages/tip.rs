//! `/tip`: the public tip form. No account needed; limited per client address, size-limited,
//! and with a honeypot field that people never see.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::domain::ValidationErrors;
use crate::service::clock::Now;
use crate::service::{self, ServiceError};
use crate::web::error::WebError;
use crate::web::page::{redirect, render, PageCtx};
use crate::web::{client_addr, AppState};

#[derive(Default, Clone, serde::Deserialize)]
pub struct TipForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub contact: String,
    /// The honeypot: hidden from people, filled in by bots.
    #[serde(default)]
    pub website: String,
}

#[derive(Template)]
#[template(path = "pages/tip.html")]
struct TipPage {
    ctx: PageCtx,
    form: TipForm,
    errors: ValidationErrors,
    sent: bool,
}

#[derive(serde::Deserialize)]
pub struct SentQuery {
    sent: Option<String>,
}

pub async fn form(ctx: PageCtx, q: web::Query<SentQuery>) -> Result<HttpResponse, WebError> {
    let p = TipPage {
        ctx: ctx.clone(),
        form: TipForm::default(),
        errors: ValidationErrors::new(),
        sent: q.sent.is_some(),
    };
    render(StatusCode::OK, &ctx, &p)
}

pub async fn submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    form: web::Form<TipForm>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    if !form.website.is_empty() {
        // A bot: thank it and store nothing.
        return Ok(redirect("/tip?sent=1", None));
    }
    let addr = client_addr(&req, state.settings.trust_proxy).unwrap_or_else(|| "unknown".into());
    let tip = service::tips::Tip {
        title: form.title.clone(),
        details: form.details.clone(),
        address: form.address.clone(),
        lat: form.lat.clone(),
        lon: form.lon.clone(),
        contact: form.contact.clone(),
    };
    let (ws, limit) = (state.settings.workflow(), state.settings.tips_per_hour);
    let screener = state.screener.clone();
    match state
        .db
        .run(move |c| service::tips::submit(c, &addr, &tip, limit, &ws, &screener, &Now::real()))
        .await
    {
        Ok(_) => Ok(redirect("/tip?sent=1", None)),
        Err(ServiceError::Validation(errors)) => {
            let p = TipPage {
                ctx: ctx.clone(),
                form,
                errors,
                sent: false,
            };
            render(StatusCode::UNPROCESSABLE_ENTITY, &ctx, &p)
        }
        Err(ServiceError::Throttled { .. }) => {
            let errors = ValidationErrors::single(
                "form",
                "Too many tips from your network in the last hour. Please try again later.",
            );
            let p = TipPage {
                ctx: ctx.clone(),
                form,
                errors,
                sent: false,
            };
            render(StatusCode::TOO_MANY_REQUESTS, &ctx, &p)
        }
        Err(e) => Err(e.into()),
    }
}
