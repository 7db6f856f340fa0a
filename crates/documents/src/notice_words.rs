//! The words around the district's text in a notice, by kind of notice and language: the
//! title, the opening paragraph, the heading of each content, and for a Section 504 notice the
//! four safeguards of 34 CFR 104.36. Citations are not translated; they come from
//! `law::notice` except where a content is the district's own choice.

use crate::lang::Lang;
use domain::evaluation::{NoticeField, NoticeKind};
use domain::event::{NoticeAction, NoticeSubject};

/// The frame of one kind of notice in one language.
pub(crate) struct Frame {
    pub title: &'static str,
    pub intro: &'static str,
    /// Each content's heading, in the order the notice gives them.
    pub headings: [(NoticeField, &'static str); 7],
    /// Cited for a content the law leaves to the district; a prior written notice has none.
    pub own_procedures: Option<&'static str>,
    /// Listed under the safeguards heading before the district's text: a lead-in, the
    /// safeguards (in the order of `law::notice::SECTION_504_SAFEGUARDS`), and a closing line.
    pub listed_safeguards: Option<(&'static str, [&'static str; 4], &'static str)>,
    pub propose: &'static str,
    pub refuse: &'static str,
    /// Added after the subject, naming the law the action is taken under.
    pub under: &'static str,
}

/// The labels and notes every notice shares in one language.
pub(crate) struct Common {
    pub labels: [&'static str; 5],
    pub draft: &'static str,
    pub not_sent: &'static str,
}

pub(crate) fn common(lang: Lang) -> Common {
    match lang {
        Lang::En => Common {
            labels: [
                "Student",
                "Date of birth",
                "District",
                "Date of notice",
                "Action",
            ],
            draft: "Draft: this notice has not been sent.",
            not_sent: "not sent",
        },
        Lang::Es => Common {
            labels: [
                "Estudiante",
                "Fecha de nacimiento",
                "Distrito",
                "Fecha de la notificación",
                "Acción",
            ],
            draft: "Borrador: esta notificación no ha sido enviada.",
            not_sent: "no enviada",
        },
    }
}

pub(crate) fn subject_words(subject: NoticeSubject, lang: Lang) -> &'static str {
    match (subject, lang) {
        (NoticeSubject::Identification, Lang::En) => "identification",
        (NoticeSubject::Evaluation, Lang::En) => "evaluation",
        (NoticeSubject::Placement, Lang::En) => "educational placement",
        (NoticeSubject::Fape, Lang::En) => "the provision of a free appropriate public education",
        (NoticeSubject::Identification, Lang::Es) => "la identificación",
        (NoticeSubject::Evaluation, Lang::Es) => "la evaluación",
        (NoticeSubject::Placement, Lang::Es) => "la ubicación educativa",
        (NoticeSubject::Fape, Lang::Es) => {
            "la provisión de una educación pública gratuita y apropiada"
        }
    }
}

impl Frame {
    pub fn action_words(&self, action: NoticeAction, subject: NoticeSubject, lang: Lang) -> String {
        let verb = match action {
            NoticeAction::Propose => self.propose,
            NoticeAction::Refuse => self.refuse,
        };
        format!("{verb}: {}{}", subject_words(subject, lang), self.under)
    }
}

pub(crate) fn frame(kind: NoticeKind, lang: Lang) -> Frame {
    use NoticeField::*;
    match (kind, lang) {
        (NoticeKind::PriorWrittenNotice, Lang::En) => Frame {
            title: "Prior written notice",
            intro: "The district must give you this written notice a reasonable time before it \
                    proposes or refuses to initiate or change the identification, evaluation or \
                    educational placement of your child or the provision of a free appropriate \
                    public education (34 CFR 300.503(a)). It must contain the seven parts below \
                    (34 CFR 300.503(b)).",
            headings: [
                (Proposal, "What the district proposes or refuses"),
                (Explanation, "Why the district proposes or refuses it"),
                (Basis, "Evaluations, assessments, records and reports used"),
                (Safeguards, "Your procedural safeguards"),
                (Sources, "Where to get help understanding this notice"),
                (
                    OptionsConsidered,
                    "Other options considered and why they were rejected",
                ),
                (OtherFactors, "Other relevant factors"),
            ],
            own_procedures: None,
            listed_safeguards: None,
            propose: "The district proposes a change",
            refuse: "The district refuses a change",
            under: "",
        },
        (NoticeKind::PriorWrittenNotice, Lang::Es) => Frame {
            title: "Notificación previa por escrito",
            intro: "El distrito debe darle esta notificación por escrito un tiempo razonable \
                    antes de proponer o rechazar iniciar o cambiar la identificación, la \
                    evaluación o la ubicación educativa de su hijo o la provisión de una \
                    educación pública gratuita y apropiada (34 CFR 300.503(a)). Debe contener \
                    las siete partes siguientes (34 CFR 300.503(b)).",
            headings: [
                (Proposal, "Lo que el distrito propone o rechaza"),
                (Explanation, "Por qué el distrito lo propone o lo rechaza"),
                (
                    Basis,
                    "Evaluaciones, pruebas, expedientes e informes utilizados",
                ),
                (Safeguards, "Sus garantías procesales"),
                (
                    Sources,
                    "Dónde obtener ayuda para entender esta notificación",
                ),
                (
                    OptionsConsidered,
                    "Otras opciones consideradas y por qué se rechazaron",
                ),
                (OtherFactors, "Otros factores pertinentes"),
            ],
            own_procedures: None,
            listed_safeguards: None,
            propose: "El distrito propone un cambio",
            refuse: "El distrito rechaza un cambio",
            under: "",
        },
        (NoticeKind::Section504, Lang::En) => Frame {
            title: "Notice of Section 504 decision",
            intro: "Section 504 of the Rehabilitation Act requires the district to give you \
                    notice of its actions regarding the identification, evaluation or \
                    educational placement of your child, within a system of procedural \
                    safeguards (34 CFR 104.36). This notice tells you what the district \
                    decided, why, what the decision was based on, and what you can do if you \
                    disagree.",
            headings: [
                (Proposal, "The district's decision"),
                (Explanation, "Why the district decided it"),
                (Basis, "Information the decision was based on"),
                (Safeguards, "Your procedural safeguards under Section 504"),
                (Sources, "Who to contact"),
                (OptionsConsidered, "Other options considered"),
                (OtherFactors, "Other relevant factors"),
            ],
            own_procedures: Some("district Section 504 procedures"),
            listed_safeguards: Some((
                "Section 504 gives you these procedural safeguards (34 CFR 104.36):",
                [
                    "Notice of the district's actions regarding your child's identification, \
                     evaluation or educational placement.",
                    "An opportunity to examine your child's relevant records.",
                    "An impartial hearing, in which you may take part and be represented by \
                     counsel.",
                    "A review procedure for the hearing decision.",
                ],
                "The hearing and the review follow the district's Section 504 procedures. You \
                 may also file a complaint with the U.S. Department of Education's Office for \
                 Civil Rights within 180 days of the discrimination (34 CFR 100.7(b), applied \
                 by 34 CFR 104.61).",
            )),
            propose: "The district proposes",
            refuse: "The district refuses",
            under: " under Section 504",
        },
        (NoticeKind::Section504, Lang::Es) => Frame {
            title: "Notificación de decisión de la Sección 504",
            intro: "La Sección 504 de la Ley de Rehabilitación exige que el distrito le \
                    notifique sus acciones relativas a la identificación, la evaluación o la \
                    ubicación educativa de su hijo, dentro de un sistema de garantías \
                    procesales (34 CFR 104.36). Esta notificación le indica lo que el distrito \
                    decidió, por qué, en qué se basó la decisión y lo que usted puede hacer si \
                    no está de acuerdo.",
            headings: [
                (Proposal, "La decisión del distrito"),
                (Explanation, "Por qué el distrito lo decidió"),
                (Basis, "Información en la que se basó la decisión"),
                (Safeguards, "Sus garantías procesales según la Sección 504"),
                (Sources, "A quién contactar"),
                (OptionsConsidered, "Otras opciones consideradas"),
                (OtherFactors, "Otros factores pertinentes"),
            ],
            own_procedures: Some("procedimientos de la Sección 504 del distrito"),
            listed_safeguards: Some((
                "La Sección 504 le da estas garantías procesales (34 CFR 104.36):",
                [
                    "Notificación de las acciones del distrito relativas a la identificación, \
                     la evaluación o la ubicación educativa de su hijo.",
                    "La oportunidad de examinar los expedientes pertinentes de su hijo.",
                    "Una audiencia imparcial, en la que usted puede participar y ser \
                     representado por un abogado.",
                    "Un procedimiento de revisión de la decisión de la audiencia.",
                ],
                "La audiencia y la revisión siguen los procedimientos de la Sección 504 del \
                 distrito. También puede presentar una queja ante la Oficina de Derechos \
                 Civiles del Departamento de Educación de los EE. UU. dentro de los 180 días \
                 siguientes a la discriminación (34 CFR 100.7(b), aplicado por \
                 34 CFR 104.61).",
            )),
            propose: "El distrito propone",
            refuse: "El distrito rechaza",
            under: " según la Sección 504",
        },
    }
}

/// The PDF's file name before the language and extension.
pub(crate) fn file_stem(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::PriorWrittenNotice => "prior-written-notice",
        NoticeKind::Section504 => "section-504-notice",
    }
}
