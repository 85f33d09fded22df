//! The queue of files from the walk to the readers.

use crate::read::SourceFile;
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Files found by the walk and not yet taken by a reader: at most `cap` of them, so a walk
/// far ahead of the readers holds a few MB, not 150 bytes for every file of the archive.
///
/// A walk that finds the queue full waits until it has drained to half. A bounded channel
/// woke it for every file a reader took: at 100,000 files that was 65,000 more context
/// switches, and a third more system time.
pub(super) struct FileQueue {
    cap: usize,
    state: Mutex<State>,
    /// Signalled when a file is added, or when no more will come.
    filled: Condvar,
    /// Signalled when the queue has drained to half, or when the readers are gone.
    drained: Condvar,
}

#[derive(Default)]
struct State {
    files: VecDeque<SourceFile>,
    /// Readers waiting for a file: a push wakes one only if there is one.
    waiting: usize,
    /// The walk has ended: no more files will come.
    closed: bool,
    /// The run has ended: the files are no longer wanted.
    abandoned: bool,
}

impl FileQueue {
    pub fn new(cap: usize) -> FileQueue {
        FileQueue {
            cap: cap.max(2),
            state: Mutex::default(),
            filled: Condvar::new(),
            drained: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent whatever a panicking holder was doing.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a file. When the queue is full, calls `on_full` (without holding the queue)
    /// and waits until it has drained to half. False if the files are no longer wanted.
    pub fn push(&self, file: SourceFile, on_full: &mut dyn FnMut()) -> bool {
        let mut state = self.lock();
        if state.files.len() >= self.cap && !state.abandoned {
            drop(state);
            on_full();
            state = self.lock();
            while state.files.len() > self.cap / 2 && !state.abandoned {
                state = self
                    .drained
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        if state.abandoned {
            return false;
        }
        state.files.push_back(file);
        let wake = state.waiting > 0;
        drop(state);
        if wake {
            self.filled.notify_one();
        }
        true
    }

    /// The next file; `None` once the walk has ended and the queue is empty, or once the
    /// run has ended.
    pub fn pop(&self) -> Option<SourceFile> {
        let mut state = self.lock();
        loop {
            if state.abandoned {
                return None;
            }
            if let Some(file) = state.files.pop_front() {
                // Files leave one at a time, so the queue passes half exactly once on its
                // way down: the walk, if it waits, is woken once.
                if state.files.len() == self.cap / 2 {
                    self.drained.notify_one();
                }
                return Some(file);
            }
            if state.closed {
                return None;
            }
            state.waiting += 1;
            state = self
                .filled
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.waiting -= 1;
        }
    }

    /// The walk has ended: readers take what is left, then get `None`.
    pub fn close(&self) {
        self.lock().closed = true;
        self.filled.notify_all();
    }

    /// The run has ended early: the files left are dropped, a waiting walk is told to
    /// stop and waiting readers get `None`.
    pub fn abandon(&self) {
        let mut state = self.lock();
        state.abandoned = true;
        state.files.clear();
        drop(state);
        self.drained.notify_all();
        self.filled.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    fn file(n: usize) -> SourceFile {
        SourceFile {
            path: format!("f{n}").into(),
            rel: format!("f{n}"),
            len: 1,
        }
    }

    fn rel(f: Option<SourceFile>) -> Option<String> {
        f.map(|f| f.rel)
    }

    #[test]
    fn files_come_out_in_order_and_then_none_once_closed() {
        let q = FileQueue::new(8);
        for n in 0..3 {
            assert!(q.push(file(n), &mut || panic!("not full")));
        }
        q.close();
        assert_eq!(rel(q.pop()).as_deref(), Some("f0"));
        assert_eq!(rel(q.pop()).as_deref(), Some("f1"));
        assert_eq!(rel(q.pop()).as_deref(), Some("f2"));
        assert_eq!(rel(q.pop()), None);
    }

    #[test]
    fn a_full_queue_holds_the_walk_until_it_has_drained_to_half() {
        let q = FileQueue::new(4);
        for n in 0..4 {
            assert!(q.push(file(n), &mut || panic!("not full yet")));
        }
        let pushed = AtomicBool::new(false);
        let mut full = 0;
        std::thread::scope(|s| {
            let walk = s.spawn(|| {
                let ok = q.push(file(4), &mut || full += 1);
                pushed.store(true, Ordering::SeqCst);
                ok
            });
            std::thread::sleep(Duration::from_millis(50));
            assert_eq!(rel(q.pop()).as_deref(), Some("f0"));
            // Three left: more than half, the walk still waits.
            std::thread::sleep(Duration::from_millis(50));
            assert!(!pushed.load(Ordering::SeqCst));
            assert_eq!(rel(q.pop()).as_deref(), Some("f1"));
            assert!(walk.join().expect("walk"));
        });
        assert_eq!(full, 1);
        q.close();
        let rest: Vec<_> = std::iter::from_fn(|| q.pop()).map(|f| f.rel).collect();
        assert_eq!(rest, ["f2", "f3", "f4"]);
    }

    #[test]
    fn an_abandoned_queue_stops_a_waiting_walk_and_waiting_readers() {
        let q = FileQueue::new(2);
        assert!(q.push(file(0), &mut || {}));
        assert!(q.push(file(1), &mut || {}));
        std::thread::scope(|s| {
            let walk = s.spawn(|| q.push(file(2), &mut || {}));
            std::thread::sleep(Duration::from_millis(20));
            q.abandon();
            assert!(!walk.join().expect("walk"), "the walk is told to stop");
        });
        assert_eq!(rel(q.pop()), None);

        let empty = FileQueue::new(2);
        std::thread::scope(|s| {
            let reader = s.spawn(|| empty.pop());
            std::thread::sleep(Duration::from_millis(20));
            empty.abandon();
            assert!(reader.join().expect("reader").is_none());
        });
    }
}
