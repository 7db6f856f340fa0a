//! Group commit for the record of access. Every read of a student's record must leave a
//! durable entry before the reader gets the data, but one fsynced transaction per read would
//! serialise every reader behind the database's single writer. Readers hand their entries to
//! one writer thread instead; it appends whatever has queued up in one transaction and answers
//! each reader once that transaction is committed.

use super::{NewEntry, record_all};
use crate::StoreError;
use crate::db::{Conn, Location};
use std::sync::mpsc;

/// An entry waiting in the queue: `NewEntry` with owned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedEntry {
    pub district_id: i64,
    pub student_id: Option<i64>,
    pub user_id: Option<i64>,
    pub who: String,
    pub role: String,
    pub action: String,
    pub purpose: String,
}

impl OwnedEntry {
    fn borrowed(&self) -> NewEntry<'_> {
        NewEntry {
            district_id: self.district_id,
            student_id: self.student_id,
            user_id: self.user_id,
            who: &self.who,
            role: &self.role,
            action: &self.action,
            purpose: &self.purpose,
        }
    }
}

/// Why a batch was not written, told to every reader in it.
#[derive(Debug, Clone)]
enum Failure {
    Storage(&'static str),
    Other(String),
}

impl From<Failure> for StoreError {
    fn from(failure: Failure) -> StoreError {
        match failure {
            Failure::Storage(cause) => StoreError::Unavailable(cause),
            Failure::Other(message) => {
                StoreError::Corrupt(format!("the record of access: {message}"))
            }
        }
    }
}

struct Job {
    entries: Vec<OwnedEntry>,
    done: mpsc::SyncSender<Result<(), Failure>>,
}

/// Jobs per transaction: a full queue of concurrent readers, bounded so one commit stays short.
const MAX_JOBS_PER_COMMIT: usize = 512;
const BUSY_RETRIES: u32 = 8;

/// The handle readers append through. Cloning it shares the one writer thread, which stops
/// when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct GroupWriter {
    queue: mpsc::Sender<Job>,
}

impl GroupWriter {
    /// Starts the writer thread; it opens its own connection to `location` when first needed
    /// and again after a failure.
    pub fn start(location: &Location) -> GroupWriter {
        let (queue, jobs) = mpsc::channel::<Job>();
        let location = location.clone();
        std::thread::spawn(move || write_loop(&location, &jobs));
        GroupWriter { queue }
    }

    /// Appends `entries` in order and returns once they are committed.
    pub fn append(&self, entries: Vec<OwnedEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let (done, answer) = mpsc::sync_channel(1);
        let stopped = || StoreError::Corrupt("the record-of-access writer has stopped".into());
        self.queue
            .send(Job { entries, done })
            .map_err(|_| stopped())?;
        answer
            .recv()
            .map_err(|_| stopped())?
            .map_err(StoreError::from)
    }
}

fn write_loop(location: &Location, jobs: &mpsc::Receiver<Job>) {
    let mut conn: Option<Conn> = None;
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_JOBS_PER_COMMIT {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let result = write_batch(&mut conn, location, &batch);
        if result.is_err() {
            // Reopen next time: the failure may have left the connection unusable.
            conn = None;
        }
        for job in batch {
            let _ = job.done.send(result.clone());
        }
    }
}

fn write_batch(conn: &mut Option<Conn>, location: &Location, batch: &[Job]) -> Result<(), Failure> {
    let entries: Vec<NewEntry<'_>> = batch
        .iter()
        .flat_map(|job| job.entries.iter().map(OwnedEntry::borrowed))
        .collect();
    let mut attempt = 0;
    loop {
        let result = match conn {
            Some(c) => c.transaction(|tx| record_all(tx, &entries)),
            None => Conn::open(location).and_then(|mut opened| {
                let written = opened.transaction(|tx| record_all(tx, &entries));
                *conn = Some(opened);
                written
            }),
        };
        match result {
            Ok(()) => return Ok(()),
            Err(e) if e.is_busy() && attempt < BUSY_RETRIES => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(5 << attempt));
            }
            Err(e) => {
                return Err(match e.storage_cause() {
                    Some(cause) => Failure::Storage(cause),
                    None => Failure::Other(e.to_string()),
                });
            }
        }
    }
}
