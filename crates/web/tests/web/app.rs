//! `TestApp`: a seeded district on a throw-away database, the real router, a movable clock,
//! and clients that keep cookies like a browser (or send a bearer token like a script).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use domain::people::{Relation, Role};
use std::collections::HashMap;
use std::sync::Mutex;
use store::testing::TestDb;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";
/// Every seeded staff member's TOTP secret (base32).
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The seeded students.
#[derive(Debug, Clone, Copy)]
pub struct Students {
    /// Linked to every seeded user of district 1 (a child: rights have not transferred).
    pub leo: i64,
    /// In district 1, linked to nobody: "another family's child".
    pub mia: i64,
    /// An adult student whose rights have transferred, linked to the `student` user.
    pub sam: i64,
    /// In district 2.
    pub zoe: i64,
}

pub struct TestApp {
    /// Always `Some` until dropped; dropping a PostgreSQL schema blocks, so it happens outside
    /// the async runtime's worker (see `Drop`).
    db: Option<TestDb>,
    pub router: axum::Router,
    pub clock: web::Clock,
    pub district: i64,
    pub school: i64,
    pub students: Students,
}

impl TestApp {
    /// A fresh app on each configured database.
    pub fn all() -> Vec<TestApp> {
        blocking(|| {
            TestDb::all()
                .into_iter()
                .map(|db| TestApp::on(db, false))
                .collect()
        })
    }

    pub fn sqlite(demo: bool) -> TestApp {
        blocking(|| TestApp::on(TestDb::sqlite(), demo))
    }

    fn on(db: TestDb, demo: bool) -> TestApp {
        let mut conn = db.conn();
        let district =
            store::districts::create_district(&mut conn, "Springfield", "US", &Default::default())
                .unwrap();
        let other_district =
            store::districts::create_district(&mut conn, "Shelbyville", "US", &Default::default())
                .unwrap();
        let school =
            store::districts::create_school(&mut conn, district, "Lincoln Elementary", None)
                .unwrap();
        let student =
            |conn: &mut store::Conn, district_id: i64, first: &str, last: &str, born: &str| {
                store::students::add_student(
                    conn,
                    &store::students::NewStudent {
                        district_id,
                        school_id: (district_id == district).then_some(school),
                        first_name: first,
                        last_name: last,
                        birth_date: born.parse().unwrap(),
                        jurisdiction: "US",
                        grade: Some("3"),
                        preferred_language: "en",
                        source_id: None,
                    },
                )
                .unwrap()
            };
        let students = Students {
            leo: student(&mut conn, district, "Leo", "Rivera", "2017-04-02"),
            mia: student(&mut conn, district, "Mia", "Chen", "2016-01-15"),
            sam: student(&mut conn, district, "Sam", "Okafor", "2000-06-01"),
            zoe: student(&mut conn, other_district, "Zoe", "Park", "2015-03-03"),
        };
        let hash = web::auth::hash_password(PASSWORD).unwrap();
        for &role in Role::ALL {
            let user = store::users::add_user(
                &mut conn,
                &store::users::NewUser {
                    district_id: district,
                    username: role.as_str(),
                    display_name: &format!("Test {role}"),
                    role,
                    password_hash: Some(&hash),
                    preferred_language: "en",
                },
            )
            .unwrap();
            if role.is_staff() {
                store::users::set_totp(&mut conn, user, Some(TOTP_SECRET), true).unwrap();
            }
            let link = match role {
                Role::Parent => Some((students.leo, Relation::Guardian)),
                Role::Student => Some((students.sam, Relation::SelfStudent)),
                Role::CaseManager => Some((students.leo, Relation::CaseManager)),
                Role::Evaluator => Some((students.leo, Relation::Evaluator)),
                Role::Coordinator504 => Some((students.leo, Relation::Coordinator504)),
                Role::Teacher => Some((students.leo, Relation::Teacher)),
                Role::Provider => Some((students.leo, Relation::Provider)),
                Role::DistrictAdmin | Role::ComplianceViewer => None,
            };
            if let Some((student, relation)) = link {
                store::students::link(&mut conn, user, student, relation).unwrap();
            }
        }
        drop(conn);
        let pool = store::Pool::open(&db.location, 4).unwrap();
        let clock = web::Clock::default();
        let router = web::router(web::AppState::new(pool, demo, clock.clone(), false));
        TestApp {
            db: Some(db),
            router,
            clock,
            district,
            school,
            students,
        }
    }

    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            cookies: Mutex::new(HashMap::new()),
            bearer: None,
            addr: "203.0.113.7:50000".parse().unwrap(),
        }
    }

    /// A client signed in as the seeded user of `role` (through the TOTP step for staff).
    pub async fn signed_in(&self, role: Role) -> Client<'_> {
        let client = self.client();
        client.sign_in(role.as_str(), PASSWORD).await;
        client
    }

    /// A client holding a fresh API token of the seeded user of `role`.
    pub fn with_token(&self, role: Role) -> Client<'_> {
        let token = format!("token-{}", role.as_str());
        self.with_conn(|conn| {
            let user = store::users::find_by_username(conn, role.as_str())
                .unwrap()
                .unwrap();
            // The same token again is a harmless duplicate.
            let _ = store::users::add_api_token(conn, user.id, &token, "2999-01-01T00:00:00Z");
        });
        let mut client = self.client();
        client.bearer = Some(token);
        client
    }

    /// The current TOTP code of the seeded staff secret, after moving the clock to a fresh
    /// 30-second step (each step is accepted once).
    pub fn next_totp(&self) -> String {
        self.clock.advance(30);
        web::auth::totp_code(TOTP_SECRET, self.clock.unix_seconds()).unwrap()
    }

    /// Runs `work` on a direct connection (off the runtime's thread; see `blocking`).
    pub fn with_conn<T: Send>(&self, work: impl FnOnce(&mut store::Conn) -> T + Send) -> T {
        blocking(|| {
            let mut conn = self.db.as_ref().expect("database").conn();
            work(&mut conn)
        })
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The router holds the pool; a PostgreSQL connection's drop blocks too.
        let router = std::mem::take(&mut self.router);
        let db = self.db.take();
        blocking(move || drop((router, db)));
    }
}

/// Runs blocking database work from inside an async test: on its own thread, because the
/// synchronous PostgreSQL client refuses to run on a thread that drives a runtime.
fn blocking<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(work).join().expect("database work panicked"))
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden `csrf` field on the page.
    pub fn csrf_field(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .map(|i| i + marker.len())
            .expect("a csrf field");
        self.body[start..].split('"').next().unwrap().to_owned()
    }
}

pub struct Client<'a> {
    pub app: &'a TestApp,
    cookies: Mutex<HashMap<String, String>>,
    pub bearer: Option<String>,
    pub addr: std::net::SocketAddr,
}

impl Client<'_> {
    pub async fn send(&self, mut request: Request<Body>) -> Response {
        let cookie_header = {
            let jar = self.cookies.lock().unwrap();
            jar.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        if !cookie_header.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie_header.parse().unwrap());
        }
        if let Some(token) = &self.bearer {
            request.headers_mut().insert(
                header::AUTHORIZATION,
                format!("Bearer {token}").parse().unwrap(),
            );
        }
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.addr));
        let response = self.app.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if attributes.contains("Max-Age=0") {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Posts a form as a browser would, with the CSRF token of this client's session.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend_from_slice(fields);
        self.post_raw_form(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if self.bearer.is_none() && self.has_cookie("__Host-iep504") {
            request = request.header("x-csrf-token", self.csrf().await);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.lock().unwrap().contains_key(name)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    /// The session's CSRF token, read from the account page's forms.
    pub async fn csrf(&self) -> String {
        if !self.has_cookie("__Host-iep504") {
            return String::new();
        }
        let page = self.get("/account").await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "account page for the CSRF token"
        );
        page.csrf_field()
    }

    /// Password step, then the TOTP step when one is asked for; asserts success.
    pub async fn sign_in(&self, username: &str, password: &str) {
        let response = self.password_step(username, password).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        if response.location() == "/sign-in/second-factor" {
            let code = self.app.next_totp();
            let done = self.post_second_factor(&[("code", &code)]).await;
            assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        }
    }

    pub async fn password_step(&self, username: &str, password: &str) -> Response {
        let form = self.get("/sign-in").await;
        let csrf = form.csrf_field();
        self.post_raw_form(
            "/sign-in",
            &[
                ("csrf", &csrf),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    pub async fn post_second_factor(&self, fields: &[(&str, &str)]) -> Response {
        let page = self.get("/sign-in/second-factor").await;
        let csrf = page.csrf_field();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw_form("/sign-in/second-factor", &all).await
    }
}
