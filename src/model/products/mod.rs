//! What the model is turned into besides findings: `info`'s description of a connector
//! (`info`), the debugging dumps (`dump`), the connector facts the submission documents are
//! compared with (`facts`) and the manual certification checklist (`checklist`).

pub mod checklist;
pub mod diff;
pub mod dump;
pub mod facts;
pub mod info;
