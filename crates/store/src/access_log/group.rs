//! Group commit for the record of access. Every read of a student's record must leave an entry
//! before the reader gets the data, but one fsynced transaction per read would serialise every
//! reader behind the database's single writer. Readers hand their entries to one writer thread
//! instead; it appends whatever has queued up in one transaction and answers each reader once
//! that transaction is committed.
//!
//! When storage refuses writes (a full disk, a file system remounted read-only), reads must keep
//! working. The writer then holds the entries in memory, in order and with the time of their
//! read, answers the readers, and writes the held entries ahead of any new ones as soon as storage
//! takes writes again (it retries every second). Only past `HOLD_LIMIT` held entries are reads
//! refused. Entries still held when the server stops are counted in its log: they are the one
//! thing an outage that outlasts the server can cost.

use super::{NewEntry, record_all};
use crate::StoreError;
use crate::db::{Conn, Location};
use std::sync::mpsc;
use std::time::Duration;

/// An entry waiting in the queue: `NewEntry` with owned text and the time of its read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedEntry {
    pub district_id: i64,
    pub student_id: Option<i64>,
    pub user_id: Option<i64>,
    pub who: String,
    pub role: String,
    pub action: String,
    pub purpose: String,
    pub at: String,
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
            at: Some(&self.at),
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

enum Message {
    Append(Job),
    /// Write what is held now if storage allows; answers with how many entries stay held.
    Flush(mpsc::SyncSender<usize>),
}

/// Jobs per transaction: a full queue of concurrent readers, bounded so one commit stays short.
const MAX_JOBS_PER_COMMIT: usize = 512;
const BUSY_RETRIES: u32 = 8;
/// Entries held through a storage outage before reads are refused (about 30 MiB).
pub const HOLD_LIMIT: usize = 100_000;
const RETRY_HELD_EVERY: Duration = Duration::from_secs(1);

/// The handle readers append through. Cloning it shares the one writer thread, which stops
/// when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct GroupWriter {
    queue: mpsc::Sender<Message>,
}

impl GroupWriter {
    /// Starts the writer thread; it opens its own connection to `location` when first needed
    /// and again after a failure.
    pub fn start(location: &Location) -> GroupWriter {
        let (queue, messages) = mpsc::channel::<Message>();
        let mut writer = Writer {
            location: location.clone(),
            conn: None,
            held: Vec::new(),
        };
        std::thread::spawn(move || writer.run(&messages));
        GroupWriter { queue }
    }

    /// Appends `entries` in order and returns once they are committed, or held in memory
    /// during a storage outage.
    pub fn append(&self, entries: Vec<OwnedEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let (done, answer) = mpsc::sync_channel(1);
        self.queue
            .send(Message::Append(Job { entries, done }))
            .map_err(|_| stopped())?;
        answer
            .recv()
            .map_err(|_| stopped())?
            .map_err(StoreError::from)
    }

    /// Tries once more to write the entries held through an outage; returns how many are still
    /// held (0 when storage took them, or when nothing was held).
    pub fn flush(&self) -> Result<usize, StoreError> {
        let (done, answer) = mpsc::sync_channel(1);
        self.queue
            .send(Message::Flush(done))
            .map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())
    }
}

fn stopped() -> StoreError {
    StoreError::Corrupt("the record-of-access writer has stopped".into())
}

struct Writer {
    location: Location,
    conn: Option<Conn>,
    /// Entries answered during an outage and not yet written, oldest first.
    held: Vec<OwnedEntry>,
}

impl Writer {
    fn run(&mut self, messages: &mpsc::Receiver<Message>) {
        loop {
            let first = if self.held.is_empty() {
                match messages.recv() {
                    Ok(message) => message,
                    Err(_) => break,
                }
            } else {
                match messages.recv_timeout(RETRY_HELD_EVERY) {
                    Ok(message) => message,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.commit(Vec::new());
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            };
            let mut batch = Vec::new();
            let mut flushes = Vec::new();
            let mut next = Some(first);
            while let Some(message) = next.take() {
                match message {
                    Message::Append(job) => batch.push(job),
                    Message::Flush(done) => flushes.push(done),
                }
                if batch.len() < MAX_JOBS_PER_COMMIT {
                    next = messages.try_recv().ok();
                }
            }
            if !batch.is_empty() || !self.held.is_empty() {
                self.commit(batch);
            }
            for done in flushes {
                let _ = done.send(self.held.len());
            }
        }
        if !self.held.is_empty() {
            self.commit(Vec::new());
        }
        if !self.held.is_empty() {
            eprintln!(
                "record of access: {} entries held through a storage outage could not be written before the writer stopped",
                self.held.len()
            );
        }
    }

    /// Writes the held entries and then `batch`'s in one transaction, and answers the batch.
    fn commit(&mut self, batch: Vec<Job>) {
        let result = self.write(&batch);
        match result {
            Ok(()) => {
                if !self.held.is_empty() {
                    eprintln!(
                        "record of access: storage is back; {} entries held through the outage are written",
                        self.held.len()
                    );
                    self.held.clear();
                }
                answer(batch, &Ok(()));
            }
            Err(Failure::Storage(cause)) => {
                // Reopen next time: the failure may have left the connection unusable.
                self.conn = None;
                let incoming: usize = batch.iter().map(|job| job.entries.len()).sum();
                if incoming == 0 {
                    return;
                }
                if self.held.len() + incoming > HOLD_LIMIT {
                    answer(batch, &Err(Failure::Storage(cause)));
                    return;
                }
                if self.held.is_empty() {
                    eprintln!(
                        "storage unavailable: {cause}: reads continue; their record-of-access entries are held in memory (up to {HOLD_LIMIT}) and written when storage takes writes again"
                    );
                }
                let mut answered = Vec::with_capacity(batch.len());
                for job in batch {
                    self.held.extend(job.entries);
                    answered.push(job.done);
                }
                for done in answered {
                    let _ = done.send(Ok(()));
                }
            }
            Err(other) => {
                self.conn = None;
                answer(batch, &Err(other));
            }
        }
    }

    fn write(&mut self, batch: &[Job]) -> Result<(), Failure> {
        let entries: Vec<NewEntry<'_>> = self
            .held
            .iter()
            .chain(batch.iter().flat_map(|job| job.entries.iter()))
            .map(OwnedEntry::borrowed)
            .collect();
        let mut attempt = 0;
        loop {
            let result = match &mut self.conn {
                Some(c) => c.transaction(|tx| record_all(tx, &entries)),
                None => Conn::open(&self.location).and_then(|mut opened| {
                    let written = opened.transaction(|tx| record_all(tx, &entries));
                    self.conn = Some(opened);
                    written
                }),
            };
            match result {
                Ok(()) => return Ok(()),
                Err(e) if e.is_busy() && attempt < BUSY_RETRIES => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(5 << attempt));
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
}

fn answer(batch: Vec<Job>, result: &Result<(), Failure>) {
    for job in batch {
        let _ = job.done.send(result.clone());
    }
}
