//! The allocator: mimalloc for `index`, the system allocator for everything else.
//!
//! Indexing allocates and frees from several threads at once. With glibc's malloc it
//! spent a quarter more CPU, and peak memory grew with the corpus: glibc kept the
//! writer's freed buffers while the end-of-run merge mapped the segments. A search is a
//! short process that allocates little, and there mimalloc cost page faults instead:
//! it spreads even a few allocations over one page per size class, and each fresh page
//! costs a fault (3-5 µs on the machines we measured). A search touched about 70 more
//! pages than with glibc, a tenth of its whole-process time at 500,000 paragraphs.
//!
//! The switch is made once, by [`use_mimalloc`], at the start of `index`. Whatever was
//! allocated before stays with the system allocator: a block is always freed by the
//! allocator whose memory it is in (`mi_is_in_heap_region`), never by the one that is
//! current, so the switch is safe at any moment.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

static MIMALLOC: AtomicBool = AtomicBool::new(false);

/// `mi_option_purge_delay` in mimalloc.h (v3), which the bindings do not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sends every allocation from now on to mimalloc.
pub fn use_mimalloc() {
    // Freed memory goes back to the system after 0.1 s, not 1 s: tantivy frees a
    // segment's buffers and allocates the next one's straight after, and for that second
    // both were resident, 20 MB more at the peak of a run. At once (0) saved 3 MB more
    // but cost 60% more page faults (160,000 at 50x), as freed pages were reused.
    // SAFETY: sets a plain option; mimalloc reads it at each purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100) };
    MIMALLOC.store(true, Ordering::SeqCst);
}

pub struct Alloc;

/// Whether `ptr` was allocated by mimalloc. No region lookup until mimalloc was used.
fn mimalloc_owns(ptr: *mut u8) -> bool {
    MIMALLOC.load(Ordering::Relaxed)
        // SAFETY: a read-only lookup in mimalloc's page map; any address may be asked.
        && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: each call is forwarded to one of two sound allocators; a block is only ever
// resized or freed by the allocator that allocated it (see `mimalloc_owns`).
unsafe impl GlobalAlloc for Alloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc(layout) }
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if mimalloc_owns(ptr) {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if mimalloc_owns(ptr) {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_go_back_to_the_allocator_they_came_from() {
        let layout = Layout::from_size_align(4096, 8).unwrap();
        let a = Alloc;
        // SAFETY: plain allocations, each freed once with its layout.
        unsafe {
            let from_system = a.alloc(layout);
            assert!(!libmimalloc_sys::mi_is_in_heap_region(from_system.cast()));
            use_mimalloc();
            let from_mimalloc = a.alloc(layout);
            assert!(mimalloc_owns(from_mimalloc));
            assert!(!mimalloc_owns(from_system));
            let grown = a.realloc(from_system, layout, 1 << 20);
            assert!(!mimalloc_owns(grown), "a system block stays a system block");
            a.dealloc(grown, Layout::from_size_align(1 << 20, 8).unwrap());
            a.dealloc(from_mimalloc, layout);
        }
    }
}
