//! A capped list of input problems. Imports are all-or-nothing, so parsers keep going after the
//! first problem and hand back every one (up to a cap, so a wholly wrong file stays readable).

use std::fmt;

/// How many problems a report lists before it only counts the rest.
pub const ERROR_CAP: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorList<E> {
    pub errors: Vec<E>,
    /// Problems found beyond [`ERROR_CAP`], counted but not kept.
    pub more: usize,
}

impl<E> Default for ErrorList<E> {
    fn default() -> Self {
        ErrorList {
            errors: Vec::new(),
            more: 0,
        }
    }
}

impl<E> ErrorList<E> {
    pub fn push(&mut self, error: E) {
        if self.errors.len() < ERROR_CAP {
            self.errors.push(error);
        } else {
            self.more += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.errors.len() + self.more
    }

    /// `Ok(value)` when nothing went wrong, else every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl<E: fmt::Display> fmt::Display for ErrorList<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        if self.more > 0 {
            write!(f, "\n… and {} more problems", self.more)?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ErrorList<E> {}
