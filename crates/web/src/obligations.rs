//! A student's obligations as the pages, the API and the feed show them: computed now by the
//! law engine from the events (`store::projection`), with explanations and citations. Each is
//! numbered by its place in the engine's order, the same `ordinal` the projection table (and
//! so the dashboard) uses, which lets a dashboard row link to its explanation.

use domain::obligation::Obligation;
use store::StoreError;

#[derive(Debug, Clone)]
pub struct Listed {
    pub ordinal: i64,
    pub obligation: Obligation,
}

/// `detail`: `Detail::In(lang)` where a page shows the explanation, `Full` (English) for the
/// JSON API, `Brief` where only kinds and dates are shown.
pub fn for_student(
    conn: &mut store::Conn,
    student_id: i64,
    as_of: domain::Date,
    detail: law::Detail,
) -> Result<Vec<Listed>, StoreError> {
    Ok(
        store::projection::obligations_for_student(conn, student_id, as_of, detail)?
            .into_iter()
            .enumerate()
            .map(|(i, obligation)| Listed {
                ordinal: i64::try_from(i).unwrap_or(i64::MAX),
                obligation,
            })
            .collect(),
    )
}

/// Appends an event and refreshes the student's projection in the same transaction, so the
/// dashboard never shows deadlines that disagree with the timeline.
pub fn append_and_refresh(
    tx: &mut store::Conn,
    student: &store::students::Student,
    event: &domain::event::Event,
    recorded_by: i64,
    as_of: domain::Date,
) -> Result<store::events::Appended, StoreError> {
    let appended = store::events::append(
        tx,
        student.district_id,
        student.id,
        event,
        Some(recorded_by),
    )?;
    if matches!(appended, store::events::Appended::Created(_)) {
        store::projection::refresh_student(tx, student.id, as_of)?;
    }
    Ok(appended)
}
