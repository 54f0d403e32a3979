use chrono::NaiveDate;
use serde_json::json;

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

fn mineone() -> serde_json::Value {
    json!({
        "received_on": "2022-08-22",
        "title": "Crypto mine next to F.E. Warren AFB",
        "source": "company_report",
        "transaction": {"kind": "purchase", "date": "2022-06-15",
                        "rights": {"access": true, "exclude": true, "improve": true, "affix": true}},
        "property": {"lat": 41.17, "lon": -104.85},
        "parties": [
            {"key": "p1", "name": "MineOne Wyoming Data Center LLC", "country": "US", "role": "acquirer"},
            {"key": "p2", "name": "MineOne Partners Ltd", "country": "VG", "role": "parent", "owns": "p1", "ownership_pct": 100}
        ]
    })
}

fn jsonl(lines: &[serde_json::Value]) -> Vec<u8> {
    lines
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

#[test]
fn json_lines_are_parsed_as_single_reports_are() {
    let mut other = mineone();
    other["title"] = json!("Second report");
    other["received_on"] = json!(null);
    let bytes = jsonl(&[mineone(), json!(null), other.clone()]);
    // A blank line is skipped, but `null` is not a report.
    let problems = read(&bytes, Format::Jsonl).unwrap_err();
    assert_eq!(
        problems,
        [Problem::new(
            2,
            "line",
            "Each line must be one report: a JSON object."
        )]
    );

    let mut text = String::from_utf8(jsonl(&[mineone()])).unwrap();
    text.push_str("\n\n   \n");
    text.push_str(&String::from_utf8(jsonl(&[other.clone()])).unwrap());
    let items = read(text.as_bytes(), Format::Jsonl).unwrap();
    assert_eq!(items.iter().map(|i| i.line).collect::<Vec<_>>(), [1, 4]);
    let reports = check(&items, today()).unwrap();
    assert_eq!(reports[0].received_on, NaiveDate::from_ymd_opt(2022, 8, 22));
    assert_eq!(
        reports[0],
        report::parse(&RawReport::from_json(mineone()), today()).unwrap()
    );
    assert_eq!(reports[1].received_on, None);
    assert_eq!(reports[1].title, "Second report");
}

#[test]
fn every_problem_is_named_by_line_and_field() {
    let mut bad = mineone();
    bad["received_on"] = json!("2099-01-01");
    bad["parties"][1]["country"] = json!("Narnia");
    let items = read(&jsonl(&[mineone(), bad, mineone()]), Format::Jsonl).unwrap();
    let problems = check(&items, today()).unwrap_err();
    let got: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(got, [(2, "parties[1].country"), (2, "received_on")]);
    assert!(problems[1].message.contains("future"));

    let problems = read(b"{\"title\": \"x\"\n", Format::Jsonl).unwrap_err();
    assert_eq!(problems[0].line, 1);
    assert!(problems[0].message.starts_with("Not JSON"), "{problems:?}");
}

#[test]
fn files_that_are_not_utf8_empty_or_too_big_are_refused_whole() {
    let mut bytes = jsonl(&[mineone(), mineone()]);
    bytes.extend_from_slice(b"\n{\"title\": \"Z\xFCrich\"}");
    let problems = read(&bytes, Format::Jsonl).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].line, problems[0].field.as_str()), (3, "file"));
    assert!(problems[0].message.contains("UTF-8"));
    // A byte-order mark is not a problem.
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(jsonl(&[mineone()]));
    assert_eq!(read(&with_bom, Format::Jsonl).unwrap().len(), 1);
    for empty in [&b""[..], b"\n\n", b"report,title\n"] {
        let format = if empty.starts_with(b"report") {
            Format::Csv
        } else {
            Format::Jsonl
        };
        let problems = read(empty, format).unwrap_err();
        assert_eq!(problems[0].message, "The file holds no report.");
    }
    let huge = vec![b' '; MAX_BYTES + 1];
    let problems = read(&huge, Format::Jsonl).unwrap_err();
    assert!(
        problems[0].message.contains("larger than 32 MB"),
        "{problems:?}"
    );
}

const HEADER: &str = "report,received_on,title,source,transaction.kind,transaction.rights.access,\
transaction.rights.exclude,transaction.rights.improve,transaction.rights.affix,property.lat,\
property.lon,party.key,party.name,party.country,party.role,party.owns,party.ownership_pct";

#[test]
fn csv_rows_are_grouped_into_reports_by_the_report_column() {
    let csv = format!(
        "{HEADER}\n\
         m1,2022-08-22,MineOne,company_report,purchase,yes,yes,yes,yes,41.17,-104.85,p1,MineOne Wyoming Data Center LLC,US,acquirer,,\n\
         f1,,Fufeng mill,media,greenfield,,,,,47.97,-97.10,,Fufeng USA Inc,US,acquirer,,\n\
         m1,,,,,,,,,,,p2,MineOne Partners Ltd,VG,parent,p1,100\n\
         m1,2022-08-22,MineOne,,,,,,,,,p3,PRC nationals (undisclosed),CN,ultimate_parent,p2,51\n"
    );
    let items = read(csv.as_bytes(), Format::Csv).unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().map(|i| i.line).collect::<Vec<_>>(), [2, 3]);
    let reports = check(&items, today()).unwrap();
    let m = &reports[0];
    assert_eq!(m.title, "MineOne");
    assert_eq!(m.received_on, NaiveDate::from_ymd_opt(2022, 8, 22));
    assert_eq!(m.transaction.rights.count(), 4);
    assert_eq!(m.property.lon, -104.85);
    let names: Vec<&str> = m.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "MineOne Wyoming Data Center LLC",
            "MineOne Partners Ltd",
            "PRC nationals (undisclosed)"
        ]
    );
    assert_eq!(m.parties[2].owns.as_deref(), Some("p2"));
    assert_eq!(reports[1].title, "Fufeng mill");
    assert_eq!(reports[1].received_on, None);
    assert_eq!(reports[1].parties[0].key, "p1");
}

#[test]
fn csv_problems_point_at_the_row_and_column() {
    let csv = format!(
        "{HEADER}\n\
         m1,2022-08-22,MineOne,company_report,purchase,yes,yes,yes,yes,41.17,-104.85,p1,MineOne LLC,US,acquirer,,\n\
         m1,,Another title,,,,,,,,,p2,MineOne Partners Ltd,VG,parent,p1,100\n"
    );
    // Read, the file is whole; checked, the contradiction is named with the checks' problems.
    let items = read(csv.as_bytes(), Format::Csv).unwrap();
    let problems = check(&items, today()).unwrap_err();
    assert_eq!((problems[0].line, problems[0].field.as_str()), (3, "title"));
    assert!(problems[0]
        .message
        .contains("first row of report \"m1\" (line 2)"));

    let csv = format!(
        "{HEADER}\n\
         m1,2022-08-22,MineOne,company_report,purchase,yes,yes,yes,yes,41.17,-104.85,p1,MineOne LLC,US,acquirer,,\n\
         m1,,,,,,,,,,,p2,MineOne Partners Ltd,Atlantis,parent,p1,100\n"
    );
    let items = read(csv.as_bytes(), Format::Csv).unwrap();
    let problems = check(&items, today()).unwrap_err();
    assert_eq!(
        (problems[0].line, problems[0].field.as_str()),
        (3, "party.country")
    );
    assert!(problems[0].message.ends_with("(report \"m1\")"));

    let problems = read(b"report,title,colour\nm1,x,red\n", Format::Csv).unwrap_err();
    assert_eq!(
        (problems[0].line, problems[0].field.as_str()),
        (1, "colour")
    );
    let problems = read(b"title,title\nx,y\n", Format::Csv).unwrap_err();
    assert!(problems.iter().any(|p| p.message.contains("appears twice")));
    assert!(problems.iter().any(|p| p.field == "report"));
    let problems = read(b"report,title\n,untitled\n", Format::Csv).unwrap_err();
    assert_eq!(
        (problems[0].line, problems[0].field.as_str()),
        (2, "report")
    );
}

#[test]
fn formula_cells_are_kept_as_text() {
    let csv = format!(
        "{HEADER}\n\
         m1,,=HYPERLINK(\"http://x\"),company_report,purchase,yes,yes,yes,yes,41.17,-104.85,p1,@SUM(A1),US,acquirer,,\n"
    );
    let reports = check(&read(csv.as_bytes(), Format::Csv).unwrap(), today()).unwrap();
    assert_eq!(reports[0].title, "=HYPERLINK(\"http://x\")");
    assert_eq!(reports[0].parties[0].name, "@SUM(A1)");
}

#[test]
fn the_template_imports_as_mineone() {
    let template = template_csv();
    assert!(template.starts_with("report,received_on,title,"));
    let reports = check(&read(template.as_bytes(), Format::Csv).unwrap(), today()).unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].parties.len(), 3);
    assert_eq!(reports[0].received_on, NaiveDate::from_ymd_opt(2022, 8, 22));
}

#[test]
fn formats_are_named_by_file_name_media_type_or_word() {
    assert_eq!(Format::from_name("intake.CSV"), Some(Format::Csv));
    assert_eq!(Format::from_name("intake.ndjson"), Some(Format::Jsonl));
    assert_eq!(Format::from_name("intake.xlsx"), None);
    assert_eq!(
        Format::from_media_type("application/x-ndjson"),
        Some(Format::Jsonl)
    );
    assert_eq!(Format::from_media_type("application/json"), None);
    assert_eq!(Format::parse(" JSONL "), Some(Format::Jsonl));
}
