//! Value parsers for clap: a bad value makes clap name the option and print what was expected,
//! and exit 2.

use domain::Date;
use domain::people::{Relation, Role};

pub fn date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|_| format!("expected a date YYYY-MM-DD, got `{text}`"))
}

pub fn role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("expected one of {}", Role::expected()))
}

pub fn relation(text: &str) -> Result<Relation, String> {
    Relation::parse(text).ok_or_else(|| format!("expected one of {}", Relation::expected()))
}

pub fn jurisdiction(text: &str) -> Result<String, String> {
    store::synth::validate_jurisdiction(text)
        .map(|()| text.to_owned())
        .map_err(|_| {
            format!("expected `US` or `US-` and a state's postal code (e.g. US-TX), got `{text}`")
        })
}

/// Today's date where the machine is: the default anchor and `--as-of`.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}
