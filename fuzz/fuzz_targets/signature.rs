//! Arbitrary bytes as the signature part (and relationship parts) of an otherwise valid small
//! signed `.pqx`: XML-DSig reading, C14N, digests, RSA and certificate parsing, the rules and
//! `verify`'s output.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mezcheck::testing::fuzz::signature(data));
