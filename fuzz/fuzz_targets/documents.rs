//! The submission documents: the bytes, cut at the first 0xFF, are the user documentation
//! article and the changelog (Markdown), checked by every article and changelog rule.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mezcheck::testing::fuzz::documents(data));
