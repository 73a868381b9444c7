//! Arbitrary bytes as a signed `.pqx` package (OPC content types, relationships, signature
//! parts).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mezcheck::testing::fuzz::pqx(data));
