//! The Spanish wording of every letter, written for Spanish-speaking families rather than
//! translated word for word. Citations are the same as in English: a school reads them as-is.

use super::{Facts, Frame, LetterKind, Words};

fn intro(f: &Facts) -> String {
    let s = f.student;
    // "(fecha de nacimiento: …)" avoids choosing between "nacido" and "nacida".
    let born = f
        .born
        .as_ref()
        .map(|d| format!(" (fecha de nacimiento: {d})"))
        .unwrap_or_default();
    let school = f.data.student.school.trim();
    match f.data.student.grade.trim() {
        "" => format!("Le escribo como madre/padre de {s}{born}, que asiste a {school}."),
        grade => format!(
            "Le escribo como madre/padre de {s}{born}, que está en el grado {grade} de {school}."
        ),
    }
}

pub(crate) fn words(kind: LetterKind, f: &Facts) -> Words {
    let s = f.student;
    let intro = intro(f);
    match kind {
        LetterKind::EvaluationRequest => Words {
            title: "Solicitud de evaluación inicial para educación especial".into(),
            request: vec![
                format!(
                    "{intro} Solicito que el distrito realice una evaluación inicial completa e \
                     individual de {s} para determinar si tiene una discapacidad y si necesita \
                     educación especial y servicios relacionados conforme a la Ley de Educación \
                     para Individuos con Discapacidades (IDEA)."
                ),
                format!(
                    "Le pido que evalúen a {s} en todas las áreas en que se sospecha una \
                     discapacidad, incluidas las que señalan mis preocupaciones más abajo. Por \
                     favor, envíeme el formulario de consentimiento para la evaluación, el aviso \
                     previo por escrito que describa las pruebas que el distrito propone y una \
                     copia del aviso de garantías procesales."
                ),
            ],
            concerns_heading: "Por qué lo solicito".into(),
            rule: vec![
                "Los padres pueden solicitar una evaluación inicial para determinar si su hijo o \
                 hija tiene una discapacidad (34 CFR 300.301(b))."
                    .into(),
                "El distrito tiene que responder a mi solicitud: o bien propone la evaluación y \
                 me pide mi consentimiento informado por escrito (34 CFR 300.300(a)), o bien la \
                 rechaza. En ambos casos debe darme un aviso previo por escrito con su decisión y \
                 sus motivos (34 CFR 300.503). Además, una solicitud de evaluación es una de las \
                 ocasiones en que el distrito debe entregarme el aviso de garantías procesales \
                 (34 CFR 300.504(a)(1))."
                    .into(),
                "Una vez que yo dé mi consentimiento, la evaluación debe completarse en un plazo \
                 de 60 días, o en el plazo que fije mi estado (34 CFR 300.301(c)(1)), y debe \
                 abarcar todas las áreas relacionadas con la posible discapacidad \
                 (34 CFR 300.304(c)(4))."
                    .into(),
                "Las intervenciones como la respuesta a la intervención (RTI o MTSS) no pueden \
                 usarse para retrasar ni para negar una evaluación (OSEP Memo 11-07)."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![],
        },
        LetterKind::Section504EvaluationRequest => Words {
            title: "Solicitud de evaluación conforme a la Sección 504".into(),
            request: vec![
                format!(
                    "{intro} Solicito que el distrito evalúe a {s} conforme a la Sección 504 de la \
                     Ley de Rehabilitación de 1973, para determinar si tiene una discapacidad que \
                     limita sustancialmente una actividad importante de la vida, como aprender, \
                     leer, concentrarse o pensar, y qué ayudas, servicios y adaptaciones necesita \
                     en la escuela."
                ),
                format!(
                    "Si el distrito considera que {s} también podría necesitar educación \
                     especial, le ruego que tome esta carta además como una solicitud de \
                     evaluación inicial conforme a IDEA (34 CFR 300.301(b))."
                ),
            ],
            concerns_heading: "Por qué lo solicito".into(),
            rule: vec![
                "El distrito escolar debe evaluar a todo estudiante que, a causa de una \
                 discapacidad, necesite o se crea que necesita educación especial o servicios \
                 relacionados, antes de tomar cualquier decisión sobre su ubicación inicial \
                 (34 CFR 104.35(a))."
                    .into(),
                "La evaluación debe usar pruebas validadas para el fin con que se aplican y \
                 basarse en información de diversas fuentes; las decisiones debe tomarlas un \
                 grupo de personas que conozcan al estudiante, el significado de los datos de la \
                 evaluación y las opciones de ubicación (34 CFR 104.35(b) y (c))."
                    .into(),
                format!(
                    "El distrito debe notificarme sus decisiones sobre la identificación, la \
                     evaluación y la ubicación de {s}, darme la oportunidad de examinar los \
                     expedientes correspondientes y, si no estoy de acuerdo, una audiencia \
                     imparcial (34 CFR 104.36)."
                ),
                "Para decidir si una condición limita sustancialmente una actividad importante \
                 de la vida no se tienen en cuenta los efectos de medidas atenuantes como los \
                 medicamentos (42 U.S.C. 12102(4)(E), añadido por la Ley de Enmiendas de la ADA \
                 de 2008)."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![],
        },
        LetterKind::RecordsRequest => Words {
            title: "Solicitud para examinar y revisar los expedientes educativos".into(),
            request: vec![
                format!(
                    "{intro} Solicito examinar y revisar todos los expedientes educativos de {s} \
                     que el distrito recopila, conserva o utiliza: las evaluaciones y sus \
                     informes, las decisiones de elegibilidad, los IEP o planes de la Sección 504, \
                     los informes y datos de seguimiento del progreso, los registros de \
                     disciplina y asistencia, los registros de salud y de orientación que guarde \
                     la escuela, y las notas o mensajes sobre {s} que formen parte de esos \
                     expedientes."
                ),
                "También le pido copias de estos expedientes. Si el distrito cobra por las \
                 copias, le ruego que me indique el importe por adelantado; no se puede cobrar \
                 por buscar ni por recuperar los expedientes (34 CFR 300.617). Le pido además que \
                 me explique lo que yo pregunte sobre su contenido (34 CFR 300.613(b)(1))."
                    .into(),
            ],
            concerns_heading: "Información adicional".into(),
            rule: vec![
                format!(
                    "El distrito debe permitirme examinar y revisar los expedientes educativos de \
                     {s} sin demoras innecesarias, antes de cualquier reunión sobre un IEP y de \
                     cualquier audiencia de debido proceso o sesión de resolución, y en ningún \
                     caso más de 45 días después de mi solicitud (34 CFR 300.613(a))."
                ),
                "Tengo derecho a que se respondan mis solicitudes razonables de explicación e \
                 interpretación de los expedientes (34 CFR 300.613(b)(1)) y a recibir copias \
                 cuando sin ellas no podría examinarlos y revisarlos de manera efectiva \
                 (34 CFR 300.613(b)(2))."
                    .into(),
                "La Ley de Derechos Educativos y Privacidad de la Familia (FERPA) fija el mismo \
                 límite de 45 días (34 CFR 99.10(b))."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![format!(
                "Le pido que me indique por escrito, a más tardar el {}, cuándo y dónde podré ver \
                 los expedientes. En cualquier caso, deben estar a mi disposición a más tardar el \
                 {}, 45 días después de esta solicitud, y antes de cualquier reunión del IEP, \
                 audiencia o sesión de resolución que se celebre antes.",
                f.answer_by, f.records_limit
            )],
        },
        LetterKind::IeeRequest => Words {
            title: "Solicitud de una evaluación educativa independiente a expensas públicas".into(),
            request: vec![
                format!(
                    "{intro} No estoy de acuerdo con la evaluación de {s} que realizó el distrito \
                     y solicito una evaluación educativa independiente (IEE, por sus siglas en \
                     inglés) a expensas públicas."
                ),
                "Le ruego que me envíe los criterios del distrito para las evaluaciones \
                 independientes, como el lugar y las calificaciones de los evaluadores, e \
                 información sobre dónde se puede obtener una evaluación independiente \
                 (34 CFR 300.502(a)(2))."
                    .into(),
            ],
            concerns_heading: "En qué no estoy de acuerdo".into(),
            rule: vec![
                "Los padres que no están de acuerdo con una evaluación obtenida por el distrito \
                 tienen derecho a una evaluación educativa independiente a expensas públicas \
                 (34 CFR 300.502(b)(1))."
                    .into(),
                "Cuando los padres la solicitan, el distrito debe, sin demoras innecesarias, \
                 presentar una demanda de debido proceso para demostrar que su propia evaluación \
                 es apropiada, o bien asegurarse de que la evaluación independiente se realice a \
                 expensas públicas (34 CFR 300.502(b)(2))."
                    .into(),
                "El distrito puede preguntarme por qué no estoy de acuerdo, pero no puede \
                 exigirme una explicación ni demorar sin razón el pago de la evaluación o la \
                 presentación de la demanda de debido proceso (34 CFR 300.502(b)(4))."
                    .into(),
            ],
            rule_list: vec![],
            answer_extra: vec![],
        },
        LetterKind::PriorWrittenNoticeRequest => Words {
            title: "Solicitud de aviso previo por escrito".into(),
            request: vec![
                format!(
                    "{intro} Solicito que el distrito me entregue un aviso previo por escrito \
                     sobre la decisión relativa a {s} que describo más abajo. Este aviso es \
                     obligatorio siempre que el distrito propone o rechaza iniciar o cambiar la \
                     identificación, la evaluación o la ubicación educativa de {s}, o la \
                     prestación de una educación pública gratuita y apropiada (FAPE, por sus \
                     siglas en inglés)."
                ),
                "Le pido que el aviso esté redactado en un lenguaje comprensible para el público \
                 en general y en español, mi lengua materna (34 CFR 300.503(c))."
                    .into(),
            ],
            concerns_heading: "La decisión sobre la que pregunto".into(),
            rule: vec![
                "El distrito debe entregar a los padres un aviso por escrito, con una antelación \
                 razonable, antes de proponer o rechazar iniciar o cambiar la identificación, la \
                 evaluación o la ubicación educativa de un niño, o la prestación de FAPE \
                 (34 CFR 300.503(a))."
                    .into(),
                "El aviso debe incluir estos siete elementos (34 CFR 300.503(b)):".into(),
            ],
            rule_list: vec![
                "una descripción de la medida que el distrito propone o rechaza;".into(),
                "una explicación de por qué la propone o la rechaza;".into(),
                "una descripción de cada procedimiento de evaluación, prueba, expediente o \
                 informe en que el distrito basó su decisión;"
                    .into(),
                "una declaración de que los padres están protegidos por las garantías \
                 procesales y de cómo obtener una copia del aviso de garantías procesales;"
                    .into(),
                "las fuentes a las que los padres pueden acudir para recibir ayuda para entender \
                 estos derechos;"
                    .into(),
                "una descripción de las demás opciones que consideró el equipo del IEP y de los \
                 motivos por los que las descartó;"
                    .into(),
                "una descripción de cualquier otro factor pertinente a la propuesta o al rechazo \
                 del distrito."
                    .into(),
            ],
            answer_extra: vec![],
        },
        LetterKind::MeetingRequest => Words {
            title: "Solicitud de una reunión del equipo del IEP".into(),
            request: vec![
                format!(
                    "{intro} Solicito una reunión del equipo del IEP (programa de educación \
                     individualizado) de {s} para tratar los asuntos que describo más abajo y \
                     para revisar y, si hace falta, modificar su IEP."
                ),
                "Le ruego que me proponga fechas y horas que nos convengan a ambas partes y que \
                 me envíe un aviso por escrito de la reunión con su propósito, la hora, el lugar \
                 y las personas que asistirán. Si se piensa dispensar a algún miembro del equipo \
                 de asistir, le pido que me lo comunique con antelación, ya que para ello se \
                 necesita mi acuerdo por escrito (34 CFR 300.321(e))."
                    .into(),
            ],
            concerns_heading: "Lo que quisiera tratar".into(),
            rule: vec![
                "El distrito debe tomar medidas para que uno o ambos padres estén presentes en \
                 cada reunión del equipo del IEP o tengan la oportunidad de participar, lo que \
                 incluye avisarles con suficiente antelación para que puedan asistir y fijar la \
                 reunión en una hora y un lugar acordados por ambas partes \
                 (34 CFR 300.322(a))."
                    .into(),
                "El aviso de la reunión debe indicar su propósito, la hora, el lugar y quiénes \
                 asistirán (34 CFR 300.322(b)(1)). Si los padres no pueden asistir en persona, el \
                 distrito debe ofrecer otras formas de participar, como llamadas telefónicas o \
                 videollamadas (34 CFR 300.322(c); 34 CFR 300.328)."
                    .into(),
                "El equipo del IEP debe revisar el IEP periódicamente, y al menos una vez al año, \
                 y modificarlo según convenga para abordar la falta del progreso esperado, los \
                 resultados de una reevaluación, la información que aporten los padres u otros \
                 asuntos (34 CFR 300.324(b)(1))."
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
    let mut regarding = vec![("Estudiante".to_string(), s.to_string())];
    if let Some(born) = &f.born {
        regarding.push(("Fecha de nacimiento".into(), born.clone()));
    }
    regarding.push(("Escuela".into(), d.student.school.trim().to_string()));
    if !d.student.grade.trim().is_empty() {
        regarding.push(("Grado".into(), d.student.grade.trim().to_string()));
    }
    let mut answer = vec![
        format!(
            "Le ruego que me responda por escrito a más tardar el {}.",
            f.answer_by
        ),
        "Esa fecha cae 14 días naturales después de la fecha de esta carta, unos diez días \
         escolares: un plazo razonable para que el distrito conteste. Si alguna parte de esta \
         solicitud va a tardar más, le pido que me indique por escrito antes de esa fecha qué se \
         hará y cuándo. Una respuesta por escrito nos deja a ambas partes un registro claro."
            .to_string(),
    ];
    let contact = match (d.parent.email.trim(), d.parent.phone.trim()) {
        ("", "") => None,
        (email, "") => Some(format!("Puede comunicarse conmigo en {email}.")),
        ("", phone) => Some(format!("Puede comunicarse conmigo al {phone}.")),
        (email, phone) => Some(format!(
            "Puede comunicarse conmigo en {email} o al {phone}."
        )),
    };
    answer.extend(contact);
    answer.push(format!(
        "Le ruego que guarde una copia de esta carta en el expediente educativo de {s}."
    ));
    Frame {
        regarding,
        salutation: format!("Estimado(a) {}:", d.recipient.name.trim()),
        rule_heading: "La norma en que se basa esta solicitud".into(),
        answer_heading: "Le pido una respuesta por escrito".into(),
        answer,
        closing: vec![
            format!(
                "Muchas gracias por su atención. Quedo a la espera de su respuesta para seguir \
                 colaborando por el bien de {s}."
            ),
            "Atentamente,".into(),
        ],
        signature: vec![
            d.parent.name.trim().to_string(),
            format!("Madre/padre de {s}"),
        ],
    }
}
