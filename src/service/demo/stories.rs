//! The two real cases of DOMAIN.md, dated as they happened (sections 0, 2.6 and 4.1). Where the
//! public record gives no date (when the inquiry opened, when the review started), the dates
//! chosen respect the clocks of DOMAIN.md 1.3: the investigation starts on or before the last
//! day of the review, the referral on the last day of the investigation, and the order on the
//! last day of the President's 15 days.

use serde_json::json;

use super::replay::When::On;
use super::replay::{close, decide, go, note, Start, Step, Story, When, Who};
use crate::domain::report::LeadAgency;
use crate::domain::workflow::{Outcome, State};

const R: Who = Who::Reviewer;
const C: Who = Who::Chair;

/// MineOne, Cheyenne WY: from Microsoft's report to the divestment ordered on 13 May 2024.
/// Both conditions of the order were met, so the case ends closed as divestiture complete
/// rather than left open in `divestiture` with nothing left to watch.
#[rustfmt::skip]
const MINEONE: &[(When, Step)] = &[
    (On(2022, 8, 22), note(R, "Microsoft's national-security team reports the site: specialised, \
        foreign-sourced mining equipment next to its own data center, which supports DoD work, \
        and within a mile of the 90th Missile Wing. It warns of 'full-spectrum intelligence \
        collection' potential.")),
    (On(2022, 8, 23), Step::Assign(R)),
    (On(2022, 8, 23), go(R, State::Screening, "Lot within one mile of F.E. Warren AFB (Appendix A, \
        extended range). Buyer chain runs through a BVI parent to PRC nationals holding 51%. All \
        four property rights conveyed. Screen for jurisdiction.")),
    (On(2022, 9, 6), note(R, "Laramie County records: Lot 1, Block 10, North Range Business Park \
        3rd Filing, sold by Cheyenne LEADS to MineOne Wyoming Data Center LLC in June 2022. No \
        declaration or notice on file.")),
    (On(2022, 9, 7), go(R, State::Inquiry, "Covered real estate in close proximity to a listed \
        installation, a foreign-person buyer, and no filing: open a non-notified inquiry.")),
    (On(2022, 9, 20), note(R, "A public tip about the same site came in through the tips channel; \
        merged into this case.")),
    (On(2023, 3, 14), note(R, "Information request sent to MineOne: ownership of MineOne Partners \
        Ltd, the equipment on site and its origin, and who has physical and remote access.")),
    (On(2023, 10, 16), note(R, "The New York Times (13 Oct 2023) reports the mine and links it to \
        Bit Origin Ltd (Nasdaq-listed); Bit Origin's president denies any link between the \
        location and the base.")),
    (On(2024, 2, 1), go(C, State::Review, "Defense filed an agency notice on this non-notified \
        transaction: the 45-day review starts today.")),
    (On(2024, 3, 15), go(C, State::Investigation, "Unresolved concerns at the end of the review: \
        proximity to a strategic missile base and foreign-sourced equipment able to support \
        surveillance and espionage. Open the investigation.")),
    (On(2024, 4, 24), note(C, "Mitigation deemed impossible: no agreement the Committee could \
        monitor would remove the risk of the equipment and the access it gives. Prepare the \
        report to the President.")),
    (On(2024, 4, 29), go(C, State::Presidential, "Committee report to the President recommending \
        prohibition and divestment; no other law is adequate to address the risk.")),
    (On(2024, 5, 13), decide(State::Divestiture, "Prohibition ordered: the President prohibited \
        the acquisition and ordered divestment (order of 13 May 2024). No physical or logical \
        access by MineOne until done; CFIUS vets the buyer; the Attorney General enforces.", &[
        ("Remove all equipment and improvements from the property within 90 days of the order", 90),
        ("Divest all direct and indirect interests in the property within 120 days of the order; \
          CFIUS to vet the buyer", 120),
    ])),
    (On(2024, 5, 21), note(R, "Press: equipment is being trucked off the site.")),
    (On(2024, 5, 29), Step::Met(0)),
    (On(2024, 9, 18), note(R, "CleanSpark, Inc. (US) announced on 17 Sep 2024 that it has bought \
        the site.")),
    (On(2024, 9, 18), Step::Met(1)),
    (On(2024, 10, 1), close(Outcome::DivestitureComplete, "Divestiture verified: equipment removed \
        in May 2024 and the property sold to CleanSpark, Inc., a US buyer the Committee did not \
        object to. The order's terms are met.")),
];

/// Fufeng, Grand Forks ND: a notice filed, reviewed, and found not to be a covered
/// transaction (PRODUCT.md 4.1: `review` to `closed: not_covered`).
///
/// The notice was filed on 17 Oct 2022 (CFIUS Case 22-239) and the Committee's letter is dated
/// 12 Dec 2022. The date of acceptance is not public; 27 Oct 2022 is the one whose 45-day review
/// (from the next business day) ends on 12 Dec 2022.
#[rustfmt::skip]
const FUFENG: &[(When, Step)] = &[
    (On(2022, 7, 11), note(R, "Press coverage: Fufeng Group announced a ~$700M wet corn mill in Nov \
        2021 on a 370-acre greenfield site on the north edge of Grand Forks, about 12 miles from \
        Grand Forks AFB (drone operations, space networking center).")),
    (On(2022, 7, 12), Step::Assign(R)),
    (On(2022, 7, 12), go(R, State::Screening, "PRC parent, 370 acres near Grand Forks AFB. Check \
        whether the base is on the Part 802 list and what a greenfield purchase is.")),
    (On(2022, 10, 17), go(R, State::NoticeSubmitted, "Fufeng USA filed a notice today under Part \
        800 (CFIUS Case 22-239). The question is jurisdiction: greenfield land, and Grand Forks \
        AFB is not in Appendix A.")),
    (On(2022, 10, 27), go(R, State::Review, "Notice accepted as CFIUS Case 22-239; the review \
        starts the next business day.")),
    (On(2022, 12, 12), close(Outcome::NotCovered, "Not a covered transaction: a greenfield \
        purchase of land is not a business investment under Part 800, and Grand Forks AFB is not \
        on the Part 802 list, so Part 802 does not reach the land. Letter sent; filing fee \
        refunded.")),
    (On(2023, 1, 31), note(R, "The Department of the Air Force publicly calls the project a \
        significant threat to national security. The city ended the project in early February \
        2023.")),
    (On(2023, 9, 22), note(R, "Grand Forks AFB added to Part 802 Appendix A, Part 2 (100 miles), \
        from today. Re-screen any new report near the base.")),
];

/// The two real cases.
pub(super) fn all() -> Vec<Story> {
    vec![
        Story {
            report: json!({
                "title": "MineOne crypto mine within a mile of F.E. Warren AFB",
                "source": "company_report",
                "summary": "Microsoft reports a Bitcoin mine on a 12-acre lot (Lot 1, Block 10, \
                    North Range Business Park 3rd Filing, Cheyenne) bought in June 2022 from \
                    Cheyenne LEADS by MineOne entities ultimately majority-owned by PRC nationals. \
                    The lot is within one mile of F.E. Warren AFB (90th Missile Wing, Minuteman \
                    III) and next to a Microsoft data center that supports DoD work.",
                "transaction": {"kind": "purchase", "date": "2022-06-15", "value_usd": 1_500_000,
                    "rights": {"access": true, "exclude": true, "improve": true, "affix": true},
                    "intended_use": "cryptocurrency mining", "power_mw": 75},
                "property": {"lat": 41.17, "lon": -104.85,
                    "address": "Lot 1, Block 10, North Range Business Park 3rd Filing, Cheyenne",
                    "state": "WY", "county_fips": "56021", "acreage": 12},
                "parties": [
                    {"key": "p1", "name": "MineOne Wyoming Data Center LLC", "country": "US",
                     "role": "acquirer"},
                    {"key": "p2", "name": "MineOne Partners Ltd", "country": "VG",
                     "role": "parent", "owns": "p1", "ownership_pct": 100},
                    {"key": "p3", "name": "PRC nationals (undisclosed)", "country": "CN",
                     "role": "ultimate_parent", "owns": "p2", "ownership_pct": 51},
                    {"key": "p4", "name": "MineOne Cloud Computing Investment I L.P.",
                     "country": "US", "role": "affiliate"},
                    {"key": "p5", "name": "MineOne Data Center LLC", "country": "US",
                     "role": "affiliate"},
                    {"key": "p6", "name": "Cheyenne LEADS", "country": "US", "role": "seller"}
                ]
            }),
            logged_by: Some(R),
            assignee: R,
            agency: LeadAgency::Defense,
            start: Start::On(2022, 8, 22),
            steps: MINEONE.to_vec(),
            words: Vec::new(),
        },
        Story {
            report: json!({
                "title": "Fufeng wet corn mill on a 370-acre greenfield site near Grand Forks AFB",
                "source": "media",
                "summary": "Fufeng USA, a subsidiary of Fufeng Group (PRC; listed in Hong Kong), \
                    plans a ~$700M wet corn mill on a 370-acre greenfield site on the north edge \
                    of Grand Forks, about 12 miles from Grand Forks AFB.",
                "transaction": {"kind": "greenfield", "value_usd": 700_000_000,
                    "rights": {"access": true, "exclude": true, "improve": true, "affix": true},
                    "intended_use": "wet corn milling"},
                "property": {"lat": 47.97, "lon": -97.07,
                    "address": "North edge of Grand Forks, ND", "state": "ND",
                    "county_fips": "38035", "acreage": 370},
                "parties": [
                    {"key": "p1", "name": "Fufeng USA Inc", "country": "US", "role": "acquirer"},
                    {"key": "p2", "name": "Fufeng Group Ltd", "country": "CN", "role": "parent",
                     "owns": "p1", "ownership_pct": 100, "government_controlled": false}
                ]
            }),
            logged_by: Some(R),
            assignee: R,
            agency: LeadAgency::Treasury,
            start: Start::On(2022, 7, 11),
            steps: FUFENG.to_vec(),
            words: Vec::new(),
        },
    ]
}
