//! The two real cases of DOMAIN.md, dated as they happened (sections 0, 2.6 and 4.1). Where the
//! public record gives no date (when the inquiry opened, when the review started), the dates
//! chosen respect the clocks of DOMAIN.md 1.3: the investigation starts on or before the last
//! day of the review, the referral on the last day of the investigation, and the order on the
//! last day of the President's 15 days.
//!
//! Then four illustrative mines ([`illustrative`]): reporting found Chinese-owned mining sites in
//! a dozen states and tied the Wyoming mine to five companies, one of them Bit Origin Ltd, a
//! Cayman Islands company. These made-up reports, in Texas, Arkansas, Nebraska and North Dakota,
//! each name Bit Origin Ltd (written as a report would write it: `BIT ORIGIN LIMITED`, `Bit
//! Origin, Ltd.`), so that MineOne's page lists them as related cases. Their places, buyers,
//! sellers and dates are invented, and each summary says so: they assert nothing about Bit
//! Origin Ltd beyond DOMAIN.md (the press linked it to the Cheyenne mine).

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

/// What every illustrative mine's summary starts with.
const ILLUSTRATIVE: &str = "Illustrative demo case, made up to show related cases: not a record \
    of a real site, transaction or company. ";

/// Texas: 6 miles north-east of Dyess AFB (Part 2 since 22 Sep 2023), bought after the base was
/// listed: covered; the inquiry is still open.
#[rustfmt::skip]
const MINE_TEXAS: &[(When, Step)] = &[
    (On(2023, 10, 23), note(R, "Illustrative. Abilene press: a new Bitcoin mine on a 20-acre lot \
        north-east of Dyess AFB, power contract for 40 MW. The buyer's filings name Bit Origin Ltd \
        as an affiliate.")),
    (On(2023, 10, 24), Step::Assign(R)),
    (On(2023, 10, 24), go(R, State::Screening, "About 6 miles from Dyess AFB, on Appendix A part 2 \
        since 22 Sep 2023; the deal closed after that. A Cayman Islands affiliate. Screen for \
        jurisdiction.")),
    (On(2023, 11, 6), go(R, State::Inquiry, "Covered real estate (extended range of Dyess AFB), a \
        foreign-person affiliate and no filing: open a non-notified inquiry.")),
    (On(2023, 11, 20), note(R, "Information request sent to Mesquite Hash Partners LLC: who owns \
        it, what Bit Origin Ltd's part is, and where the machines come from.")),
];

/// Arkansas: no listed installation within range and no Part 3 county: not covered, kept on
/// file for the link.
#[rustfmt::skip]
const MINE_ARKANSAS: &[(When, Step)] = &[
    (On(2024, 1, 9), Step::Assign(R)),
    (On(2024, 1, 9), go(R, State::Screening, "Illustrative. Public tip about a container-built \
        Bitcoin mine in Faulkner County whose operator names BIT ORIGIN LIMITED. Check for a \
        listed installation nearby.")),
    (On(2024, 1, 23), close(Outcome::NotCovered, "No Appendix A installation within range and the \
        county is not on the Part 3 list: not covered real estate. Kept on file for the link to \
        Bit Origin Ltd.")),
];

/// Nebraska: 6 miles from Offutt AFB, a Part 1 installation (close proximity only): not
/// covered.
#[rustfmt::skip]
const MINE_NEBRASKA: &[(When, Step)] = &[
    (On(2023, 11, 14), Step::Assign(R)),
    (On(2023, 11, 14), go(R, State::Screening, "Illustrative. Referral from the installation's \
        security office: a Bitcoin mine south-west of Offutt AFB run by Platte Valley Compute LLC, \
        whose lease names Bit Origin, Ltd. as an affiliate.")),
    (On(2023, 12, 4), close(Outcome::NotCovered, "Offutt AFB is on Appendix A part 1, which covers \
        only close proximity (1 mile); the lot is about 6 miles away. Not covered real estate. \
        Kept on file for the link to Bit Origin Ltd.")),
];

/// North Dakota: 6 miles from Minot AFB (Part 2): covered; an inquiry that ended when the
/// operator left.
#[rustfmt::skip]
const MINE_NORTH_DAKOTA: &[(When, Step)] = &[
    (On(2023, 11, 21), Step::Assign(R)),
    (On(2023, 11, 21), go(R, State::Screening, "Illustrative. Ward County reports a Bitcoin mine \
        south-east of Minot AFB on a leased lot; the lessee names Bit Origin Ltd as an \
        affiliate.")),
    (On(2023, 12, 5), go(R, State::Inquiry, "Within the extended range of Minot AFB (part 2), a \
        foreign-person affiliate and no filing: open a non-notified inquiry.")),
    (On(2024, 3, 4), note(R, "Information request answered in part: the lessee will not say who \
        owns Bit Origin Ltd's stake.")),
    (On(2024, 6, 3), close(Outcome::NoFurtherAction, "The operator removed its machines and ended \
        the lease in May 2024; the landowner confirmed it. No further action.")),
];

/// An illustrative mine's report: title, summary (after [`ILLUSTRATIVE`]), where (lat, lon,
/// address, state), when it was bought, the acreage, the power in MW, the source and the
/// parties.
#[expect(clippy::too_many_arguments)]
fn mine_report(
    title: &str,
    summary: &str,
    (lat, lon, address, state): (f64, f64, &str, &str),
    date: &str,
    acreage: f64,
    power_mw: f64,
    source: &str,
    parties: serde_json::Value,
) -> serde_json::Value {
    json!({
        "title": title,
        "source": source,
        "summary": format!("{ILLUSTRATIVE}{summary}"),
        "transaction": {"kind": "purchase", "date": date,
            "rights": {"access": true, "exclude": true, "improve": true, "affix": true},
            "intended_use": "cryptocurrency mining", "power_mw": power_mw},
        "property": {"lat": lat, "lon": lon, "address": address, "state": state,
            "acreage": acreage},
        "parties": parties,
    })
}

/// The illustrative mines that share a party with MineOne (see the module documentation).
pub(super) fn illustrative() -> Vec<Story> {
    let story = |report, logged_by, agency, start, steps: &[(When, Step)]| Story {
        report,
        logged_by,
        assignee: R,
        agency,
        start,
        steps: steps.to_vec(),
        words: Vec::new(),
    };
    vec![
        story(
            mine_report(
                "Crypto mine 6 mi NE of Dyess AFB with a Bit Origin affiliate (illustrative)",
                "A 20-acre lot north-east of Dyess AFB bought by Mesquite Hash Partners LLC for a \
                 40 MW Bitcoin mine. Its filings name Bit Origin Ltd (Cayman Islands), the company \
                 the press linked to the Cheyenne mine next to F.E. Warren AFB, as an affiliate.",
                (32.48, -99.78, "North-east of Abilene, Taylor County", "TX"),
                "2023-10-02",
                20.0,
                40.0,
                "media",
                json!([
                    {"key": "p1", "name": "Mesquite Hash Partners LLC", "country": "US",
                     "role": "acquirer"},
                    {"key": "p2", "name": "Bit Origin Ltd", "country": "KY", "role": "affiliate"},
                    {"key": "p9", "name": "Big Country Land Partners LP", "country": "US",
                     "role": "seller"}
                ]),
            ),
            Some(R),
            LeadAgency::Defense,
            Start::On(2023, 10, 23),
            MINE_TEXAS,
        ),
        story(
            mine_report(
                "Container crypto mine in Faulkner County, AR linked to Bit Origin (illustrative)",
                "A public tip about shipping containers of Bitcoin miners on a 5-acre lot north \
                 of Conway, run by Natural State Data Farms LLC, whose operator names BIT ORIGIN \
                 LIMITED (Cayman Islands), the company the press linked to the Cheyenne mine.",
                (35.15, -92.40, "North of Conway, Faulkner County", "AR"),
                "2023-09-15",
                5.0,
                12.0,
                "public_tip",
                json!([
                    {"key": "p1", "name": "Natural State Data Farms LLC", "country": "US",
                     "role": "acquirer"},
                    {"key": "p2", "name": "BIT ORIGIN LIMITED", "country": "KY",
                     "role": "affiliate"},
                    {"key": "p9", "name": "Cadron Creek Land Co.", "country": "US",
                     "role": "seller"}
                ]),
            ),
            None,
            LeadAgency::Treasury,
            Start::On(2024, 1, 8),
            MINE_ARKANSAS,
        ),
        story(
            mine_report(
                "Crypto mine 6 mi SW of Offutt AFB with a Bit Origin affiliate (illustrative)",
                "A 10-acre lot south-west of Offutt AFB bought by Platte Valley Compute LLC for a \
                 Bitcoin mine; its lease names Bit Origin, Ltd. (Cayman Islands), the company the \
                 press linked to the Cheyenne mine, as an affiliate.",
                (41.06, -96.01, "South-west of Bellevue, Sarpy County", "NE"),
                "2023-08-21",
                10.0,
                25.0,
                "agency_referral",
                json!([
                    {"key": "p1", "name": "Platte Valley Compute LLC", "country": "US",
                     "role": "acquirer"},
                    {"key": "p2", "name": "Bit Origin, Ltd.", "country": "KY", "role": "affiliate"},
                    {"key": "p9", "name": "Papio Bottoms Farm LLC", "country": "US",
                     "role": "seller"}
                ]),
            ),
            Some(R),
            LeadAgency::Defense,
            Start::On(2023, 11, 13),
            MINE_NEBRASKA,
        ),
        story(
            mine_report(
                "Crypto mine 6 mi SE of Minot AFB with a Bit Origin affiliate (illustrative)",
                "A leased 8-acre lot south-east of Minot AFB where Souris River Digital LLC runs a \
                 Bitcoin mine; the lessee names Bit Origin Ltd (Cayman Islands), the company the \
                 press linked to the Cheyenne mine, as an affiliate.",
                (48.35, -101.27, "South-east of Minot, Ward County", "ND"),
                "2023-07-10",
                8.0,
                30.0,
                "agency_referral",
                json!([
                    {"key": "p1", "name": "Souris River Digital LLC", "country": "US",
                     "role": "acquirer"},
                    {"key": "p2", "name": "Bit Origin Ltd", "country": "KY", "role": "affiliate"},
                    {"key": "p9", "name": "Des Lacs Farmland Trust", "country": "US",
                     "role": "seller"}
                ]),
            ),
            Some(R),
            LeadAgency::Defense,
            Start::On(2023, 11, 20),
            MINE_NORTH_DAKOTA,
        ),
    ]
}

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
                    {"key": "p6", "name": "Cheyenne LEADS", "country": "US", "role": "seller"},
                    {"key": "p7", "name": "Bit Origin Ltd", "country": "KY", "role": "affiliate"}
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
