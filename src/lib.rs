//! Cordon screens foreign acquisitions of land near sensitive sites, CFIUS style: intake,
//! screening, the review workflow with its statutory clocks, decisions and a verifiable history.
//!
//! Layers point one way: `web` and `cli` call `service`, which calls `domain` (pure rules) and
//! `db` (persistence).

#![forbid(unsafe_code)]

pub mod charts;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod index;
pub mod maps;
pub mod service;
pub mod startup;
pub mod telemetry;
pub mod web;

#[cfg(test)]
mod props;
