//! Progress reports on the IEP's schedule: due on the IEP's reporting dates, issued once in the
//! family's language with the data up to the date, listed on the goals page with the next
//! date, downloaded byte for byte as a logged read; and the matrix's request for the download.

use crate::app::{Client, Response, TestApp};
use axum::http::StatusCode;
use domain::Date;
use domain::people::Role;
use serde_json::json;

fn days(on: Date, n: i64) -> Date {
    on.checked_add(jiff::Span::new().days(n)).unwrap()
}

fn issue(app: &TestApp, as_of: Date) -> web::print::Issued {
    let district = app.district;
    app.with_conn(move |conn| {
        web::print::issue_progress_reports(conn, Some(district), as_of, None).unwrap()
    })
}

/// The matrix's download: the student's first issued report (a finalized IEP and its reports
/// are made the first time).
pub async fn matrix_request(client: &Client<'_>, path: &str, student: i64) -> Response {
    let app = client.app;
    let existing = app.with_conn(move |c| store::progress_reports::list(c, student).unwrap());
    let report = match existing.last() {
        Some(r) => r.id,
        None => {
            crate::plans::finalized_plan(app, student);
            let year_on = days(app.clock.today(), 366);
            let district = app.with_conn(move |c| {
                store::students::get_student(c, student)
                    .unwrap()
                    .district_id
            });
            app.with_conn(move |c| {
                web::print::issue_progress_reports(c, Some(district), year_on, None).unwrap();
                store::progress_reports::list(c, student).unwrap()[0].id
            })
        }
    };
    let concrete = path
        .replace("{id}", &student.to_string())
        .replace("{report}", &report.to_string());
    client.get(&concrete).await
}

#[tokio::test]
async fn reports_are_issued_once_on_the_iep_dates_in_the_familys_language() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let today = app.clock.today();
        let (first, second) = (days(today, 30), days(today, 120));
        // The parent reads Spanish: the report follows the guardian, not the student's field.
        app.with_conn(|c| {
            let parent = store::users::find_by_username(c, "parent")
                .unwrap()
                .unwrap();
            store::users::set_language(c, parent.id, "es").unwrap();
        });
        let mut content = crate::plans::complete_iep(&app, leo);
        content["progress_report_dates"] = json!([second, first]);
        crate::plans::finalize(&app, leo, content);
        // A data point after the first date stays out of the first report.
        app.with_conn(|c| {
            let goal = store::goals::list_goals(c, leo).unwrap().remove(0);
            c.transaction(|tx| {
                store::goals::add_point(
                    tx,
                    app.district,
                    leo,
                    goal.id,
                    days(today, 7),
                    11.0,
                    "",
                    None,
                )?;
                store::goals::add_point(
                    tx,
                    app.district,
                    leo,
                    goal.id,
                    days(today, 45),
                    99.0,
                    "",
                    None,
                )
            })
            .unwrap();
        });

        let parent = app.signed_in(Role::Parent).await;
        let page = parent.get(&format!("/students/{leo}/goals")).await;
        assert_eq!(page.status, StatusCode::OK);
        // The parent reads the site in Spanish too.
        let long = |d: Date| documents::Lang::Es.long_date(d);
        assert!(
            page.body
                .contains(&format!("Próximo informe previsto: {}.", long(first))),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Todavía no se ha emitido ningún informe de progreso.")
        );

        // Nothing is due before the first date.
        assert_eq!(issue(&app, days(first, -1)).issued, 0);
        let run = issue(&app, days(first, 3));
        assert_eq!((run.due, run.issued, run.left), (1, 1, 0), "{run:?}");
        assert_eq!(run.languages.get("es"), Some(&1));
        // Idempotent: the same day again issues nothing.
        let again = issue(&app, days(first, 3));
        assert_eq!((again.due, again.issued), (0, 0), "{again:?}");

        let reports = app.with_conn(|c| store::progress_reports::list(c, leo).unwrap());
        assert_eq!(reports.len(), 1);
        let report = &reports[0];
        assert_eq!((report.reported_on, report.lang.as_str()), (first, "es"));

        let page = parent.get(&format!("/students/{leo}/goals")).await;
        assert!(
            page.body
                .contains(&format!("Próximo informe previsto: {}.", long(second)))
        );
        let link = format!("/students/{leo}/progress-reports/{}", report.id);
        assert!(page.body.contains(&link), "{}", page.body);

        let pdf = parent.get(&link).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(
            pdf.headers[axum::http::header::CONTENT_TYPE],
            "application/pdf"
        );
        assert!(pdf.body.starts_with("%PDF-"));
        let stored = app.with_conn(|c| {
            store::progress_reports::get(c, leo, report.id)
                .unwrap()
                .unwrap()
        });
        assert_eq!(store::vault::sha256_hex(&stored.content), report.sha256);
        assert_eq!(stored.content.len() as i64, report.size_bytes);
        let log = app.with_conn(|c| store::access_log::for_student(c, leo).unwrap());
        assert!(log.iter().any(|e| e.action == "download_progress_report"));
        assert!(log.iter().any(|e| e.action == "issue_progress_report"));

        // The report's text: Spanish, dated, with the point before the date and not the later one.
        let dir = std::env::temp_dir().join(format!("web-progress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("report.pdf");
        std::fs::write(&file, &stored.content).unwrap();
        if let Ok(out) = std::process::Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains("Informe de progreso"), "{text}");
            assert!(
                text.contains(&documents::Lang::Es.long_date(first)),
                "{text}"
            );
            // Only the point before the reporting date.
            assert!(text.contains("1 datos del"), "{text}");
            assert!(text.contains("el último es 11."), "{text}");
        }

        // Another student's report id is not found, even for a reader of that report.
        let mia_path = format!(
            "/students/{}/progress-reports/{}",
            app.students.mia, report.id
        );
        let admin = app.signed_in(Role::DistrictAdmin).await;
        assert_eq!(admin.get(&mia_path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            parent.get(&format!("{link}0")).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[test]
fn english_and_spanish_progress_report_catalogues_have_the_same_messages() {
    let [(_, en), (_, es)] = web::i18n::PROGRESS_REPORTS_SOURCES;
    assert_eq!(web::i18n::message_ids(en), web::i18n::message_ids(es));
}
