//! Fetching pages over HTTP(S) for `parallax ingest URL` and for feed items followed
//! with `--follow`, as a polite crawler: a clear user agent, robots.txt honoured, one
//! request per host per interval, timeouts, a body size cap, a capped number of
//! redirects, and retries on transient failures only.
//!
//! The client is `ureq` 3 (blocking, rustls, gzip and brotli bodies). Redirects are
//! followed here rather than inside ureq so that every hop is checked against its
//! host's robots.txt and rate limit, and so that the final URL is known.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use url::Url;

use crate::IngestError;

/// The `User-Agent` sent by default: product, version, what it is and where to read
/// about it, so that a site operator seeing it in a log knows whom they are serving.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "parallax/",
    env!("CARGO_PKG_VERSION"),
    " (news comparison engine; +https://example.invalid/parallax)"
);

/// The product token matched against robots.txt `User-agent:` groups.
pub const ROBOTS_AGENT: &str = "parallax";

/// robots.txt past this is not read (RFC 9309 asks crawlers to parse at least 500 KiB).
const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

/// A server's `Retry-After` or robots.txt `Crawl-delay` is honoured up to this.
const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);

/// How pages are fetched. The defaults suit a researcher's ad-hoc ingest of a few
/// hundred pages; a bulk crawl belongs in a crawler, not here.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchConfig {
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// Whole request, connect to last body byte.
    pub timeout: Duration,
    /// TCP and TLS connection set-up.
    pub connect_timeout: Duration,
    /// Largest body accepted, after decompression (a gzip bomb stops here).
    pub max_bytes: u64,
    /// Redirect hops followed before giving up.
    pub max_redirects: u32,
    /// Further attempts after a transient failure (timeout, connection error, 429,
    /// 500, 502, 503, 504); 0 tries once.
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub retry_backoff: Duration,
    /// Least time between two requests to one host (robots.txt `Crawl-delay` can
    /// raise it, up to a minute).
    pub per_host_interval: Duration,
    /// Whether robots.txt is fetched and obeyed. Only for sites you own or that
    /// allowed you otherwise.
    pub respect_robots: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 16 * 1024 * 1024,
            max_redirects: 5,
            retries: 2,
            retry_backoff: Duration::from_secs(1),
            per_host_interval: Duration::from_secs(1),
            respect_robots: true,
        }
    }
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL as asked for.
    pub requested: String,
    /// Where the content came from after redirects.
    pub final_url: String,
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// Requests made for the final hop (1 when no retry was needed).
    pub attempts: u32,
}

/// Why a fetch failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchErrorKind {
    /// Not an absolute `http`/`https` URL.
    BadUrl,
    /// The site's robots.txt forbids this path to us, or could not be read.
    RobotsDisallowed,
    /// A final status other than 2xx (after retries for transient ones).
    Status(u16),
    /// The body is over [`FetchConfig::max_bytes`].
    TooLarge,
    TooManyRedirects,
    Timeout,
    /// DNS, connection, TLS or protocol failure.
    Network,
}

/// A failed fetch: the URL, what kind of failure, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub url: String,
    pub kind: FetchErrorKind,
    pub message: String,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.message)
    }
}

impl std::error::Error for FetchError {}

impl From<FetchError> for IngestError {
    fn from(e: FetchError) -> Self {
        IngestError::new(e.url, e.message)
    }
}

fn fetch_error(url: &str, kind: FetchErrorKind, message: impl Into<String>) -> FetchError {
    FetchError {
        url: url.to_string(),
        kind,
        message: message.into(),
    }
}

/// What a host's robots.txt allows us.
enum Robots {
    AllowAll,
    /// RFC 9309: a robots.txt that cannot be read for a server error means "crawl
    /// nothing" until it can. The string says why.
    DisallowAll(String),
    Rules(Box<texting_robots::Robot>),
}

/// Per-origin state: when the next request may go, and the robots rules.
struct HostState {
    next_slot: Instant,
    interval: Duration,
    robots: Option<Robots>,
}

/// A polite HTTP client. One per ingest run: it remembers robots.txt and the last
/// request time of every host it has seen. `Sync`, so parallel callers share limits.
pub struct Fetcher {
    agent: ureq::Agent,
    config: FetchConfig,
    hosts: Mutex<HashMap<String, HostState>>,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// One response as we need it.
struct Response {
    status: u16,
    location: Option<String>,
    content_type: Option<String>,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

/// Statuses worth another try: the server said "later" or fell over in between.
fn transient_status(s: u16) -> bool {
    matches!(s, 429 | 500 | 502 | 503 | 504)
}

fn origin_key(url: &Url) -> String {
    url.origin().ascii_serialization()
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .user_agent(config.user_agent.as_str())
            .timeout_global(Some(config.timeout))
            .timeout_connect(Some(config.connect_timeout))
            // Redirects and statuses are handled in `fetch`, hop by hop.
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        Fetcher {
            agent,
            config,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Fetches `url`, following redirects, honouring robots.txt and the per-host
    /// interval, retrying transient failures. Only 2xx responses are returned.
    pub fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let start = parse_http_url(url)?;
        self.fetch_url(
            url,
            start,
            true,
            self.config.max_redirects,
            self.config.max_bytes,
        )
    }

    fn fetch_url(
        &self,
        requested: &str,
        mut current: Url,
        check_robots: bool,
        max_redirects: u32,
        max_bytes: u64,
    ) -> Result<Fetched, FetchError> {
        let mut hops = 0u32;
        loop {
            if check_robots && self.config.respect_robots {
                self.check_robots(&current)?;
            }
            let (resp, attempts) = self.get_with_retries(&current, max_bytes)?;
            if (300..400).contains(&resp.status) {
                let Some(loc) = resp.location else {
                    return Err(fetch_error(
                        current.as_str(),
                        FetchErrorKind::Status(resp.status),
                        format!("HTTP {} redirect without a Location", resp.status),
                    ));
                };
                hops += 1;
                if hops > max_redirects {
                    return Err(fetch_error(
                        requested,
                        FetchErrorKind::TooManyRedirects,
                        format!(
                            "more than {max_redirects} redirects (last to {loc}); fetch the final URL directly"
                        ),
                    ));
                }
                let next = current.join(&loc).map_err(|e| {
                    fetch_error(
                        current.as_str(),
                        FetchErrorKind::BadUrl,
                        format!("bad redirect Location {loc:?}: {e}"),
                    )
                })?;
                current = parse_http_url(next.as_str())?;
                continue;
            }
            if !(200..300).contains(&resp.status) {
                let tried = if attempts > 1 {
                    format!(" after {attempts} attempts")
                } else {
                    String::new()
                };
                return Err(fetch_error(
                    current.as_str(),
                    FetchErrorKind::Status(resp.status),
                    format!("HTTP {}{tried}", resp.status),
                ));
            }
            return Ok(Fetched {
                requested: requested.to_string(),
                final_url: current.to_string(),
                status: resp.status,
                content_type: resp.content_type,
                body: resp.body,
                attempts,
            });
        }
    }

    /// Waits until this origin may be asked again, and books the next slot.
    fn wait_turn(&self, url: &Url) {
        let now = Instant::now();
        let wait = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            let st = hosts.entry(origin_key(url)).or_insert_with(|| HostState {
                next_slot: now,
                interval: self.config.per_host_interval,
                robots: None,
            });
            let slot = st.next_slot.max(now);
            st.next_slot = slot + st.interval;
            slot - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    fn get_with_retries(&self, url: &Url, max_bytes: u64) -> Result<(Response, u32), FetchError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            self.wait_turn(url);
            let last = attempt > self.config.retries;
            let backoff = self
                .config
                .retry_backoff
                .saturating_mul(1 << (attempt - 1).min(16));
            match self.get_once(url, max_bytes) {
                Ok(r) if transient_status(r.status) && !last => {
                    std::thread::sleep(r.retry_after.unwrap_or(backoff).min(MAX_SERVER_DELAY));
                }
                Ok(r) => return Ok((r, attempt)),
                Err((e, transient)) if transient && !last => {
                    let _ = e;
                    std::thread::sleep(backoff);
                }
                Err((mut e, _)) => {
                    if attempt > 1 {
                        e.message = format!("{} (after {attempt} attempts)", e.message);
                    }
                    return Err(e);
                }
            }
        }
    }

    /// One request. The error says whether trying again could help.
    fn get_once(&self, url: &Url, max_bytes: u64) -> Result<Response, (FetchError, bool)> {
        let u = url.as_str();
        let mut resp = self.agent.get(u).call().map_err(|e| map_ureq(u, e))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header("location");
        let content_type = header("content-type");
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let declared = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
        let mut body = Vec::new();
        if (200..300).contains(&status) {
            // Refuse early when the server says it is too big; the limit below also
            // catches bodies that grow past the cap while decompressing.
            if declared.is_some_and(|n| n > max_bytes) && header("content-encoding").is_none() {
                return Err((too_large(u, max_bytes), false));
            }
            body = resp
                .body_mut()
                .with_config()
                .limit(max_bytes)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(_) => (too_large(u, max_bytes), false),
                    e => map_ureq(u, e),
                })?;
        }
        Ok(Response {
            status,
            location,
            content_type,
            retry_after,
            body,
        })
    }

    /// Errors when robots.txt of `url`'s origin forbids it; fetches that robots.txt
    /// the first time the origin is seen.
    fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let key = origin_key(url);
        let known = {
            let hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            hosts.get(&key).is_some_and(|h| h.robots.is_some())
        };
        if !known {
            let robots = self.load_robots(url);
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            let st = hosts.entry(key.clone()).or_insert_with(|| HostState {
                next_slot: Instant::now(),
                interval: self.config.per_host_interval,
                robots: None,
            });
            if let Robots::Rules(r) = &robots {
                if let Some(d) = r.delay.filter(|d| d.is_finite() && *d > 0.0) {
                    let d = Duration::from_secs_f32(d).min(MAX_SERVER_DELAY);
                    st.interval = st.interval.max(d);
                }
            }
            st.robots = Some(robots);
        }
        let hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        match hosts.get(&key).and_then(|h| h.robots.as_ref()) {
            Some(Robots::Rules(r)) if !r.allowed(url.as_str()) => Err(fetch_error(
                url.as_str(),
                FetchErrorKind::RobotsDisallowed,
                format!("robots.txt of {key} disallows this page for {ROBOTS_AGENT}; not fetched"),
            )),
            Some(Robots::DisallowAll(why)) => Err(fetch_error(
                url.as_str(),
                FetchErrorKind::RobotsDisallowed,
                format!(
                    "{why}; not fetched (RFC 9309: crawl nothing until robots.txt can be read)"
                ),
            )),
            _ => Ok(()),
        }
    }

    fn load_robots(&self, url: &Url) -> Robots {
        let Ok(robots_url) = url.join("/robots.txt") else {
            return Robots::AllowAll;
        };
        match self.fetch_url(
            robots_url.as_str(),
            robots_url.clone(),
            false,
            5,
            ROBOTS_MAX_BYTES,
        ) {
            Ok(f) => match texting_robots::Robot::new(ROBOTS_AGENT, &f.body) {
                Ok(r) => Robots::Rules(Box::new(r)),
                // Unparseable rules say nothing we can obey.
                Err(_) => Robots::AllowAll,
            },
            // 4xx: no robots.txt, everything allowed (RFC 9309 §2.3.1.3). A 429 is
            // "slow down", not "absent", so it counts with the server errors.
            Err(FetchError {
                kind: FetchErrorKind::Status(s),
                ..
            }) if (400..500).contains(&s) && s != 429 => Robots::AllowAll,
            Err(e) => Robots::DisallowAll(format!("cannot read {robots_url} ({})", e.message)),
        }
    }
}

fn too_large(url: &str, max: u64) -> FetchError {
    fetch_error(
        url,
        FetchErrorKind::TooLarge,
        format!(
            "response body over the {} KiB cap; raise the fetch size cap or download it yourself",
            max / 1024
        ),
    )
}

fn parse_http_url(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url.trim())
        .map_err(|e| fetch_error(url, FetchErrorKind::BadUrl, format!("not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(fetch_error(
            url,
            FetchErrorKind::BadUrl,
            "only http:// and https:// URLs can be fetched",
        ));
    }
    Ok(parsed)
}

/// A ureq error as ours, with whether it is worth retrying.
fn map_ureq(url: &str, e: ureq::Error) -> (FetchError, bool) {
    use FetchErrorKind::*;
    let (kind, transient) = match &e {
        ureq::Error::Timeout(_) => (Timeout, true),
        ureq::Error::Io(io) => (
            if io.kind() == std::io::ErrorKind::TimedOut {
                Timeout
            } else {
                Network
            },
            true,
        ),
        ureq::Error::ConnectionFailed => (Network, true),
        ureq::Error::BadUri(_) => (BadUrl, false),
        ureq::Error::BodyExceedsLimit(_) => (TooLarge, false),
        ureq::Error::TooManyRedirects => (TooManyRedirects, false),
        _ => (Network, false),
    };
    let message = match kind {
        Timeout => format!("timed out ({e})"),
        _ => format!("fetch failed: {e}"),
    };
    (fetch_error(url, kind, message), transient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetcher_is_shareable_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Fetcher>();
    }

    #[test]
    fn only_absolute_http_urls() {
        assert!(parse_http_url("https://example.invalid/a").is_ok());
        for bad in [
            "ftp://example.invalid/a",
            "/relative",
            "mailto:a@b.c",
            "http://",
        ] {
            let e = parse_http_url(bad).unwrap_err();
            assert_eq!(e.kind, FetchErrorKind::BadUrl, "{bad}");
        }
        assert!(transient_status(503) && transient_status(429) && !transient_status(404));
    }
}
