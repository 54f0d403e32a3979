//! Bearer-token authentication of the JSON API.

use cordon::domain::Role;

use crate::support::each_backend;

fn token_for(app: &crate::support::TestApp, name: &str) -> (i64, String) {
    let mut conn = app.conn();
    let (view, secret) =
        cordon::service::users::create_token(&mut conn, None, name, "test").unwrap();
    (view.id, secret)
}

fn me(app: &crate::support::TestApp, auth: Option<&str>) -> (u16, serde_json::Value) {
    let mut req = reqwest::blocking::Client::new().get(app.url("/api/v1/me"));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let res = req.send().unwrap();
    let status = res.status().as_u16();
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    (status, res.json().unwrap())
}

#[test]
fn a_valid_token_answers_name_and_role() {
    each_backend(|app| {
        app.user("carol", Role::Chair);
        let (_, secret) = token_for(app, "carol");
        let (status, body) = me(app, Some(&format!("Bearer {secret}")));
        assert_eq!(status, 200);
        assert_eq!(
            body,
            serde_json::json!({"username": "carol", "role": "chair"})
        );
        let (status, _) = me(app, Some(&format!("bearer {secret}")));
        assert_eq!(status, 200, "the scheme is case-insensitive");
    });
}

#[test]
fn missing_malformed_revoked_or_disabled_tokens_get_401_json() {
    each_backend(|app| {
        app.user("dave", Role::Reviewer);
        let (id, secret) = token_for(app, "dave");
        let long = format!("Bearer {}", "a".repeat(5000));
        for auth in [
            None,
            Some("Bearer"),
            Some("Bearer nope"),
            Some("Basic ZGF2ZTp4"),
            Some(long.as_str()),
            Some("Bearer ' OR 1=1 --"),
        ] {
            let (status, body) = me(app, auth);
            assert_eq!(status, 401, "{auth:?}");
            assert_eq!(body["error"]["code"], "unauthenticated");
            assert!(body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Bearer"));
        }
        // A session cookie is no substitute for a token on the API.
        let (status, _) = me(app, Some(&format!("Bearer {secret}")));
        assert_eq!(status, 200);

        let mut conn = app.conn();
        cordon::service::users::set_disabled(&mut conn, None, "dave", true).unwrap();
        assert_eq!(
            me(app, Some(&format!("Bearer {secret}"))).0,
            401,
            "disabled user"
        );
        cordon::service::users::set_disabled(&mut conn, None, "dave", false).unwrap();
        assert_eq!(me(app, Some(&format!("Bearer {secret}"))).0, 200);
        cordon::service::users::revoke_token(&mut conn, None, id).unwrap();
        assert_eq!(me(app, Some(&format!("Bearer {secret}"))).0, 401, "revoked");
    });
}

#[test]
fn the_api_ignores_session_cookies() {
    each_backend(|app| {
        let c = app.signed_in(Role::Admin);
        let page = c.get("/api/v1/me");
        assert_eq!(page.status, 401);
    });
}
