//! State-law overlays (DOMAIN.md 6, PRODUCT.md 4.2 step 8): the rule set's laws for the
//! property's state, each an extra finding. A law applies when a buyer-side party is from one of
//! its countries and the property is in the state (statewide) or within its radius of a site of
//! one of its kinds. It is only a flag when the facts are incomplete: a party's country is
//! unknown, or no site on file is in range (the site list may lack the law's facilities). State
//! laws concern physical installations, so the Part 802 listing dates do not matter here.

use chrono::NaiveDate;

use super::super::countries;
use super::super::rules::{RuleSet, StateLaw};
use super::foreign::{describe, display_name, unknown_country};
use super::zones::Located;
use super::{StateLawFinding, Subject, SubjectParty};

/// The property's state: as given, else from its county FIPS code.
pub fn state_of(subject: &Subject) -> Option<String> {
    let given = subject
        .state
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_uppercase);
    given.or_else(|| {
        let fips = subject.county_fips.as_deref()?.trim();
        let st = countries::us_state_by_fips(fips.get(..2)?)?;
        Some(st.code.to_string())
    })
}

/// The findings of every law of the property's state that targets a party's country (or might).
pub fn findings(
    subject: &Subject,
    rules: &RuleSet,
    buyer: &[&SubjectParty],
    near: &[Located<'_>],
    date: NaiveDate,
) -> Vec<StateLawFinding> {
    let Some(state) = state_of(subject) else {
        return Vec::new();
    };
    rules
        .state_laws
        .iter()
        .filter(|law| law.state == state)
        .filter_map(|law| finding(law, buyer, near, date))
        .collect()
}

fn country_list(codes: &[String]) -> String {
    let names: Vec<&str> = codes
        .iter()
        .map(|c| countries::country_name(c).unwrap_or(c.as_str()))
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

fn finding(
    law: &StateLaw,
    buyer: &[&SubjectParty],
    near: &[Located<'_>],
    date: NaiveDate,
) -> Option<StateLawFinding> {
    let targeted: Vec<String> = buyer
        .iter()
        .filter(|p| {
            law.countries
                .iter()
                .any(|c| c.eq_ignore_ascii_case(p.country.trim()))
        })
        .map(|p| describe(p))
        .collect();
    let unknown: Vec<String> = unknown_country(buyer)
        .iter()
        .map(|p| display_name(p).to_string())
        .collect();
    if targeted.is_empty() && unknown.is_empty() {
        return None;
    }
    let countries = country_list(&law.countries);
    let (mut applies, mut text) = if targeted.is_empty() {
        (
            false,
            format!(
                "the country of {} is not given; the law targets {countries}.",
                unknown.join(", ")
            ),
        )
    } else {
        (
            true,
            format!(
                "{} is tied to {countries}, which the law targets.",
                targeted.join(", ")
            ),
        )
    };
    if law.statewide {
        text.push_str(" It applies anywhere in the state.");
    } else if let Some(radius) = law.radius_mi {
        let in_range = near
            .iter()
            .filter(|l| law.site_kinds.contains(&l.site.kind) && l.distance_mi <= radius)
            .min_by(|a, b| a.distance_mi.total_cmp(&b.distance_mi));
        match in_range {
            Some(l) => text.push_str(&format!(
                " The property is {:.2} mi from {} ({}), within the law's {radius} mi.",
                l.distance_mi,
                l.site.name,
                l.site.kind.label().to_lowercase()
            )),
            None => {
                applies = false;
                text.push_str(&format!(
                    " No site of the kinds it protects is on file within {radius} mi; check \
                     for local facilities the site list lacks."
                ));
            }
        }
    }
    if let Some(effective) = law.effective.filter(|e| date < *e) {
        applies = false;
        text.push_str(&format!(
            " It took effect on {effective}, after the transaction date ({date}): for information."
        ));
    }
    let lead = if applies { "Applies: " } else { "Flag: " };
    Some(StateLawFinding {
        state: law.state.clone(),
        law: law.law.clone(),
        applies,
        finding: format!("{lead}{text} {}", law.summary),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::fixtures::{d, party, site, subject};
    use super::super::SiteKind;
    use super::*;

    fn run(
        state: &str,
        country: &str,
        near_mi: Option<f64>,
        date: NaiveDate,
    ) -> Vec<StateLawFinding> {
        let rules = RuleSet::builtin().unwrap();
        let mut s = subject(
            30.0,
            -85.0,
            Some(date),
            vec![party("p1", "Buyer", country, "acquirer", None)],
        );
        s.state = Some(state.into());
        let base = site(9, "Tyndall AFB", SiteKind::Military, Some(1), 30.07, -85.58);
        let near: Vec<Located<'_>> = near_mi
            .map(|d| Located {
                site: &base,
                distance_mi: d,
                in_force: true,
            })
            .into_iter()
            .collect();
        let buyer: Vec<&SubjectParty> = s.parties.iter().collect();
        findings(&s, &rules, &buyer, &near, date)
    }

    #[test]
    fn florida_ten_miles_for_its_countries() {
        let day = d(2024, 1, 10);
        let f = run("FL", "CN", Some(6.5), day);
        let radius: Vec<_> = f.iter().filter(|x| x.law.contains("692.203")).collect();
        assert_eq!(radius.len(), 1);
        assert!(radius[0].applies, "{}", radius[0].finding);
        assert!(
            radius[0].finding.contains("6.50 mi from Tyndall AFB"),
            "{}",
            radius[0].finding
        );
        // The China-only statewide rule also applies.
        assert!(f.iter().any(|x| x.law.contains("692.204") && x.applies));
        // Syria is one of Florida's seven, but not in the China-only rule.
        let sy = run("FL", "SY", Some(6.5), day);
        assert_eq!(sy.len(), 1);
        assert!(sy[0].applies);
        // Beyond 10 miles it is only a flag.
        let far = run("FL", "RU", Some(12.0), day);
        assert_eq!(far.len(), 1);
        assert!(
            !far[0].applies && far[0].finding.contains("Flag"),
            "{}",
            far[0].finding
        );
        // Canada is not targeted; another state's laws do not show.
        assert!(run("FL", "CA", Some(1.0), day).is_empty());
        assert!(run("WY", "CN", Some(1.0), day).is_empty());
    }

    #[test]
    fn florida_before_it_took_effect_is_for_information() {
        let f = run("FL", "CN", Some(3.0), d(2023, 6, 1));
        assert!(f.iter().all(|x| !x.applies));
        assert!(
            f[0].finding.contains("took effect on 2023-07-01"),
            "{}",
            f[0].finding
        );
    }

    #[test]
    fn texas_statewide_alabama_and_georgia_radius() {
        let day = d(2025, 10, 1);
        let tx = run("TX", "IR", None, day);
        assert_eq!(tx.len(), 1);
        assert!(
            tx[0].applies && tx[0].finding.contains("anywhere in the state"),
            "{}",
            tx[0].finding
        );
        assert!(run("TX", "CU", None, day).is_empty());
        assert!(run("AL", "KP", Some(9.9), day)[0].applies);
        let ga = run("GA", "VE", Some(10.0), day);
        assert!(ga[0].applies, "{}", ga[0].finding);
        let unknown = run("TX", "", None, day);
        assert!(!unknown[0].applies && unknown[0].finding.contains("not given"));
    }

    #[test]
    fn state_from_county() {
        let mut s = subject(0.0, 0.0, None, Vec::new());
        s.county_fips = Some("12086".into());
        assert_eq!(state_of(&s).as_deref(), Some("FL"));
        s.state = Some("tx".into());
        assert_eq!(state_of(&s).as_deref(), Some("TX"));
    }
}
