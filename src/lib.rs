//! chachong (查重): checks Chinese official writing against a corpus of earlier documents and says,
//! paragraph by paragraph, what was copied and from where, what is only 套话 that every such text
//! shares, and what is residue of a template website.
//!
//! The modules follow the pipeline (see DESIGN.md), each a stage over plain data:
//!
//! ```text
//! ingest → marks → normalize → tokenize → shingle → fingerprint → index
//! draft paragraph → index candidates → align → classify → report
//! ```
//!
//! [`review`] reads a report back and shows it to a person, in the terminal or as HTML;
//! [`serve`] does the check as a local web page.

pub mod align;
pub mod analyze;
pub mod atomic;
pub mod audit;
pub mod check;
pub mod classify;
pub mod corpus;
#[cfg(feature = "spark")]
pub mod export;
pub mod figures;
pub mod findings;
pub mod fingerprint;
pub mod independence;
pub mod index;
pub mod ingest;
pub mod manifest;
pub mod marks;
pub mod names;
pub mod normalize;
pub mod open;
pub mod params;
pub mod pdf;
pub mod report;
pub mod review;
pub mod serve;
pub mod shingle;
pub mod spreadsheet;
mod t2s_table;
pub mod table;
pub mod taohua;
pub mod tokenize;
pub mod walk;
pub mod xlsx;
