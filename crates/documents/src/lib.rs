//! Accessible documents for iep504: tagged PDFs (PDF/UA-1) built from a small document model,
//! parents' letters, prior written notices and Section 504 notices in English and Spanish, and
//! SVG progress charts with data tables.
//! Fonts are embedded, so nothing here reads the file system or needs system fonts.

mod binder;
mod chart;
mod error;
mod fonts;
mod lang;
mod letter;
mod model;
mod notice;
mod notice_words;
mod plan_pdf;
mod render;
mod report;

pub use binder::{BinderData, BinderDeadline, BinderDocument, BinderEntry, binder_pdf};
pub use chart::{
    ChartLabels, progress_chart_figure, progress_chart_svg, progress_summary, progress_table_html,
};
pub use error::DocumentError;
pub use lang::Lang;
pub use letter::{
    ANSWER_DAYS, LetterData, LetterKind, LetterText, Parent, RECORDS_LIMIT_DAYS, Recipient,
    Student, letter, letter_text,
};
pub use model::{Anchor, Block, Document, Figure, Rgb, Shape, Table};
pub use notice::{
    NoticeFacts, NoticeSection, NoticeText, notice_file_name, notice_pdf, notice_text,
};
pub use plan_pdf::{PlanDocument, plan_document, plan_pdf};
pub use render::{TEXT_WIDTH, render_pdf};
pub use report::{GoalProgress, progress_report_pdf, student_progress_report_pdf};
