//! Arbitrary bytes as a `.mez` archive.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mezcheck::testing::fuzz::mez(data));
