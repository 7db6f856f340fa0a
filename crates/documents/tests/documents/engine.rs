//! The generic engine: every block kind renders, long content breaks pages, accents survive.

use documents::{Block, Document, Lang, Table, render_pdf};

use crate::pdf_bytes;

fn sample(lang: Lang) -> Document {
    let mut doc = Document::new("Programa de prueba", lang);
    doc.footer = Some("Leo Rivera — plan".into());
    doc.push(Block::Heading {
        level: 1,
        text: "¿Qué dice el plan? ¡Año nuevo, señal clara!".into(),
    });
    for _ in 0..25 {
        doc.push(Block::Paragraph(
            "Él lee muy por debajo del nivel de su grado y evita las tareas de escritura; \
             la maestra lo confirmó en la reunión de otoño."
                .into(),
        ));
    }
    doc.push(Block::Heading {
        level: 2,
        text: "Servicios".into(),
    });
    doc.push(Block::List {
        ordered: true,
        items: vec!["Lectura diaria".into(), "Terapia del habla".into()],
    });
    doc.push(Block::KeyValues(vec![
        ("Estudiante".into(), "Leo Rivera".into()),
        ("Escuela".into(), "Lincoln Elementary".into()),
    ]));
    doc.push(Block::Table(Table {
        caption: Some("Minutos por semana".into()),
        header: vec!["Servicio".into(), "Minutos".into()],
        rows: (0..60)
            .map(|i| vec![format!("Servicio {i}"), format!("{}", i * 10)])
            .collect(),
        row_headers: true,
    }));
    doc.push(Block::Signature(vec!["Ana Rivera".into()]));
    doc
}

#[test]
fn every_block_renders_as_a_tagged_pdf_over_several_pages() {
    let pdf = render_pdf(&sample(Lang::Es)).expect("renders");
    pdf_bytes::assert_tagged(&pdf, "es");
    for role in [
        "/H1", "/H2", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TH", "/TD", "/Caption",
    ] {
        assert!(pdf_bytes::contains(&pdf, role), "no {role} element");
    }
    assert!(pdf_bytes::contains(&pdf, "/Outlines"), "no bookmarks");
    if let Some(text) = pdf_bytes::pdftotext(&pdf, "engine") {
        assert!(
            text.contains("¿Qué dice el plan? ¡Año nuevo, señal clara!"),
            "{text}"
        );
        assert!(text.contains("Página 1 de "), "{text}");
        // The header row is repeated on the table's continuation page.
        assert!(text.matches("Servicio ").count() >= 60);
    }
}

#[test]
fn characters_the_fonts_lack_do_not_break_export() {
    let mut doc = Document::new("Emoji", Lang::En);
    doc.push(Block::Paragraph("Leo loves dinosaurs 🦕 and 漢字.".into()));
    doc.push(Block::Paragraph(
        "averyveryverylongwordwithoutanyspaces".repeat(8),
    ));
    let pdf = render_pdf(&doc).expect("renders");
    pdf_bytes::assert_tagged(&pdf, "en");
}

#[test]
fn an_empty_document_is_one_page() {
    let pdf = render_pdf(&Document::new("Empty", Lang::En)).expect("renders");
    assert!(pdf_bytes::contains(&pdf, "/Count 1"));
}
