//! How the cost of a check grows with each dimension of a package a user controls: bindings
//! per `let`, members per section, fields per record, items per list, duplicate names,
//! resource keys, archive entries, name lengths, line length and nesting.
//!
//! Each test checks one shape at a base size and at four times that size, in this process. It
//! never asserts an absolute time: each doubling of the input must less than triple the time,
//! so four times the input must take less than nine times as long (best of three runs each,
//! so a busy machine does not fail it; a quadratic path takes sixteen times as long). The peak
//! heap of the check must stay under ten times the input plus a constant. A quadratic path fails the time check at any
//! machine speed; a per-byte blow-up fails the memory check.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mezcheck::config::Config;
use mezcheck::package::{Package, PackageKind, read_archive};
use mezcheck::testing::zip_bytes;

/// Counts live and peak heap bytes of this test process.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to the system allocator with the caller's layout; the counters
// are only statistics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap the check of an input may use besides ten times its size: the rule registry,
/// configuration, thread-local caches and small fixed tables.
const MEMORY_CONSTANT: usize = 24 * 1024 * 1024;

/// Doubling the input may at most multiply the time by this.
const MAX_GROWTH: f64 = 3.0;

/// How many times the input is doubled between the two measurements.
const DOUBLINGS: i32 = 2;

/// Below this, timings are noise; the comparison allows it as slack.
const TIMER_SLACK: Duration = Duration::from_millis(3);

/// Tests share the process-wide heap counters, so they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The best of three times of `check`, and its peak heap above what was live before.
fn measure(bytes: &[u8], name: &str) -> (Duration, usize) {
    let config = Config::default();
    let mut best = Duration::MAX;
    let mut peak = 0;
    for _ in 0..3 {
        let package: Package = read_archive(bytes, name, PackageKind::Mez);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let report = mezcheck::check_package(package, &config);
        best = best.min(start.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed).saturating_sub(before));
        drop(report);
    }
    (best, peak)
}

/// Checks `shape(n)` and `shape(4 * n)`: time grows less than [`MAX_GROWTH`] times per
/// doubling and the heap stays within ten times the input plus [`MEMORY_CONSTANT`].
fn scales(what: &str, n: usize, shape: impl Fn(usize) -> (Vec<u8>, &'static str)) {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (small, name) = shape(n);
    let (large, _) = shape(n << DOUBLINGS);
    let (small_time, small_peak) = measure(&small, name);
    let (large_time, large_peak) = measure(&large, name);
    let growth = MAX_GROWTH.powi(DOUBLINGS);
    let allowed = small_time.mul_f64(growth) + TIMER_SLACK;
    assert!(
        large_time <= allowed,
        "{what}: {} bytes took {small_time:?}, {} bytes took {large_time:?} (more than {growth}×)",
        small.len(),
        large.len()
    );
    for (input, peak) in [(&small, small_peak), (&large, large_peak)] {
        let limit = 10 * input.len() + MEMORY_CONSTANT;
        assert!(
            peak <= limit,
            "{what}: {} bytes peaked at {peak} bytes of heap (limit {limit})",
            input.len()
        );
    }
}

/// A section document holding `body` as the value of its data source function.
fn section(body: &str) -> String {
    format!(
        "[Version = \"1.0.0\"]\nsection Scale;\n\n[DataSource.Kind = \"Scale\", Publish = \"Scale.Publish\"]\nshared Scale.Contents = () =>\n{body};\n\nScale = [Authentication = [Anonymous = []], Label = \"Scale\"];\nScale.Publish = [Beta = true, Category = \"Other\", ButtonText = {{\"Scale\", \"Scale\"}}];\n"
    )
}

/// A package holding only the section document `text`.
fn bare(text: String) -> (Vec<u8>, &'static str) {
    mez(&[("Scale.pq", text.as_bytes())])
}

fn mez(entries: &[(&str, &[u8])]) -> (Vec<u8>, &'static str) {
    (zip_bytes(entries), "Scale.mez")
}

#[test]
fn bindings_per_let() {
    scales("bindings per let", 4_000, |n| {
        let bindings: Vec<String> = (0..n)
            .map(|i| match i {
                0 => "v0 = 1".to_owned(),
                _ => format!("v{i} = Text.From(v{})", i - 1),
            })
            .collect();
        bare(section(&format!(
            "let\n{}\nin v{}",
            bindings.join(",\n"),
            n - 1
        )))
    });
}

#[test]
fn members_per_section() {
    scales("members per section", 4_000, |n| {
        let members: String = (0..n)
            .map(|i| format!("Helper{i} = (x) => x + {i};\n"))
            .collect();
        bare(section("1") + &members)
    });
}

#[test]
fn shared_functions_per_section() {
    scales("shared data source functions", 1_000, |n| {
        let members: String = (0..n)
            .map(|i| {
                format!("[DataSource.Kind = \"K{i}\", Publish = \"P{i}\"]\nshared K{i}.Contents = () => {i};\n")
            })
            .collect();
        bare(section("1") + &members)
    });
}

#[test]
fn fields_per_record() {
    scales("fields per record", 8_000, |n| {
        let fields: Vec<String> = (0..n).map(|i| format!("F{i} = Text.From({i})")).collect();
        bare(section(&format!("[{}]", fields.join(", "))))
    });
}

#[test]
fn items_per_list() {
    scales("items per list", 20_000, |n| {
        let items: Vec<String> = (0..n).map(|i| format!("\"item {i}\"")).collect();
        bare(section(&format!("{{{}}}", items.join(", "))))
    });
}

#[test]
fn duplicate_names() {
    scales("duplicate names", 8_000, |n| {
        bare(section(&format!("[{}]", vec!["Same = 1"; n].join(", "))))
    });
}

#[test]
fn resource_keys() {
    scales("resource keys", 1_000, |n| {
        let defined: String = (0..n)
            .map(|i| {
                format!("<data name=\"Key{i:06}\" xml:space=\"preserve\"><value>v</value></data>")
            })
            .collect();
        let resx = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?><root>{defined}</root>");
        let missing: Vec<String> = (0..n)
            .map(|i| format!("Extension.LoadString(\"Kez{i:06}\")"))
            .collect();
        let source = section(&format!("{{{}}}", missing.join(", ")));
        mez(&[
            ("Scale.pq", source.as_bytes()),
            ("resources.resx", resx.as_bytes()),
        ])
    });
}

#[test]
fn entries_per_archive() {
    scales("archive entries", 200, |n| {
        let source = section("1");
        let names: Vec<String> = (0..n).map(|i| format!("M{i}.pqm")).collect();
        let mut entries: Vec<(&str, &[u8])> = vec![("Scale.pq", source.as_bytes())];
        entries.extend(names.iter().map(|name| (name.as_str(), &b"(x) => x"[..])));
        mez(&entries)
    });
}

#[test]
fn name_and_key_lengths() {
    scales("name lengths", 20_000, |n| {
        let long = "n".repeat(n);
        bare(section(&format!(
            "let {long} = Extension.LoadString(\"{long}\") in {long}"
        )))
    });
}

#[test]
fn line_length() {
    scales("line length", 20_000, |n| {
        bare(section(&format!("1{}", " + 1".repeat(n))))
    });
}

#[test]
fn nesting() {
    scales("nesting", 100, |n| {
        bare(section(&format!("{}1{}", "(".repeat(n), ")".repeat(n))))
    });
}

/// The memory promise at the size limit of one M file: a check stays within ten times the
/// uncompressed content plus [`FULL_SIZE_CONSTANT`], for the shapes that cost the most per byte
/// (the most tokens per byte, the most members, the most duplicate names).
#[test]
fn full_size_m_files() {
    /// The constant of the promise in the README.
    const FULL_SIZE_CONSTANT: usize = 64 * 1024 * 1024;
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let size = usize::try_from(mezcheck::package::MAX_M_ENTRY_BYTES).unwrap_or(usize::MAX) - 64;
    let fill = |unit: &str, head: &str, tail: &str| {
        let mut text = head.to_owned();
        let room = size - head.len() - tail.len();
        text.push_str(&unit.repeat(room / unit.len()));
        text.push_str(tail);
        text
    };
    let shapes = [
        ("members", fill("m = 1;\n", "section S;\n", "")),
        (
            "duplicate fields",
            fill("a=1,", "section S; R = [", "a=1];"),
        ),
        ("items", fill("1,", "section S; L = {", "1};")),
    ];
    for (what, text) in shapes {
        let (bytes, name) = bare(text.clone());
        let package = read_archive(&bytes, name, PackageKind::Mez);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let report = mezcheck::check_package(package, &Config::default());
        let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
        drop(report);
        let limit = 10 * text.len() + FULL_SIZE_CONSTANT;
        eprintln!("{what}: {} bytes of M, peak heap {peak} bytes", text.len());
        assert!(
            peak <= limit,
            "{what}: {} bytes of M peaked at {peak} bytes of heap (limit {limit})",
            text.len()
        );
    }
}
