//! Backpressure on tantivy's indexing queue.
//!
//! tantivy bounds the queue between `IndexWriter::run` and its indexing threads in
//! batches, 10,000 of them, not in documents. Batches of hundreds of paragraphs are what
//! keeps that handoff cheap, but with them nothing stopped the readers from queueing a
//! whole archive in memory: at 500,000 paragraphs without an intermediate commit the
//! process grew to 600 MB, whatever `--memory` said. Here the writer thread waits until
//! tantivy has taken all but a few batches, so the queue holds a few megabytes at most.
//!
//! tantivy tells nobody when it has indexed a batch, but it drops each document once it
//! is in the segment. The last document of every batch carries a [`Ticket`] whose drop
//! is that signal.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tantivy::schema::TantivyDocument;
use tantivy::schema::document::Document;

/// A paragraph on its way through tantivy's queue.
pub struct Queued {
    doc: TantivyDocument,
    _ticket: Option<Ticket>,
}

impl From<TantivyDocument> for Queued {
    fn from(doc: TantivyDocument) -> Self {
        Queued { doc, _ticket: None }
    }
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(self) -> TantivyDocument {
        self.doc
    }
}

/// Counts the batches handed to tantivy and not yet indexed.
#[derive(Default)]
pub struct InFlight {
    batches: Mutex<usize>,
    indexed: Condvar,
}

/// Returned (dropped) by tantivy when the batch it closes is indexed, or thrown away.
pub struct Ticket(Arc<InFlight>);

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut n = self.0.batches.lock().unwrap_or_else(|e| e.into_inner());
        *n = n.saturating_sub(1);
        self.0.indexed.notify_all();
    }
}

impl InFlight {
    /// Waits until fewer than `limit` batches are queued. Returns false if tantivy took
    /// none for `patience`: its threads may have stopped on an error, which only a
    /// commit reports, so the caller commits rather than wait forever.
    pub fn wait_below(&self, limit: usize, patience: Duration) -> bool {
        let n = self.batches.lock().unwrap_or_else(|e| e.into_inner());
        let (n, timeout) = self
            .indexed
            .wait_timeout_while(n, patience, |n| *n >= limit)
            .unwrap_or_else(|e| e.into_inner());
        drop(n);
        !timeout.timed_out()
    }

    /// Ticks the last document of a batch about to be handed to tantivy.
    pub fn ticket(self: &Arc<Self>, last: &mut Queued) {
        *self.batches.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        last._ticket = Some(Ticket(Arc::clone(self)));
    }

    #[cfg(test)]
    fn queued(&self) -> usize {
        *self.batches.lock().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_counts_its_batch_until_dropped() {
        let inflight = Arc::new(InFlight::default());
        let mut a = Queued::from(TantivyDocument::default());
        let mut b = Queued::from(TantivyDocument::default());
        inflight.ticket(&mut a);
        inflight.ticket(&mut b);
        assert_eq!(inflight.queued(), 2);
        assert!(!inflight.wait_below(2, Duration::from_millis(1)));
        drop(a);
        assert_eq!(inflight.queued(), 1);
        assert!(inflight.wait_below(2, Duration::from_millis(1)));
        // A document converted for tantivy's plugins gives its ticket back too.
        let _ = b.into_tantivy_document();
        assert_eq!(inflight.queued(), 0);
    }

    #[test]
    fn a_waiting_writer_wakes_when_tantivy_indexes_a_batch() {
        let inflight = Arc::new(InFlight::default());
        let mut doc = Queued::from(TantivyDocument::default());
        inflight.ticket(&mut doc);
        let indexer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            drop(doc);
        });
        assert!(inflight.wait_below(1, Duration::from_secs(30)));
        indexer.join().unwrap();
    }
}
