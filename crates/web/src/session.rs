//! Who is asking: a browser with the `__Host-` session cookie, or an API client with a bearer token. Forms
//! posted with the cookie must carry the session's CSRF token; bearer requests carry no cookie and need none.

use crate::AppState;
use axum::http::{HeaderMap, HeaderValue, header};
use gennemgang_app::auth::authenticate;
use gennemgang_store::{Session, StoreError, User};

/// The session cookie. `__Host-` binds it to this host, path `/`, and HTTPS (or localhost).
pub const COOKIE: &str = "__Host-gennemgang";
/// The short-lived cookie that protects the sign-in form against login CSRF.
pub const LOGIN_COOKIE: &str = "__Host-gennemgang-login";

/// The signed-in user of a request.
#[derive(Clone, Debug)]
pub struct Current {
    /// The user.
    pub user: User,
    /// The session.
    pub session: Session,
    /// Whether it came as a bearer token (API) rather than a cookie.
    pub bearer: bool,
    /// Whether the installation runs on the built-in placeholder setup (every page says so).
    pub example_setup: bool,
}

/// A cookie's value from the request.
#[must_use]
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// The user behind the request's bearer token or session cookie, if the session is alive.
///
/// # Errors
/// The store fails.
pub async fn current(state: &AppState, headers: &HeaderMap) -> Result<Option<Current>, StoreError> {
    let (token, is_bearer) = match (bearer(headers), cookie(headers, COOKIE)) {
        (Some(t), _) => (t, true),
        (None, Some(t)) => (t, false),
        (None, None) => return Ok(None),
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(authenticate(&state.store, &token, jiff::Timestamp::now()).await?.map(|(session, user)| {
        crate::log::user(&user.username);
        Current { user, session, bearer: is_bearer, example_setup: state.routing.placeholder }
    }))
}

/// `Set-Cookie` for a new session.
#[must_use]
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_seconds}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// Sets the session cookie for a freshly signed-in user.
pub fn start(response: &mut axum::response::Response, token: &str) {
    let seconds = gennemgang_app::auth::IDLE_TIMEOUT.as_secs();
    response.headers_mut().append(axum::http::header::SET_COOKIE, set_cookie(COOKIE, token, seconds));
}

/// Like [`set_cookie`] but `SameSite=Lax`: for the single sign-on cookie, which must come back on the
/// provider's cross-site redirect to this server.
pub fn set_lax_cookie(name: &str, value: &str, max_age_seconds: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age_seconds}"))
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// Whether a posted CSRF token matches the session's (compared in constant time).
#[must_use]
pub fn csrf_ok(expected: &str, given: &str) -> bool {
    expected.len() == given.len() && expected.bytes().zip(given.bytes()).fold(0_u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The connection's peer, when the server was started with it (`serve`; a test through the router has none).
pub(crate) type Peer =
    Result<axum::extract::ConnectInfo<std::net::SocketAddr>, axum::extract::rejection::ExtensionRejection>;

/// The address of the sign-in attempt behind `headers` and `peer`, by the state's trusted proxies ([`source`]).
pub(crate) fn attempt_source(state: &AppState, headers: &HeaderMap, peer: Peer) -> String {
    source(headers, peer.ok().map(|p| p.0.ip()), &state.trusted_proxies)
}

/// The address a sign-in attempt came from, which its failures are counted against: the connection's peer,
/// or, when that is one of the `trusted` proxies (a load balancer), the address the proxy appended to
/// `X-Forwarded-For` — the rightmost entry that is not itself a trusted proxy (those to its left are
/// whatever the client sent). An IPv4 address in IPv6 form (a server listening on `[::]`) is the IPv4
/// address; an IPv6 address counts as its /48 network ([`network`]). Empty when unknown.
#[must_use]
pub fn source(headers: &HeaderMap, peer: Option<std::net::IpAddr>, trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = peer.map(|p| p.to_canonical()) else { return String::new() };
    if !trusted.contains(&peer) {
        return network(peer);
    }
    // A line that is not text is no address at its place (never skipped: what lies to its left is the
    // client's); empty entries are no one's.
    let forwarded: Vec<Option<&str>> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| match v.to_str() {
            Ok(text) => text.split(',').map(str::trim).filter(|e| !e.is_empty()).map(Some).collect(),
            Err(_) => vec![None],
        })
        .collect();
    for entry in forwarded.iter().rev() {
        match entry.and_then(forwarded_address) {
            Some(ip) if trusted.contains(&ip) => {}
            Some(ip) => return network(ip),
            // What the proxy appended is no address: count against the proxy rather than trust the rest.
            None => break,
        }
    }
    network(peer)
}

/// An `X-Forwarded-For` entry's address, as balancers write it: bare, quoted, with a port
/// (`203.0.113.66:1234`, `[2001:db8::2]:443`), in brackets without one (`[2001:db8::2]`), or with an IPv6
/// zone (`fe80::1%eth0`, `[fe80::1%eth0]:443`).
fn forwarded_address(entry: &str) -> Option<std::net::IpAddr> {
    let entry = entry.trim_matches('"');
    let host = match entry.strip_prefix('[') {
        // `[v6]` or `[v6]:port`.
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            if !(after.is_empty() || after.strip_prefix(':').is_some_and(|p| p.parse::<u16>().is_ok())) {
                return None;
            }
            inside
        }
        // `v4:port`; a bare IPv6 address has more than one colon.
        None => match entry.split_once(':') {
            Some((v4, port)) if !port.contains(':') => port.parse::<u16>().ok().map(|_| v4)?,
            _ => entry,
        },
    };
    let host = host.split_once('%').map_or(host, |(ip, _zone)| ip);
    host.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_canonical())
}

/// An address as counted: IPv4 as it is, IPv6 as its /48 — the most one subscriber is given (homes get a
/// /56 or a /64 of it), so that the networks of one allocation give no new guesses.
fn network(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0);
            format!("{prefix}/48")
        }
    }
}

/// Allows at most this many sign-in attempts per user name and source address a minute (before the lock),
/// on the form and the API alike. Per address too: a limit per name alone would let one address keep the
/// holder turned away (429) from everywhere by guessing ten times a minute.
const ATTEMPTS_PER_MINUTE: u32 = 10;

/// Whether this attempt for `username` from `source` is one too many this minute. Counted in the database,
/// so that servers behind a load balancer count together; a store that cannot count refuses the attempt
/// (fail closed). Only the first 128 characters of the name are the key, so that typing long names grows
/// nothing.
///
/// # Errors
/// The count could not be kept: the sign-in is then refused as the database's failure (503), never as the
/// caller's attempts.
pub(crate) async fn rate_limited(
    state: &AppState,
    username: &str,
    source: &str,
) -> Result<bool, gennemgang_store::StoreError> {
    use gennemgang_store::Store as _;
    let minute = jiff::Timestamp::now().as_second() / 60;
    let subject: String = username.chars().take(128).collect();
    Ok(state.store.throttle(&format!("user:{subject}\nfrom:{source}"), minute).await? > ATTEMPTS_PER_MINUTE)
}

#[cfg(test)]
mod source_tests {
    use super::source;
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn a_sign_ins_source_is_its_peer_or_what_a_trusted_proxy_says() {
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 192.0.2.7"));
        headers.append("x-forwarded-for", HeaderValue::from_static("198.51.100.9"));
        let proxy = [ip("10.0.0.5")];
        // No proxy trusted: the header is the client's word, and the peer counts.
        assert_eq!(source(&headers, Some(ip("10.0.0.5")), &[]), "10.0.0.5");
        // From the trusted proxy: the last address it appended.
        assert_eq!(source(&headers, Some(ip("10.0.0.5")), &proxy), "198.51.100.9");
        // A chain of trusted proxies is skipped from the right; what the client wrote further left is not
        // believed.
        let chain = [ip("10.0.0.5"), ip("198.51.100.9")];
        assert_eq!(source(&headers, Some(ip("10.0.0.5")), &chain), "192.0.2.7");
        // A peer that is not trusted is itself the source, whatever it sends.
        assert_eq!(source(&headers, Some(ip("203.0.113.1")), &proxy), "203.0.113.1");
        // A proxy that appended no address: counted against the proxy.
        let mut junk = HeaderMap::new();
        junk.append("x-forwarded-for", HeaderValue::from_static("1.2.3.4, unknown"));
        assert_eq!(source(&junk, Some(ip("10.0.0.5")), &proxy), "10.0.0.5");
        assert_eq!(source(&HeaderMap::new(), None, &proxy), "");
        // A server on [::] sees an IPv4 balancer as ::ffff:10.0.0.5: still the trusted one.
        assert_eq!(source(&headers, Some(ip("::ffff:10.0.0.5")), &proxy), "198.51.100.9");
        // Ports and zones as balancers write them; one address in both of its forms is one source.
        for (entry, counted) in [
            ("203.0.113.66:1234", "203.0.113.66"),
            ("\"203.0.113.66\"", "203.0.113.66"),
            ("::ffff:203.0.113.66", "203.0.113.66"),
            ("[2001:db8:1:2::7]:443", "2001:db8:1::/48"),
            ("[2001:db8:1:2::7]", "2001:db8:1::/48"),
            ("[fe80::1%eth0]:443", "fe80::/48"),
            ("2001:db8:1:ff02:aaaa::1", "2001:db8:1::/48"),
            ("fe80::1%eth0", "fe80::/48"),
            ("1.1.1.4, ", "1.1.1.4"),
            // No address: counted against the balancer.
            ("unknown", "10.0.0.5"),
            ("01.1.1.13", "10.0.0.5"),
            ("[2001:db8::5]:x", "10.0.0.5"),
            ("203.0.113.66:99999", "10.0.0.5"),
        ] {
            let mut h = HeaderMap::new();
            h.append("x-forwarded-for", HeaderValue::from_str(entry).expect("header"));
            assert_eq!(source(&h, Some(ip("10.0.0.5")), &proxy), counted, "{entry}");
        }
        assert_eq!(source(&HeaderMap::new(), Some(ip("2001:db8:9:9:1:2:3:4")), &[]), "2001:db8:9::/48");
        // A line that is not text stops the reading where it stands: the client's line to its left, naming
        // someone else, is not believed.
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", HeaderValue::from_static("192.0.2.99"));
        h.append("x-forwarded-for", HeaderValue::from_bytes(b"\xff, 198.51.100.2").expect("header"));
        assert_eq!(source(&h, Some(ip("10.0.0.5")), &proxy), "10.0.0.5");
    }
}
