//! `GET /api/v1/openapi.json`: the API description, generated from the code (the handlers'
//! `#[utoipa::path]` attributes and the DTOs' `ToSchema`), built once per process.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use utoipa::openapi::path::{HttpMethod, OperationBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::dto;
use super::{cases, import};

/// The name of the bearer-token security scheme in the document.
pub const BEARER: &str = "bearer";

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cordon API",
        description = "Screening of foreign acquisitions near sensitive sites. Every call but \
                       this document needs `Authorization: Bearer TOKEN`. Bodies are strict: \
                       each field has its JSON type (a boolean is `true` or `false`, a number \
                       is a number), each enum one of its values, each required field given. \
                       Errors are `{\"error\": {\"code\", \"message\", \"field\"?, \
                       \"fields\"?, \"problems\"?}}`; every status an operation can answer \
                       is listed with it."
    ),
    paths(
        cases::list,
        cases::create,
        cases::screen,
        import::create,
        cases::show,
        cases::transition,
        cases::comment,
        cases::history,
        cases::export,
        spec
    ),
    components(schemas(
        dto::ErrorBody,
        dto::ErrorDetail,
        dto::MeJson,
        dto::ReportRequest,
        dto::TransitionRequest,
        dto::ConditionRequest,
        dto::CommentRequest,
        dto::CaseJson,
        dto::RelatedJson,
        import::ImportResult,
        import::ImportedCase,
        import::ImportFormat,
        crate::service::import::Problem,
        dto::CaseList,
        dto::CaseSummary,
        dto::HistoryJson,
        dto::EventJson,
        dto::BrokenJson,
        crate::service::export::json::CaseExport,
        crate::service::export::json::ExportedCase,
        crate::service::export::json::ExportedHitDecision,
        crate::service::export::json::ExportedDeadline,
        crate::service::export::json::ExportedDecision,
        crate::service::export::json::ExportedAttachment,
        crate::service::export::json::ExportedChain
    )),
    modifiers(&Additions),
    security(("bearer" = [])),
    tags(
        (name = "cases", description = "Reports, the queue, transitions, comments, history"),
        (name = "me", description = "Who a token belongs to"),
        (name = "meta", description = "This document")
    )
)]
pub struct ApiDoc;

/// What the derive cannot say: the bearer scheme, and `GET /api/v1/me` (its handler lives in
/// `me.rs`, described here).
struct Additions;

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

impl Modify for Additions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token (`cordon token create NAME`)."))
                    .build(),
            ),
        );
        let me = OperationBuilder::new()
            .tag("me")
            .operation_id(Some("me"))
            .summary(Some("The user and role of the token."))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The token's user")
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("MeJson")))
                            .build(),
                    )
                    .build(),
            )
            .response("401", error_response("No valid token"))
            .build();
        openapi
            .paths
            .add_path_operation("/api/v1/me", vec![HttpMethod::Get], me);
    }
}

/// The document, built on first use.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(ApiDoc::openapi)
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json"))
)]
pub async fn spec() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
