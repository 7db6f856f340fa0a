//! The federal report pages: district-wide roles see each report as a titled SVG chart with the
//! same numbers in a table, in English and Spanish; bad dates are refused, not guessed.

use crate::app::TestApp;
use axum::http::StatusCode;
use domain::people::Role;

#[tokio::test]
async fn each_report_renders_a_titled_chart_and_its_table() {
    let app = TestApp::sqlite(false);
    let client = app.signed_in(Role::DistrictAdmin).await;
    for report in ["child-count", "exiting", "discipline", "crdc-504"] {
        let page = client
            .get(&format!(
                "/reports?report={report}&as_of=2026-10-01&from=2025-07-01&to=2026-06-30"
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{report}: {}", page.body);
        assert!(page.body.contains(r#"<svg role="img""#), "{report}");
        assert!(page.body.contains("<title id=\"chart-title\">"), "{report}");
        assert!(page.body.contains("<desc id=\"chart-desc\">"), "{report}");
        assert!(page.body.contains("<table"), "{report}");
    }
    let page = client.get("/reports?report=child-count").await;
    assert!(page.body.contains("IDEA child count"), "{}", page.body);
    let bad = client.get("/reports?as_of=01/10/2026").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn report_pages_speak_spanish() {
    let app = TestApp::sqlite(false);
    let client = app.signed_in(Role::ComplianceViewer).await;
    let _ = client.get("/language/es?next=/").await;
    let page = client.get("/reports?report=exiting").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Salidas de educación especial"),
        "{}",
        page.body
    );
}
