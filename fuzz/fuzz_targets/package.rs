//! A well-formed small package built from the fuzzer's bytes, so the inputs reach the model
//! and the rules instead of stopping at the ZIP reader. The bytes are cut at 0xFF into the
//! section document, a module, `resources.resx`, `[Content_Types].xml`, a relationships part
//! and a signature part; the first byte chooses `.mez` or `.pqx` and whether the section
//! loads the module.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mezcheck::testing::fuzz::package(data));
