//! The iCalendar feed of a user's deadlines at a secret address (`/feeds/{secret}.ics`). The
//! secret is the credential: only its hash is stored, and replacing or revoking it on the
//! account page ends the old address. Each student whose deadlines it lists is logged.

use crate::db;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::policy::{self, Caller};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::obligation::Status;

pub async fn calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let secret = file
        .strip_suffix(".ics")
        .filter(|s| !s.is_empty())
        .ok_or(AppError::NotFound)?
        .to_owned();
    let today = state.clock.today();
    let (user, due) = db::run(&state, move |conn| {
        let user_id = store::feeds::user_for_secret(conn, &secret)?.ok_or(AppError::NotFound)?;
        let caller = Caller {
            user: store::users::get_user(conn, user_id)?,
            session: None,
        };
        let linked = store::students::linked_students(conn, user_id)?;
        let students = policy::readable(conn, &caller, linked, today)?;
        let due = conn.read_transaction(|tx| {
            let mut due = Vec::new();
            for student in students {
                policy::log_read(&caller, &student, "calendar_feed")?;
                for listed in
                    crate::obligations::for_student(tx, student.id, today, law::Detail::Brief)?
                {
                    if matches!(listed.obligation.status, Status::Open | Status::Overdue) {
                        due.push((student.clone(), listed));
                    }
                }
            }
            Ok(due)
        })?;
        Ok((caller.user, due))
    })
    .await?;
    let t = state
        .i18n
        .tr(Lang::parse(&user.preferred_language).unwrap_or(Lang::En));
    let stamp = state.clock.now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut ics = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//iep504//deadlines//EN\r\nCALSCALE:GREGORIAN\r\n",
    );
    for (student, listed) in due {
        let o = &listed.obligation;
        // First name and initial only: calendars are often synced to outside services.
        let initial = student
            .last_name
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default();
        let summary = format!(
            "{} – {} {initial}.",
            t.term("obligation", &o.kind),
            student.first_name
        );
        let day = o.due.strftime("%Y%m%d").to_string();
        let next = o
            .due
            .tomorrow()
            .map(|d| d.strftime("%Y%m%d").to_string())
            .unwrap_or_else(|_| day.clone());
        ics.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{}-{}@iep504\r\nDTSTAMP:{stamp}\r\nDTSTART;VALUE=DATE:{day}\r\nDTEND;VALUE=DATE:{next}\r\nSUMMARY:{}\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\n",
            student.id,
            listed.ordinal,
            escape(&summary),
            escape(&o.citation),
        ));
    }
    ics.push_str("END:VCALENDAR\r\n");
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        ics,
    )
        .into_response())
}

/// RFC 5545 §3.3.11 text escaping.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}
