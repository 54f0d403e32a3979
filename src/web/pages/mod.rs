//! Server-rendered pages: one file per area, each holding its handlers and page structs.

pub mod admin;
pub mod attachments;
pub mod case_view;
pub mod cases;
pub mod dashboard;
pub mod exports;
pub mod health;
pub mod import;
pub mod keys;
pub mod login;
pub mod queue;
pub mod report_form;
pub mod reports;
pub mod sites;
pub mod tip;
pub mod watchlists;
