//! The hostile requests of the pages without a case: static files, sign-in, the tip form,
//! the queue and bulk exports, the report form and the bulk intake page.

use super::super::payloads::{enc, BAD_UTF8, CONTROL, PATHS, RLO, SCRIPT, SQL, SQL_OR};
use super::super::probe::Probe;
use super::{multipart, multipart_type, short};

pub(super) fn statics() -> Vec<Probe> {
    let mut v: Vec<Probe> = [
        "/static/../../Cargo.toml",
        "/static/..%2F..%2FCargo.toml",
        "/static/%2e%2e/%2e%2e/Cargo.toml",
        "/static/css/app.css%00.txt",
        "/static/css\\..\\..\\Cargo.toml",
        "/static/%E2%80%AEssc.ppa/ssc",
    ]
    .iter()
    .map(|p| Probe::get(format!("a path trick {p}"), *p).by_all(&[400, 404]))
    .collect();
    v.push(Probe::get("markup as a file", format!("/static/{}", enc(SCRIPT))).by_all(&[404]));
    v
}

pub(super) fn login_form() -> Vec<Probe> {
    [
        enc(SCRIPT),
        enc("//evil.example/"),
        enc("/\\evil.example"),
        enc("javascript:alert(1)"),
        enc("/\r\nSet-Cookie: x=1"),
        enc("/\u{7f}x"),
        "%FF%FE".to_string(),
    ]
    .into_iter()
    .map(|n| Probe::get(format!("next={n}"), format!("/login?next={n}")).served(&[200, 303]))
    .collect()
}

pub(super) fn login_submit() -> Vec<Probe> {
    let mut v = vec![
        Probe::post("markup as the user name", "/login")
            .form(&[
                ("username", SCRIPT),
                ("password", "wrong"),
                ("next", SCRIPT),
            ])
            .refused(&[401, 429]),
        Probe::post("SQL as the user name", "/login")
            .form(&[("username", SQL_OR), ("password", SQL_OR)])
            .refused(&[401, 429]),
        Probe::post("control characters in next", "/login")
            .form(&[
                ("username", "admin1"),
                ("password", "wrong"),
                ("next", "/\r\nLocation: //evil.example"),
            ])
            .refused(&[401, 429]),
        Probe::post("an off-site next", "/login")
            .form(&[
                ("username", "admin1"),
                ("password", "wrong"),
                ("next", "//evil.example"),
            ])
            .refused(&[401, 429]),
        Probe::post("a huge password", "/login")
            .form(&[("username", "admin1"), ("password", &"p".repeat(200_000))])
            .refused(&[401, 413, 422, 429]),
        Probe::post("duplicated user names", "/login")
            .form_raw("username=admin1&username=observer1&password=x")
            .refused(&[400, 401, 429]),
        Probe::post("invalid UTF-8 as the user name", "/login")
            .form_raw("username=%C0%AF&password=x")
            .refused(&[400, 401, 429]),
    ];
    v.push(
        Probe::post("no body at all", "/login")
            .raw(Some("application/x-www-form-urlencoded"), Vec::new())
            .refused(&[401, 422, 429]),
    );
    v
}

pub(super) fn tip() -> Vec<Probe> {
    let mut v = vec![
        Probe::post("markup and NaN coordinates", "/tip")
            .form(&[
                ("title", SCRIPT),
                ("details", IMG_DETAILS),
                ("lat", "NaN"),
                ("lon", "inf"),
            ])
            .refused(&[422]),
        Probe::post("infinite and huge coordinates", "/tip")
            .form(&[
                ("title", "Lot"),
                ("details", "x"),
                ("lat", "1e309"),
                ("lon", "-1e309"),
            ])
            .refused(&[422]),
        Probe::post("control characters in the title", "/tip")
            .form(&[
                ("title", CONTROL),
                ("details", "x"),
                ("lat", "41.1"),
                ("lon", "-104.8"),
            ])
            .refused(&[422]),
        Probe::post("a right-to-left override in the title", "/tip")
            .form(&[
                ("title", RLO),
                ("details", "x"),
                ("lat", "41.1"),
                ("lon", "-104.8"),
            ])
            .refused(&[422]),
        Probe::post("details over the limit", "/tip")
            .form(&[
                ("title", "Lot"),
                ("details", &"x".repeat(6000)),
                ("lat", "41.1"),
                ("lon", "-104.8"),
            ])
            .refused(&[422]),
        Probe::post("nothing filled in", "/tip")
            .form(&[])
            .refused(&[422]),
        Probe::post("the honeypot filled in", "/tip")
            .form(&[
                ("title", "Lot"),
                ("details", "x"),
                ("lat", "41.1"),
                ("lon", "-104.8"),
                ("website", "http://spam"),
            ])
            .refused(&[303]),
        Probe::post("invalid UTF-8 in the details", "/tip")
            .form(&[
                ("title", "Lot"),
                ("details", "=%FF%FE"),
                ("lat", "91"),
                ("lon", "0"),
            ])
            .refused(&[400, 422]),
    ];
    v.push(
        Probe::post("duplicated fields", "/tip")
            .form_raw("title=a&title=b&lat=1&lon=1")
            .refused(&[400, 422]),
    );
    v
}

pub(super) const IMG_DETAILS: &str = "<img src=x onerror=alert(1)>";

pub(super) fn queue(path: &str) -> Vec<Probe> {
    let mut v: Vec<Probe> = [SCRIPT, SQL, SQL_OR, RLO]
        .iter()
        .map(|t| Probe::get(format!("search {t:?}"), format!("{path}?q={}", enc(t))).served(&[200]))
        .collect();
    v.push(Probe::get("markup as every filter", format!(
        "{path}?state={s}&assignee={s}&agency={s}&country={s}&risk={s}&sort={s}&after={s}&year={s}&report={s}",
        s = enc(SCRIPT)
    )).served(&[200, 400, 422]));
    v.push(
        Probe::get(
            "a huge search",
            format!("{path}?q={}", "word%20".repeat(3000)),
        )
        .served(&[200, 400, 414, 422, 431]),
    );
    for bad in BAD_UTF8.iter().take(2) {
        v.push(
            Probe::get(format!("invalid UTF-8 {bad}"), format!("{path}?q={bad}"))
                .served(&[200, 400]),
        );
    }
    v.push(
        Probe::get(
            "a cursor of nonsense",
            format!("{path}?after=9999-99-99_-1&sort=updated"),
        )
        .served(&[200, 400, 422]),
    );
    v
}

pub(super) fn bulk(path: &str) -> Vec<Probe> {
    vec![Probe::get(
        "markup as the search",
        format!("{path}?q={}&state={}", enc(SCRIPT), enc(SQL)),
    )
    .served(&[200, 400, 422])
    .may_change(&["audit_log"])]
}

/// A report form with every field filled and one refused.
pub(super) fn report_fields(bad: (&'static str, &str)) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = crate::cases_web::mineone_form();
    f.retain(|(k, _)| *k != bad.0);
    f.push((bad.0, bad.1.to_string()));
    f
}

pub(super) fn report_form(path: &str, version: Option<i64>) -> Vec<Probe> {
    let bads: Vec<(&'static str, String)> = vec![
        ("title", CONTROL.to_string()),
        ("title", RLO.to_string()),
        ("summary", "x".repeat(60_000)),
        ("property.lat", "NaN".into()),
        ("property.lon", "-inf".into()),
        ("property.acreage", "-1".into()),
        ("transaction.value_usd", "1e309".into()),
        ("transaction.power_mw", "9223372036854775808".into()),
        ("transaction.date", "2024-02-30".into()),
        ("received_on", "9999-12-31".into()),
        ("source", SQL.into()),
        ("parties[0].country", SCRIPT.into()),
        ("parties[1].ownership_pct", "NaN".into()),
        ("parties[9999].name", SCRIPT.into()),
        ("parties[0].owns", "0".into()),
    ];
    let mut v: Vec<Probe> = bads
        .into_iter()
        .map(|(k, val)| {
            let mut fields = report_fields((k, &val));
            if k == "parties[9999].name" {
                // A party far down the form, named, with a share that is not a number.
                fields.push(("parties[9999].ownership_pct", "NaN".into()));
            }
            if k != "transaction.intended_use" {
                fields.retain(|(f, _)| *f != "transaction.intended_use");
                fields.push(("transaction.intended_use", SCRIPT.to_string()));
            }
            if let Some(ver) = version {
                fields.push(("version", ver.to_string()));
            }
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            Probe::post(format!("{k} = {:?}", short(&val)), path.to_string())
                .form(&borrowed)
                .refused(&[422])
        })
        .collect();
    v.push(
        Probe::post("nothing at all", path.to_string())
            .form(&[])
            .refused(&[409, 422]),
    );
    // Read (for its CSRF token) before anyone is asked who they are.
    v.push(
        Probe::post("a form over the size limit", path.to_string())
            .form(&[("summary", &"s".repeat(300 * 1024))])
            .by_all(&[413]),
    );
    v.push(
        Probe::post("an object where a field goes", path.to_string())
            .form(&[
                ("property", "x"),
                ("parties", "y"),
                ("transaction.rights", "z"),
                ("title", ""),
            ])
            .refused(&[409, 422]),
    );
    if let Some(ver) = version {
        let mut stale = crate::cases_web::mineone_form();
        stale.push(("title", "A new title".into()));
        stale.push(("version", (ver - 1).to_string()));
        let borrowed: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
        v.push(
            Probe::post("a stale version", path.to_string())
                .form(&borrowed)
                .refused(&[409]),
        );
        let mut nan = crate::cases_web::mineone_form();
        nan.push(("version", "NaN".into()));
        let borrowed: Vec<(&str, &str)> = nan.iter().map(|(k, v)| (*k, v.as_str())).collect();
        v.push(
            Probe::post("a version that is not a number", path.to_string())
                .form(&borrowed)
                .refused(&[400, 409, 422]),
        );
    }
    v
}

pub(super) fn more_rows() -> Vec<Probe> {
    vec![
        Probe::post("markup in every kind of field", "/cases/new/rows")
            .form(&[
                ("title", SCRIPT),
                ("parties[0].name", IMG_DETAILS),
                ("summary", SQL),
            ])
            .served(&[200]),
        Probe::post("a party row far away", "/cases/new/rows")
            .form(&[
                ("parties[18446744073709551615].name", "x"),
                ("parties[-1].name", "y"),
            ])
            .served(&[200, 422]),
        Probe::post("invalid UTF-8", "/cases/new/rows")
            .form(&[("title", "=%C0%AF%FF")])
            .served(&[200, 400]),
    ]
}

pub(super) fn import_page() -> Vec<Probe> {
    let mut v = Vec::new();
    for name in PATHS.iter().take(4) {
        v.push(
            Probe::post(
                format!("a JSON Lines file named {name:?} with bad lines"),
                "/cases/import",
            )
            .raw(
                Some(&multipart_type()),
                multipart(&[(
                    "file",
                    Some(name),
                    format!("{{\"title\": \"{SCRIPT}\"}}\n").as_bytes(),
                )]),
            )
            .refused(&[422]),
        );
    }
    v.push(
        Probe::post("markup as the format", "/cases/import")
            .raw(
                Some(&multipart_type()),
                multipart(&[
                    ("format", None, SCRIPT.as_bytes()),
                    ("file", Some("a.csv"), b"x"),
                ]),
            )
            .refused(&[422]),
    );
    v.push(
        Probe::post("no file", "/cases/import")
            .raw(
                Some(&multipart_type()),
                multipart(&[("format", None, b"csv")]),
            )
            .refused(&[422]),
    );
    v.push(
        Probe::post("a CSV of garbage", "/cases/import")
            .raw(
                Some(&multipart_type()),
                multipart(&[("file", Some("x.csv"), b"\xff\xfe\x00\x01,\"\n\"")]),
            )
            .refused(&[422]),
    );
    v.push(
        Probe::post("not multipart at all", "/cases/import")
            .raw(Some("text/plain"), b"hello".to_vec())
            .refused(&[400, 415]),
    );
    v.push(
        Probe::post("a multipart type without a boundary", "/cases/import")
            .raw(Some("multipart/form-data"), b"--x\r\n".to_vec())
            .refused(&[400]),
    );
    v
}
