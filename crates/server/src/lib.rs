//! Serving the engine over HTTP: the JSON API under `/api/`, its OpenAPI description, and the
//! server-rendered search page.
//!
//! ```text
//! GET /                       search page (HTML; works without JavaScript)
//! GET /doc/{id}               document page
//! GET /api/search             results + facet counts        GET /api/facets    counts, whole index
//! GET /api/documents/{id}     one document                  GET /api/suggest   completions
//! GET /api/health             document count, versions      GET /api/openapi.json
//! POST /api/documents         add or replace (JSON, upload)  DELETE /api/documents/{id}
//! ```
//!
//! The writes go through the server's one index writer ([`state`]), shared with the corpus
//! folder watcher ([`watch`]).
//!
//! Defences, because a search box is an open door: the server binds loopback unless an admin token
//! is configured ([`check_exposure`]); request headers must arrive within a deadline and a request
//! must be answered within another (slow clients cannot pin connections or threads; a write that
//! has started is answered when done, one still queued for the writer is dropped unmade); bodies and
//! header blocks are bounded (413, 431); connections are capped; every page carries a strict
//! Content-Security-Policy on top of escaping everything a document says.

pub mod cache;
pub mod error;
pub mod export;
pub mod feed;
pub mod page;
pub mod params;
pub mod routes;
pub mod start;
pub mod state;
pub mod watch;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use utoipa::OpenApi;

pub use error::AppError;
pub use start::{start, Ready, Say, ServeError, ServeOptions};
pub use state::AppState;

/// Limits and deadlines of the server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Largest request body accepted (413 beyond): a posted document or upload. The limit is
    /// enforced before routing so no endpoint ever reads an unbounded body.
    pub max_body_bytes: usize,
    /// Largest request head (request line and headers; 431 beyond), so a query string too.
    pub max_head_bytes: usize,
    /// A client must send a request's headers within this time, or the connection is closed (also
    /// the idle time allowed between requests on a kept-alive connection).
    pub header_timeout: Duration,
    /// A request must be answered within this time (503 beyond).
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the kernel's accept queue.
    pub max_connections: usize,
    /// Token that guards the write endpoints (POST/DELETE); required to listen beyond loopback.
    pub admin_token: Option<String>,
    /// Search answers kept for repeated searches until the index changes (0: none).
    pub cache_entries: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_body_bytes: 1024 * 1024,
            max_head_bytes: 64 * 1024,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(10),
            max_connections: 256,
            admin_token: None,
            cache_entries: 1024,
        }
    }
}

/// Shortest admin token accepted: a short one could be guessed by anyone who can reach the port.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A non-loopback address without an admin token.
    #[error("refusing to listen on {0} without an admin token: anyone on the network could reach the write endpoints. Listen on 127.0.0.1, or set --admin-token / HOPTAC_ADMIN_TOKEN")]
    Exposed(SocketAddr),
    /// The admin token is too short.
    #[error("the admin token must be at least {MIN_TOKEN_CHARS} characters")]
    WeakToken,
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Refuses to expose the server beyond this machine without an admin token.
pub fn check_exposure(addr: &SocketAddr, admin_token: Option<&str>) -> Result<(), StartError> {
    match admin_token {
        Some(t) if t.chars().count() < MIN_TOKEN_CHARS => Err(StartError::WeakToken),
        Some(_) => Ok(()),
        None if addr.ip().is_loopback() => Ok(()),
        None => Err(StartError::Exposed(*addr)),
    }
}

/// The OpenAPI description of the API, generated from the handlers and types themselves.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "hoptac",
        description = "Search Vietnamese documents about international cooperation. Queries work with or without diacritics; facet counts follow the other-filters convention."
    ),
    paths(
        routes::search::search,
        routes::export::csv,
        routes::export::ris,
        routes::facets::facets,
        routes::documents::document,
        routes::documents::related_openapi,
        routes::write::create,
        routes::write::remove,
        routes::suggest::suggest,
        routes::health::health,
    ),
    components(schemas(error::ErrorBody, error::ErrorDetail)),
    modifiers(&AdminToken),
    tags(
        (name = "search", description = "Searching, counting, completing"),
        (name = "documents", description = "Whole documents; adding, replacing and removing them"),
        (name = "server", description = "The server itself"),
    )
)]
pub struct ApiDoc;

/// The bearer token of the write endpoints, as an OpenAPI security scheme.
struct AdminToken;

impl utoipa::Modify for AdminToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "admin_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "The server's --admin-token / HOPTAC_ADMIN_TOKEN; needed only when one is configured",
                        ))
                        .build(),
                ),
            );
        }
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

fn is_api(uri: &Uri) -> bool {
    uri.path() == "/api" || uri.path().starts_with("/api/")
}

/// The error in the client's language: JSON under `/api/`, the HTML page elsewhere.
fn for_path(e: AppError, uri: &Uri) -> Response {
    if is_api(uri) {
        e.into_response()
    } else {
        page::PageError(e).into_response()
    }
}

async fn fallback(uri: Uri) -> Response {
    for_path(
        AppError::not_found(format!("no route for {}", uri.path())),
        &uri,
    )
}

async fn method_not_allowed(uri: Uri) -> Response {
    for_path(AppError::method_not_allowed(), &uri)
}

/// 413 before routing: a declared body over the limit is refused without reading a byte of it.
async fn limit_body(State(max): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return for_path(AppError::payload_too_large(max), req.uri());
    }
    next.run(req).await
}

/// 431 for a request head over the limit. hyper refuses a head that overflows its read buffer, but
/// only once a read fills it, so heads up to about twice the limit can get through depending on how
/// the bytes arrive; counting here makes the limit the one configured, whatever the packets, and
/// answers it as an API error rather than hyper's empty 431.
async fn limit_head(State(max): State<usize>, req: Request, next: Next) -> Response {
    // The request line (method, target, version) and each `name: value` line with its CRLF.
    let line = req.method().as_str().len() + req.uri().to_string().len() + 12;
    let headers: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if line + headers > max {
        return for_path(AppError::head_too_large(max), req.uri());
    }
    next.run(req).await
}

/// 503 when a request takes longer than allowed — unless it has started writing the index: a
/// write, once begun, is answered with what it did, however late ([`state::WriteTicket`]); one
/// still waiting for the writer is given up and never made.
async fn deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let uri = req.uri().clone();
    let ticket = state::WriteTicket::default();
    let answer = ticket.clone().scope(next.run(req));
    tokio::pin!(answer);
    match tokio::time::timeout(limit, &mut answer).await {
        Ok(r) => r,
        Err(_) if ticket.abandon() => for_path(AppError::timeout(), &uri),
        Err(_) => answer.await,
    }
}

/// Headers on every response: a strict Content-Security-Policy (scripts and styles only from this
/// server, no inline code, no framing), no MIME sniffing, no referrer sent to the sources linked.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// The application: every route, the limits and the headers.
pub fn router(mut state: AppState, config: &ServerConfig) -> Router {
    state.configure(
        config.admin_token.as_deref(),
        config.max_body_bytes,
        config.cache_entries,
        config.request_timeout,
    );
    let api = Router::new()
        .route("/api/search", get(routes::search::search))
        .route("/api/search.csv", get(routes::export::csv))
        .route("/api/search.ris", get(routes::export::ris))
        .route("/api/facets", get(routes::facets::facets))
        .route("/api/documents", post(routes::write::create))
        .route(
            "/api/documents/{*id}",
            get(routes::documents::document).delete(routes::write::remove),
        )
        .route("/api/suggest", get(routes::suggest::suggest))
        .route("/api/health", get(routes::health::health))
        .route("/api/openapi.json", get(openapi));
    let pages = Router::new()
        .route("/", get(page::home))
        .route("/doc/{*id}", get(page::document))
        .route("/feed.atom", get(feed::feed))
        .route("/assets/app.css", get(page::css))
        .route("/assets/app.js", get(page::js));
    api.merge(pages)
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            deadline,
        ))
        .layer(middleware::from_fn_with_state(
            config.max_body_bytes,
            limit_body,
        ))
        .layer(middleware::from_fn_with_state(
            config.max_head_bytes,
            limit_head,
        ))
        .layer(middleware::from_fn(security_headers))
}

/// A bound server, not yet serving (so the caller can print the address first).
pub struct Server {
    listener: std::net::TcpListener,
    config: ServerConfig,
}

impl Server {
    /// Checks the exposure rule and binds `addr` (port 0 picks a free port).
    pub fn bind(addr: SocketAddr, config: ServerConfig) -> Result<Server, StartError> {
        check_exposure(&addr, config.admin_token.as_deref())?;
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        Ok(Server { listener, config })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until Ctrl-C or SIGTERM, on a runtime of its own, then stops within
    /// [`STOP_GRACE`] + [`STOP_ABANDON`]: see [`Server::serve`]. The engine work of requests cut
    /// off at the grace period is cancelled (its requests' deadlines pass when they are dropped)
    /// and given [`STOP_ABANDON`] to notice.
    pub fn run(self, state: AppState) -> std::io::Result<Stopped> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("hoptac-http")
            .build()?;
        let stopped = runtime.block_on(self.serve(state, shutdown_signal()))?;
        runtime.shutdown_timeout(STOP_ABANDON);
        Ok(stopped)
    }

    /// Serves until `shutdown` completes, then stops accepting, asks every connection to close
    /// after the request it is serving, and waits up to [`STOP_GRACE`] for them. Each connection
    /// is HTTP/1.1 with a header deadline (hyper enforces it only when given a timer, which
    /// `axum::serve` does not set up — hence this accept loop).
    pub async fn serve(
        self,
        state: AppState,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<Stopped> {
        let listener = tokio::net::TcpListener::from_std(self.listener)?;
        let app = router(state, &self.config);
        let max_connections = self.config.max_connections.clamp(1, Semaphore::MAX_PERMITS);
        let slots = Arc::new(Semaphore::new(max_connections));
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.config.header_timeout)
            .max_buf_size(self.config.max_head_bytes.max(8192))
            .keep_alive(true);
        tokio::pin!(shutdown);
        loop {
            let slot = tokio::select! {
                _ = &mut shutdown => break,
                s = Arc::clone(&slots).acquire_owned() => match s {
                    Ok(s) => s,
                    Err(_) => break,
                },
            };
            let stream = tokio::select! {
                _ = &mut shutdown => break,
                r = listener.accept() => match r {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: wait instead of spinning.
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
            };
            let _ = stream.set_nodelay(true);
            let service = TowerToHyperService::new(app.clone());
            let conn = http.serve_connection(TokioIo::new(stream), service);
            let mut stopping = stopping.clone();
            tokio::spawn(async move {
                tokio::pin!(conn);
                let mut asked = false;
                let result = loop {
                    tokio::select! {
                        r = conn.as_mut() => break r,
                        _ = stopping.changed(), if !asked => {
                            // Finish the request under way (if any), then close.
                            asked = true;
                            conn.as_mut().graceful_shutdown();
                        }
                    }
                };
                if let Err(e) = result {
                    tracing::debug!("connection closed: {e}");
                }
                drop(slot);
            });
        }
        drop(listener);
        let _ = stop.send(true);
        let in_flight = max_connections - slots.available_permits();
        let drained = tokio::time::timeout(
            STOP_GRACE,
            slots.acquire_many(u32::try_from(max_connections).unwrap_or(u32::MAX)),
        )
        .await
        .is_ok();
        let cut_off = if drained {
            0
        } else {
            max_connections - slots.available_permits()
        };
        Ok(Stopped { in_flight, cut_off })
    }
}

/// How long a stopping server lets the requests under way finish.
pub const STOP_GRACE: Duration = Duration::from_millis(3500);

/// How long a stopping server then waits for the engine work it cancelled (a search stops within a
/// check of its deadline; a write that has started finishes).
pub const STOP_ABANDON: Duration = Duration::from_millis(1000);

/// How a server stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// Connections open when it was asked to stop.
    pub in_flight: usize,
    /// Connections still busy after [`STOP_GRACE`], cut off (their searches cancelled).
    pub cut_off: usize,
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_needs_no_token_elsewhere_one_is_required() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let local6: SocketAddr = "[::1]:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let lan: SocketAddr = "192.168.1.5:8080".parse().unwrap();
        assert!(check_exposure(&local, None).is_ok());
        assert!(check_exposure(&local6, None).is_ok());
        assert!(matches!(
            check_exposure(&any, None),
            Err(StartError::Exposed(_))
        ));
        assert!(matches!(
            check_exposure(&lan, None),
            Err(StartError::Exposed(_))
        ));
        assert!(matches!(
            check_exposure(&any, Some("short")),
            Err(StartError::WeakToken)
        ));
        assert!(check_exposure(&any, Some("a-long-enough-secret-token")).is_ok());
    }

    #[test]
    fn openapi_describes_every_endpoint_and_the_error_shape() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for path in [
            "/api/search",
            "/api/facets",
            "/api/documents/{id}",
            "/api/suggest",
            "/api/health",
        ] {
            assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
        }
        assert!(
            doc["paths"]["/api/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]
                .is_object()
        );
        assert!(doc["paths"]["/api/documents/{id}"]["delete"].is_object());
        assert_eq!(
            doc["components"]["securitySchemes"]["admin_token"]["scheme"],
            "bearer"
        );
        let params: Vec<&str> = doc["paths"]["/api/search"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(params, params::SEARCH_PARAMS);
        let hit = &doc["components"]["schemas"]["Hit"]["properties"];
        assert!(hit["snippet"].is_object());
        assert!(hit["passage"].is_null(), "internal field documented");
        assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    }
}
