//! Counts allocations and peak heap bytes while parsing one file: `memstat FILE`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static SIZES: [AtomicUsize; 64] = [const { AtomicUsize::new(0) }; 64];

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        COUNT.fetch_add(1, Ordering::Relaxed);
        SIZES[(layout.size() / 16).min(63)].fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let count = COUNT.load(Ordering::Relaxed);
    let parse = mezcheck::syntax::parse(&text);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let kept = CURRENT.load(Ordering::Relaxed) - base;
    let allocations = COUNT.load(Ordering::Relaxed) - count;
    let mb = text.len() as f64;
    if std::env::var_os("HIST").is_some() {
        for (i, n) in SIZES.iter().enumerate() {
            let n = n.load(Ordering::Relaxed);
            if n > 1000 {
                println!("size {}..{}: {n}", i * 16, i * 16 + 16);
            }
        }
    }
    println!(
        "input {} bytes, peak heap {:.2}x input, tree {:.2}x input, {allocations} allocations ({:.1} per KB), {} errors",
        text.len(),
        peak as f64 / mb,
        kept as f64 / mb,
        allocations as f64 * 1000.0 / mb,
        parse.errors.len()
    );
}
