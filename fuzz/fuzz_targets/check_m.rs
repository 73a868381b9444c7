//! M source, any bytes, through the parser and the whole `check` pipeline as the section
//! document of a package.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mezcheck::testing::fuzz::check_m(data));
