//! Sign-in with local accounts (argon2), lockout after repeated failures, and sessions with a sliding
//! timeout. Tokens are random, shown once, and stored only as their SHA-256.

use gennemgang_store::{Session, Store, StoreError, User};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

/// Failed sign-ins in a row from one source address before the account is locked for that address.
pub const MAX_FAILURES: u32 = 5;
/// Failed sign-ins in a row from all addresses together before the account is locked for every one: what
/// guessing from many addresses at once meets.
pub const MAX_FAILURES_ANYWHERE: u32 = 50;
/// How long a lockout lasts.
pub const LOCKOUT: SignedDuration = SignedDuration::from_mins(15);
/// A session ends after this long without use.
pub const IDLE_TIMEOUT: SignedDuration = SignedDuration::from_mins(30);

/// Why sign-in failed. The message never says whether the user exists.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Wrong user name or password, or an account locked after too many attempts: one answer, so that it
    /// does not tell which.
    #[error(
        "Forkert brugernavn eller adgangskode. Efter {MAX_FAILURES} forkerte forsøg i træk spærres kontoen i {} minutter for forsøg fra samme netværksadresse.",
        LOCKOUT.as_mins()
    )]
    Wrong,
    /// Single sign-on vouched for a person without an account here (or one the provider may not sign in).
    #[error("Du er logget ind hos din kommune, men har ingen adgang til Gennemgang. Kontakt din leder.")]
    NotProvisioned,
    /// Locked after too many failures.
    #[error("Kontoen er midlertidigt spærret efter for mange forkerte forsøg; prøv igen senere")]
    Locked,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The system's random source or hashing failed.
    #[error("sign-in is unavailable: {0}")]
    Crypto(String),
}

/// An argon2id hash (PHC string) of a password, with a fresh random salt.
///
/// # Errors
/// The random source fails.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    use argon2::password_hash::PasswordHasher as _;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Crypto(e.to_string()))
}

fn later(now: Timestamp, by: SignedDuration) -> Timestamp {
    now.checked_add(by).unwrap_or(Timestamp::MAX)
}

fn verify(password: &str, hash: &str) -> bool {
    use argon2::password_hash::PasswordVerifier as _;
    argon2::password_hash::phc::PasswordHash::new(hash)
        .is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A random token, hex.
///
/// # Errors
/// The random source fails.
pub fn random_token() -> Result<String, AuthError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AuthError::Crypto(e.to_string()))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        s
    })
}

/// The stored form of a token.
#[must_use]
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Verifies the password and opens a session. Returns the token (give it to the user; it is not stored)
/// with the session and the user. `source` is the address the attempt came from (empty when unknown):
/// guesses from one address lock the account for that address only, so that nobody can keep a colleague
/// locked out from elsewhere; guesses from everywhere together lock it for all at a higher count.
///
/// # Errors
/// Wrong credentials, a locked account, or a store failure.
pub async fn sign_in<S: Store>(
    store: &S,
    username: &str,
    password: &str,
    source: &str,
    now: Timestamp,
) -> Result<(String, Session, User), AuthError> {
    // Every attempt takes the same way: counted before its password is checked (so a burst of concurrent
    // guesses gets no more checks than a row of them: the attempt beyond the limit locks, whatever the
    // others are doing), one password verification, and the same answer for every refusal, so that
    // neither the words nor the time tell whether the name exists, the password was wrong or the account
    // is locked. A name without an account is counted against no row, in the same statement.
    let user = store.user(username).await?;
    // No password is right for a single-sign-on account, and guessing must not lock it out of single
    // sign-on: its attempts are counted against no account either.
    let sso_only = user.as_ref().is_some_and(|u| u.password_hash == SSO_ONLY);
    let counted = if sso_only || user.is_none() { "" } else { username };
    let from_here = store.count_source_attempt(counted, source, MAX_FAILURES, later(now, LOCKOUT)).await?;
    let locked_here = from_here.is_some_and(|until| now < until);
    // An address already locked adds nothing to the account's own count: else one address could go on
    // guessing, unchecked, until the account is locked everywhere. The statement still runs (for no account),
    // so that a locked address takes the same time as any other.
    let anywhere = store
        .count_sign_in_attempt(if locked_here { "" } else { counted }, MAX_FAILURES_ANYWHERE, later(now, LOCKOUT))
        .await?;
    let hash = user.as_ref().map_or(DUMMY_HASH, |u| if sso_only { DUMMY_HASH } else { &u.password_hash });
    let right = verify(password, hash);
    let locked = locked_here || anywhere.is_some_and(|until| now < until);
    let Some(user) = user.filter(|_| right && !locked && !sso_only) else {
        return Err(AuthError::Wrong);
    };
    // A success starts both counts again (the other addresses' stay).
    store.set_login_state(username, 0, None).await?;
    store.clear_source_failures(username, source).await?;
    open_session(store, user, now).await
}

/// Signs in a user whom the municipality's identity provider has vouched for (`gennemgang-oidc`): the
/// local account of that name gives role and municipality, and `provider_may` says whether the provider is
/// trusted for that municipality. A locked account stays locked.
///
/// # Errors
/// No such local account or the provider may not sign it in (both [`AuthError::NotProvisioned`], so the
/// answer does not tell which), a locked account, or a store failure.
pub async fn sign_in_sso<S: Store>(
    store: &S,
    username: &str,
    provider_may: impl Fn(Option<u16>) -> bool,
    now: Timestamp,
) -> Result<(String, Session, User), AuthError> {
    let user = store.user(username).await?.filter(|u| provider_may(u.municipality)).ok_or(AuthError::NotProvisioned)?;
    if user.locked_until.is_some_and(|until| now < until) {
        return Err(AuthError::Locked);
    }
    open_session(store, user, now).await
}

/// A well-formed hash no password matches, verified against when there is no real one so that the time taken
/// does not tell whether the account exists or signs in by single sign-on only.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000";

/// The password hash of an account that signs in only through single sign-on: not a PHC string, so no
/// password ever verifies against it.
pub const SSO_ONLY: &str = "!sso-only";

async fn open_session<S: Store>(store: &S, user: User, now: Timestamp) -> Result<(String, Session, User), AuthError> {
    // Sessions whose token is never presented again would otherwise stay forever.
    store.purge_sessions(now).await?;
    let token = random_token()?;
    let session = Session {
        token_hash: token_hash(&token),
        username: user.username.clone(),
        csrf: random_token()?,
        expires_at: later(now, IDLE_TIMEOUT),
    };
    store.put_session(&session).await?;
    Ok((token, session, user))
}

/// The session and user behind a token, if the session is still alive; its timeout slides forward.
///
/// # Errors
/// A store failure.
pub async fn authenticate<S: Store>(
    store: &S,
    token: &str,
    now: Timestamp,
) -> Result<Option<(Session, User)>, StoreError> {
    let hash = token_hash(token);
    let Some((session, user)) = store.session(&hash).await? else { return Ok(None) };
    if session.expires_at <= now {
        store.delete_session(&hash).await?;
        return Ok(None);
    }
    // Write the new expiry at most once a minute per session, not on every request.
    if session.expires_at.duration_since(now) < IDLE_TIMEOUT - SignedDuration::from_mins(1) {
        store.extend_session(&hash, later(now, IDLE_TIMEOUT)).await?;
    }
    Ok(Some((session, user)))
}

/// Ends the session behind a token.
///
/// # Errors
/// A store failure.
pub async fn sign_out<S: Store>(store: &S, token: &str) -> Result<(), StoreError> {
    store.delete_session(&token_hash(token)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use gennemgang_case::actor::Role;
    use gennemgang_store_sqlite::SqliteStore;

    const PASSWORD: &str = "rigtig-adgangskode-1";

    async fn store_with(users: &[&str]) -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().expect("tmp");
        let store = SqliteStore::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.expect("open");
        store.migrate().await.expect("migrate");
        for name in users {
            let user = User {
                username: (*name).to_owned(),
                password_hash: hash_password(PASSWORD).expect("hash"),
                role: Role::HomeCaseworker,
                municipality: Some(159),
                failed_logins: 0,
                locked_until: None,
            };
            store.put_user(&user).await.expect("user");
        }
        (dir, store)
    }

    async fn signs_in(store: &SqliteStore, user: &str, password: &str, source: &str) -> bool {
        sign_in(store, user, password, source, Timestamp::now()).await.is_ok()
    }

    /// docs/security.md, "lock-out abuse": guesses from one address lock the account for that address; the
    /// holder signs in from her own, and her success does not lift the guesser's lock.
    #[tokio::test]
    async fn guesses_from_one_address_lock_the_account_there_only() {
        let (_dir, store) = store_with(&["sb"]).await;
        for _ in 0..MAX_FAILURES {
            assert!(!signs_in(&store, "sb", "forkert", "203.0.113.66").await);
        }
        assert!(!signs_in(&store, "sb", PASSWORD, "203.0.113.66").await, "locked for the guesser's address");
        assert!(signs_in(&store, "sb", PASSWORD, "192.0.2.10").await, "not for the holder's");
        assert!(!signs_in(&store, "sb", PASSWORD, "203.0.113.66").await, "still locked for the guesser's");
        // Concurrent guesses are counted as surely as a row of them.
        let (_dir, store) = store_with(&["sb"]).await;
        let guesses: Vec<_> = (0..25)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { signs_in(&store, "sb", "forkert", "203.0.113.66").await })
            })
            .collect();
        for g in guesses {
            assert!(!g.await.expect("task"));
        }
        assert!(!signs_in(&store, "sb", PASSWORD, "203.0.113.66").await, "locked after concurrent guesses");
        // Setting the password anew lifts every lock.
        let mut user = store.user("sb").await.expect("read").expect("exists");
        user.password_hash = hash_password(PASSWORD).expect("hash");
        store.put_user(&user).await.expect("put");
        assert!(signs_in(&store, "sb", PASSWORD, "203.0.113.66").await);
    }

    /// An address that is locked adds nothing to the account's own count: from one address, however long
    /// it goes on, the holder is never locked out of hers.
    #[tokio::test]
    async fn a_locked_address_guessing_on_never_locks_the_account_elsewhere() {
        let (_dir, store) = store_with(&["sb"]).await;
        for _ in 0..=MAX_FAILURES_ANYWHERE {
            assert!(!signs_in(&store, "sb", "forkert", "203.0.113.66").await);
        }
        let user = store.user("sb").await.expect("read").expect("exists");
        assert_eq!((user.failed_logins, user.locked_until), (MAX_FAILURES, None), "only the five before the lock");
        assert!(signs_in(&store, "sb", PASSWORD, "192.0.2.10").await);
    }

    /// Guessing from many addresses at once meets the account's own count: beyond
    /// [`MAX_FAILURES_ANYWHERE`] failures in a row it is locked for every address.
    #[tokio::test]
    async fn guesses_from_many_addresses_lock_the_account_everywhere() {
        let (_dir, store) = store_with(&["sb"]).await;
        for n in 0..MAX_FAILURES_ANYWHERE {
            assert!(!signs_in(&store, "sb", "forkert", &format!("198.51.100.{n}")).await);
        }
        assert!(!signs_in(&store, "sb", PASSWORD, "192.0.2.10").await, "locked everywhere");
        let (_dir, store) = store_with(&["sb"]).await;
        for n in 0..MAX_FAILURES_ANYWHERE - 1 {
            assert!(!signs_in(&store, "sb", "forkert", &format!("198.51.100.{n}")).await);
        }
        assert!(signs_in(&store, "sb", PASSWORD, "192.0.2.10").await, "one short of it: signs in");
    }
}
