//! One synthetic student: a stage (general education, RTI, referral, evaluation, IEP, 504 plan,
//! exited…), a birth date, the case events that lead there, and the program association. Pure:
//! a function of the student's own random stream, the anchor date and the calendar, so a seed
//! reproduces every student whatever the chunking.

use super::calendar::{SchoolDays, add_days, add_years, age_on, days_between, weekday_on_or_after};
use crate::programs::Disability;
use domain::Date;
use domain::codes::{IdeaCategory, Program};
use domain::event::{
    ConsentFor, EvaluationType, Event, EventKind, MeetingPurpose, NoticeAction, NoticeSubject,
    Plan504Purpose, RemovalKind, Requester, SafeguardsReason, TransferFrom,
};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

pub(crate) type Rng = ChaCha8Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    GeneralEducation,
    Rti,
    Referred,
    ConsentRefused,
    InEvaluation,
    NotEligible,
    EligiblePendingIep,
    OnIep,
    Plan504,
    Exited,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::GeneralEducation => "general_education",
            Stage::Rti => "rti",
            Stage::Referred => "referred",
            Stage::ConsentRefused => "consent_refused",
            Stage::InEvaluation => "in_evaluation",
            Stage::NotEligible => "not_eligible",
            Stage::EligiblePendingIep => "eligible_pending_iep",
            Stage::OnIep => "on_iep",
            Stage::Plan504 => "plan504",
            Stage::Exited => "exited",
        }
    }
}

/// Share of students per stage, per 10,000: about 14% served under IDEA and 3.3% under
/// Section 504 only (national figures in shared/domain/standards.md), so about one student with
/// a plan in five has a 504 plan.
const STAGES: &[(Stage, u64)] = &[
    (Stage::OnIep, 1350),
    (Stage::Exited, 100),
    (Stage::Plan504, 330),
    (Stage::Rti, 400),
    (Stage::Referred, 60),
    (Stage::ConsentRefused, 20),
    (Stage::InEvaluation, 80),
    (Stage::EligiblePendingIep, 30),
    (Stage::NotEligible, 120),
    (Stage::GeneralEducation, 7510),
];

/// National IDEA child count, fall 2017, ages 3–21 (OSEP Section 618).
const CATEGORIES: &[(&str, u64)] = &[
    ("SLD", 2_348_541),
    ("SLI", 1_346_513),
    ("OHI", 994_809),
    ("AUT", 699_541),
    ("DD", 447_017),
    ("ID", 431_845),
    ("EMN", 337_621),
    ("MD", 130_022),
    ("HI", 73_337),
    ("OI", 40_000),
    ("VI", 27_056),
    ("TBI", 26_437),
    ("DB", 1_493),
];

/// School-age environments, ages 6–21: the three regular-class bands in the national ratio,
/// and a few separate-school, residential and homebound placements.
const SCHOOL_AGE_ENVIRONMENTS: &[(&str, u64)] = &[
    ("RC80", 3_893_764),
    ("RC79TO40", 1_109_687),
    ("RC39", 815_092),
    ("SS", 160_000),
    ("HH", 25_000),
    ("RF", 15_000),
];

const EARLY_CHILDHOOD_ENVIRONMENTS: &[(&str, u64)] = &[
    ("REC10YSVCS", 380),
    ("REC10YOTHLOC", 60),
    ("REC09YSVCS", 60),
    ("REC09YOTHLOC", 50),
    ("SC", 230),
    ("SS", 20),
    ("H", 30),
    ("SPL", 100),
];

/// Section504DisabilityDescriptor values, in Ed-Fi's own spelling.
const SECTION_504_DISABILITIES: &[(&str, u64)] = &[
    ("Attention Deficit Hyperactivity Disorder", 55),
    ("Dyslexia", 15),
    ("Emotional or Behavorial Disorder", 14),
    ("Epilepsy", 6),
    ("Any Rare Disease", 5),
    ("Cancer", 2),
    ("Muscular Distrophy", 1),
];

/// What the generator decided for one student.
#[derive(Debug, Clone)]
pub struct Sketch {
    pub stage: Stage,
    pub birth_date: Date,
    pub events: Vec<Event>,
    pub program: Option<ProgramSketch>,
    /// 18 or older, on an IEP, and told of the transfer of rights: gets a student account.
    pub rights_transferred: bool,
    /// Receives a related service (speech, OT, PT, counselling).
    pub has_provider: bool,
}

#[derive(Debug, Clone)]
pub struct ProgramSketch {
    pub program: Program,
    pub begin: Date,
    pub end: Option<Date>,
    pub disabilities: Vec<Disability>,
    pub environment: Option<&'static str>,
    pub exit_basis: Option<&'static str>,
    pub section504_disability: Option<&'static str>,
}

impl ProgramSketch {
    pub fn primary_disability(&self) -> Option<&str> {
        self.disabilities
            .iter()
            .min_by_key(|d| d.order)
            .map(|d| d.code.as_str())
    }
}

/// Forced choices for showcase students (the demo logins' children).
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    pub stage: Option<Stage>,
    pub age: Option<i16>,
    pub category: Option<&'static str>,
}

pub(crate) struct Ctx<'a> {
    pub anchor: Date,
    pub school_days: SchoolDays<'a>,
}

fn pick<T: Copy>(rng: &mut Rng, table: &[(T, u64)]) -> T {
    let total: u64 = table.iter().map(|(_, w)| w).sum();
    let mut r = rng.random_range(0..total.max(1));
    for (value, weight) in table {
        if r < *weight {
            return *value;
        }
        r -= weight;
    }
    table[table.len() - 1].0
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.random_bool(p)
}

fn between(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// A date uniformly in `[from, to]` (or `from` when the range is empty).
fn date_between(rng: &mut Rng, from: Date, to: Date) -> Date {
    add_days(from, between(rng, 0, days_between(from, to)))
}

/// Events collected out of order, then sorted by date and numbered `e1`, `e2`… Nothing is
/// recorded after the cutoff (the anchor, or the exit date): a later date has not happened.
struct Timeline {
    cutoff: Date,
    events: Vec<(Date, EventKind)>,
}

impl Timeline {
    fn new(cutoff: Date) -> Self {
        Timeline {
            cutoff,
            events: Vec::new(),
        }
    }

    /// Records `kind` on the first weekday on or after `on`; `None` when that is past the
    /// cutoff, so callers stop the chain of events that would follow.
    fn at(&mut self, on: Date, kind: EventKind) -> Option<Date> {
        let on = weekday_on_or_after(on);
        if on > self.cutoff {
            return None;
        }
        self.events.push((on, kind));
        Some(on)
    }

    fn finish(mut self) -> Vec<Event> {
        // Stable: same-day events keep their causal order (consent before evaluation…).
        self.events.sort_by_key(|(on, _)| *on);
        self.events
            .into_iter()
            .enumerate()
            .map(|(i, (on, kind))| Event {
                id: format!("e{}", i + 1),
                on,
                supersedes: None,
                kind,
            })
            .collect()
    }
}

fn category_id(rng: &mut Rng, code: &str) -> String {
    if code == "HI" && chance(rng, 0.2) {
        return IdeaCategory::Deafness.as_str().to_owned();
    }
    IdeaCategory::from_federal_code(code)
        .map_or_else(|| code.to_ascii_lowercase(), |c| c.as_str().to_owned())
}

/// Age (whole years on the anchor) by what the student's case is about: developmental delay
/// only from 3 to 9, speech mostly young, learning disabilities identified from about 7.
fn age_for(rng: &mut Rng, stage: Stage, category: Option<&str>) -> i16 {
    const GENERAL: &[(i16, u64)] = &[
        (5, 10),
        (6, 10),
        (7, 10),
        (8, 10),
        (9, 10),
        (10, 10),
        (11, 10),
        (12, 10),
        (13, 10),
        (14, 10),
        (15, 10),
        (16, 10),
        (17, 10),
        (18, 3),
    ];
    const YOUNG: &[(i16, u64)] = &[
        (5, 6),
        (6, 10),
        (7, 12),
        (8, 12),
        (9, 11),
        (10, 9),
        (11, 7),
        (12, 6),
        (13, 5),
        (14, 4),
        (15, 3),
        (16, 2),
        (17, 1),
    ];
    const DD: &[(i16, u64)] = &[(3, 15), (4, 20), (5, 20), (6, 15), (7, 12), (8, 10), (9, 8)];
    const SLI: &[(i16, u64)] = &[
        (3, 6),
        (4, 9),
        (5, 12),
        (6, 13),
        (7, 13),
        (8, 11),
        (9, 9),
        (10, 7),
        (11, 6),
        (12, 5),
        (13, 4),
        (14, 3),
    ];
    const SLD: &[(i16, u64)] = &[
        (7, 4),
        (8, 7),
        (9, 9),
        (10, 10),
        (11, 10),
        (12, 10),
        (13, 10),
        (14, 10),
        (15, 9),
        (16, 8),
        (17, 7),
        (18, 3),
        (19, 1),
    ];
    const OTHER: &[(i16, u64)] = &[
        (3, 2),
        (4, 3),
        (5, 5),
        (6, 8),
        (7, 8),
        (8, 8),
        (9, 8),
        (10, 8),
        (11, 8),
        (12, 8),
        (13, 8),
        (14, 8),
        (15, 8),
        (16, 8),
        (17, 8),
        (18, 5),
        (19, 3),
        (20, 2),
        (21, 1),
    ];
    const EXITED: &[(i16, u64)] = &[
        (7, 3),
        (9, 3),
        (11, 3),
        (13, 4),
        (15, 6),
        (16, 8),
        (17, 10),
        (18, 18),
        (19, 12),
        (20, 3),
        (21, 3),
        (22, 2),
    ];
    match (stage, category) {
        (_, Some("DD")) => pick(rng, DD),
        (Stage::Exited, _) => pick(rng, EXITED),
        (_, Some("SLI")) => pick(rng, SLI),
        (_, Some("SLD")) => pick(rng, SLD),
        (_, Some(_)) => pick(rng, OTHER),
        (
            Stage::Rti
            | Stage::Referred
            | Stage::InEvaluation
            | Stage::ConsentRefused
            | Stage::NotEligible,
            None,
        ) => pick(rng, YOUNG),
        _ => pick(rng, GENERAL),
    }
}

/// The earliest age at which a category is usually identified.
fn min_referral_age_days(category: &str) -> i64 {
    match category {
        "DD" | "SLI" | "AUT" | "MD" | "DB" | "HI" | "VI" | "OI" => 2 * 365 + 270,
        "SLD" => 7 * 365,
        "EMN" => 6 * 365,
        _ => 4 * 365,
    }
}

fn parent_request(rng: &mut Rng) -> EventKind {
    match between(rng, 0, 99) {
        0..=54 => EventKind::EvaluationRequested {
            by: Requester::Parent,
            written: true,
        },
        55..=69 => EventKind::EvaluationRequested {
            by: Requester::Parent,
            written: false,
        },
        70..=96 => EventKind::EvaluationRequested {
            by: Requester::School,
            written: true,
        },
        _ => EventKind::EvaluationRequested {
            by: Requester::Other,
            written: true,
        },
    }
}

/// Referral, safeguards and the notice proposing an evaluation; returns the referral date.
fn referral(t: &mut Timeline, rng: &mut Rng, on: Date) -> Option<Date> {
    let requested = t.at(on, parent_request(rng))?;
    t.at(
        add_days(requested, between(rng, 0, 5)),
        EventKind::ProceduralSafeguardsProvided {
            reason: SafeguardsReason::Referral,
        },
    )?;
    t.at(
        add_days(requested, between(rng, 2, 10)),
        EventKind::PriorWrittenNoticeSent {
            action: NoticeAction::Propose,
            subject: NoticeSubject::Evaluation,
        },
    )
}

/// Days from consent to a decision: usually inside the 60-day federal clock, sometimes late.
fn evaluation_days(rng: &mut Rng) -> i64 {
    if chance(rng, 0.87) {
        between(rng, 25, 59)
    } else {
        between(rng, 61, 110)
    }
}

/// Referral, consent and the initial eligibility decision; returns the decision date.
fn initial_evaluation(
    t: &mut Timeline,
    rng: &mut Rng,
    referred_on: Date,
    eligible: bool,
    categories: &[String],
    days_to_decision: i64,
) -> Option<Date> {
    let notice = referral(t, rng, referred_on)?;
    let consent = t.at(
        add_days(notice, between(rng, 1, 20)),
        EventKind::ConsentReceived {
            consent_for: ConsentFor::InitialEvaluation,
        },
    )?;
    let decided = t.at(
        add_days(consent, days_to_decision),
        EventKind::EligibilityDetermined {
            evaluation: EvaluationType::Initial,
            eligible,
            categories: if eligible {
                categories.to_vec()
            } else {
                Vec::new()
            },
        },
    )?;
    let (action, subject) = if eligible {
        (NoticeAction::Propose, NoticeSubject::Identification)
    } else {
        (NoticeAction::Refuse, NoticeSubject::Identification)
    };
    t.at(
        decided,
        EventKind::PriorWrittenNoticeSent { action, subject },
    )?;
    Some(decided)
}

struct IepHistory {
    began: Option<Date>,
    rights_notice_given: bool,
}

/// A whole IEP life up to the cutoff: initial evaluation (or a transfer), the initial meeting,
/// annual reviews, triennial reevaluations, transition planning from 15 or 16, the
/// rights-transfer notice before 18, and the occasional records request, disciplinary removal,
/// complaint, independent evaluation or amendment. About one deadline in eight is met late; a
/// late one still pending on the anchor is overdue.
fn iep_history(
    t: &mut Timeline,
    rng: &mut Rng,
    ctx: &Ctx<'_>,
    birth: Date,
    categories: &[String],
    primary: &str,
    showcase: bool,
) -> IepHistory {
    let mut history = IepHistory {
        began: None,
        rights_notice_given: false,
    };
    // Late enough for the evaluation and the first meeting to fit before the cutoff even when
    // both run late; a very young child is referred early (often from Part C) rather than not.
    let latest_start = add_days(t.cutoff, if showcase { -4 * 365 } else { -180 });
    let earliest_start = add_days(birth, min_referral_age_days(primary))
        .max(add_days(t.cutoff, -12 * 365))
        .min(latest_start);
    let start = date_between(rng, earliest_start, latest_start);
    let transferred = !showcase && chance(rng, 0.06);
    let (first_meeting, mut last_eligibility) = if transferred {
        let Some(arrived) = t.at(
            start,
            EventKind::TransferredIn {
                from: if chance(rng, 0.6) {
                    TransferFrom::InState
                } else {
                    TransferFrom::OutOfState
                },
            },
        ) else {
            return history;
        };
        let Some(meeting) = t.at(
            add_days(arrived, between(rng, 5, 30)),
            EventKind::IepMeetingHeld {
                purpose: MeetingPurpose::Annual,
                includes_transition: false,
                includes_rights_transfer_notice: false,
            },
        ) else {
            return history;
        };
        // The sending district's last eligibility decision: the triennial clock runs from it.
        (meeting, add_days(arrived, -between(rng, 30, 900)))
    } else {
        if age_on(birth, start) < 3 {
            let _ = t.at(start, EventKind::PartCReferralReceived);
        }
        let days = if showcase {
            between(rng, 30, 55)
        } else {
            evaluation_days(rng)
        };
        let Some(decided) = initial_evaluation(t, rng, start, true, categories, days) else {
            return history;
        };
        let meeting_after = if chance(rng, 0.9) {
            between(rng, 5, 29)
        } else {
            between(rng, 31, 60)
        };
        let Some(meeting) = t.at(
            add_days(decided, meeting_after),
            EventKind::IepMeetingHeld {
                purpose: MeetingPurpose::Initial,
                includes_transition: false,
                includes_rights_transfer_notice: false,
            },
        ) else {
            return history;
        };
        let _ = t.at(
            meeting,
            EventKind::ConsentReceived {
                consent_for: ConsentFor::InitialServices,
            },
        );
        let _ = t.at(
            add_days(meeting, between(rng, 0, 10)),
            EventKind::ServicesStarted,
        );
        (meeting, decided)
    };
    history.began = Some(first_meeting);

    // Transition planning starts by 15 for most, after 16 for some (a missed requirement).
    let transition_from = if showcase || chance(rng, 0.9) {
        add_years(birth, 15)
    } else {
        add_days(add_years(birth, 16), between(rng, 30, 200))
    };
    let rights_notice_from = if showcase || chance(rng, 0.88) {
        add_years(birth, 16)
    } else {
        add_days(add_years(birth, 17), between(rng, 1, 120))
    };
    let meeting_kind = |on: Date, purpose: MeetingPurpose, given: &mut bool| {
        let notice = !*given && on >= rights_notice_from;
        *given |= notice;
        EventKind::IepMeetingHeld {
            purpose,
            includes_transition: on >= transition_from,
            includes_rights_transfer_notice: notice,
        }
    };

    let mut last_meeting = first_meeting;
    let mut reevaluations = vec![last_eligibility];
    loop {
        let annual_due = add_years(last_meeting, 1);
        let triennial_due = add_years(last_eligibility, 3);
        let late = !showcase && chance(rng, 0.12);
        let (planned, purpose) = if triennial_due <= add_days(annual_due, 30) {
            if chance(rng, 0.08) {
                let waived_on = add_days(triennial_due, -between(rng, 20, 90));
                if t.at(waived_on, EventKind::ReevaluationWaived).is_none() {
                    break;
                }
                last_eligibility = waived_on;
                let on = if late {
                    add_days(annual_due, between(rng, 1, 50))
                } else {
                    add_days(annual_due, -between(rng, 0, 45))
                };
                (on, MeetingPurpose::Annual)
            } else {
                let decided_on = if late {
                    add_days(triennial_due, between(rng, 1, 60))
                } else {
                    add_days(triennial_due, -between(rng, 5, 75))
                };
                let consent_on = add_days(decided_on, -between(rng, 20, 55));
                if t.at(
                    add_days(consent_on, -between(rng, 3, 10)),
                    EventKind::PriorWrittenNoticeSent {
                        action: NoticeAction::Propose,
                        subject: NoticeSubject::Evaluation,
                    },
                )
                .is_none()
                    || t.at(
                        consent_on,
                        EventKind::ConsentReceived {
                            consent_for: ConsentFor::Reevaluation,
                        },
                    )
                    .is_none()
                {
                    break;
                }
                let Some(decided) = t.at(
                    decided_on,
                    EventKind::EligibilityDetermined {
                        evaluation: EvaluationType::Reevaluation,
                        eligible: true,
                        categories: categories.to_vec(),
                    },
                ) else {
                    break;
                };
                last_eligibility = decided;
                reevaluations.push(decided);
                (
                    add_days(decided, between(rng, 0, 12)),
                    MeetingPurpose::Reevaluation,
                )
            }
        } else if late {
            (
                add_days(annual_due, between(rng, 1, 50)),
                MeetingPurpose::Annual,
            )
        } else {
            (
                add_days(annual_due, -between(rng, 0, 45)),
                MeetingPurpose::Annual,
            )
        };
        let on = weekday_on_or_after(planned);
        if on > t.cutoff {
            // The next meeting is on the calendar when it is near and not yet late.
            if days_between(t.cutoff, on) <= 45 && chance(rng, 0.7) {
                let _ = t.at(
                    add_days(t.cutoff, -between(rng, 0, 10)),
                    EventKind::IepMeetingScheduled { meeting_on: on },
                );
            }
            break;
        }
        if chance(rng, 0.25) {
            let _ = t.at(
                add_days(on, -between(rng, 10, 20)),
                EventKind::IepMeetingScheduled { meeting_on: on },
            );
        }
        let kind = meeting_kind(on, purpose, &mut history.rights_notice_given);
        let _ = t.at(on, kind);
        let _ = t.at(
            on,
            EventKind::ProceduralSafeguardsProvided {
                reason: SafeguardsReason::Annual,
            },
        );
        last_meeting = on;
    }

    extras(t, rng, ctx, birth, first_meeting, &reevaluations);
    history
}

/// The less common events of an IEP: records requests, discipline, complaints, IEEs, amendments.
fn extras(
    t: &mut Timeline,
    rng: &mut Rng,
    ctx: &Ctx<'_>,
    birth: Date,
    began: Date,
    evaluations: &[Date],
) {
    let cutoff = t.cutoff;
    if chance(rng, 0.06) {
        let asked = date_between(rng, began.max(add_days(cutoff, -730)), cutoff);
        if let Some(asked) = t.at(asked, EventKind::RecordsRequested) {
            match between(rng, 0, 99) {
                0..=84 => t.at(
                    add_days(asked, between(rng, 3, 40)),
                    EventKind::RecordsProvided,
                ),
                85..=94 => t.at(
                    add_days(asked, between(rng, 46, 75)),
                    EventKind::RecordsProvided,
                ),
                _ => None,
            };
        }
    }
    if chance(rng, 0.045) {
        let from = began.max(add_years(birth, 8)).max(add_days(cutoff, -900));
        if from < cutoff {
            let on = date_between(rng, from, cutoff);
            if chance(rng, 0.6) {
                let (days, removal) = match between(rng, 0, 9) {
                    0 => (45, RemovalKind::InterimAlternativeSetting),
                    1 => (between(rng, 20, 60) as u32, RemovalKind::Expulsion),
                    _ => (between(rng, 11, 15) as u32, RemovalKind::Suspension),
                };
                if let Some(on) = t.at(
                    on,
                    EventKind::DisciplinaryRemoval {
                        school_days: days,
                        removal,
                    },
                ) {
                    let _ = t.at(on, EventKind::PlacementChangeDecided { disciplinary: true });
                    let _ = t.at(
                        on,
                        EventKind::ProceduralSafeguardsProvided {
                            reason: SafeguardsReason::Discipline,
                        },
                    );
                    let school_days = if chance(rng, 0.88) {
                        between(rng, 2, 9)
                    } else {
                        between(rng, 11, 18)
                    };
                    let _ = t.at(
                        ctx.school_days.add(on, school_days as u32),
                        EventKind::ManifestationDeterminationHeld,
                    );
                }
            } else {
                for k in 0..between(rng, 1, 2) {
                    let _ = t.at(
                        add_days(on, k * between(rng, 20, 90)),
                        EventKind::DisciplinaryRemoval {
                            school_days: between(rng, 1, 5) as u32,
                            removal: RemovalKind::Suspension,
                        },
                    );
                }
            }
        }
    }
    if chance(rng, 0.008) {
        let filed = date_between(rng, began.max(add_days(cutoff, -1000)), cutoff);
        if let Some(filed) = t.at(filed, EventKind::DueProcessComplaintReceived) {
            let _ = t.at(
                filed,
                EventKind::ProceduralSafeguardsProvided {
                    reason: SafeguardsReason::Complaint,
                },
            );
            let _ = match between(rng, 0, 9) {
                0..=7 => t.at(
                    add_days(filed, between(rng, 5, 14)),
                    EventKind::ResolutionMeetingHeld,
                ),
                8 => t.at(
                    add_days(filed, between(rng, 3, 10)),
                    EventKind::ResolutionWaived,
                ),
                _ => t.at(
                    add_days(filed, between(rng, 16, 30)),
                    EventKind::ResolutionMeetingHeld,
                ),
            };
            let decision = if chance(rng, 0.7) {
                between(rng, 40, 74)
            } else {
                between(rng, 76, 120)
            };
            let _ = t.at(add_days(filed, decision), EventKind::HearingDecisionIssued);
        }
    }
    if chance(rng, 0.006) {
        let filed = date_between(rng, began.max(add_days(cutoff, -1000)), cutoff);
        if let Some(filed) = t.at(filed, EventKind::StateComplaintFiled) {
            let days = if chance(rng, 0.85) {
                between(rng, 30, 59)
            } else {
                between(rng, 61, 90)
            };
            let _ = t.at(add_days(filed, days), EventKind::StateComplaintDecided);
        }
    }
    if chance(rng, 0.015)
        && let Some(&evaluated) = evaluations.last()
    {
        let asked = add_days(evaluated, between(rng, 10, 60));
        if let Some(asked) = t.at(asked, EventKind::IeeRequested) {
            let answer = if chance(rng, 0.75) {
                EventKind::IeeGranted
            } else {
                EventKind::IeeDueProcessFiled
            };
            let _ = t.at(add_days(asked, between(rng, 5, 20)), answer);
        }
    }
    if chance(rng, 0.1) {
        let on = date_between(rng, began, cutoff);
        let _ = t.at(
            on,
            EventKind::IepMeetingHeld {
                purpose: MeetingPurpose::Amendment,
                includes_transition: false,
                includes_rights_transfer_notice: false,
            },
        );
    }
}

fn environment(rng: &mut Rng, birth: Date, anchor: Date) -> &'static str {
    // Ages 3–5 not yet in kindergarten use the early-childhood codes.
    if age_on(birth, anchor) < 5 || super::grade(birth, anchor) == "PK" {
        pick(rng, EARLY_CHILDHOOD_ENVIRONMENTS)
    } else {
        pick(rng, SCHOOL_AGE_ENVIRONMENTS)
    }
}

fn exit_basis(rng: &mut Rng, age: i16) -> &'static str {
    let table: &[(&'static str, u64)] = if age >= 21 {
        &[("RMA", 60), ("GHS", 20), ("RC", 20)]
    } else if age >= 17 {
        &[
            ("GHS", 70),
            ("GRADALTDPL", 5),
            ("RC", 10),
            ("DROPOUT", 12),
            ("D", 1),
            ("MKC", 2),
        ]
    } else if age >= 14 {
        &[("DROPOUT", 25), ("MKC", 35), ("TRAN", 38), ("D", 1)]
    } else {
        &[("TRAN", 55), ("MKC", 45)]
    };
    pick(rng, table)
}

/// Everything about one student, drawn from the student's own random stream.
pub(crate) fn sketch(rng: &mut Rng, ctx: &Ctx<'_>, overrides: Overrides) -> Sketch {
    let anchor = ctx.anchor;
    let stage = overrides.stage.unwrap_or_else(|| pick(rng, STAGES));
    let category = match stage {
        Stage::OnIep | Stage::Exited | Stage::EligiblePendingIep => {
            Some(overrides.category.unwrap_or_else(|| pick(rng, CATEGORIES)))
        }
        _ => None,
    };
    let age = overrides
        .age
        .unwrap_or_else(|| age_for(rng, stage, category));
    let birth = add_days(add_years(anchor, -age), -between(rng, 0, 364));
    let showcase = overrides.stage.is_some();
    let mut t = Timeline::new(anchor);
    let mut program = None;
    let mut rights_transferred = false;
    let mut has_provider = false;

    let categories: Vec<String> = match category {
        Some(primary) => {
            let mut list = vec![category_id(rng, primary)];
            if chance(rng, 0.08) {
                let second = pick(rng, CATEGORIES);
                if second != primary && second != "DD" {
                    list.push(category_id(rng, second));
                }
            }
            list
        }
        None => Vec::new(),
    };
    let disabilities = || -> Vec<Disability> {
        categories
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                IdeaCategory::parse(id).map(|c| Disability {
                    code: c.federal_code().to_owned(),
                    order: i as u32 + 1,
                })
            })
            .collect()
    };

    match stage {
        Stage::GeneralEducation => {}
        Stage::Rti => {
            let school_year_start = add_days(anchor, -300);
            let started_on = date_between(rng, school_year_start, add_days(anchor, -20));
            if let Some(started) = t.at(started_on, EventKind::RtiStarted { tier: 2 }) {
                let mut tier_on = started;
                if chance(rng, 0.35) {
                    let moved = add_days(started, between(rng, 40, 90));
                    if let Some(moved) = t.at(moved, EventKind::RtiEnded { tier: 2 }) {
                        let _ = t.at(moved, EventKind::RtiStarted { tier: 3 });
                        tier_on = moved;
                    }
                }
                // A parent asks for an evaluation while the school keeps intervening.
                if chance(rng, 0.25) {
                    let asked = date_between(rng, tier_on.max(add_days(anchor, -60)), anchor);
                    if let Some(asked) = t.at(
                        asked,
                        EventKind::EvaluationRequested {
                            by: Requester::Parent,
                            written: chance(rng, 0.7),
                        },
                    ) && chance(rng, 0.35)
                    {
                        let _ = t.at(
                            add_days(asked, between(rng, 3, 15)),
                            EventKind::PriorWrittenNoticeSent {
                                action: NoticeAction::Refuse,
                                subject: NoticeSubject::Evaluation,
                            },
                        );
                    }
                }
            }
        }
        Stage::Referred => {
            let asked = add_days(anchor, -between(rng, 1, 40));
            let _ = referral(&mut t, rng, asked);
        }
        Stage::ConsentRefused => {
            let asked = add_days(anchor, -between(rng, 30, 400));
            if let Some(notice) = referral(&mut t, rng, asked) {
                let _ = t.at(
                    add_days(notice, between(rng, 5, 30)),
                    EventKind::ConsentRefused {
                        consent_for: ConsentFor::InitialEvaluation,
                    },
                );
            }
        }
        Stage::InEvaluation => {
            let consent_on = if chance(rng, 0.85) {
                add_days(anchor, -between(rng, 1, 59))
            } else {
                add_days(anchor, -between(rng, 61, 120))
            };
            let asked = add_days(consent_on, -between(rng, 8, 25));
            if let Some(notice) = referral(&mut t, rng, asked) {
                let _ = t.at(
                    consent_on.max(notice),
                    EventKind::ConsentReceived {
                        consent_for: ConsentFor::InitialEvaluation,
                    },
                );
            }
        }
        Stage::NotEligible => {
            let decided = add_days(anchor, -between(rng, 10, 1000));
            let days = evaluation_days(rng);
            let referred = add_days(decided, -days - between(rng, 10, 25));
            let decided = initial_evaluation(&mut t, rng, referred, false, &[], days);
            // Some families then ask for a Section 504 evaluation, and the 504 team also finds
            // the student not eligible: the meeting records it, and a notice of the refusal
            // follows (34 CFR 104.35, 104.36).
            if let Some(decided) = decided
                && chance(rng, 0.75)
                && let Some(asked) = t.at(
                    add_days(decided, between(rng, 10, 40)),
                    EventKind::EvaluationRequested {
                        by: Requester::Parent,
                        written: true,
                    },
                )
                && let Some(met) = t.at(
                    add_days(asked, between(rng, 20, 45)),
                    EventKind::Plan504MeetingHeld {
                        purpose: Plan504Purpose::Initial,
                        eligible: false,
                    },
                )
            {
                let _ = t.at(
                    met,
                    EventKind::PriorWrittenNoticeSent {
                        action: NoticeAction::Refuse,
                        subject: NoticeSubject::Identification,
                    },
                );
            }
        }
        Stage::EligiblePendingIep => {
            let decided = if chance(rng, 0.88) {
                add_days(anchor, -between(rng, 0, 29))
            } else {
                add_days(anchor, -between(rng, 31, 75))
            };
            let days = evaluation_days(rng);
            let referred = add_days(decided, -days - between(rng, 10, 25));
            let _ = initial_evaluation(&mut t, rng, referred, true, &categories, days);
        }
        Stage::OnIep => {
            let primary = category.unwrap_or("SLD");
            let history = iep_history(&mut t, rng, ctx, birth, &categories, primary, showcase);
            if let Some(began) = history.began {
                rights_transferred = age >= 18 && history.rights_notice_given;
                has_provider = primary == "SLI" || chance(rng, 0.5);
                program = Some(ProgramSketch {
                    program: Program::Idea,
                    begin: began,
                    end: None,
                    disabilities: disabilities(),
                    environment: Some(environment(rng, birth, anchor)),
                    exit_basis: None,
                    section504_disability: None,
                });
            }
        }
        Stage::Exited => {
            let primary = category.unwrap_or("SLD");
            let exited_on = add_days(anchor, -between(rng, 0, 700));
            t.cutoff = exited_on;
            let history = iep_history(&mut t, rng, ctx, birth, &categories, primary, false);
            t.cutoff = anchor;
            if let Some(began) = history.began {
                let basis = exit_basis(rng, age_on(birth, exited_on));
                if let Some(exited) = t.at(
                    exited_on,
                    EventKind::Exited {
                        basis: basis.to_owned(),
                    },
                ) {
                    program = Some(ProgramSketch {
                        program: Program::Idea,
                        begin: began,
                        end: Some(exited.max(began)),
                        disabilities: disabilities(),
                        environment: Some(environment(rng, birth, exited)),
                        exit_basis: Some(basis),
                        section504_disability: None,
                    });
                }
            }
        }
        Stage::Plan504 => {
            let earliest = add_years(birth, 6).max(add_days(anchor, -6 * 365));
            let asked = date_between(rng, earliest, add_days(anchor, -45).max(earliest));
            // Some 504 plans follow an IDEA evaluation that found no need for special education.
            let start = if chance(rng, 0.25) {
                let days = evaluation_days(rng);
                initial_evaluation(&mut t, rng, asked, false, &[], days)
            } else {
                t.at(
                    asked,
                    EventKind::EvaluationRequested {
                        by: if chance(rng, 0.6) {
                            Requester::Parent
                        } else {
                            Requester::School
                        },
                        written: chance(rng, 0.85),
                    },
                )
            };
            if let Some(start) = start
                && let Some(initial) = t.at(
                    add_days(start, between(rng, 15, 60)),
                    EventKind::Plan504MeetingHeld {
                        purpose: Plan504Purpose::Initial,
                        eligible: true,
                    },
                )
            {
                let mut last = initial;
                for year in 1.. {
                    let drift = if chance(rng, 0.9) {
                        -between(rng, 0, 30)
                    } else {
                        between(rng, 30, 120)
                    };
                    let purpose = if year % 3 == 0 {
                        Plan504Purpose::Reevaluation
                    } else {
                        Plan504Purpose::Review
                    };
                    match t.at(
                        add_days(add_years(last, 1), drift),
                        EventKind::Plan504MeetingHeld {
                            purpose,
                            eligible: true,
                        },
                    ) {
                        Some(on) => last = on,
                        None => break,
                    }
                }
                program = Some(ProgramSketch {
                    program: Program::Section504,
                    begin: initial,
                    end: None,
                    disabilities: Vec::new(),
                    environment: None,
                    exit_basis: None,
                    section504_disability: Some(pick(rng, SECTION_504_DISABILITIES)),
                });
            }
        }
    }
    Sketch {
        stage,
        birth_date: birth,
        events: t.finish(),
        program,
        rights_transferred,
        has_provider,
    }
}
