//! The steps that the made-up cases share, in segments, and the paths through the workflow
//! built from them. `{word}`s in the texts are filled per case (see `generated::story`).
//!
//! Gaps between steps keep every statutory clock of DOMAIN.md 1.3 with room for steps moved
//! back to the previous working day: a review or an investigation is left by its 41st day
//! after it starts, a declaration by its 26th, a presidential decision comes by day 11.
//! Left unformatted: one step to a line reads better than rustfmt's one argument to a line.

use super::replay::When::{After, On};
use super::replay::{close, decide, go, note, Segment, Step, Who};
use crate::domain::workflow::{Outcome, State};

const R: Who = Who::Reviewer;
const C: Who = Who::Chair;

const TRIAGE: Segment = &[(After(0), note(R, "Triage: {acquirer} ({purpose}, about {acres} acres) \
    is {miles} mi {dir} of {site}; the ownership runs to {owner} ({country}). Next: deed search \
    in {county} and the Appendix A part for {site}."))];

const SCREEN: Segment = &[
    (After(1), Step::Assign(R)),
    (After(0), go(R, State::Screening, "Inside the screening radius of {site}, and the buyer is a \
        foreign person ({country}) with at least three of the four property rights. Open \
        jurisdiction screening.")),
    (After(2), note(R, "{county} records: deed to {acquirer} recorded {tx_date}; nothing filed \
        with the Committee. Asked the installation's security office for site photos.")),
];

const INQUIRE: Segment = &[
    (After(3), go(R, State::Inquiry, "Covered real estate, a foreign-person buyer and no filing: \
        open a non-notified inquiry.")),
    (After(8), note(R, "Information request sent to {acquirer}: ownership chart up to {owner}, \
        financing, planned equipment, and who will have access to the site. Answers due in 10 \
        business days.")),
];

const FOLLOW_UP: Segment = &[(After(16), note(R, "{acquirer} answered in part: the owners above \
    {owner} are not named and the equipment list is missing."))];

const REQUEST_FILING: Segment = &[(After(10), go(C, State::FilingRequested, "The Committee asks \
    the parties to file a notice (31 CFR 802.501(b)); a response is due in 10 business days."))];

const AGENCY_NOTICE: Segment = &[(After(10), go(C, State::Review, "{agency} filed an agency \
    notice on this non-notified transaction: the 45-day review starts today."))];

const FILED: Segment = &[
    (After(1), Step::Assign(R)),
    (After(0), go(R, State::Screening, "Filing from counsel for {acquirer}: confirm that it is \
        a covered real estate transaction and which part of Appendix A covers {site}.")),
];

const DECLARE: Segment = &[(After(2), go(R, State::Declaration, "Declaration complete and \
    circulated to the Committee: the 30-day assessment starts today."))];

const PREFILE: Segment = &[(After(2), go(R, State::Prefiling, "Draft notice received from \
    counsel for {acquirer}; staff comments due in 10 business days."))];

const FILE: Segment = &[
    (After(7), note(R, "Staff comments on the draft: full ownership chain up to {owner}, site \
        plan, power and telecom contracts, and who will hold keys to the site.")),
    (After(5), go(R, State::NoticeSubmitted, "Formal notice filed with the fee and the \
        certifications.")),
];

const ACCEPT: Segment = &[
    (After(7), go(R, State::Review, "Notice complete and fee paid: accepted and circulated. The \
        review starts the next business day.")),
    (After(8), note(R, "DNI threat assessment requested on {owner}; {agency} leads the \
        review.")),
];

const INVESTIGATE: Segment = &[
    (After(22), note(C, "{agency} still sees risk: {miles} mi from {site}, with a view into the \
        installation and a buyer answerable to {owner}. The parties' mitigation offer does \
        not cover access to the site.")),
    (After(8), go(C, State::Investigation, "Unresolved national-security concerns at the end of \
        the review: open the 45-day investigation.")),
];

const EXTEND: Segment = &[(After(38), Step::Extend("Extraordinary circumstances: at the request \
    of the head of {agency}, 15 more days to settle the mitigation terms. Parties informed."))];

const REFER: Segment = &[
    (After(34), note(C, "Mitigation talks ended: {owner} will not accept a US security officer \
        or limits on who enters the site. The Committee cannot resolve the risk.")),
    (After(2), go(C, State::Presidential, "Committee report to the President recommending \
        prohibition; no other law is adequate. Decision due within 15 days.")),
];

const ORDER: Segment = &[
    (After(10), decide(State::Divestiture, "Prohibition ordered: the President prohibited the \
        transaction and ordered {acquirer} to divest; CFIUS vets the buyer and the Attorney \
        General enforces.", &[
        ("Remove all equipment and cease operations on the property within 90 days", 90),
        ("Divest all interests in the property within 120 days; CFIUS to vet the buyer", 120),
    ])),
    (After(70), note(R, "Site visit by {agency}: equipment gone, gate locked, no staff on site.")),
    (After(2), Step::Met(0)),
];

const WITHDRAW: Segment = &[(After(20), go(R, State::Withdrawn, "The parties asked to withdraw \
    and refile to finish the mitigation terms; granted (31 CFR 802.509). Interim: no \
    construction on the site."))];

const WITHDRAW_DECLARATION: Segment = &[(After(17), go(R, State::Withdrawn, "Declaration \
    withdrawn: the parties will restructure the deal and file a notice instead."))];

const MITIGATE: Segment = &[
    (After(28), decide(State::Monitoring, "Cleared with mitigation: national security agreement \
        signed with {acquirer} and {owner}.", &[
        ("Appoint a security officer approved by {agency}", 30),
        ("No access to the site for foreign nationals without 30 days' notice to {agency}", 180),
        ("Annual third-party compliance audit, reported to the monitoring agencies", 365),
    ])),
    (After(25), Step::Met(0)),
];

const ABANDON_MITIGATED: Segment = &[
    (After(25), decide(State::Monitoring, "Abandoned with mitigation: the deal is off, but \
        {acquirer} holds survey and drone imagery of {site}.", &[
        ("Certify destruction of all survey and drone imagery of the installation", 30),
        ("Sell the parcel to a buyer the Committee does not object to", 120),
    ])),
    (After(25), Step::Met(0)),
];

/// The clocks stop on 1 October 2025 (lapse in appropriations) and restart on 12 November.
const LAPSE: Segment = &[
    (On(2025, 10, 1), Step::Toll("Lapse in appropriations: all statutory clocks are tolled \
        (50 U.S.C. 4565(b)(8); 31 CFR 802.604).")),
    (On(2025, 11, 12), Step::Resume("Appropriations restored: clocks resume; every open \
        deadline moves by the 42 days of the lapse.")),
    (On(2025, 11, 18), go(C, State::Investigation, "Turbine layout still overlaps the missile \
        field's radar sight lines: open the 45-day investigation.")),
    (On(2025, 12, 29), decide(State::Monitoring, "Cleared with mitigation: {acquirer} moves two \
        turbines and keeps the control systems in the United States.", &[
        ("Appoint a security officer approved by {agency} for the wind farm's control systems", 30),
        ("Relocate turbines 14 and 15 outside the missile field's radar sight lines", 180),
        ("Annual third-party audit of remote access to the turbine control systems", 365),
    ])),
    (On(2026, 1, 27), Step::Met(0)),
    (On(2026, 6, 26), Step::Met(1)),
];

const EXCEPTED_HOUSE: Segment = &[(After(5), close(Outcome::NotCovered, "Not a covered real \
    estate transaction: a single housing unit is excepted (31 CFR 802.216(a))."))];

const TOO_FEW_RIGHTS: Segment = &[(After(12), close(Outcome::NotCovered, "Not a covered real \
    estate transaction: the lease gives only access and the right to affix antennas, fewer \
    than three of the four property rights (31 CFR 802.212)."))];

const DEAL_OFF: Segment = &[(After(20), close(Outcome::NoFurtherAction, "The sale to \
    {acquirer} fell through and the seller kept the land: no further action."))];

const DECLARATION_CLEARED: Segment = &[(After(25), close(Outcome::DeclarationCleared, "The \
    Committee concluded all action on the declaration (safe harbor)."))];

const UNABLE: Segment = &[(After(24), close(Outcome::UnableToConclude, "The declaration does not \
    let the Committee conclude: no clearance and no block. The parties may file a notice."))];

const NOTICE_REQUESTED: Segment = &[(After(24), go(C, State::Prefiling, "Notice requested: the \
    Committee needs a full notice to conclude on this declaration."))];

const REJECT: Segment = &[
    (After(6), note(R, "Follow-up questions sent to counsel; answers due in 3 business days.")),
    (After(8), close(Outcome::Rejected, "No answers to the follow-up questions within 3 business \
        days and no extension asked: notice rejected.")),
];

const CLEAR: Segment = &[(After(25), close(Outcome::Cleared, "No unresolved national security \
    concerns: clearance letter sent to the parties."))];

const CLEAR_AFTER_INVESTIGATION: Segment = &[(After(30), close(Outcome::Cleared, "The site \
    survey showed no line of sight to sensitive areas and {owner} accepted limits on access: \
    no unresolved concerns. Clearance letter sent."))];

const ABANDON: Segment = &[(After(30), close(Outcome::Abandoned, "The parties abandoned the deal \
    after being told the Committee would otherwise refer it to the President."))];

const COMPLETE: Segment = &[
    (After(130), Step::Met(1)),
    (After(205), Step::Met(2)),
    (After(5), close(Outcome::MitigationCompleted, "Every mitigation condition met and verified \
        by {agency}: monitoring ends.")),
];

// ---------------------------------------------------------------------------------------------
// Paths: where each case stands today
// ---------------------------------------------------------------------------------------------

/// A path: the segments of a story, in order.
pub(super) type Path = &'static [Segment];

pub(super) const LEAD: Path = &[TRIAGE];
pub(super) const SCREENING: Path = &[TRIAGE, SCREEN];
pub(super) const INQUIRY: Path = &[TRIAGE, SCREEN, INQUIRE];
pub(super) const FILING_REQUESTED: Path = &[TRIAGE, SCREEN, INQUIRE, FOLLOW_UP, REQUEST_FILING];
pub(super) const AGENCY_REVIEW: Path = &[TRIAGE, SCREEN, INQUIRE, FOLLOW_UP, AGENCY_NOTICE];
pub(super) const DIVESTITURE: Path = &[TRIAGE, SCREEN, INQUIRE, FOLLOW_UP, AGENCY_NOTICE, INVESTIGATE, REFER, ORDER];
pub(super) const DECLARATION: Path = &[FILED, DECLARE];
pub(super) const PREFILING: Path = &[FILED, PREFILE];
pub(super) const NOTICE: Path = &[FILED, PREFILE, FILE];
pub(super) const REVIEW: Path = &[FILED, PREFILE, FILE, ACCEPT];
pub(super) const INVESTIGATION: Path = &[FILED, PREFILE, FILE, ACCEPT, INVESTIGATE];
pub(super) const EXTENDED: Path = &[FILED, PREFILE, FILE, ACCEPT, INVESTIGATE, EXTEND];
pub(super) const PRESIDENTIAL: Path = &[FILED, PREFILE, FILE, ACCEPT, INVESTIGATE, REFER];
pub(super) const WITHDRAWN: Path = &[FILED, PREFILE, FILE, ACCEPT, WITHDRAW];
pub(super) const WITHDRAWN_DECLARATION: Path = &[FILED, DECLARE, WITHDRAW_DECLARATION];
pub(super) const MONITORING: Path = &[FILED, PREFILE, FILE, ACCEPT, MITIGATE];
pub(super) const MONITORING_ABANDONED: Path = &[FILED, PREFILE, FILE, ACCEPT, WITHDRAW, ABANDON_MITIGATED];
pub(super) const MONITORING_TOLLED: Path = &[FILED, PREFILE, FILE, ACCEPT, LAPSE];
pub(super) const NOT_COVERED_HOUSE: Path = &[TRIAGE, SCREEN, EXCEPTED_HOUSE];
pub(super) const NOT_COVERED_LEASE: Path = &[TRIAGE, SCREEN, INQUIRE, TOO_FEW_RIGHTS];
pub(super) const NO_FURTHER_ACTION: Path = &[TRIAGE, SCREEN, INQUIRE, FOLLOW_UP, DEAL_OFF];
pub(super) const CLEARED_DECLARATION: Path = &[FILED, DECLARE, DECLARATION_CLEARED];
pub(super) const UNABLE_TO_CONCLUDE: Path = &[FILED, DECLARE, UNABLE];
pub(super) const REJECTED: Path = &[FILED, PREFILE, FILE, ACCEPT, REJECT];
pub(super) const CLEARED: Path = &[FILED, PREFILE, FILE, ACCEPT, CLEAR];
pub(super) const CLEARED_INVESTIGATION: Path = &[FILED, PREFILE, FILE, ACCEPT, INVESTIGATE, CLEAR_AFTER_INVESTIGATION];
pub(super) const CLEARED_VIA_DECLARATION: Path = &[FILED, DECLARE, NOTICE_REQUESTED, FILE, ACCEPT, CLEAR];
pub(super) const ABANDONED: Path = &[FILED, PREFILE, FILE, ACCEPT, WITHDRAW, ABANDON];
pub(super) const MITIGATION_COMPLETED: Path = &[FILED, PREFILE, FILE, ACCEPT, MITIGATE, COMPLETE];

