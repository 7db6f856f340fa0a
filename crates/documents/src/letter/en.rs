//! The English wording of every letter. Plain words first, then the rule with its citation;
//! the Spanish in `es.rs` says the same things in its own phrasing, with the same citations.

use super::{Facts, Frame, LetterKind, Words};

fn intro(f: &Facts) -> String {
    let s = f.student;
    let born = f
        .born
        .as_ref()
        .map(|d| format!(", born on {d}"))
        .unwrap_or_default();
    let school = f.data.student.school.trim();
    match f.data.student.grade.trim() {
        "" => format!("I am the parent of {s}{born}, who attends {school}."),
        grade => format!("I am the parent of {s}{born}, who is in grade {grade} at {school}."),
    }
}

pub(crate) fn words(kind: LetterKind, f: &Facts) -> Words {
    let s = f.student;
    let intro = intro(f);
    match kind {
        LetterKind::EvaluationRequest => Words {
            title: "Request for an initial evaluation for special education".into(),
            request: vec![
                format!(
                    "{intro} I am asking the district to conduct a full and individual initial \
                     evaluation of {s} to find out whether {s} has a disability and needs special \
                     education and related services under the Individuals with Disabilities \
                     Education Act (IDEA)."
                ),
                format!(
                    "Please evaluate {s} in all areas of suspected disability, including the areas \
                     my concerns below point to. Please send me the consent form for the \
                     evaluation, prior written notice describing the assessments the district \
                     proposes, and a copy of the procedural safeguards notice."
                ),
            ],
            concerns_heading: "Why I am asking".into(),
            rule: vec![
                "A parent may request an initial evaluation to determine whether a child has a \
                 disability (34 CFR 300.301(b))."
                    .into(),
                "The district must answer my request. Either it proposes the evaluation and asks \
                 for my informed written consent (34 CFR 300.300(a)), or it refuses. Either way it \
                 must give me prior written notice of its decision and the reasons for it \
                 (34 CFR 300.503), and a request for evaluation is one of the times it must give \
                 me the procedural safeguards notice (34 CFR 300.504(a)(1))."
                    .into(),
                "Once I give consent, the evaluation must be completed within 60 days, or within \
                 the timeline my state sets (34 CFR 300.301(c)(1)), and it must cover all areas \
                 related to the suspected disability (34 CFR 300.304(c)(4))."
                    .into(),
                "Interventions such as response to intervention (RTI or MTSS) may not be used to \
                 delay or deny an evaluation (OSEP Memo 11-07)."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![],
        },
        LetterKind::Section504EvaluationRequest => Words {
            title: "Request for an evaluation under Section 504".into(),
            request: vec![
                format!(
                    "{intro} I am asking the district to evaluate {s} under Section 504 of the \
                     Rehabilitation Act of 1973, to decide whether {s} has a disability that \
                     substantially limits a major life activity, such as learning, reading, \
                     concentrating or thinking, and which aids, services and accommodations {s} \
                     needs at school."
                ),
                format!(
                    "If the district believes that {s} may also need special education, please \
                     treat this letter as a request for an initial evaluation under IDEA as well \
                     (34 CFR 300.301(b))."
                ),
            ],
            concerns_heading: "Why I am asking".into(),
            rule: vec![
                "A school district must evaluate a student who, because of a disability, needs or \
                 is believed to need special education or related services, before taking any \
                 action on the student's initial placement (34 CFR 104.35(a))."
                    .into(),
                "The evaluation must use tests validated for the purpose they are used for and \
                 draw on information from a variety of sources, and the decisions must be made by \
                 a group of people who know the student, the meaning of the evaluation data and \
                 the placement options (34 CFR 104.35(b) and (c))."
                    .into(),
                format!(
                    "The district must give me notice of its decisions about {s}'s \
                     identification, evaluation and placement, the opportunity to examine the \
                     relevant records, and an impartial hearing if I disagree (34 CFR 104.36)."
                ),
                "Whether a condition substantially limits a major life activity is decided \
                 without regard to the effects of mitigating measures such as medication \
                 (42 U.S.C. 12102(4)(E), added by the ADA Amendments Act of 2008)."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![],
        },
        LetterKind::RecordsRequest => Words {
            title: "Request to inspect and review education records".into(),
            request: vec![
                format!(
                    "{intro} I am asking to inspect and review all education records about {s} \
                     that the district collects, maintains or uses: evaluations and their reports, \
                     eligibility decisions, IEPs or Section 504 plans, progress reports and \
                     progress-monitoring data, discipline and attendance records, health and \
                     counseling records kept by the school, and notes or messages about {s} kept \
                     in any of these files."
                ),
                "I also ask for copies of these records. If the district charges for copies, \
                 please tell me the amount in advance; no fee may be charged to search for or \
                 retrieve records (34 CFR 300.617). Please also explain anything in the records \
                 that I ask about (34 CFR 300.613(b)(1))."
                    .into(),
            ],
            concerns_heading: "Additional information".into(),
            rule: vec![
                format!(
                    "The district must let me inspect and review {s}'s education records without \
                     unnecessary delay, before any meeting about an IEP, any due process hearing \
                     and any resolution session, and in no case more than 45 days after my \
                     request (34 CFR 300.613(a))."
                ),
                "I have the right to a response to reasonable requests for explanations and \
                 interpretations of the records (34 CFR 300.613(b)(1)), and to copies when I \
                 could not otherwise effectively inspect and review them (34 CFR 300.613(b)(2))."
                    .into(),
                "The Family Educational Rights and Privacy Act sets the same 45-day limit \
                 (34 CFR 99.10(b))."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![format!(
                "Please tell me in writing by {} when and where I can see the records. Whatever \
                 the date, they must be available to me no later than {}, 45 days after this \
                 request, and before any IEP meeting, hearing or resolution session held sooner.",
                f.answer_by, f.records_limit
            )],
        },
        LetterKind::IeeRequest => Words {
            title: "Request for an independent educational evaluation at public expense".into(),
            request: vec![
                format!(
                    "{intro} I disagree with the evaluation of {s} that the district conducted, \
                     and I am requesting an independent educational evaluation (IEE) at public \
                     expense."
                ),
                "Please send me the district's criteria for independent evaluations, such as \
                 the location and the examiner's qualifications, and information about where an \
                 independent evaluation may be obtained (34 CFR 300.502(a)(2))."
                    .into(),
            ],
            concerns_heading: "Where I disagree".into(),
            rule: vec![
                "A parent who disagrees with an evaluation obtained by the district has the right \
                 to an independent educational evaluation at public expense \
                 (34 CFR 300.502(b)(1))."
                    .into(),
                "When a parent asks for one, the district must, without unnecessary delay, either \
                 file a due process complaint to show that its own evaluation is appropriate, or \
                 make sure the independent evaluation is provided at public expense \
                 (34 CFR 300.502(b)(2))."
                    .into(),
                "The district may ask why I disagree, but it may not require me to explain, and \
                 it may not unreasonably delay either paying for the evaluation or filing for due \
                 process (34 CFR 300.502(b)(4))."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![],
        },
        LetterKind::PriorWrittenNoticeRequest => Words {
            title: "Request for prior written notice".into(),
            request: vec![
                format!(
                    "{intro} I am asking the district to give me prior written notice about the \
                     decision concerning {s} that I describe below. This notice is required \
                     whenever the district proposes or refuses to initiate or change {s}'s \
                     identification, evaluation or educational placement, or the provision of a \
                     free appropriate public education (FAPE)."
                ),
                "Please write the notice in language understandable to the general public and \
                 in my native language (34 CFR 300.503(c))."
                    .into(),
            ],
            concerns_heading: "The decision I am asking about".into(),
            rule: vec![
                "The district must give parents written notice a reasonable time before it \
                 proposes or refuses to initiate or change the identification, evaluation or \
                 educational placement of a child, or the provision of FAPE \
                 (34 CFR 300.503(a))."
                    .into(),
                "The notice must contain these seven things (34 CFR 300.503(b)):".into(),
            ],
            rule_list: vec![
                "a description of the action the district proposes or refuses;".into(),
                "an explanation of why the district proposes or refuses to take the action;".into(),
                "a description of each evaluation procedure, assessment, record or report the \
                 district used as a basis for its decision;"
                    .into(),
                "a statement that parents have protection under the procedural safeguards, and \
                 how to obtain a copy of the procedural safeguards notice;"
                    .into(),
                "sources parents can contact for help in understanding these rights;".into(),
                "a description of the other options the IEP team considered and why they were \
                 rejected;"
                    .into(),
                "a description of any other factors relevant to the district's proposal or \
                 refusal."
                    .into(),
            ],
            answer_extra: vec![],
        },
        LetterKind::MeetingRequest => Words {
            title: "Request for an IEP team meeting".into(),
            request: vec![
                format!(
                    "{intro} I am asking for a meeting of {s}'s IEP team to discuss the matters \
                     described below and to review and, where needed, revise {s}'s IEP."
                ),
                "Please propose dates and times that suit us both, and send me written notice of \
                 the meeting stating its purpose, time and place and who will attend. If any team \
                 member is to be excused from attending, please tell me in advance, since that \
                 requires my written agreement (34 CFR 300.321(e))."
                    .into(),
            ],
            concerns_heading: "What I would like to discuss".into(),
            rule: vec![
                "The district must take steps to make sure that one or both parents are present \
                 at each IEP team meeting or have the opportunity to take part, including \
                 notifying parents early enough that they can attend and scheduling the meeting \
                 at a mutually agreed time and place (34 CFR 300.322(a))."
                    .into(),
                "The meeting notice must state the purpose, time and location of the meeting and \
                 who will attend (34 CFR 300.322(b)(1)). If a parent cannot attend in person, the \
                 district must offer other ways to take part, such as telephone or video calls \
                 (34 CFR 300.322(c); 34 CFR 300.328)."
                    .into(),
                "The IEP team must review the IEP periodically, and at least once a year, and \
                 revise it as appropriate to address any lack of expected progress, the results \
                 of any reevaluation, information the parents provide, or other matters \
                 (34 CFR 300.324(b)(1))."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![],
        },
    }
}

pub(crate) fn frame(f: &Facts) -> Frame {
    let d = f.data;
    let s = f.student;
    let mut regarding = vec![("Student".to_string(), s.to_string())];
    if let Some(born) = &f.born {
        regarding.push(("Date of birth".into(), born.clone()));
    }
    regarding.push(("School".into(), d.student.school.trim().to_string()));
    if !d.student.grade.trim().is_empty() {
        regarding.push(("Grade".into(), d.student.grade.trim().to_string()));
    }
    let mut answer = vec![
        format!("Please answer me in writing by {}.", f.answer_by),
        "That date is 14 calendar days from the date of this letter, about ten school days, \
         which gives the district a reasonable time to reply. If any part of this request will \
         take longer, please tell me in writing by that date what will happen and when. A \
         written answer gives us both a clear record."
            .to_string(),
    ];
    let contact = match (d.parent.email.trim(), d.parent.phone.trim()) {
        ("", "") => None,
        (email, "") => Some(format!("You can reach me at {email}.")),
        ("", phone) => Some(format!("You can reach me at {phone}.")),
        (email, phone) => Some(format!("You can reach me at {email} or {phone}.")),
    };
    answer.extend(contact);
    answer.push(format!(
        "Please keep a copy of this letter in {s}'s education record."
    ));
    Frame {
        regarding,
        salutation: format!("Dear {},", d.recipient.name.trim()),
        rule_heading: "The rule this request rests on".into(),
        answer_heading: "Please answer in writing".into(),
        answer,
        closing: vec![
            format!("Thank you. I look forward to working with you for {s}."),
            "Sincerely,".into(),
        ],
        signature: vec![d.parent.name.trim().to_string(), format!("Parent of {s}")],
    }
}
