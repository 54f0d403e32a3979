//! Integration tests: the real application over HTTP, on SQLite and (with `TEST_DATABASE_URL`)
//! on PostgreSQL, each test on its own database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod api_cases;
mod api_contract;
mod api_tokens;
mod attachments;
mod bench_data;
mod case_map;
mod cases_web;
mod cli;
mod counters;
mod crash;
mod dashboard_charts;
mod demo;
mod exports;
mod head;
mod hostile;
mod import;
mod migrate_previous;
mod national_maps;
mod races;
mod received;
mod related;
mod reports;
mod screening_store;
mod screening_web;
mod search;
mod security;
mod signing;
mod sites;
mod two_nodes;
mod watchlists;
mod web_admin;
mod web_auth;
mod workflow_rules;
mod writers;
