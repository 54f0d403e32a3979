#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;

fn site(id: i64, name: &str, kind: SiteKind, part: Option<u8>, lat: f64, lon: f64, r: f64) -> Site {
    Site {
        id,
        name: name.into(),
        kind,
        part,
        lat,
        lon,
        boundary_radius_mi: r,
        criticality: 5,
        state: Some("WY".into()),
        listed_from: None,
        listed_until: None,
        counties: Vec::new(),
        boundary: None,
    }
}

fn mineone() -> CaseMap {
    let rules = RuleSet::builtin().unwrap();
    let sites = vec![
        MapSite {
            site: site(
                1,
                "F.E. Warren Air Force Base",
                SiteKind::Military,
                Some(2),
                41.13,
                -104.87,
                2.2,
            ),
            distance_mi: 0.75,
            href: "/sites?q=Warren".into(),
        },
        MapSite {
            site: site(
                2,
                "Microsoft data center (Cheyenne)",
                SiteKind::DataCenter,
                None,
                41.165,
                -104.843,
                0.2,
            ),
            distance_mi: 0.3,
            href: "/sites?q=Microsoft".into(),
        },
    ];
    build(41.17, -104.85, &sites, &["56021".into()], &rules, None)
}

#[test]
fn mineone_lies_inside_warrens_one_mile_ring_on_a_readable_local_map() {
    let m = mineone();
    let local = m.maps.first().unwrap();
    // The whole of F.E. Warren and its 1-mile ring fit: about 6.2 mi from the property.
    assert!(
        local.px_per_mi > 25.0 && local.px_per_mi < 35.0,
        "{}",
        local.px_per_mi
    );
    let ring = local
        .rings
        .iter()
        .find(|r| r.title.starts_with("1 mi close proximity"))
        .unwrap();
    assert!(ring.title.contains("inside"));
    // The ring is 1 mi (by the scale bar) outside Warren's 2.2 mi boundary.
    let centre = local
        .sites
        .iter()
        .find(|s| s.name.starts_with("F.E. Warren"))
        .unwrap()
        .at;
    let pts: Vec<&Px> = ring.lines.iter().flatten().collect();
    let mean = pts
        .iter()
        .map(|p| ((p.0 - centre.0).powi(2) + (p.1 - centre.1).powi(2)).sqrt())
        .sum::<f64>()
        / pts.len() as f64;
    let per_mile = local.scale.len_px / local.scale.miles;
    assert!(
        (mean - 3.2 * per_mile).abs() < 0.01 * 3.2 * per_mile,
        "{mean} vs {}",
        3.2 * per_mile
    );
    // Both sites are shown, with labels; the 100-mile ring is on the regional map only.
    assert!(local.sites.iter().all(|s| s.shown && s.label.is_some()));
    assert!(local.property_label.is_some());
    assert!(!local.rings.iter().any(|r| r.title.starts_with("100 mi")));
    let regional = m.maps.get(1).unwrap();
    assert!(regional
        .rings
        .iter()
        .any(|r| r.title.starts_with("100 mi extended range")));
    assert_eq!(
        m.rows.first().unwrap().name,
        "Microsoft data center (Cheyenne)"
    );
    assert!(m
        .rows
        .get(1)
        .unwrap()
        .inside
        .contains("1 mi (close proximity)"));
    assert!(m.note.is_empty());
}

#[test]
fn no_site_near_still_gives_a_map_with_the_property_and_a_scale_bar() {
    let rules = RuleSet::builtin().unwrap();
    let far = MapSite {
        site: site(1, "Far base", SiteKind::Military, Some(1), 35.0, -90.0, 1.0),
        distance_mi: 700.0,
        href: "/sites?q=Far".into(),
    };
    let m = build(41.17, -104.85, &[far], &[], &rules, None);
    assert_eq!(m.maps.len(), 1);
    let local = m.maps.first().unwrap();
    assert_eq!(local.property, (WIDTH / 2.0, HEIGHT / 2.0));
    assert!(local.scale.len_px > 0.0 && local.scale.text.ends_with("mi"));
    assert!(!local.sites.first().unwrap().shown);
    assert!(local.rings.is_empty());
    assert!(m.note.contains("Far base"));
    let none = build(41.17, -104.85, &[], &[], &rules, None);
    assert_eq!(none.maps.len(), 1);
    assert!(none.note.contains("No site"));
}

#[test]
fn labels_on_the_mineone_map_do_not_overlap() {
    let m = mineone();
    for map in &m.maps {
        let boxes: Vec<Rect> = map
            .sites
            .iter()
            .filter_map(|s| s.label.as_ref())
            .chain(map.property_label.as_ref())
            .map(|l| Rect {
                x: l.x - 1.0,
                y: l.y - 9.5,
                w: text_width(&l.text, LABEL_PX),
                h: 13.0,
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in boxes.iter().skip(i + 1) {
                assert!(!a.overlaps(b));
            }
        }
    }
}

#[test]
fn county_lines_are_cut_to_the_box() {
    let rules = RuleSet::builtin().unwrap();
    let c = crate::maps::counties().unwrap();
    // Just north of the Colorado line, which is also a county line.
    let m = build(41.02, -104.85, &[], &["56021".into()], &rules, Some(c));
    let local = m.maps.first().unwrap();
    assert!(!local.counties.is_empty());
    let b = Rect {
        x: -0.01,
        y: -0.01,
        w: WIDTH + 0.02,
        h: HEIGHT + 0.02,
    };
    assert!(local.counties.iter().flatten().all(|p| b.contains(*p)));
    assert!(!local.states.is_empty());
}
