//! What the battery aims at: signed-in senders of every role, cases in the states the forms
//! need (one with a watchlist hit, one under monitoring with a condition and a file), a site, a
//! token, a closure day, and a user for the admin forms to aim at.

use cordon::domain::workflow::{State, WorkflowSettings};
use cordon::domain::Role;
use cordon::service;
use cordon::service::workflow::{NewCondition, TransitionInput};

use super::probe::{Identity, Who};
use crate::support::{mineone_json, Client, TestApp, PASSWORD};

/// The names behind the senders.
pub fn user_of(who: Who) -> Option<&'static str> {
    match who {
        Who::Nobody => None,
        Who::Observer => Some("observer1"),
        Who::Reviewer => Some("reviewer1"),
        Who::Chair => Some("chair1"),
        Who::Admin => Some("admin1"),
    }
}

pub struct Fixture {
    pub identities: Vec<Identity>,
    /// A case in `lead`, logged by someone else than the senders; its party is on a watchlist.
    pub lead: i64,
    /// A case under monitoring with one condition and one attached file.
    pub monitored: i64,
    pub condition: i64,
    pub attachment: i64,
    /// The watchlist hit of `lead`: party name and entry id.
    pub hit: (String, i64),
    pub site: i64,
    pub closure: &'static str,
    /// A user the admin forms aim at.
    pub target: &'static str,
}

impl Fixture {
    pub fn identity(&self, who: Who) -> &Identity {
        self.identities
            .iter()
            .find(|i| i.who == who)
            .expect("every sender is set up")
    }

    /// Made-up ids, for checking the plan without an application.
    pub fn placeholder() -> Fixture {
        Fixture {
            identities: Vec::new(),
            lead: 1,
            monitored: 2,
            condition: 1,
            attachment: 1,
            hit: ("MineOne Partners Ltd".into(), 1),
            site: 1,
            closure: "2031-01-02",
            target: "target",
        }
    }

    /// The current version of a case (probes that must be stale or current read it).
    pub fn version(app: &TestApp, id: i64) -> i64 {
        app.case(id).case.version
    }
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_string()
}

fn sign_in(app: &TestApp, who: Who) -> Identity {
    let Some(name) = user_of(who) else {
        let c = Client::new(app);
        let res = c.get_raw("/login");
        let cookie = c
            .cookie_header(&res, cordon::web::auth::ANON_CSRF_COOKIE)
            .expect("an anonymous CSRF cookie");
        let cookie = cookie_pair(&cookie);
        let csrf = cookie
            .split_once('=')
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        return Identity {
            who,
            cookie,
            csrf,
            bearer: None,
        };
    };
    let role = who.role().expect("a role");
    app.user(name, role);
    let c = Client::new(app);
    let res = c.login(name, PASSWORD);
    assert_eq!(res.status().as_u16(), 303, "{name} signs in");
    let cookie = cookie_pair(
        &c.cookie_header(&res, "cordon_session")
            .expect("session cookie"),
    );
    let csrf = c.csrf();
    assert!(!csrf.is_empty(), "{name} has a CSRF token");
    let (_, bearer) = service::users::create_token(&mut app.conn(), None, name, "hostile battery")
        .expect("token");
    Identity {
        who,
        cookie,
        csrf,
        bearer: Some(bearer),
    }
}

fn watchlist(app: &TestApp) {
    let csv = "name,aliases,country,program,source\n\
               MineOne Partners Ltd,,VG,Entity List,BIS\n";
    service::watchlists::import_list(
        &mut app.conn(),
        None,
        "BIS Entity List",
        csv.as_bytes(),
        &|_, _| {},
    )
    .map_err(|_| "import")
    .expect("watchlist imported");
}

fn monitored_case(app: &TestApp) -> (i64, i64, i64) {
    let id = app.report("reviewer2", mineone_json());
    app.move_case("reviewer2", id, "screening", None);
    app.move_case("reviewer2", id, "inquiry", None);
    app.move_case("chair2", id, "review", None);
    let input = TransitionInput {
        to: State::Monitoring,
        outcome: None,
        rationale: "Cleared with mitigation.".into(),
        effective: None,
        version: app.case(id).case.version,
        conditions: vec![NewCondition {
            text: "Remove the mining equipment.".into(),
            due: None,
        }],
    };
    service::workflow::transition(
        &mut app.conn(),
        &app.principal("chair2"),
        id,
        &input,
        &WorkflowSettings::default(),
        &service::clock::Now::real(),
    )
    .expect("monitoring");
    let v = app.case(id);
    assert_eq!(v.case.state, "monitoring");
    let condition = v.conditions.first().expect("a condition").id;
    let upload = service::attachments::Upload {
        name: "deed.txt".into(),
        content_type: "text/plain".into(),
        content: b"The deed of the lot.\n".to_vec(),
    };
    let ids = service::attachments::add(
        &mut app.conn(),
        &app.principal("reviewer2"),
        id,
        &[upload],
        1024 * 1024,
        &service::clock::Now::real(),
    )
    .expect("attached");
    (id, condition, ids[0])
}

pub fn build(app: &TestApp) -> Fixture {
    let identities: Vec<Identity> = Who::ALL.iter().map(|w| sign_in(app, *w)).collect();
    app.user("reviewer2", Role::Reviewer);
    app.user("chair2", Role::Chair);
    app.user("target", Role::Observer);
    watchlist(app);
    let lead = app.report("reviewer2", mineone_json());
    let hit = app
        .case(lead)
        .screening
        .and_then(|s| s.watchlist_hits.into_iter().next())
        .map(|h| (h.party, h.entry_id))
        .expect("the lead case has a watchlist hit");
    let (monitored, condition, attachment) = monitored_case(app);
    service::sites::import_sites(
        &mut app.conn(),
        None,
        crate::sites::good_csv().as_bytes(),
        &|_, _| {},
    )
    .map_err(|_| "sites")
    .expect("sites imported");
    let site = service::sites::list_sites(&mut app.conn(), &Default::default())
        .expect("sites")
        .sites
        .first()
        .expect("a site")
        .id;
    let closure = "2031-01-02";
    service::closures::add(&mut app.conn(), "admin1", closure, "Snow closure").expect("closure");
    Fixture {
        identities,
        lead,
        monitored,
        condition,
        attachment,
        hit,
        site,
        closure,
        target: "target",
    }
}
