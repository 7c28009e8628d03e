//! The one route table. Every route is registered through `Routes`, which records its method
//! and full path: the CSRF layer (`csrf`) refuses a state-changing request to a route the
//! table does not know, and `tests/api/csrf_walk.rs` walks every POST/PUT/PATCH/DELETE entry.
//! The admin areas are nested routers, each behind one guard (an extractor run as a
//! `route_layer`).

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, patch, post, put};

use super::auth::{AdminUser, BankEditor};
use super::{
    AppState, account_pages, accounts_api, admin_api, admin_audit, admin_bank, admin_bank_basis,
    admin_bank_io, admin_bank_question, admin_exam_analysis, admin_exam_person, admin_exam_results,
    admin_exams, admin_import, admin_pages, admin_requirements, admin_units, admin_user, api,
    attempt_pages, certificate_admin, certificate_api, certificate_pages, exam_admin_api, exam_api,
    exam_pages, makeup_pages, material_pages, pages, practice_api, practice_pages, report_api,
    report_pages, session_api, study_api, training_api, training_pages, upload,
};

/// Every registered route as (method, full path pattern), e.g. (POST, `/admin/users/{user_id}`).
#[derive(Debug, Clone, Default)]
pub struct RouteTable(Arc<Vec<(Method, String)>>);

impl RouteTable {
    pub fn all(&self) -> &[(Method, String)] {
        &self.0
    }

    /// The POST/PUT/PATCH/DELETE routes: the ones the CSRF layer guards.
    pub fn changing(&self) -> impl Iterator<Item = &(Method, String)> {
        self.0.iter().filter(|(m, _)| changes_state(m))
    }

    pub fn knows_path(&self, path: &str) -> bool {
        self.0.iter().any(|(_, p)| p == path)
    }
}

pub fn changes_state(m: &Method) -> bool {
    !matches!(
        *m,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// A router under construction that remembers what it registers.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<(Method, String)>,
}

impl Routes {
    pub fn new() -> Self {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    fn add(mut self, method: Method, path: &str, route: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, route);
        self.table.push((method, path.to_string()));
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.add(Method::GET, path, get(h))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.add(Method::POST, path, post(h))
    }

    /// A POST whose body may be up to `limit` bytes (uploads, the passwords sheet).
    pub fn post_up_to<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &str,
        h: H,
        limit: usize,
    ) -> Self {
        self.add(
            Method::POST,
            path,
            post(h).layer(DefaultBodyLimit::max(limit)),
        )
    }

    // DELETE gets its own method here when a route needs it, so it is recorded too.
    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.add(Method::PUT, path, put(h))
    }

    pub fn patch<H: Handler<T, AppState>, T: 'static>(self, path: &str, h: H) -> Self {
        self.add(Method::PATCH, path, patch(h))
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    pub fn nest(mut self, prefix: &str, inner: Routes) -> Self {
        self.router = self.router.nest(prefix, inner.router);
        let nested = inner
            .table
            .into_iter()
            .map(|(m, p)| (m, format!("{prefix}{p}")));
        self.table.extend(nested);
        self
    }

    /// Every route so far answers only when the extractor `E` accepts the request; its
    /// rejection (login redirect, 401, 403) is the response otherwise.
    pub fn guard<E>(mut self, state: &AppState) -> Self
    where
        E: FromRequestParts<AppState> + Send + 'static,
        E::Rejection: IntoResponse,
    {
        self.router = self
            .router
            .route_layer(middleware::from_fn_with_state(state.clone(), require::<E>));
        self
    }

    /// Applies `f` to the router (fallbacks); the table is unchanged.
    pub fn map(mut self, f: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        self.router = f(self.router);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, RouteTable) {
        (self.router, RouteTable(Arc::new(self.table)))
    }
}

async fn require<E>(State(state): State<AppState>, req: Request, next: Next) -> Response
where
    E: FromRequestParts<AppState> + Send,
    E::Rejection: IntoResponse,
{
    let (mut parts, body) = req.into_parts();
    if let Err(rejection) = E::from_request_parts(&mut parts, &state).await {
        return rejection.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Everything: pages, then the JSON API under `/api`.
pub fn table(state: &AppState) -> Routes {
    Routes::new()
        .get("/", pages::home)
        .get("/search", pages::search)
        .get("/laws", pages::laws)
        .get("/laws/{law_id}", pages::law)
        .get("/materials", material_pages::list)
        .get("/materials/{slug}", material_pages::page)
        .post("/materials/{slug}/check", material_pages::check_form)
        .get("/login", account_pages::login_form)
        .post("/login", account_pages::login_submit)
        .post("/logout", account_pages::logout)
        .get("/me", account_pages::me)
        .get("/me/password", account_pages::password_form)
        .post("/me/password", account_pages::password_submit)
        .get("/me/certificates", certificate_pages::mine)
        .get("/me/trainings", training_pages::mine)
        .get("/me/trainings/{training_id}/makeup", makeup_pages::page)
        .post("/me/trainings/{training_id}/makeup", makeup_pages::submit)
        .get("/checkin", training_pages::checkin_form)
        .post("/checkin", training_pages::checkin_submit)
        .get("/certificates/{number}", certificate_pages::certificate)
        .get("/verify/{number}", certificate_pages::verify)
        .get("/practice", practice_pages::practice)
        .post("/practice/sessions", practice_pages::start)
        .get("/practice/sessions/{id}", practice_pages::session)
        .post("/practice/sessions/{id}/answer", practice_pages::answer)
        .get("/review", practice_pages::review)
        .get("/exams", exam_pages::exams)
        .get("/exams/{exam_id}", exam_pages::exam)
        .post("/exams/{exam_id}/attempts", exam_pages::start)
        .get("/attempts/{attempt_id}", attempt_pages::attempt)
        .post(
            "/attempts/{attempt_id}/answers/{question_id}",
            attempt_pages::save,
        )
        .post("/attempts/{attempt_id}/submit", attempt_pages::submit)
        .nest(
            "/admin",
            admin_people_pages()
                .merge(admin_certificate_pages())
                .merge(admin_exam_pages())
                .merge(admin_training_pages())
                .guard::<AdminUser>(state)
                .merge(admin_bank_pages().guard::<BankEditor>(state)),
        )
        .get("/static/{*path}", super::assets::serve)
        .get("/healthz", || async { "ok" })
        .nest(
            "/api",
            api_routes(state).map(|r| {
                r.fallback(super::api_not_found)
                    .method_not_allowed_fallback(super::api_method_not_allowed)
            }),
        )
}

/// Users, units and the audit log: system and unit administrators.
fn admin_people_pages() -> Routes {
    Routes::new()
        .get("/users", admin_pages::users)
        .post("/users", admin_pages::create_user)
        .get("/users/template.xlsx", admin_import::template)
        .get("/users/import", admin_import::import_form)
        .post_up_to(
            "/users/import",
            admin_import::import_upload,
            upload::MAX_UPLOAD,
        )
        .post_up_to(
            "/users/import/passwords.xlsx",
            admin_import::passwords,
            admin_import::MAX_PASSWORDS_FORM,
        )
        .get("/users/{user_id}", admin_user::user)
        .post("/users/{user_id}", admin_user::update_user)
        .post("/users/{user_id}/reset", admin_user::reset_password)
        .post("/users/{user_id}/unlock", admin_user::unlock_user)
        .get("/units", admin_units::units)
        .post("/units", admin_units::create_unit)
        .post("/units/{unit_id}", admin_units::rename_unit)
        .get("/audit", admin_audit::audit)
}

/// Certificates of the administrator's units: expiring, entered, revoked, re-issued.
fn admin_certificate_pages() -> Routes {
    Routes::new()
        .get("/certificates", certificate_admin::list)
        .post("/certificates", certificate_admin::record)
        .post("/certificates/{number}/revoke", certificate_admin::revoke)
        .post("/certificates/{number}/reissue", certificate_admin::reissue)
}

/// Exams of the administrator's units: list, create, publish, results, people, regrade.
fn admin_exam_pages() -> Routes {
    Routes::new()
        .get("/exams", admin_exams::list)
        .post("/exams", admin_exams::create)
        .get("/exams/{exam_id}", admin_exam_results::exam)
        .post("/exams/{exam_id}/publish", admin_exams::publish)
        .get("/exams/{exam_id}/export", admin_exam_results::export)
        .get("/exams/{exam_id}/analysis", admin_exam_analysis::analysis)
        .get("/exams/{exam_id}/regrade", admin_exam_results::regrade_form)
        .post(
            "/exams/{exam_id}/regrade",
            admin_exam_results::regrade_apply,
        )
        .get(
            "/exams/{exam_id}/people/{user_id}",
            admin_exam_person::person,
        )
        .post(
            "/exams/{exam_id}/people/{user_id}/override",
            admin_exam_person::grant,
        )
}

/// Study sessions of the administrator's units: list, create, one with QR and roster.
fn admin_training_pages() -> Routes {
    Routes::new()
        .get("/reports", report_pages::reports)
        .get("/requirements", admin_requirements::requirements)
        .post("/requirements", admin_requirements::save)
        .get("/trainings", training_pages::list)
        .post("/trainings", training_pages::create)
        .get("/trainings/{training_id}", training_pages::training)
        .post(
            "/trainings/{training_id}/attendance",
            training_pages::correct,
        )
}

/// The question bank with its answer keys: system administrators and bank editors.
fn admin_bank_pages() -> Routes {
    Routes::new()
        .get("/questions", admin_bank::list)
        .post(
            "/questions/approve-generated",
            admin_bank::approve_generated,
        )
        .get("/questions/review", admin_bank::review)
        .get("/questions/template.xlsx", admin_bank_io::template)
        .get("/questions/export", admin_bank_io::export)
        .get("/questions/import", admin_bank_io::import_form)
        .post_up_to(
            "/questions/import",
            admin_bank_io::import_upload,
            upload::MAX_UPLOAD,
        )
        .get("/questions/generate", admin_bank_io::generate_form)
        .post("/questions/generate", admin_bank_io::generate)
        .get("/questions/{id}", admin_bank_question::question)
        .post("/questions/{id}", admin_bank_question::edit)
        .post("/questions/{id}/approve", admin_bank_question::approve)
        .post("/questions/{id}/retire", admin_bank_question::retire)
        .post("/questions/{id}/basis/confirm", admin_bank_basis::confirm)
        .post("/questions/{id}/basis/pick", admin_bank_basis::pick)
}

/// The JSON API (paths without the `/api` prefix).
fn api_routes(state: &AppState) -> Routes {
    Routes::new()
        .get("/search", api::search)
        .get("/suggest", api::suggest)
        .get("/laws", api::laws)
        .get("/laws/{law_id}", api::law)
        .get("/laws/{law_id}/articles/{no}", api::article)
        .get("/openapi.json", api::openapi)
        .post("/login", accounts_api::login)
        .post("/logout", accounts_api::logout)
        .get("/me", accounts_api::me)
        .post("/me/password", accounts_api::change_password)
        .get("/me/attempts", exam_api::my_attempts)
        .get("/exams", exam_api::exams)
        .post("/exams/{exam_id}/attempts", exam_api::start)
        .get("/attempts/{attempt_id}", exam_api::get_attempt)
        .put(
            "/attempts/{attempt_id}/answers/{question_id}",
            exam_api::save_answer,
        )
        .post("/attempts/{attempt_id}/submit", exam_api::submit)
        .post("/attempts/{attempt_id}/events", exam_api::event)
        .get("/me/certificates", certificate_api::mine)
        .post("/practice/sessions", practice_api::start)
        .get("/practice/sessions/{id}", practice_api::session)
        .post("/practice/answers", practice_api::answer)
        .get("/practice/wrong-book", practice_api::wrong_book)
        .get("/practice/today", practice_api::today)
        .post("/study/heartbeat", study_api::heartbeat)
        .get(
            "/materials/{material_id}/check",
            material_pages::check_questions,
        )
        .post("/materials/{material_id}/check", material_pages::check_api)
        .get("/me/study", study_api::my_study)
        .get("/me/progress", study_api::my_progress)
        .post("/checkin", training_api::checkin)
        .post("/sessions/{session_id}/checkin", session_api::checkin)
        .get("/me/trainings", training_api::mine)
        .post(
            "/trainings/{training_id}/makeup",
            training_api::makeup_start,
        )
        .post(
            "/trainings/{training_id}/makeup/answers",
            training_api::makeup_submit,
        )
        .nest("/admin", admin_api_routes().guard::<AdminUser>(state))
}

/// Users, units and the audit log through the API: system and unit administrators.
fn admin_api_routes() -> Routes {
    Routes::new()
        .get("/users", admin_api::list_users)
        .post("/users", admin_api::create_user)
        .get("/users/{user_id}", admin_api::get_user)
        .patch("/users/{user_id}", admin_api::update_user)
        .post("/users/{user_id}/deactivate", admin_api::deactivate_user)
        .post("/users/{user_id}/reset-password", admin_api::reset_password)
        .post("/users/{user_id}/unlock", admin_api::unlock_user)
        .get("/units", admin_api::list_units)
        .post("/units", admin_api::create_unit)
        .patch("/units/{unit_id}", admin_api::rename_unit)
        .get("/audit", admin_api::audit)
        .get("/exams", exam_admin_api::list)
        .post("/exams", exam_admin_api::create)
        .post("/exams/{exam_id}/publish", exam_admin_api::publish)
        .post("/exams/{exam_id}/overrides", exam_admin_api::set_override)
        .get("/exams/{exam_id}/results", exam_admin_api::exam_results)
        .get("/exams/{exam_id}/analysis", exam_admin_api::analysis)
        .post("/exams/{exam_id}/regrade", exam_admin_api::regrade)
        .get("/certificates", certificate_api::list)
        .post("/certificates", certificate_api::record)
        .post("/certificates/{number}/revoke", certificate_api::revoke)
        .post("/certificates/{number}/reissue", certificate_api::reissue)
        .get("/requirements/{unit_id}/{year}", study_api::get_requirement)
        .put("/requirements/{unit_id}/{year}", study_api::put_requirement)
        .get("/trainings", training_api::list)
        .post("/trainings", training_api::create)
        .get("/trainings/{training_id}", training_api::get)
        .post("/trainings/{training_id}/attendance", training_api::correct)
        .post("/sessions", session_api::create)
        .get("/reports/units", report_api::units)
        .get("/reports/annual", report_api::annual)
}
