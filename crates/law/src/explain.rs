//! Writing explanation notes for readers: one function per language from a `Note` to a line,
//! and the words both need (event and obligation kinds, a matcher's fields and values, skipped
//! periods, dates). English keeps the terse form of CONTRACT.md (ISO dates, kinds as codes
//! with spaces); Spanish writes for a parent: "7 de noviembre de 2026", "días calendario",
//! "días escolares", "días hábiles", and the kind names of the web's Spanish catalogue.

use crate::calendar::{Exclusions, PeriodLabel};
use crate::lang::Lang;
use crate::matcher::{EventMatcher, Scalar, tag_name};
use crate::notes::{Cause, Note, Referral};
use domain::event::NoticeSubject;
use jiff::civil::Date;

/// A note written out in `lang`.
pub fn render(note: &Note, lang: Lang) -> String {
    match lang {
        Lang::En => en::render(note),
        Lang::Es => es::render(note),
    }
}

/// What a violation was, in `lang` (the filing windows' `violation.description` is the English).
pub fn violation(cause: &Cause, lang: Lang) -> String {
    match lang {
        Lang::En => en::violation(cause),
        Lang::Es => es::violation(cause),
    }
}

/// An event kind (`consent_received`) as a reader says it mid-sentence.
pub fn event_name(kind: &str, lang: Lang) -> String {
    match lang {
        Lang::En => humanize(kind),
        Lang::Es => es::EVENTS
            .iter()
            .find(|(code, _)| *code == kind)
            .map_or_else(|| humanize(kind), |(_, name)| (*name).to_owned()),
    }
}

/// An obligation kind (`initial_evaluation`) as a reader says it mid-sentence.
pub fn obligation_name(kind: &str, lang: Lang) -> String {
    match lang {
        Lang::En => humanize(kind),
        Lang::Es => es::OBLIGATIONS
            .iter()
            .find(|(code, _)| *code == kind)
            .map_or_else(|| humanize(kind), |(_, name)| (*name).to_owned()),
    }
}

/// Whether `lang` has its own name for the event kind (not the code with spaces).
pub fn has_event_name(kind: &str, lang: Lang) -> bool {
    lang == Lang::En || es::EVENTS.iter().any(|(code, _)| *code == kind)
}

/// Whether `lang` has its own name for the obligation kind.
pub fn has_obligation_name(kind: &str, lang: Lang) -> bool {
    lang == Lang::En || es::OBLIGATIONS.iter().any(|(code, _)| *code == kind)
}

/// A date as the reader's explanation writes it: `2026-11-07` / `7 de noviembre de 2026`.
pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::En => d.to_string(),
        Lang::Es => es::date(d),
    }
}

/// `consent_received` → "consent received".
fn humanize(kind: &str) -> String {
    kind.replace('_', " ")
}

mod en {
    use super::*;

    fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
        let n = n.into();
        format!("{n} {}", if n == 1 { one } else { many })
    }

    fn school_days(n: impl Into<i64>) -> String {
        plural(n, "school day", "school days")
    }

    fn calendar_days(n: impl Into<i64>) -> String {
        plural(n, "calendar day", "calendar days")
    }

    fn days(n: impl Into<i64>) -> String {
        plural(n, "day", "days")
    }

    fn period(label: &PeriodLabel) -> &str {
        match label {
            PeriodLabel::Summer => "summer",
            PeriodLabel::Break => "break",
            PeriodLabel::Closure => "closure",
            PeriodLabel::Named(name) => name,
        }
    }

    fn exclusions(ex: Exclusions) -> String {
        match (ex.summer, ex.breaks_of_at_least) {
            (true, Some(1)) => "summer or any day the school is closed".into(),
            (true, Some(n)) => format!("summer or breaks of {n} or more school days"),
            (true, None) => "summer".into(),
            (false, Some(n)) => format!("breaks of {n} or more school days"),
            (false, None) => "nothing".into(),
        }
    }

    /// "eligibility determined (evaluation = initial)".
    fn wanted(matchers: &[EventMatcher]) -> String {
        matchers
            .iter()
            .map(|m| {
                m.describe()
                    .replacen(tag_name(m.tag), &humanize(tag_name(m.tag)), 1)
            })
            .collect::<Vec<_>>()
            .join(" or ")
    }

    fn referral(r: &Referral) -> String {
        match r {
            Referral::Recorded { id, on } => format!("referral ({id}) {on}"),
            Referral::Missing { start } => {
                format!("no referral recorded: the start {start} stands for it")
            }
        }
    }

    pub(super) fn violation(cause: &Cause) -> String {
        match cause {
            Cause::Late { kind, due } => {
                format!("{} due {due} was not met on time", humanize(kind))
            }
            Cause::Refused { subject, on } => {
                let subject = match subject {
                    NoticeSubject::Identification => "identification",
                    NoticeSubject::Evaluation => "evaluation",
                    NoticeSubject::Placement => "placement",
                    NoticeSubject::Fape => "fape",
                };
                format!("the district refused ({subject}) in writing on {on}")
            }
        }
    }

    pub(super) fn render(note: &Note) -> String {
        match note {
            Note::CalendarDays { days, due } => format!("{} → {due}", calendar_days(*days)),
            Note::CalendarDaysExcluding {
                days,
                exclusions: ex,
            } => format!("{} not counting {}", calendar_days(*days), exclusions(*ex)),
            Note::PeriodSkipped {
                label,
                from,
                to,
                days: n,
            } => format!("skipped {} {from}–{to} ({})", period(label), days(*n)),
            Note::Arrives { due } => format!("→ {due}"),
            Note::SchoolDays {
                days,
                after,
                first,
                last,
            } => format!(
                "{} after {after}: counted {first} … {last}",
                school_days(*days)
            ),
            Note::BusinessDays { days, due } => format!(
                "{} (Monday–Friday, calendar closures skipped) → {due}",
                plural(*days, "business day", "business days")
            ),
            Note::ClosureSkipped { label, from, to } => {
                format!("closure skipped: {} {from}–{to}", period(label))
            }
            Note::SummerSkipped { from, to } => format!("summer skipped: {from}–{to}"),
            Note::Years { years, due } => format!("{} → {due}", plural(*years, "year", "years")),
            Note::NoLeapDay { year } => format!("{year} has no 29 February: 28 February"),
            Note::DueOnTrigger { date } => format!("due that day: {date}"),
            Note::Birthday {
                born,
                age,
                birthday,
                due,
            } => format!("born {born}: birthday {age} is {birthday} → due {due}"),
            Note::BirthdayPassed {
                born,
                age,
                birthday,
                due,
            } => format!(
                "born {born}: birthday {age} was {birthday}, before the trigger → due at once, {due}"
            ),
            Note::EndOfSchoolYear { last } => format!("due by the school year's last day, {last}"),
            Note::NextDate { kind, id, date } => format!("{} ({id}) for {date}", humanize(kind)),
            Note::NoNextDate { kinds, from } => format!(
                "no {} on or after {from}",
                kinds
                    .iter()
                    .map(|k| humanize(k))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            Note::AfterEvent {
                kind,
                on,
                id,
                days,
                due,
            } => format!(
                "{} {on} ({id}): {} → {due}",
                humanize(kind),
                calendar_days(*days)
            ),
            Note::EarliestOf { due } => format!("the earliest of these → {due}"),
            Note::AbsenceExtension { absent, min, due } => format!(
                "the student was absent {} during the timeline ({min} or more): extended by as many school days → {due}",
                school_days(*absent)
            ),
            Note::AbsencesBelowExtension { absent, min } => format!(
                "absences during the timeline: {} (fewer than {min}: no extension)",
                school_days(*absent)
            ),
            Note::EstimatePastCalendar { calendar_ends } => format!(
                "the school calendar ends {calendar_ends}: days after it were counted without knowing the next school year, so this date is an estimate"
            ),
            Note::EstimateWithoutCalendar => "no school calendar was given: every Monday–Friday was counted as a school day, so this date is an estimate".into(),
            Note::YearEndCutoff {
                start,
                left,
                last,
                min,
                max,
                due,
            } => format!(
                "{start} is {} before the last instructional day {last} ({min}–{max}): due {due}",
                school_days(*left)
            ),
            Note::ReferralNoNextYear {
                referral: r,
                within,
                last,
            } => format!(
                "{} is within {within} days of the year's end {last}, but the calendar has no next school year: the ordinary clock is used",
                referral(r)
            ),
            Note::ReferralNearYearEnd {
                referral: r,
                before_end,
                last,
                within,
                after_start,
                next_first,
                due,
            } => format!(
                "{} is {} before the school year's last day {last} (within {within}): due {} after the next year starts {next_first} → {due}",
                referral(r),
                days(*before_end),
                days(*after_start),
            ),
            Note::Triggered { kind, on } => format!("{} {on}", humanize(kind)),
            Note::BirthdayWithIep { born, age, birthday } => {
                format!("born {born}: birthday {age} is {birthday}, and the student has an IEP")
            }
            Note::BirthdayThenIep {
                born,
                age,
                birthday,
                iep_on,
                id,
            } => format!(
                "born {born}: birthday {age} was {birthday}; the first IEP after it was developed {iep_on} ({id})"
            ),
            Note::SchoolYearWithIep { from, to, since } => {
                format!("school year {from}–{to}: the student has an IEP (since {since})")
            }
            Note::RemovalOver {
                on,
                id,
                days,
                before,
                year_start,
                limit,
            } => format!(
                "disciplinary removal {on} ({id}) of {}: with {} earlier in the school year starting {year_start}, {} in all (more than {limit})",
                school_days(*days),
                school_days(*before),
                before.saturating_add(*days)
            ),
            Note::RemovalDay { limit, nth, date } => format!(
                "school day {} of removal is day {nth} of this removal: {date}",
                limit.saturating_add(1)
            ),
            Note::RemovalEstimate => {
                "the school calendar ends before it: the date is an estimate".into()
            }
            Note::MetOnTime { kind, on, id } => {
                format!("{} {on} ({id}), on or before the due date: met", humanize(kind))
            }
            Note::MetLate {
                kind,
                on,
                id,
                days_late,
            } => format!(
                "{} {on} ({id}), {} after the due date: met late",
                humanize(kind),
                days(*days_late)
            ),
            Note::Overdue {
                wanted: w,
                as_of,
                days: late,
            } => format!("no {} by {as_of}: overdue by {}", wanted(w), days(*late)),
            Note::Pending { wanted: w } => format!("not yet done ({} expected): open", wanted(w)),
            Note::Violation { cause, from } => {
                format!("violation: {} (counted from {from})", violation(cause))
            }
        }
    }
}

mod es {
    use super::*;

    /// Event kinds mid-sentence: the web's Spanish catalogue (`event-*`) with a lower-case
    /// first letter (a test in `web` keeps the two in step).
    pub(super) const EVENTS: &[(&str, &str)] = &[
        ("evaluation_requested", "evaluación solicitada"),
        ("consent_received", "consentimiento dado"),
        ("consent_refused", "consentimiento negado"),
        ("eligibility_determined", "elegibilidad decidida"),
        ("iep_meeting_held", "reunión del IEP realizada"),
        ("iep_meeting_scheduled", "reunión del IEP programada"),
        (
            "reevaluation_waived",
            "reevaluación no requerida por acuerdo",
        ),
        ("records_requested", "expedientes solicitados"),
        ("records_provided", "expedientes entregados"),
        ("placement_change_decided", "cambio de ubicación decidido"),
        (
            "manifestation_determination_held",
            "determinación de manifestación realizada",
        ),
        (
            "due_process_complaint_received",
            "queja de debido proceso recibida",
        ),
        ("resolution_meeting_held", "reunión de resolución realizada"),
        (
            "resolution_waived",
            "reunión de resolución omitida por acuerdo",
        ),
        (
            "hearing_decision_issued",
            "decisión de la audiencia emitida",
        ),
        ("state_complaint_filed", "queja estatal presentada"),
        ("state_complaint_decided", "queja estatal decidida"),
        ("disciplinary_removal", "retiro disciplinario"),
        (
            "procedural_safeguards_provided",
            "aviso de garantías procesales entregado",
        ),
        (
            "prior_written_notice_sent",
            "aviso previo por escrito enviado",
        ),
        ("iee_requested", "evaluación independiente solicitada"),
        ("iee_granted", "evaluación independiente concedida"),
        (
            "iee_due_process_filed",
            "debido proceso por una evaluación independiente",
        ),
        ("rti_started", "intervención (RTI) iniciada"),
        ("rti_ended", "intervención (RTI) terminada"),
        ("plan504_meeting_held", "reunión 504 realizada"),
        (
            "part_c_referral_received",
            "remisión de intervención temprana recibida",
        ),
        ("transferred_in", "llegó transferido"),
        ("exited", "salió de educación especial"),
        ("absences_recorded", "ausencias durante la evaluación"),
        ("services_started", "servicios iniciados"),
    ];

    /// Obligation kinds mid-sentence: the web's Spanish catalogue (`obligation-*`), lower case.
    pub(super) const OBLIGATIONS: &[(&str, &str)] = &[
        ("initial_evaluation", "evaluación inicial"),
        ("initial_iep_meeting", "primera reunión del IEP"),
        ("annual_iep_review", "revisión anual del IEP"),
        ("triennial_reevaluation", "reevaluación de tres años"),
        ("transition_plan", "plan de transición"),
        (
            "age_of_majority_notice",
            "aviso de derechos a la mayoría de edad",
        ),
        ("records_access", "respuesta a una solicitud de expedientes"),
        (
            "manifestation_determination",
            "determinación de manifestación",
        ),
        ("resolution_meeting", "reunión de resolución"),
        (
            "due_process_decision",
            "decisión de la audiencia de debido proceso",
        ),
        ("state_complaint_decision", "decisión de la queja estatal"),
        (
            "procedural_safeguards_notice",
            "aviso de garantías procesales",
        ),
        (
            "evaluation_request_response",
            "respuesta a una solicitud de evaluación",
        ),
        ("iep_by_third_birthday", "IEP vigente al cumplir tres años"),
        ("proposed_iep", "IEP propuesto a los padres"),
        ("reevaluation_report", "informe de reevaluación"),
        (
            "services_during_removal",
            "servicios durante una separación disciplinaria",
        ),
        ("due_process_complaint", "demanda de debido proceso"),
        ("state_complaint", "queja estatal"),
        ("ocr_complaint", "queja ante la Oficina de Derechos Civiles"),
        ("plan504_review", "revisión del plan 504"),
        ("plan504_reevaluation", "reevaluación 504"),
    ];

    /// A matcher's fields, as the web's event form labels them (`field-*`), lower case.
    pub(super) const FIELDS: &[(&str, &str)] = &[
        ("by", "solicitado por"),
        ("written", "por escrito"),
        ("for", "consentimiento para"),
        ("evaluation", "evaluación"),
        ("eligible", "elegible"),
        ("categories", "categorías de discapacidad"),
        ("purpose", "propósito"),
        ("includes_transition", "incluye un plan de transición"),
        (
            "includes_rights_transfer_notice",
            "incluye aviso de derechos a la mayoría de edad",
        ),
        ("meeting_on", "fecha de la reunión"),
        ("disciplinary", "por disciplina"),
        ("school_days", "días escolares"),
        ("removal", "tipo de retiro"),
        ("reason", "motivo"),
        ("action", "acción"),
        ("subject", "tema"),
        ("tier", "nivel"),
        ("from", "desde"),
        ("basis", "motivo de salida"),
    ];

    /// A matcher's values, as the web's event form offers them (`choice-*`), lower case.
    /// Codes without a name here (a state's exit code) are shown as written.
    pub(super) const VALUES: &[(&str, &str)] = &[
        ("parent", "padre o madre"),
        ("school", "escuela"),
        ("other", "otro"),
        ("initial_evaluation", "evaluación inicial"),
        ("reevaluation", "reevaluación"),
        ("initial_services", "inicio de servicios"),
        ("initial", "inicial"),
        ("annual", "anual"),
        ("amendment", "enmienda"),
        ("review", "revisión"),
        ("suspension", "suspensión"),
        ("expulsion", "expulsión"),
        (
            "interim_alternative_setting",
            "entorno alternativo provisional",
        ),
        ("referral", "remisión"),
        ("complaint", "queja"),
        ("discipline", "disciplina"),
        ("request", "solicitud"),
        ("propose", "proponer"),
        ("refuse", "negar"),
        ("identification", "identificación"),
        ("evaluation", "evaluación"),
        ("placement", "ubicación"),
        ("fape", "educación pública gratuita y apropiada"),
        ("in_state", "dentro del estado"),
        ("out_of_state", "de otro estado"),
        ("intellectual_disability", "discapacidad intelectual"),
    ];

    fn month(d: Date) -> &'static str {
        crate::dates::month_name(d, Lang::Es)
    }

    /// "7 de noviembre de 2026".
    pub(super) fn date(d: Date) -> String {
        crate::dates::long(d, Lang::Es)
    }

    /// "del 23 al 27 de noviembre de 2026", "del 21 de diciembre de 2026 al 1 de enero de
    /// 2027"; one day: "el 23 de noviembre de 2026".
    fn range(from: Date, to: Date) -> String {
        if from == to {
            format!("el {}", date(from))
        } else if from.year() != to.year() {
            format!("del {} al {}", date(from), date(to))
        } else if from.month() != to.month() {
            format!("del {} de {} al {}", from.day(), month(from), date(to))
        } else {
            format!("del {} al {}", from.day(), date(to))
        }
    }

    fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
        let n = n.into();
        format!("{n} {}", if n == 1 { one } else { many })
    }

    fn school_days(n: impl Into<i64>) -> String {
        plural(n, "día escolar", "días escolares")
    }

    fn calendar_days(n: impl Into<i64>) -> String {
        plural(n, "día calendario", "días calendario")
    }

    fn days(n: impl Into<i64>) -> String {
        plural(n, "día", "días")
    }

    fn event(kind: &str) -> String {
        event_name(kind, Lang::Es)
    }

    fn lookup(table: &[(&str, &'static str)], code: &str) -> String {
        table
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| code.to_owned(), |(_, name)| (*name).to_owned())
    }

    fn value(v: &Scalar) -> String {
        match v {
            Scalar::Bool(true) => "sí".into(),
            Scalar::Bool(false) => "no".into(),
            Scalar::Num(n) => n.to_string(),
            Scalar::Str(s) => lookup(VALUES, s),
        }
    }

    /// "a", "a o b", "a, b o c".
    fn any_of(items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} o {last}", init.join(", ")),
        }
    }

    /// "elegibilidad decidida (evaluación: inicial)"; several accepted values read "a, b o c".
    fn matcher(m: &EventMatcher) -> String {
        let name = event(tag_name(m.tag));
        if m.filters.is_empty() {
            return name;
        }
        let filters: Vec<String> = m
            .filters
            .iter()
            .map(|f| {
                let values: Vec<String> = f.accepted.iter().map(value).collect();
                format!(
                    "{}{}{}",
                    lookup(FIELDS, f.field),
                    if f.negated { " ≠ " } else { ": " },
                    any_of(&values)
                )
            })
            .collect();
        format!("{name} ({})", filters.join(", "))
    }

    fn period(label: &PeriodLabel) -> String {
        match label {
            PeriodLabel::Summer => "el verano".into(),
            PeriodLabel::Break => "un receso".into(),
            PeriodLabel::Closure => "un cierre de la escuela".into(),
            PeriodLabel::Named(name) => format!("«{name}»"),
        }
    }

    fn exclusions(ex: Exclusions) -> String {
        match (ex.summer, ex.breaks_of_at_least) {
            (true, Some(1)) => "el verano ni ningún día en que la escuela esté cerrada".into(),
            (true, Some(n)) => format!("el verano ni los recesos de {n} días escolares o más"),
            (true, None) => "el verano".into(),
            (false, Some(1)) => "ningún día en que la escuela esté cerrada".into(),
            (false, Some(n)) => format!("los recesos de {n} días escolares o más"),
            (false, None) => "nada".into(),
        }
    }

    /// The subject of a referral sentence ("la remisión (e1) del …"); a missing referral's
    /// phrase ends in a comma, as its parenthesis closes a clause.
    fn referral(r: &Referral) -> String {
        match r {
            Referral::Recorded { id, on } => format!("la remisión ({id}) del {}", date(*on)),
            Referral::Missing { start } => format!(
                "la fecha de inicio, el {} (no consta una remisión),",
                date(*start)
            ),
        }
    }

    pub(super) fn violation(cause: &Cause) -> String {
        match cause {
            Cause::Late { kind, due } => format!(
                "el plazo «{}», que vencía el {}, no se cumplió a tiempo",
                obligation_name(kind, Lang::Es),
                date(*due)
            ),
            Cause::Refused { subject, on } => {
                let subject = match subject {
                    NoticeSubject::Identification => "la identificación",
                    NoticeSubject::Evaluation => "la evaluación",
                    NoticeSubject::Placement => "la ubicación educativa",
                    NoticeSubject::Fape => "la educación pública gratuita y apropiada (FAPE)",
                };
                format!(
                    "el distrito rechazó por escrito un cambio en {subject} el {}",
                    date(*on)
                )
            }
        }
    }

    pub(super) fn render(note: &Note) -> String {
        let d = |x: &Date| date(*x);
        match note {
            Note::CalendarDays { days, due } => format!("{} → {}", calendar_days(*days), d(due)),
            Note::CalendarDaysExcluding {
                days,
                exclusions: ex,
            } => format!("{} sin contar {}", calendar_days(*days), exclusions(*ex)),
            Note::PeriodSkipped {
                label,
                from,
                to,
                days: n,
            } => format!(
                "no se contó {}: {} ({})",
                period(label),
                range(*from, *to),
                days(*n)
            ),
            Note::Arrives { due } => format!("→ {}", d(due)),
            Note::SchoolDays {
                days,
                after,
                first,
                last,
            } => format!(
                "{} después del {}: días contados {}",
                school_days(*days),
                d(after),
                range(*first, *last)
            ),
            Note::BusinessDays { days, due } => format!(
                "{} (de lunes a viernes, sin contar los cierres del calendario) → {}",
                plural(*days, "día hábil", "días hábiles"),
                d(due)
            ),
            Note::ClosureSkipped { label, from, to } => {
                format!("no se contó {}: {}", period(label), range(*from, *to))
            }
            Note::SummerSkipped { from, to } => {
                format!("no se contó el verano: {}", range(*from, *to))
            }
            Note::Years { years, due } => {
                format!("{} → {}", plural(*years, "año", "años"), d(due))
            }
            Note::NoLeapDay { year } => format!("{year} no tiene 29 de febrero: 28 de febrero"),
            Note::DueOnTrigger { date } => format!("vence ese mismo día: {}", d(date)),
            Note::Birthday {
                born,
                age,
                birthday,
                due,
            } => format!(
                "nació el {}: cumple {age} años el {} → vence el {}",
                d(born),
                d(birthday),
                d(due)
            ),
            Note::BirthdayPassed {
                born,
                age,
                birthday,
                due,
            } => format!(
                "nació el {}: cumplió {age} años el {}, antes del inicio del plazo → vence de inmediato, el {}",
                d(born),
                d(birthday),
                d(due)
            ),
            Note::EndOfSchoolYear { last } => {
                format!("vence el último día del año escolar, el {}", d(last))
            }
            Note::NextDate { kind, id, date } => {
                format!("{} ({id}) para el {}", event(kind), d(date))
            }
            Note::NoNextDate { kinds, from } => format!(
                "no hay {} para el {} o después",
                kinds
                    .iter()
                    .map(|k| event(k))
                    .collect::<Vec<_>>()
                    .join(" ni "),
                d(from)
            ),
            Note::AfterEvent {
                kind,
                on,
                id,
                days,
                due,
            } => format!(
                "{} el {} ({id}): {} → {}",
                event(kind),
                d(on),
                calendar_days(*days),
                d(due)
            ),
            Note::EarliestOf { due } => format!("la fecha más temprana de estas → {}", d(due)),
            Note::AbsenceExtension { absent, min, due } => format!(
                "el estudiante faltó {} durante el plazo ({min} o más): se extiende por la misma cantidad de días escolares → {}",
                school_days(*absent),
                d(due)
            ),
            Note::AbsencesBelowExtension { absent, min } => format!(
                "ausencias durante el plazo: {} (menos de {min}: sin extensión)",
                school_days(*absent)
            ),
            Note::EstimatePastCalendar { calendar_ends } => format!(
                "el calendario escolar termina el {}: los días posteriores se contaron sin conocer el próximo año escolar, así que esta fecha es aproximada",
                d(calendar_ends)
            ),
            Note::EstimateWithoutCalendar => "no se dio un calendario escolar: se contó cada día de lunes a viernes como día escolar, así que esta fecha es aproximada".into(),
            Note::YearEndCutoff {
                start,
                left,
                last,
                min,
                max,
                due,
            } => format!(
                "el {} {} {} para el último día de clases, el {} (entre {min} y {max}): vence el {}",
                d(start),
                if *left == 1 { "falta" } else { "faltan" },
                school_days(*left),
                d(last),
                d(due)
            ),
            Note::ReferralNoNextYear {
                referral: r,
                within,
                last,
            } => format!(
                "{} está a {within} días o menos del último día del año escolar, el {}, pero el calendario no tiene el próximo año escolar: se usa el plazo ordinario",
                referral(r),
                d(last)
            ),
            Note::ReferralNearYearEnd {
                referral: r,
                before_end,
                last,
                within,
                after_start,
                next_first,
                due,
            } => format!(
                "{} está a {} del último día del año escolar, el {} (dentro de {within}): vence {} después del inicio del próximo año, el {} → {}",
                referral(r),
                days(*before_end),
                d(last),
                days(*after_start),
                d(next_first),
                d(due)
            ),
            Note::Triggered { kind, on } => format!("{} el {}", event(kind), d(on)),
            Note::BirthdayWithIep { born, age, birthday } => format!(
                "nació el {}: cumple {age} años el {} y el estudiante tiene un IEP",
                d(born),
                d(birthday)
            ),
            Note::BirthdayThenIep {
                born,
                age,
                birthday,
                iep_on,
                id,
            } => format!(
                "nació el {}: cumplió {age} años el {}; el primer IEP después de esa fecha se elaboró el {} ({id})",
                d(born),
                d(birthday),
                d(iep_on)
            ),
            Note::SchoolYearWithIep { from, to, since } => format!(
                "año escolar {}: el estudiante tiene un IEP (desde el {})",
                range(*from, *to),
                d(since)
            ),
            Note::RemovalOver {
                on,
                id,
                days,
                before,
                year_start,
                limit,
            } => format!(
                "retiro disciplinario de {} el {} ({id}): con {} antes en el año escolar que empezó el {}, {} en total (más de {limit})",
                school_days(*days),
                d(on),
                school_days(*before),
                d(year_start),
                before.saturating_add(*days)
            ),
            Note::RemovalDay { limit, nth, date } => format!(
                "el día escolar {} de retiro es el día {nth} de este retiro: {}",
                limit.saturating_add(1),
                d(date)
            ),
            Note::RemovalEstimate => {
                "el calendario escolar termina antes de ese día: la fecha es aproximada".into()
            }
            Note::MetOnTime { kind, on, id } => format!(
                "{} el {} ({id}), en la fecha límite o antes: cumplido",
                event(kind),
                d(on)
            ),
            Note::MetLate {
                kind,
                on,
                id,
                days_late,
            } => format!(
                "{} el {} ({id}), {} después de la fecha límite: cumplido tarde",
                event(kind),
                d(on),
                days(*days_late)
            ),
            Note::Overdue {
                wanted,
                as_of,
                days: late,
            } => format!(
                "sin registro de {} hasta el {}: vencido hace {}",
                wanted.iter().map(matcher).collect::<Vec<_>>().join(" ni de "),
                d(as_of),
                days(*late)
            ),
            Note::Pending { wanted } => format!(
                "todavía no se ha hecho (pendiente: {}): abierto",
                wanted.iter().map(matcher).collect::<Vec<_>>().join(" o ")
            ),
            Note::Violation { cause, from } => format!(
                "incumplimiento: {} (se cuenta desde el {})",
                violation(cause),
                d(from)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{EVENT_FIELDS, MatcherSpec};
    use jiff::civil::date as d;
    use std::collections::BTreeSet;

    fn matcher(toml_text: &str) -> EventMatcher {
        let spec: MatcherSpec = toml::from_str(toml_text).unwrap();
        EventMatcher::compile(&spec).unwrap()
    }

    /// One note of every kind, with arguments that reach every branch of the renderers.
    fn every_note() -> Vec<Note> {
        let (a, b, c) = (d(2026, 9, 8), d(2026, 11, 7), d(2027, 5, 28));
        let wanted = vec![
            matcher(
                "event = \"eligibility_determined\"\nevaluation = \"initial\"\neligible = false\n",
            ),
            matcher(
                "event = \"iep_meeting_held\"\npurpose = [\"initial\", \"annual\", \"reevaluation\"]\n",
            ),
            matcher("event = \"iep_meeting_held\"\nincludes_transition = true\n"),
            matcher(
                "event = \"eligibility_determined\"\nnot_categories = [\"intellectual_disability\", \"ID\"]\n",
            ),
            matcher("event = \"prior_written_notice_sent\"\nsubject = \"evaluation\"\n"),
            matcher("event = \"consent_received\"\nfor = \"initial_evaluation\"\n"),
            matcher("event = \"resolution_waived\"\n"),
        ];
        let summer_and_breaks = Exclusions {
            summer: true,
            breaks_of_at_least: Some(6),
        };
        vec![
            Note::CalendarDays { days: 60, due: b },
            Note::CalendarDaysExcluding {
                days: 60,
                exclusions: summer_and_breaks,
            },
            Note::CalendarDaysExcluding {
                days: 1,
                exclusions: Exclusions {
                    summer: true,
                    breaks_of_at_least: Some(1),
                },
            },
            Note::CalendarDaysExcluding {
                days: 30,
                exclusions: Exclusions {
                    summer: false,
                    breaks_of_at_least: Some(5),
                },
            },
            Note::PeriodSkipped {
                label: PeriodLabel::Summer,
                from: d(2027, 5, 29),
                to: d(2027, 8, 15),
                days: 79,
            },
            Note::PeriodSkipped {
                label: PeriodLabel::Break,
                from: d(2026, 12, 21),
                to: d(2027, 1, 1),
                days: 12,
            },
            Note::Arrives { due: b },
            Note::SchoolDays {
                days: 45,
                after: a,
                first: d(2026, 9, 9),
                last: b,
            },
            Note::BusinessDays { days: 10, due: b },
            Note::ClosureSkipped {
                label: PeriodLabel::Named("Feria".into()),
                from: d(2026, 11, 23),
                to: d(2026, 11, 27),
            },
            Note::ClosureSkipped {
                label: PeriodLabel::Closure,
                from: d(2026, 10, 12),
                to: d(2026, 10, 12),
            },
            Note::SummerSkipped {
                from: d(2027, 5, 29),
                to: d(2027, 8, 15),
            },
            Note::Years { years: 1, due: c },
            Note::NoLeapDay { year: 2029 },
            Note::DueOnTrigger { date: a },
            Note::Birthday {
                born: d(2012, 5, 2),
                age: 16,
                birthday: d(2028, 5, 2),
                due: d(2028, 5, 2),
            },
            Note::BirthdayPassed {
                born: d(2012, 5, 2),
                age: 16,
                birthday: d(2028, 5, 2),
                due: d(2028, 6, 1),
            },
            Note::EndOfSchoolYear { last: c },
            Note::NextDate {
                kind: "iep_meeting_scheduled",
                id: "e4".into(),
                date: b,
            },
            Note::NoNextDate {
                kinds: vec!["iep_meeting_scheduled", "iep_meeting_held"],
                from: a,
            },
            Note::AfterEvent {
                kind: "resolution_waived",
                on: a,
                id: "e5".into(),
                days: 45,
                due: b,
            },
            Note::EarliestOf { due: b },
            Note::AbsenceExtension {
                absent: 4,
                min: 3,
                due: b,
            },
            Note::AbsencesBelowExtension { absent: 1, min: 3 },
            Note::EstimatePastCalendar { calendar_ends: c },
            Note::EstimateWithoutCalendar,
            Note::YearEndCutoff {
                start: d(2027, 3, 29),
                left: 40,
                last: c,
                min: 35,
                max: 44,
                due: d(2027, 6, 30),
            },
            Note::ReferralNoNextYear {
                referral: Referral::Recorded {
                    id: "e1".into(),
                    on: d(2027, 5, 10),
                },
                within: 30,
                last: c,
            },
            Note::ReferralNearYearEnd {
                referral: Referral::Missing {
                    start: d(2027, 5, 10),
                },
                before_end: 18,
                last: c,
                within: 30,
                after_start: 30,
                next_first: d(2027, 8, 16),
                due: d(2027, 9, 15),
            },
            Note::Triggered {
                kind: "consent_received",
                on: a,
            },
            Note::BirthdayWithIep {
                born: d(2012, 5, 2),
                age: 18,
                birthday: d(2030, 5, 2),
            },
            Note::BirthdayThenIep {
                born: d(2012, 5, 2),
                age: 16,
                birthday: d(2028, 5, 2),
                iep_on: d(2028, 9, 1),
                id: "e7".into(),
            },
            Note::SchoolYearWithIep {
                from: d(2026, 7, 1),
                to: c,
                since: a,
            },
            Note::RemovalOver {
                on: b,
                id: "e8".into(),
                days: 3,
                before: 9,
                year_start: d(2026, 8, 17),
                limit: 10,
            },
            Note::RemovalDay {
                limit: 10,
                nth: 2,
                date: d(2026, 11, 9),
            },
            Note::RemovalEstimate,
            Note::MetOnTime {
                kind: "eligibility_determined",
                on: b,
                id: "e2".into(),
            },
            Note::MetLate {
                kind: "iep_meeting_held",
                on: d(2026, 12, 10),
                id: "e3".into(),
                days_late: 5,
            },
            Note::Overdue {
                wanted: wanted.clone(),
                as_of: d(2026, 11, 24),
                days: 17,
            },
            Note::Pending { wanted },
            Note::Violation {
                cause: Cause::Late {
                    kind: "initial_evaluation".into(),
                    due: b,
                },
                from: d(2026, 11, 8),
            },
            Note::Violation {
                cause: Cause::Refused {
                    subject: NoticeSubject::Fape,
                    on: a,
                },
                from: a,
            },
        ]
    }

    /// Exhaustive on purpose: a new kind of note does not compile here until it has a sample.
    fn variant(note: &Note) -> usize {
        match note {
            Note::CalendarDays { .. } => 0,
            Note::CalendarDaysExcluding { .. } => 1,
            Note::PeriodSkipped { .. } => 2,
            Note::Arrives { .. } => 3,
            Note::SchoolDays { .. } => 4,
            Note::BusinessDays { .. } => 5,
            Note::ClosureSkipped { .. } => 6,
            Note::SummerSkipped { .. } => 7,
            Note::Years { .. } => 8,
            Note::NoLeapDay { .. } => 9,
            Note::DueOnTrigger { .. } => 10,
            Note::Birthday { .. } => 11,
            Note::BirthdayPassed { .. } => 12,
            Note::EndOfSchoolYear { .. } => 13,
            Note::NextDate { .. } => 14,
            Note::NoNextDate { .. } => 15,
            Note::AfterEvent { .. } => 16,
            Note::EarliestOf { .. } => 17,
            Note::AbsenceExtension { .. } => 18,
            Note::AbsencesBelowExtension { .. } => 19,
            Note::EstimatePastCalendar { .. } => 20,
            Note::EstimateWithoutCalendar => 21,
            Note::YearEndCutoff { .. } => 22,
            Note::ReferralNoNextYear { .. } => 23,
            Note::ReferralNearYearEnd { .. } => 24,
            Note::Triggered { .. } => 25,
            Note::BirthdayWithIep { .. } => 26,
            Note::BirthdayThenIep { .. } => 27,
            Note::SchoolYearWithIep { .. } => 28,
            Note::RemovalOver { .. } => 29,
            Note::RemovalDay { .. } => 30,
            Note::RemovalEstimate => 31,
            Note::MetOnTime { .. } => 32,
            Note::MetLate { .. } => 33,
            Note::Overdue { .. } => 34,
            Note::Pending { .. } => 35,
            Note::Violation { .. } => 36,
        }
    }
    const VARIANTS: usize = 37;

    /// Lower-case words of three letters or more; acronyms (IEP, FAPE) are the same in both.
    fn words(text: &str) -> BTreeSet<String> {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 3 && w.chars().any(char::is_lowercase))
            .map(str::to_lowercase)
            .collect()
    }

    #[test]
    fn the_samples_cover_every_kind_of_note() {
        let covered: BTreeSet<usize> = every_note().iter().map(variant).collect();
        let missing: Vec<usize> = (0..VARIANTS).filter(|i| !covered.contains(i)).collect();
        assert!(missing.is_empty(), "no sample for variants {missing:?}");
        let ids: BTreeSet<&str> = every_note().iter().map(Note::id).collect();
        assert_eq!(ids.len(), VARIANTS, "every kind of note has its own id");
    }

    #[test]
    fn every_note_renders_in_spanish_with_no_english_left() {
        // Words of the English templates (argument data such as the closure label "Feria"
        // and event ids are the same in both languages and excluded).
        let data = words("Feria");
        let english: BTreeSet<String> = every_note()
            .iter()
            .flat_map(|n| words(&n.render(Lang::En)))
            .filter(|w| !data.contains(w))
            .collect();
        assert!(english.len() > 100, "{english:?}");
        let iso = regex::Regex::new(r"\d{4}-\d{2}-\d{2}").unwrap();
        for note in every_note() {
            let en = note.render(Lang::En);
            let es = note.render(Lang::Es);
            assert_ne!(en, es, "{}", note.id());
            let left: Vec<String> = words(&es).intersection(&english).cloned().collect();
            assert!(
                left.is_empty(),
                "{}: English words {left:?} in the Spanish {es:?}",
                note.id()
            );
            assert!(!iso.is_match(&es), "{}: an ISO date in {es:?}", note.id());
            assert!(!es.contains('_'), "{}: a code in {es:?}", note.id());
        }
    }

    #[test]
    fn spanish_dates_and_ranges_read_as_a_parent_writes_them() {
        assert_eq!(date(d(2026, 11, 7), Lang::Es), "7 de noviembre de 2026");
        assert_eq!(date(d(2026, 11, 7), Lang::En), "2026-11-07");
        let closure = |from, to| render(&Note::SummerSkipped { from, to }, Lang::Es);
        assert_eq!(
            closure(d(2026, 11, 23), d(2026, 11, 27)),
            "no se contó el verano: del 23 al 27 de noviembre de 2026"
        );
        assert_eq!(
            closure(d(2027, 5, 29), d(2027, 8, 15)),
            "no se contó el verano: del 29 de mayo al 15 de agosto de 2027"
        );
        assert_eq!(
            closure(d(2026, 12, 21), d(2027, 1, 1)),
            "no se contó el verano: del 21 de diciembre de 2026 al 1 de enero de 2027"
        );
        assert_eq!(
            closure(d(2026, 10, 12), d(2026, 10, 12)),
            "no se contó el verano: el 12 de octubre de 2026"
        );
        assert_eq!(
            render(
                &Note::Years {
                    years: 1,
                    due: d(2027, 12, 10)
                },
                Lang::Es
            ),
            "1 año → 10 de diciembre de 2027"
        );
        assert_eq!(
            render(
                &Note::CalendarDays {
                    days: 60,
                    due: d(2026, 11, 7)
                },
                Lang::Es
            ),
            "60 días calendario → 7 de noviembre de 2026"
        );
    }

    #[test]
    fn every_kind_in_the_vocabulary_and_the_profiles_has_a_spanish_name() {
        for (kind, _) in EVENT_FIELDS {
            assert!(has_event_name(kind, Lang::Es), "event kind {kind}");
        }
        let mut kinds: BTreeSet<String> = ["plan504_review", "plan504_reevaluation"]
            .map(String::from)
            .into();
        let mut values: BTreeSet<String> = BTreeSet::new();
        for code in crate::jurisdictions() {
            let profile = crate::profile(&code).unwrap();
            for rule in &profile.rules {
                kinds.insert(rule.kind.clone());
                for m in &rule.satisfied_by {
                    for f in &m.filters {
                        assert!(
                            es::FIELDS.iter().any(|(c, _)| *c == f.field),
                            "{code}: field {}",
                            f.field
                        );
                        for v in &f.accepted {
                            if let Scalar::Str(s) = v {
                                values.insert(s.clone());
                            }
                        }
                    }
                }
            }
            for w in &profile.filing_windows {
                kinds.insert(w.kind.clone());
            }
        }
        for kind in &kinds {
            assert!(
                has_obligation_name(kind, Lang::Es),
                "obligation kind {kind}"
            );
        }
        for v in values {
            // Upper-case values are codes (a state's "ID"), shown as written.
            assert!(
                v.chars().all(|c| c.is_ascii_uppercase())
                    || es::VALUES.iter().any(|(c, _)| *c == v),
                "matcher value {v}"
            );
        }
    }

    #[test]
    fn english_violations_read_as_before() {
        let late = Cause::Late {
            kind: "initial_evaluation".into(),
            due: d(2026, 11, 7),
        };
        assert_eq!(
            violation(&late, Lang::En),
            "initial evaluation due 2026-11-07 was not met on time"
        );
        let refused = Cause::Refused {
            subject: NoticeSubject::Fape,
            on: d(2026, 9, 8),
        };
        assert_eq!(
            violation(&refused, Lang::En),
            "the district refused (fape) in writing on 2026-09-08"
        );
        assert_eq!(
            violation(&refused, Lang::Es),
            "el distrito rechazó por escrito un cambio en la educación pública gratuita y apropiada (FAPE) el 8 de septiembre de 2026"
        );
    }
}
