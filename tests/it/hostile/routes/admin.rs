//! The hostile requests of the sites, reports, watchlists and admin pages.

use super::super::payloads::{enc, BAD_DATES, CONTROL, RLO, SCRIPT, SQL};
use super::super::probe::Probe;
use super::short;

pub(super) fn sites_list() -> Vec<Probe> {
    vec![
        Probe::get("markup as the search", format!("/sites?q={}", enc(SCRIPT))).served(&[200]),
        Probe::get(
            "markup as the state",
            format!("/sites?state={}", enc(SCRIPT)),
        )
        .served(&[400]),
        Probe::get("SQL as the kind", format!("/sites?kind={}", enc(SQL))).served(&[200, 400]),
    ]
}

/// A site form the server accepts, which the probes spoil one field at a time.
pub(super) const SITE_FIELDS: [(&str, &str); 8] = [
    ("name", "Test site"),
    ("kind", "military"),
    ("part", "1"),
    ("lat", "41.1"),
    ("lon", "-104.8"),
    ("boundary_radius_mi", "1"),
    ("criticality", "3"),
    ("state", "WY"),
];

pub(super) fn site_form(path: &str) -> Vec<Probe> {
    let base = SITE_FIELDS;
    let long_name = "n".repeat(500);
    let bads: [(&str, &str); 10] = [
        ("name", &long_name),
        ("name", CONTROL),
        ("lat", "NaN"),
        ("lon", "inf"),
        ("boundary_radius_mi", "-1"),
        ("criticality", "99"),
        ("listed_from", "2024-02-30"),
        ("counties", SQL),
        ("kind", SCRIPT),
        (
            "boundary",
            "{\"type\": \"Polygon\", \"coordinates\": [[[NaN, 1]]]}",
        ),
    ];
    bads.iter()
        .map(|(k, val)| {
            let mut f: Vec<(&str, &str)> = base.iter().filter(|(b, _)| b != k).copied().collect();
            f.push((k, val));
            f.push(("notes", SCRIPT));
            Probe::post(format!("{k} = {:?}", short(val)), path.to_string())
                .form(&f)
                .refused(&[422])
        })
        .collect()
}

pub(super) fn sites_import() -> Vec<Probe> {
    vec![
        Probe::post("markup and NaN in a CSV", "/sites/import")
            .form(&[(
                "csv",
                &format!("name,kind,part,lat,lon\n{SCRIPT},military,1,NaN,inf\n"),
            )])
            .refused(&[422]),
        Probe::post("an empty CSV", "/sites/import")
            .form(&[("csv", "")])
            .refused(&[422]),
        Probe::post("control characters in a CSV", "/sites/import")
            .form(&[(
                "csv",
                &format!("name,kind,part,lat,lon\n{CONTROL},military,1,1,1\n"),
            )])
            .refused(&[422]),
    ]
}

pub(super) fn reports() -> Vec<Probe> {
    ["NaN", "-1", "99999", "1e3", SCRIPT]
        .iter()
        .map(|y| {
            Probe::get(format!("year {y:?}"), format!("/reports?year={}", enc(y)))
                .served(&[200, 400, 422])
        })
        .collect()
}

pub(super) fn reports_csv() -> Vec<Probe> {
    vec![
        Probe::get(
            "markup as the table",
            format!("/reports/{}.csv", enc(SCRIPT)),
        )
        .refused(&[404]),
        Probe::get(
            "a year of nonsense",
            "/reports/filings.csv?year=-99999999999",
        )
        .refused(&[400, 404, 422]),
        Probe::get(
            "a path trick as the table",
            "/reports/..%2F..%2Fetc%2Fpasswd",
        )
        .refused(&[404]),
    ]
}

pub(super) fn watchlists_import() -> Vec<Probe> {
    vec![
        Probe::post("markup as the list, bad CSV", "/watchlists/import")
            .form(&[("list", SCRIPT), ("csv", "name\n")])
            .refused(&[422]),
        Probe::post("no list name", "/watchlists/import")
            .form(&[
                ("list", " "),
                ("csv", "name,aliases,country,program,source\nA,,CN,,\n"),
            ])
            .refused(&[422]),
        Probe::post("control characters in the list name", "/watchlists/import")
            .form(&[
                ("list", CONTROL),
                ("csv", "name,aliases,country,program,source\nA,,CN,,\n"),
            ])
            .refused(&[422]),
        Probe::post("a CSV with markup and a bad country", "/watchlists/import")
            .form(&[
                ("list", "SDN"),
                (
                    "csv",
                    &format!("name,aliases,country,program,source\n{SCRIPT},,{SCRIPT},,\n"),
                ),
            ])
            .refused(&[422]),
    ]
}

pub(super) fn add_user() -> Vec<Probe> {
    vec![
        Probe::post("markup as the name", "/admin/users")
            .form(&[
                ("username", SCRIPT),
                ("role", "observer"),
                ("password", "long enough password 1"),
            ])
            .refused(&[422]),
        Probe::post("an unknown role", "/admin/users")
            .form(&[
                ("username", "newbie"),
                ("role", "god"),
                ("password", "long enough password 1"),
            ])
            .refused(&[422]),
        Probe::post("control characters in the name", "/admin/users")
            .form(&[("username", CONTROL), ("role", "observer")])
            .refused(&[422]),
        Probe::post("a name that is taken", "/admin/users")
            .form(&[
                ("username", "admin1"),
                ("role", "admin"),
                ("password", "long enough password 1"),
            ])
            .refused(&[409, 422]),
        Probe::post("a short password", "/admin/users")
            .form(&[
                ("username", "newbie"),
                ("role", "observer"),
                ("password", "x"),
            ])
            .refused(&[422]),
    ]
}

pub(super) fn user_names(path: &str) -> Vec<Probe> {
    [enc(SCRIPT), "nobody-here".to_string(), enc(RLO)]
        .iter()
        .map(|n| {
            Probe::post(format!("user {n}"), path.replace("{name}", n))
                .form(&[])
                .refused(&[404])
        })
        .collect()
}

pub(super) fn user_role(target: &str) -> Vec<Probe> {
    vec![
        Probe::post("an unknown role", format!("/admin/users/{target}/role"))
            .form(&[("role", SCRIPT)])
            .refused(&[422]),
        Probe::post("no role", format!("/admin/users/{target}/role"))
            .form(&[])
            .refused(&[422]),
        Probe::post(
            "a user who is not there",
            format!("/admin/users/{}/role", enc(SQL)),
        )
        .form(&[("role", "admin")])
        .refused(&[404]),
    ]
}

pub(super) fn tokens() -> Vec<Probe> {
    vec![
        Probe::post("a user who is not there", "/admin/tokens")
            .form(&[("username", SCRIPT), ("label", "x")])
            .refused(&[404, 422]),
        Probe::post("control characters in the label", "/admin/tokens")
            .form(&[("username", "target"), ("label", CONTROL)])
            .refused(&[422]),
        Probe::post("a label over the limit", "/admin/tokens")
            .form(&[("username", "target"), ("label", &"l".repeat(5000))])
            .refused(&[422]),
    ]
}

pub(super) fn rules() -> Vec<Probe> {
    vec![
        Probe::post("a rule set of markup", "/admin/rules")
            .form(&[("body", SCRIPT)])
            .refused(&[422]),
        Probe::post("an empty rule set", "/admin/rules")
            .form(&[("body", "")])
            .refused(&[422]),
        Probe::post("a rule set with NaN weights", "/admin/rules")
            .form(&[(
                "body",
                "name = \"x\"\n[weights]\nthreat = nan\nvulnerability = inf\n",
            )])
            .refused(&[422]),
    ]
}

pub(super) fn closures() -> Vec<Probe> {
    let mut v: Vec<Probe> = BAD_DATES
        .iter()
        .take(5)
        .map(|d| {
            Probe::post(format!("day {d}"), "/admin/closures")
                .form(&[("day", d), ("label", "Snow")])
                .refused(&[422])
        })
        .collect();
    v.push(
        Probe::post("control characters in the label", "/admin/closures")
            .form(&[("day", "2031-01-03"), ("label", CONTROL)])
            .refused(&[422]),
    );
    v.push(
        Probe::post("a day that is a closure already", "/admin/closures")
            .form(&[("day", "2031-01-02"), ("label", SCRIPT)])
            .refused(&[409, 422]),
    );
    v
}

pub(super) fn closure_remove() -> Vec<Probe> {
    ["2024-02-30", "2031-01-09", &enc(SCRIPT)]
        .iter()
        .map(|d| {
            Probe::post(format!("day {d}"), format!("/admin/closures/{d}/remove"))
                .form(&[])
                .refused(&[404])
        })
        .collect()
}
