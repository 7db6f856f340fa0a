//! Explanation lines, built only when asked for: the sweep over a million students skips the
//! string formatting (`Detail::Brief`), a person reading one case gets every step.

/// How much of the date arithmetic to spell out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Every step, in `Obligation::explanation`.
    #[default]
    Full,
    /// No explanation (an empty list): the same dates and statuses, faster.
    Brief,
}

pub(crate) struct Notes {
    lines: Option<Vec<String>>,
}

impl Notes {
    pub fn new(detail: Detail) -> Notes {
        Notes {
            lines: (detail == Detail::Full).then(Vec::new),
        }
    }

    pub fn add(&mut self, line: impl FnOnce() -> String) {
        if let Some(lines) = &mut self.lines {
            lines.push(line());
        }
    }

    pub fn into_lines(self) -> Vec<String> {
        self.lines.unwrap_or_default()
    }
}

/// `consent_received` → "consent received".
pub(crate) fn humanize(kind: &str) -> String {
    kind.replace('_', " ")
}

pub(crate) fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}
