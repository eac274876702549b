//! The shipped build's runtime: a bump allocator and a trapping panic handler.
//!
//! The tracker allocates a little at start (its configuration, kept for the
//! page's life) and then only transiently inside each call. So: bump forward,
//! and whenever every transient allocation is freed again, rewind to the floor
//! set after start. Memory stays flat however long the page lives.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;

const PAGE: usize = 65_536;

struct State {
    next: usize,
    end: usize,
    live: usize,
    floor: usize,
    floor_live: usize,
}

struct Bump(UnsafeCell<State>);

// wasm32-unknown-unknown without threads: one thread touches it.
unsafe impl Sync for Bump {}

#[global_allocator]
static HEAP: Bump = Bump(UnsafeCell::new(State { next: 0, end: 0, live: 0, floor: 0, floor_live: 0 }));

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: wasm32 here is single-threaded and the allocator is never
        // re-entered, so this is the only live reference to the state.
        let s = unsafe { &mut *self.0.get() };
        if s.end == 0 {
            // Start past everything the module owns: fresh pages only.
            s.end = wasm32::memory_size(0) * PAGE;
            s.next = s.end;
            s.floor = s.end;
        }
        let start = (s.next + layout.align() - 1) & !(layout.align() - 1);
        // Out of memory traps here rather than returning null: the optimizer then
        // drops std's allocation-error path, whose message formatting costs ~2 KB.
        let end = match start.checked_add(layout.size()) {
            Some(e) => e,
            None => wasm32::unreachable(),
        };
        if end > s.end {
            let pages = (end - s.end).div_ceil(PAGE);
            if wasm32::memory_grow(0, pages) == usize::MAX {
                wasm32::unreachable();
            }
            s.end += pages * PAGE;
        }
        s.next = end;
        s.live += 1;
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {
        // SAFETY: as in `alloc`: one thread, no re-entry.
        let s = unsafe { &mut *self.0.get() };
        s.live -= 1;
        if s.live == s.floor_live {
            s.next = s.floor;
        }
    }
}

/// Everything allocated now lives as long as the page. Call only when nothing
/// transient is alive (between calls from JS), or a rewind would reuse live memory.
pub fn set_floor() {
    // SAFETY: single-threaded, and no allocation is in progress during this call.
    let s = unsafe { &mut *HEAP.0.get() };
    s.floor = s.next;
    s.floor_live = s.live;
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // A trap surfaces as an exception in the loader, which catches it.
    wasm32::unreachable()
}
