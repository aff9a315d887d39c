//! The classification workers: a fixed set of threads and a bounded queue in front of them.
//!
//! Classification is CPU work. Every document of every RPC (Classify, each chunk of a
//! ClassifyBatch, each message of a ClassifyStream) becomes a job here, so the number of threads
//! doing it never exceeds `workers`, and the work waiting for them never exceeds `capacity`
//! documents: a job that does not fit is refused at once ([`Busy`]), and the RPC answers
//! RESOURCE_EXHAUSTED instead of queueing without bound.
//!
//! A job carries the call's deadline: when a worker takes it after the deadline, or after the
//! caller went away, it is dropped without being run. [`Pool::stats`] reads the queue depth and
//! the counters (for logs and a metrics endpoint).

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use tokio::sync::oneshot;

/// A pool of classification workers. Cloning gives another handle to the same pool; the workers
/// stop when the last handle is dropped (or on [`Pool::shutdown`]).
#[derive(Clone, Debug)]
pub struct Pool {
    handle: Arc<Handle>,
}

/// Closes the queue when the last [`Pool`] handle goes (the workers hold [`Shared`], not this).
#[derive(Debug)]
struct Handle {
    shared: Arc<Shared>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.shared.close();
    }
}

#[derive(Debug)]
struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when a job is queued or the pool closes.
    ready: Condvar,
    workers: usize,
    capacity: usize,
    counters: Counters,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// Documents in `jobs`.
    queued_docs: usize,
    /// Jobs being run.
    running: usize,
    closed: bool,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("jobs", &self.jobs.len())
            .field("queued_docs", &self.queued_docs)
            .field("running", &self.running)
            .field("closed", &self.closed)
            .finish()
    }
}

struct Job {
    docs: usize,
    run: Box<dyn FnOnce(&Counters) + Send>,
}

/// Counters since the pool started (documents unless said otherwise).
#[derive(Debug, Default)]
struct Counters {
    accepted: AtomicU64,
    rejected: AtomicU64,
    completed: AtomicU64,
    expired: AtomicU64,
    abandoned: AtomicU64,
    panicked_jobs: AtomicU64,
}

/// A snapshot of the pool: its size, queue depth and counters (documents unless said otherwise).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Worker threads.
    pub workers: usize,
    /// Most documents the queue holds.
    pub capacity: usize,
    /// Documents waiting in the queue now.
    pub queued: usize,
    /// Jobs being classified now (at most `workers`).
    pub running: usize,
    /// Documents accepted into the queue.
    pub accepted: u64,
    /// Documents refused because the queue was full (their RPC got RESOURCE_EXHAUSTED).
    pub rejected: u64,
    /// Documents classified.
    pub completed: u64,
    /// Documents dropped unclassified because their deadline had passed when a worker took them.
    pub expired: u64,
    /// Documents dropped unclassified because their caller had gone (cancelled, disconnected).
    pub abandoned: u64,
    /// Jobs that panicked (the worker survives; the documents got INTERNAL).
    pub panicked_jobs: u64,
}

/// The queue has no room for a job (or the pool is shutting down).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("server busy: {queued} documents are waiting for {workers} workers (queue of {capacity}); retry with backoff")]
pub struct Busy {
    /// Documents waiting when the job was refused.
    pub queued: usize,
    /// The queue's capacity.
    pub capacity: usize,
    /// Worker threads.
    pub workers: usize,
}

/// Why a queued job was not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotRun {
    /// Its deadline had passed when a worker took it.
    Expired,
    /// It panicked.
    Panicked,
}

/// A queued job's result: what the work returned, or why it did not run.
pub type Ticket<T> = oneshot::Receiver<Result<T, NotRun>>;

impl Pool {
    /// Starts `workers` threads (at least one) in front of a queue of `capacity` documents (at
    /// least one).
    pub fn new(workers: usize, capacity: usize) -> std::io::Result<Pool> {
        let workers = workers.max(1);
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            ready: Condvar::new(),
            workers,
            capacity: capacity.max(1),
            counters: Counters::default(),
        });
        for i in 0..workers {
            let s = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name(format!("khabar-worker-{i}"))
                .spawn(move || s.work());
            if let Err(e) = spawned {
                shared.close();
                return Err(e);
            }
        }
        Ok(Pool {
            handle: Arc::new(Handle { shared }),
        })
    }

    /// Queues `work` as one job of `docs` documents, or refuses it at once when the queue has
    /// no room. The ticket resolves when a worker has run it, or dropped it (`deadline` passed,
    /// or the ticket was dropped: the caller went away).
    pub fn try_run<T, F>(
        &self,
        docs: usize,
        deadline: Option<Instant>,
        work: F,
    ) -> Result<Ticket<T>, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let mut tickets = self.try_run_all(deadline, vec![(docs, work)])?;
        Ok(tickets.pop().expect("one job, one ticket"))
    }

    /// Queues several jobs (the chunks of one batch) all together or not at all.
    pub fn try_run_all<T, F>(
        &self,
        deadline: Option<Instant>,
        jobs: Vec<(usize, F)>,
    ) -> Result<Vec<Ticket<T>>, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let shared = &self.handle.shared;
        let docs: usize = jobs.iter().map(|(d, _)| *d).sum();
        let mut q = shared.lock();
        if q.closed || q.queued_docs.saturating_add(docs) > shared.capacity {
            shared
                .counters
                .rejected
                .fetch_add(docs as u64, Ordering::Relaxed);
            return Err(Busy {
                queued: q.queued_docs,
                capacity: shared.capacity,
                workers: shared.workers,
            });
        }
        let mut tickets = Vec::with_capacity(jobs.len());
        for (docs, work) in jobs {
            let (tx, rx) = oneshot::channel();
            tickets.push(rx);
            q.queued_docs += docs;
            q.jobs.push_back(Job {
                docs,
                run: Box::new(move |c: &Counters| run_job(c, docs, deadline, tx, work)),
            });
        }
        shared
            .counters
            .accepted
            .fetch_add(docs as u64, Ordering::Relaxed);
        drop(q);
        shared.ready.notify_all();
        Ok(tickets)
    }

    /// The queue depth and counters now.
    pub fn stats(&self) -> PoolStats {
        let s = &self.handle.shared;
        let (queued, running) = {
            let q = s.lock();
            (q.queued_docs, q.running)
        };
        let c = &s.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        PoolStats {
            workers: s.workers,
            capacity: s.capacity,
            queued,
            running,
            accepted: get(&c.accepted),
            rejected: get(&c.rejected),
            completed: get(&c.completed),
            expired: get(&c.expired),
            abandoned: get(&c.abandoned),
            panicked_jobs: get(&c.panicked_jobs),
        }
    }

    /// Refuses new jobs and drops the queued ones (their tickets resolve with an error); the
    /// workers finish the job in hand and exit.
    pub fn shutdown(&self) {
        self.handle.shared.close();
    }
}

/// Runs one job on a worker: not at all when its caller left or its deadline passed.
fn run_job<T, F>(
    c: &Counters,
    docs: usize,
    deadline: Option<Instant>,
    tx: oneshot::Sender<Result<T, NotRun>>,
    work: F,
) where
    F: FnOnce() -> T,
{
    let n = docs as u64;
    if tx.is_closed() {
        c.abandoned.fetch_add(n, Ordering::Relaxed);
        return;
    }
    if deadline.is_some_and(|d| Instant::now() >= d) {
        c.expired.fetch_add(n, Ordering::Relaxed);
        let _ = tx.send(Err(NotRun::Expired));
        return;
    }
    // The classification code catches its own panics per document; this keeps the worker alive
    // whatever a job does.
    match std::panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(out) => {
            c.completed.fetch_add(n, Ordering::Relaxed);
            let _ = tx.send(Ok(out));
        }
        Err(_) => {
            c.panicked_jobs.fetch_add(1, Ordering::Relaxed);
            let _ = tx.send(Err(NotRun::Panicked));
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A job never runs under the lock, so a poisoned lock still holds a consistent queue.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn close(&self) {
        let dropped = {
            let mut q = self.lock();
            q.closed = true;
            q.queued_docs = 0;
            std::mem::take(&mut q.jobs)
        };
        // Dropping the jobs drops their senders: their tickets resolve with an error.
        drop(dropped);
        self.ready.notify_all();
    }

    /// A worker thread: takes jobs until the pool closes.
    fn work(&self) {
        loop {
            let job = {
                let mut q = self.lock();
                loop {
                    if q.closed {
                        return;
                    }
                    if let Some(job) = q.jobs.pop_front() {
                        q.queued_docs -= job.docs;
                        q.running += 1;
                        break job;
                    }
                    q = self.ready.wait(q).unwrap_or_else(|e| e.into_inner());
                }
            };
            (job.run)(&self.counters);
            self.lock().running -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A job that holds its worker until `release` is sent (or dropped).
    fn blocker(pool: &Pool) -> (std::sync::mpsc::Sender<()>, Ticket<()>) {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = std::sync::mpsc::channel::<()>();
        let ticket = pool
            .try_run(1, None, move || {
                let _ = started_tx.send(());
                let _ = wait.recv();
            })
            .unwrap();
        started.recv().unwrap();
        (release, ticket)
    }

    #[test]
    fn a_full_queue_refuses_at_once() {
        let pool = Pool::new(1, 3).unwrap();
        let (release, _held) = blocker(&pool);
        let t1 = pool.try_run(2, None, || 1).unwrap();
        let busy = pool.try_run(2, None, || 2).unwrap_err();
        assert_eq!(busy.queued, 2);
        assert_eq!(busy.capacity, 3);
        let t3 = pool.try_run(1, None, || 3).unwrap();
        let s = pool.stats();
        assert_eq!((s.queued, s.running, s.rejected), (3, 1, 2));
        drop(release);
        assert_eq!(t1.blocking_recv().unwrap(), Ok(1));
        assert_eq!(t3.blocking_recv().unwrap(), Ok(3));
        assert_eq!(pool.stats().queued, 0);
    }

    #[test]
    fn all_or_nothing() {
        let pool = Pool::new(1, 4).unwrap();
        let (release, _held) = blocker(&pool);
        let jobs: Vec<(usize, Box<dyn FnOnce() -> usize + Send>)> = vec![
            (2, Box::new(|| 1)),
            (2, Box::new(|| 2)),
            (1, Box::new(|| 3)),
        ];
        assert!(pool.try_run_all(None, jobs).is_err());
        assert_eq!(
            pool.stats().queued,
            0,
            "nothing of a refused batch is queued"
        );
        drop(release);
    }

    #[test]
    fn expired_and_abandoned_jobs_do_not_run() {
        let pool = Pool::new(1, 8).unwrap();
        let (release, _held) = blocker(&pool);
        let ran = Arc::new(AtomicU64::new(0));
        let r1 = Arc::clone(&ran);
        let expired = pool
            .try_run(1, Some(Instant::now()), move || {
                r1.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        let r2 = Arc::clone(&ran);
        let abandoned = pool
            .try_run(1, None, move || {
                r2.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        drop(abandoned);
        std::thread::sleep(Duration::from_millis(5));
        drop(release);
        assert_eq!(expired.blocking_recv().unwrap(), Err(NotRun::Expired));
        while pool.stats().queued + pool.stats().running > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        let s = pool.stats();
        assert_eq!(ran.load(Ordering::SeqCst), 0);
        assert_eq!((s.expired, s.abandoned), (1, 1));
    }

    #[test]
    fn a_panicking_job_leaves_the_worker_alive() {
        let pool = Pool::new(1, 2).unwrap();
        let t = pool.try_run(1, None, || -> u8 { panic!("boom") }).unwrap();
        assert_eq!(t.blocking_recv().unwrap(), Err(NotRun::Panicked));
        let t = pool.try_run(1, None, || 7).unwrap();
        assert_eq!(t.blocking_recv().unwrap(), Ok(7));
        assert_eq!(pool.stats().panicked_jobs, 1);
    }

    #[test]
    fn shutdown_drops_the_queue() {
        let pool = Pool::new(1, 4).unwrap();
        let (release, _held) = blocker(&pool);
        let t = pool.try_run(1, None, || 1).unwrap();
        pool.shutdown();
        assert!(t.blocking_recv().is_err());
        assert!(pool.try_run(1, None, || 2).is_err());
        drop(release);
    }
}
