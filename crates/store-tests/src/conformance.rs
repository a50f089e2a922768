//! The conformance suite. Each function gets an empty, migrated store and panics on the first deviation.

use gennemgang_case::action::{Action, Flag, Source};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, State};
use gennemgang_case::decide::{Context, Staff};
use gennemgang_case::facts::{Routing, SchemeCode};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::review::ReviewParams;
use gennemgang_store::import::ImportRow;
use gennemgang_store::{AccessEntry, ActError, ChainReport, NewRun, RunKind, Store, StoreError, perform};
use jiff::civil::date;

/// Fictitious names, in their own letters, that a search must find without them.
pub const NAMES: [&str; 6] =
    ["Jens Sørensen", "Ayşe Öztürk", "Nguyễn Thị Hương", "Hodan Warsame", "Łukasz Wiśniewski", "Mariam Al-Hassan"];

/// A screening row for a fictitious person (replacement CPR numbers: day + 60), named from [`NAMES`]; the
/// person of row 3 has name and address protection.
#[must_use]
pub fn row(n: u32, municipality: u16) -> ImportRow {
    ImportRow {
        cpr: format!("6101{:02}{:04}", 80 + n % 10, n),
        included: true,
        area_id: "A1".into(),
        municipality_code: municipality,
        birth_date: date(1980 + i16::try_from(n % 10).unwrap_or(0), 1, 1),
        age_on_as_of: 40,
        cpr_status: "01".into(),
        awarded_on: date(2015, 1, 1),
        scheme: SchemeCode::Pl,
        pension_status: "active".into(),
        exemptions: Vec::new(),
        as_of: date(2026, 12, 1),
        reason: "I målgruppen (testdata)".into(),
        citizen: gennemgang_case::facts::Citizen {
            name: NAMES[n as usize % NAMES.len()].into(),
            address: Some(gennemgang_case::facts::Address {
                street: format!("Bøgeparken {}, 2. tv", n + 1),
                postcode: "2860".into(),
                city: "Søborg".into(),
            }),
            address_protected: n == 3,
        },
    }
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::UNIX_EPOCH
}

/// The users assignments name in these tests: home caseworkers of Gladsaxe.
fn staff() -> &'static Staff {
    static STAFF: std::sync::OnceLock<Staff> = std::sync::OnceLock::new();
    STAFF.get_or_init(|| {
        Staff::new(
            ["sb", "a", "b", "x"]
                .into_iter()
                .map(String::from)
                .chain((0..8).map(|k| format!("w{k}")))
                .map(|u| (u, 159)),
        )
    })
}

fn ctx<'a>(routing: &'a Routing) -> Context<'a> {
    Context {
        today: date(2026, 12, 10),
        routing,
        calendar: CalendarParams::builtin(),
        review: ReviewParams::builtin(),
        staff: staff(),
    }
}

/// Phase 1's checklist for case `id`, all but the income register marked as not relevant.
fn not_relevant(id: i64) -> Vec<(i64, Action)> {
    [Source::PensionCase, Source::OtherAdministration, Source::PublicActivity, Source::CriminalRecord]
        .into_iter()
        .map(|source| (id, Action::MarkNotRelevant { source, reason: "ikke relevant".into() }))
        .collect()
}

fn lead() -> Actor {
    Actor { user: "leder".into(), role: Role::HomeTeamLead, municipality: Some(159) }
}

fn worker(name: &str) -> Actor {
    Actor { user: name.into(), role: Role::HomeCaseworker, municipality: Some(159) }
}

async fn intact<S: Store>(store: &S) -> u64 {
    match store.verify_chain(None).await.expect("verify") {
        ChainReport::Intact(head) => head.events,
        ChainReport::Broken(b) => panic!("chain broken: {b}"),
    }
}

/// Importing a screening creates its cases; importing it again creates none and writes nothing. 250 cases,
/// so that the rows written a hundred to a statement end in a part statement.
pub async fn import_is_idempotent<S: Store>(store: &S) {
    let rows: Vec<ImportRow> = (0..250).map(|n| row(n, 159)).collect();
    let first = store.import(&rows, &[], now()).await.expect("import");
    assert_eq!(first.created, 250);
    let cases = store.cases().await.expect("cases");
    assert_eq!(cases.len(), 250);
    assert_eq!(cases.iter().map(|c| c.id).collect::<Vec<_>>(), (1..=250).collect::<Vec<_>>());
    assert!(cases.iter().zip(&rows).all(|(c, r)| c.facts.cpr == r.cpr), "each case holds its own row");
    assert!(cases.iter().all(|c| c.state == State::Unassigned && c.home_municipality == 159 && c.version == 1));
    let second = store.import(&rows, &[], now()).await.expect("import again");
    assert_eq!((second.created, second.flags, second.unchanged), (0, 0, 250));
    let all = store.all_events().await.expect("all events");
    assert_eq!(
        all.iter().map(|e| (e.case_id, e.version)).collect::<Vec<_>>(),
        (1..=250).map(|id| (id, 1)).collect::<Vec<_>>()
    );
    assert_eq!(store.cases().await.expect("cases"), cases);
    assert_eq!(intact(store).await, 250);
    // Every row's columns beside its snapshot are those of its case (what `audit verify` holds them to).
    let stored = store.stored_columns().await.expect("columns");
    assert_eq!(stored.len(), 250);
    for (columns, case) in stored.iter().zip(&cases) {
        let row = gennemgang_store::rows::encode(case).expect("encode");
        assert_eq!(columns.differs_from(&row), None, "case {}", case.id);
    }
}

/// Text with the characters a bulk write's format gives a meaning (a backslash, tab, line feed, carriage
/// return, a literal `\N`) reaches the case and its event as written: PostgreSQL's import streams its rows
/// in `COPY`'s text format, and a backslash left unescaped would change the reason or break the hash.
pub async fn import_keeps_text_as_written<S: Store>(store: &S) {
    let reason = "I målgruppen:\n\t1. tilflyttet\r\n\\N er ikke tomt, C:\\sti \"citat\" \\";
    let mut first = row(1, 159);
    first.reason = reason.into();
    first.citizen.name = "O\\Brien\tÅse".into();
    let mut second = row(2, 159);
    second.reason = "\\N".into();
    store.import(&[first, second], &[], now()).await.expect("import");
    let cases = store.cases().await.expect("cases");
    assert_eq!(cases[0].facts.screening_reason, reason);
    assert_eq!(cases[0].facts.citizen.name, "O\\Brien\tÅse");
    assert_eq!(cases[1].facts.screening_reason, "\\N");
    assert_eq!(intact(store).await, 2, "the payloads are stored to the byte, as hashed");
    let stored = store.stored_columns().await.expect("columns");
    for (columns, case) in stored.iter().zip(&cases) {
        let row = gennemgang_store::rows::encode(case).expect("encode");
        assert_eq!(columns.differs_from(&row), None, "case {}", case.id);
    }
}

/// The runs an import came from are recorded with it, each document once, newest first.
pub async fn runs_are_recorded_once<S: Store>(store: &S) {
    let areas = NewRun { kind: RunKind::Areas, body: r#"{"areas":[]}"#.into() };
    let screening = NewRun { kind: RunKind::Screening, body: r#"{"counts":{"included":1}}"#.into() };
    store.import(&[row(1, 159)], &[areas.clone(), screening.clone()], now()).await.expect("import");
    store.import(&[row(1, 159)], &[areas.clone(), screening.clone()], now()).await.expect("again");
    let runs = store.runs().await.expect("runs");
    let kinds: Vec<(RunKind, &str)> = runs.iter().map(|r| (r.kind, r.body.as_str())).collect();
    assert_eq!(kinds, vec![(RunKind::Screening, screening.body.as_str()), (RunKind::Areas, areas.body.as_str())]);
    assert_eq!(runs[0].sha256, screening.sha256());
    let newer = NewRun { kind: RunKind::Screening, body: r#"{"counts":{"included":2}}"#.into() };
    store.import(&[row(1, 159)], std::slice::from_ref(&newer), now()).await.expect("newer");
    assert_eq!(store.runs().await.expect("runs").first().map(|r| r.body.clone()), Some(newer.body));
}

/// A newer screening flags changes on open cases and transfers moved ones.
pub async fn newer_screening_flags_changes<S: Store>(store: &S) {
    let rows: Vec<ImportRow> = (0..4).map(|n| row(n, 159)).collect();
    store.import(&rows, &[], now()).await.expect("import");
    let mut newer = rows.clone();
    newer[0].municipality_code = 751;
    newer[1].cpr_status = "90".into();
    newer[2].age_on_as_of = 60;
    newer.pop();
    let report = store.import(&newer, &[], now()).await.expect("newer import");
    assert_eq!((report.created, report.flagged, report.flags), (0, 4, 4));
    let cases = store.cases().await.expect("cases");
    assert_eq!(cases[0].home_municipality, 751, "moved → transferred");
    assert_eq!(cases[1].flags, vec![Flag::Died]);
    assert_eq!(cases[2].flags, vec![Flag::Turned60]);
    assert_eq!(cases[3].flags, vec![Flag::NotInScreening]);
    // The same newer screening again changes nothing.
    assert_eq!(store.import(&newer, &[], now()).await.expect("again").flags, 0);
    assert_eq!(intact(store).await, 8);
}

/// SHA-256 (hex) of a document's content.
fn sha256(content: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(content).iter().map(|b| format!("{b:02x}")).collect()
}

/// The action that adds `content` to a case as the citizen's letter (a PDF).
fn letter_from_the_citizen(content: &[u8]) -> Action {
    use gennemgang_case::action::{MediaType, NewDocument};
    Action::AddDocument {
        document: NewDocument {
            sha256: sha256(content),
            media_type: MediaType::Pdf,
            size: content.len() as u64,
            filename: "brev.pdf".into(),
            title: "Brev fra borgeren".into(),
            dated: date(2026, 12, 1),
            source: Source::PensionCase,
        },
        as_evidence: false,
    }
}

/// A document and its content land in one transaction: a refused or conflicting one stores neither, and the
/// same content added twice is stored once.
pub async fn documents_are_stored_with_their_event<S: Store>(store: &S) {
    store.import(&[row(1, 159)], &[], now()).await.expect("import");
    let routing = Routing::default();
    let ctx = ctx(&routing);
    perform(store, 1, Some(1), &lead(), Action::Assign { caseworker: "sb".into() }, &ctx, now()).await.expect("assign");
    let content = b"%PDF-1.7 brev fra borgeren".as_slice();
    let sha = sha256(content);
    let add = || letter_from_the_citizen(content);
    let sb = worker("sb");
    let write = |seen| gennemgang_store::perform_with_document(store, 1, seen, &sb, add(), &ctx, now(), content);
    // Seen at an old version: nothing is stored.
    assert!(write(Some(1)).await.is_err());
    assert_eq!(store.document(&sha).await.expect("read"), None, "no content without its event");
    write(Some(2)).await.expect("added");
    write(None).await.expect("the same content again");
    assert_eq!(store.document(&sha).await.expect("read").as_deref(), Some(content));
    let case = store.case(1).await.expect("read").expect("case");
    assert_eq!(case.documents.len(), 2);
    assert_eq!(intact(store).await, 4);
}

/// A case erased after its retention keeps only its hashes: its projection, history and the documents no
/// other case holds are gone, the chain still proves itself with the erasure as one event more, and the
/// other cases go on. An erasure decided on an old version of the case is a conflict, and nothing changes.
pub async fn an_erased_case_keeps_only_its_hashes<S: Store>(store: &S) {
    use gennemgang_store::erasure::Erasure;
    store.import(&[row(1, 159), row(2, 159)], &[], now()).await.expect("import");
    let routing = Routing::default();
    let ctx = ctx(&routing);
    for id in [1, 2] {
        perform(store, id, None, &lead(), Action::Assign { caseworker: "sb".into() }, &ctx, now())
            .await
            .expect("assign");
    }
    let (sha, add) = (sha256, letter_from_the_citizen);
    let (only, shared) = (b"%PDF-1.7 kun sag 1".as_slice(), b"%PDF-1.7 begge sager".as_slice());
    let sb = worker("sb");
    for (id, content) in [(1, only), (1, shared), (2, shared)] {
        gennemgang_store::perform_with_document(store, id, None, &sb, add(content), &ctx, now(), content)
            .await
            .expect("added");
    }
    let before = intact(store).await;
    let version = store.case(1).await.expect("read").expect("case").version;
    let erasure = |events| Erasure {
        at: now(),
        by: "arkivar".into(),
        closed_on: date(2027, 1, 4),
        kept_until: date(2032, 1, 4),
        years_after_closing: 5,
        source: "Bevaringsplan pkt. 4".into(),
        valid_from: date(2026, 12, 1),
        events,
    };
    assert!(matches!(store.erase(1, &erasure(version - 1)).await, Err(gennemgang_store::StoreError::Conflict { .. })));
    assert_eq!(intact(store).await, before, "a refused erasure writes nothing");
    store.erase(1, &erasure(version)).await.expect("erased");
    store.reclaim().await.expect("the storage rewritten without it");
    assert_eq!(store.case(1).await.expect("read"), None);
    assert!(store.events(1).await.expect("read").is_empty(), "no history to read");
    assert!(store.all_events().await.expect("read").iter().all(|e| e.case_id == 2));
    assert_eq!(store.live_case_ids().await.expect("read"), [2]);
    assert_eq!(store.cases().await.expect("read").iter().map(|c| c.id).collect::<Vec<_>>(), [2]);
    assert_eq!(store.document(&sha(only)).await.expect("read"), None, "held by the erased case alone");
    assert_eq!(store.document(&sha(shared)).await.expect("read").as_deref(), Some(shared), "held by case 2 too");
    assert_eq!(intact(store).await, before + 1, "the erasure is one event more, and the chain holds");
    assert!(matches!(store.erase(1, &erasure(version)).await, Err(gennemgang_store::StoreError::NotFound(1))));
    // The other case goes on, and so does the chain.
    perform(store, 2, None, &lead(), Action::Assign { caseworker: "a".into() }, &ctx, now()).await.expect("assign");
    assert_eq!(intact(store).await, before + 2);
    // With the highest case erased too, a new case is numbered after it: it takes neither its id nor its
    // history (found by an outside check: the import numbered from the rows left, and collided).
    let version = store.case(2).await.expect("read").expect("case").version;
    store.erase(2, &erasure(version)).await.expect("erased");
    // A screening of the erasure's day or before may name the citizens erased, whose CPR numbers are gone:
    // refused, nothing written (found by an outside check that imported the same screening again after an
    // erasure, and saw the erased reviews opened as new cases).
    let events = intact(store).await;
    let mut stale = row(1, 159);
    stale.as_of = date(1970, 1, 1);
    assert!(matches!(
        store.import(&[stale, row(5, 159)], &[], now()).await,
        Err(gennemgang_store::StoreError::ScreeningBeforeErasure { .. })
    ));
    assert_eq!(intact(store).await, events);
    let report = store.import(&[row(1, 159), row(5, 159)], &[], now()).await.expect("a newer screening");
    assert_eq!(report.created, 2);
    assert_eq!(store.cases().await.expect("read").iter().map(|c| c.id).collect::<Vec<_>>(), [3, 4]);
    assert_eq!(intact(store).await, before + 5);
}

/// Actions land as events; the history folds to the stored case; the chain verifies.
pub async fn actions_become_history<S: Store>(store: &S) {
    store.import(&[row(1, 159)], &[], now()).await.expect("import");
    let routing = Routing::default();
    let ctx = ctx(&routing);
    perform(store, 1, Some(1), &lead(), Action::Assign { caseworker: "sb".into() }, &ctx, now()).await.expect("assign");
    perform(
        store,
        1,
        None,
        &worker("sb"),
        Action::RecordEvidence {
            source: Source::IncomeRegister,
            summary: "løn".into(),
            obtained_on: date(2026, 12, 2),
        },
        &ctx,
        now(),
    )
    .await
    .expect("evidence");
    perform(store, 1, None, &worker("sb"), Action::Summon { interview_on: date(2026, 12, 10) }, &ctx, now())
        .await
        .expect("summon");
    let case = store.case(1).await.expect("read").expect("exists");
    assert_eq!(case.version, 4);
    let events = store.events(1).await.expect("events");
    assert_eq!(events.len(), 4);
    assert_eq!(Case::from_events(&events).expect("fold"), case);
    assert_eq!(events[1].actor, lead());
    assert_eq!(intact(store).await, 4);
    // A refused action writes nothing.
    let refused = perform(store, 1, None, &worker("other"), Action::RegisterNoShow {}, &ctx, now()).await;
    assert!(matches!(refused, Err(ActError::Refused(_))));
    assert_eq!(store.events(1).await.expect("events").len(), 4);
    assert!(matches!(
        perform(store, 99, None, &lead(), Action::Assign { caseworker: "x".into() }, &ctx, now()).await,
        Err(ActError::Store(StoreError::NotFound(99)))
    ));
}

/// Two people act on the same case at once: one wins, the other gets a conflict, nothing is lost.
pub async fn concurrent_actions_conflict<S: Store + Clone + 'static>(store: &S) {
    store.import(&[row(1, 159)], &[], now()).await.expect("import");
    let routing = Routing::default();
    // Both saw version 1.
    let ctx = ctx(&routing);
    perform(store, 1, Some(1), &lead(), Action::Assign { caseworker: "a".into() }, &ctx, now()).await.expect("first");
    let second = perform(store, 1, Some(1), &lead(), Action::Assign { caseworker: "b".into() }, &ctx, now()).await;
    assert!(
        matches!(second, Err(ActError::Store(StoreError::Conflict { case: 1, expected: 1, found: 2 }))),
        "{second:?}"
    );
    // Truly parallel appends of the same version: exactly one lands.
    let case = store.case(1).await.expect("read").expect("exists");
    let mut tasks = Vec::new();
    for k in 0..8 {
        let store = store.clone();
        let event =
            gennemgang_case::perform(&case, &lead(), Action::Assign { caseworker: format!("w{k}") }, &ctx, now())
                .expect("valid");
        tasks.push(tokio::spawn(async move { store.append(&event).await }));
    }
    let mut won = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => won += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(store.events(1).await.expect("events").len(), 3);
    assert_eq!(intact(store).await, 3);
}

/// The worklist selects, counts, orders and pages exactly the cases the policy lets each user see.
pub async fn worklist_matches_the_policy<S: Store>(store: &S) {
    use gennemgang_case::case::Phase;
    use gennemgang_case::policy::Scope;
    use gennemgang_store::{WorklistFilters, WorklistQuery};
    let rows: Vec<ImportRow> = (0..12).map(|n| row(n, if n < 8 { 159 } else { 751 })).collect();
    store.import(&rows, &[], now()).await.expect("import");
    let routing = Routing::default();
    let ctx = ctx(&routing);
    for (id, who) in [(1, "a"), (2, "a"), (3, "b"), (4, "a")] {
        perform(store, id, None, &lead(), Action::Assign { caseworker: who.into() }, &ctx, now())
            .await
            .expect("assign");
    }
    // Case 1 goes all the way to the deciding municipality (101); case 2 gets a hearing deadline.
    let a = worker("a");
    let evidence = |id| {
        (
            id,
            Action::RecordEvidence {
                source: Source::IncomeRegister,
                summary: "løn".into(),
                obtained_on: date(2026, 12, 1),
            },
        )
    };
    let mut steps = vec![evidence(1)];
    steps.extend(not_relevant(1));
    steps.extend([
        (1, Action::Summon { interview_on: date(2026, 12, 10) }),
        (1, Action::HoldInterview { journal_note: "note".into() }),
        (1, Action::AssessReopen { ground: "løn".into(), evidence: vec![0] }),
        (1, Action::NotifyReopening { sent_on: date(2026, 12, 10) }),
        (1, Action::NoNewInformation { reason: "oplyst".into() }),
        (1, Action::SendToDeciding {}),
        evidence(2),
    ]);
    steps.extend(not_relevant(2));
    steps.extend([
        (2, Action::Summon { interview_on: date(2026, 12, 10) }),
        (2, Action::HoldInterview { journal_note: "note".into() }),
        (2, Action::AssessReopen { ground: "løn".into(), evidence: vec![0] }),
        (2, Action::StartHearing { adverse_information: "løn".into(), sent_on: date(2026, 12, 10), answer_days: None }),
    ]);
    for (id, action) in steps {
        perform(store, id, None, &a, action, &ctx, now()).await.expect("act");
    }
    let all = store.cases().await.expect("cases");
    for scope in [
        Scope::All,
        Scope::Home(159),
        Scope::Home(751),
        Scope::Assigned(159, "a".into()),
        Scope::Assigned(159, "b".into()),
        Scope::Deciding(101),
        Scope::Deciding(751),
    ] {
        let filter_sets = [
            WorklistFilters::default(),
            WorklistFilters { state: Some(State::Reviewing), ..WorklistFilters::default() },
            WorklistFilters { overdue_on: Some(date(2027, 6, 1)), ..WorklistFilters::default() },
            WorklistFilters { overdue_on: Some(date(2026, 12, 1)), ..WorklistFilters::default() },
            WorklistFilters {
                assigned_to: Some("a".into()),
                state: Some(State::Reopened),
                ..WorklistFilters::default()
            },
            // Searches: a case by its number, a citizen by the full CPR number (one that exists, one not).
            WorklistFilters { case_id: Some(3), ..WorklistFilters::default() },
            WorklistFilters { cpr: all.first().map(|c| c.facts.cpr.clone()), ..WorklistFilters::default() },
            WorklistFilters { cpr: Some("0101011234".into()), ..WorklistFilters::default() },
            // By name, folded as the search folds what is typed: part of a name, one that is no one's.
            WorklistFilters { name: Some("sorensen".into()), ..WorklistFilters::default() },
            WorklistFilters { name: Some("nguyen thi".into()), ..WorklistFilters::default() },
            WorklistFilters { name: Some("an".into()), ..WorklistFilters::default() },
            WorklistFilters { name: Some("zz".into()), ..WorklistFilters::default() },
        ];
        for (phase, filters) in [None, Some(Phase::Review), Some(Phase::Reopening), Some(Phase::Decision)]
            .into_iter()
            .flat_map(|p| filter_sets.iter().map(move |f| (p, f)))
        {
            for (offset, by_deadline) in [(0, false), (3, false), (0, true)] {
                let query = WorklistQuery {
                    scope: scope.clone(),
                    phase,
                    filters: filters.clone(),
                    by_deadline,
                    offset,
                    limit: 3,
                };
                let page = store.worklist(&query).await.expect("worklist");
                let mut expected: Vec<&Case> = all
                    .iter()
                    .filter(|c| scope.contains(c) && filters.admits(c) && phase.is_none_or(|p| c.phase() == p))
                    .collect();
                if by_deadline {
                    expected.sort_by_key(|c| (c.next_deadline().is_none(), c.next_deadline().map(|d| d.0), c.id));
                }
                let ids: Vec<i64> = page.cases.iter().map(|c| c.id).collect();
                let want: Vec<i64> = expected.iter().skip(offset as usize).take(3).map(|c| c.id).collect();
                assert_eq!(ids, want, "{scope:?} {phase:?} {filters:?} offset {offset} by deadline {by_deadline}");
                assert_eq!(page.matching, expected.len() as u64);
                let in_scope = all.iter().filter(|c| scope.contains(c) && filters.admits(c)).count() as u64;
                assert_eq!(page.by_phase.iter().map(|(_, n)| n).sum::<u64>(), in_scope);
            }
        }
    }
}

/// Two stores on one database, as two servers behind a load balancer: what one writes, the other's worklist
/// shows at once, counts and cases alike (nothing the adapter keeps between reads goes stale).
pub async fn worklist_follows_another_server<S: Store>(one: &S, other: &S) {
    use gennemgang_case::policy::Scope;
    use gennemgang_store::{WorklistFilters, WorklistQuery};
    let query = WorklistQuery {
        scope: Scope::Home(159),
        phase: None,
        filters: WorklistFilters::default(),
        by_deadline: false,
        offset: 0,
        limit: 50,
    };
    let rows: Vec<ImportRow> = (0..3).map(|n| row(n, 159)).collect();
    one.import(&rows, &[], now()).await.expect("import");
    let before = other.worklist(&query).await.expect("worklist");
    assert_eq!((before.matching, before.cases.len()), (3, 3));
    assert!(before.cases.iter().all(|c| c.assigned_to.is_none()));
    // Read twice, so that whatever is kept from the first read is what the second is served from.
    assert_eq!(other.worklist(&query).await.expect("worklist").matching, 3);
    let rows: Vec<ImportRow> = (0..5).map(|n| row(n, 159)).collect();
    one.import(&rows, &[], now()).await.expect("import");
    let routing = Routing::default();
    perform(one, 1, None, &lead(), Action::Assign { caseworker: "a".into() }, &ctx(&routing), now())
        .await
        .expect("assign");
    let after = other.worklist(&query).await.expect("worklist");
    assert_eq!((after.matching, after.cases.len()), (5, 5), "the counts and the page follow the import");
    assert_eq!(after.by_phase, vec![("review".to_owned(), 5)]);
    let first = after.cases.iter().find(|c| c.id == 1).expect("case 1");
    assert_eq!((first.assigned_to.as_deref(), first.version), (Some("a"), 2), "the case follows its new event");
    // A search by name on the other server, which keeps the search keys it read: it finds what the first
    // server imports and renames after it read them, and no longer finds a citizen by the old name.
    let by_name = |name: &str| WorklistQuery {
        filters: WorklistFilters { name: Some(name.into()), ..WorklistFilters::default() },
        ..query.clone()
    };
    let found = |page: gennemgang_store::WorklistPage| -> Vec<i64> { page.cases.iter().map(|c| c.id).collect() };
    assert_eq!(found(other.worklist(&by_name("sorensen")).await.expect("search")), vec![1]);
    assert_eq!(found(other.worklist(&by_name("qureshi")).await.expect("search")), Vec::<i64>::new());
    let mut renamed: Vec<ImportRow> = (0..6).map(|n| row(n, 159)).collect();
    renamed[0].citizen.name = "Zainab Qureshi".into();
    one.import(&renamed, &[], now()).await.expect("import");
    let page = other.worklist(&by_name("qureshi")).await.expect("search");
    assert_eq!((found(page.clone()), page.matching), (vec![1], 1), "the new name is found at once");
    assert_eq!(found(other.worklist(&by_name("sorensen")).await.expect("search")), Vec::<i64>::new());
    assert_eq!(found(other.worklist(&by_name("sorensen")).await.expect("search")), Vec::<i64>::new(), "kept");
    assert_eq!(found(other.worklist(&by_name("al hassan")).await.expect("search")), vec![6], "a case imported since");
}

/// Reads are logged and read back in order.
pub async fn access_is_logged<S: Store>(store: &S) {
    let entry = |what: &str, allowed| AccessEntry {
        at: now(),
        user: "sb".into(),
        role: Role::HomeCaseworker,
        municipality: Some(159),
        case_id: Some(1),
        what: what.into(),
        purpose: (what == "criminal_record").then(|| "fase 1".to_owned()),
        allowed,
    };
    store.log_access(&[entry("case", true), entry("criminal_record", true)]).await.expect("log");
    store.log_access(&[entry("case", false)]).await.expect("log");
    let log = store.access_log().await.expect("read");
    assert_eq!(log, vec![entry("case", true), entry("criminal_record", true), entry("case", false)]);
    // A group commit of many requests' entries is one statement: every field of every entry comes back as
    // it was, in order, whatever it holds.
    let texts = ["sb", "o'brien", "a\"b\\c", "الطبيب", "👨‍👩‍👧‍👦", "line\nbreak", "$1 ?1 ';--", ""];
    let many: Vec<AccessEntry> = (0..300_usize)
        .map(|n| AccessEntry {
            at: jiff::Timestamp::new(2_000_000_000 + i64::try_from(n).expect("small"), 123_456_789).expect("ts"),
            user: format!("{}{n}", texts[n % texts.len()]),
            role: [Role::HomeCaseworker, Role::DecidingApprover, Role::MinistryAnalyst][n % 3],
            municipality: (n % 4 != 0).then_some(101),
            case_id: (n % 5 != 0).then(|| i64::try_from(n).expect("small") * 1_000_000_007),
            what: ["search", "case", "document 3"][n % 3].to_owned(),
            purpose: (n % 2 == 0).then(|| texts[(n / 2) % texts.len()].to_owned()),
            allowed: n % 7 != 0,
        })
        .collect();
    store.log_access(&many).await.expect("log many");
    let log = store.access_log().await.expect("read");
    assert_eq!(log[3..], many[..]);
}

/// The `n`th read of a test: of case 1, 2 or 3, or of no case (a listing) every fourth.
fn read_of(n: usize) -> AccessEntry {
    AccessEntry {
        at: jiff::Timestamp::new(2_000_000_000 + i64::try_from(n).expect("small"), 0).expect("ts"),
        user: format!("u{n}"),
        role: Role::HomeCaseworker,
        municipality: Some(159),
        case_id: (!n.is_multiple_of(4)).then(|| i64::try_from(n % 3).expect("small") + 1),
        what: "case".into(),
        purpose: None,
        allowed: true,
    }
}

/// A case's access log is exactly its part of the whole log, in order, also after many group commits.
pub async fn case_access_log_is_its_part_of_the_log<S: Store>(store: &S) {
    for chunk in (0..1_000).collect::<Vec<usize>>().chunks(97) {
        store.log_access(&chunk.iter().copied().map(read_of).collect::<Vec<_>>()).await.expect("log");
    }
    let log = store.access_log().await.expect("log");
    for id in 1..=3 {
        let part: Vec<AccessEntry> = log.iter().filter(|e| e.case_id == Some(id)).cloned().collect();
        assert!(part.len() > 200, "case {id}");
        assert_eq!(store.case_access_log(id).await.expect("case log"), part, "case {id}");
    }
    assert_eq!(store.case_access_log(4).await.expect("case log"), Vec::new(), "a case nobody read");
}

/// A caseworker of Gladsaxe, "sb", with a password hash no password matches.
fn caseworker_sb() -> gennemgang_store::User {
    gennemgang_store::User {
        username: "sb".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::HomeCaseworker,
        municipality: Some(159),
        failed_logins: 0,
        locked_until: None,
    }
}

/// Accounts: create, read back, lockout state, replace; sessions: create, extend, delete.
pub async fn accounts_and_sessions<S: Store>(store: &S) {
    let user = caseworker_sb();
    store.put_user(&user).await.expect("put");
    assert_eq!(store.user("sb").await.expect("read"), Some(user.clone()));
    assert_eq!(store.user("nobody").await.expect("read"), None);
    let until = jiff::Timestamp::from_second(2_000_000_000).expect("ts");
    store.set_login_state("sb", 5, Some(until)).await.expect("lock");
    let locked = store.user("sb").await.expect("read").expect("exists");
    assert_eq!((locked.failed_logins, locked.locked_until), (5, Some(until)));
    // Attempts at once are each counted (one statement, never read-then-write); the one beyond the
    // maximum locks the account and starts the count again; a name without an account changes nothing.
    store.set_login_state("sb", 0, None).await.expect("reset");
    let attempt = |max| store.count_sign_in_attempt("sb", max, until);
    let counted = tokio::join!(attempt(100), attempt(100), attempt(100), attempt(100), attempt(100), attempt(100));
    assert_eq!(
        [counted.0, counted.1, counted.2, counted.3, counted.4, counted.5].map(|r| r.expect("count")),
        [None; 6]
    );
    assert_eq!(store.user("sb").await.expect("read").map(|u| (u.failed_logins, u.locked_until)), Some((6, None)));
    let (a, b, c) = tokio::join!(attempt(7), attempt(7), attempt(7));
    let locks: Vec<Option<jiff::Timestamp>> = [a, b, c].into_iter().map(|r| r.expect("count")).collect();
    // The 7th is within the limit, the 8th locks (and counts anew), the 9th sees the lock.
    assert_eq!(locks.iter().filter(|l| l.is_some()).count(), 2, "{locks:?}");
    let locked = store.user("sb").await.expect("read").expect("exists");
    assert_eq!((locked.failed_logins, locked.locked_until), (1, Some(until)));
    assert_eq!(store.count_sign_in_attempt("nobody", 1, until).await.expect("no such name"), None);
    assert_eq!(store.user("nobody").await.expect("read"), None);
    store.put_user(&gennemgang_store::User { role: Role::HomeTeamLead, ..user.clone() }).await.expect("replace");
    let replaced = store.user("sb").await.expect("read").expect("exists");
    assert_eq!((replaced.role, replaced.failed_logins, replaced.locked_until), (Role::HomeTeamLead, 0, None));
    let session = gennemgang_store::Session {
        token_hash: "ab".repeat(32),
        username: "sb".into(),
        csrf: "csrf".into(),
        expires_at: until,
    };
    store.put_session(&session).await.expect("session");
    assert_eq!(store.session(&session.token_hash).await.expect("read"), Some((session.clone(), replaced.clone())));
    let later = jiff::Timestamp::from_second(2_000_001_000).expect("ts");
    store.extend_session(&session.token_hash, later).await.expect("extend");
    assert_eq!(store.session(&session.token_hash).await.expect("read").map(|(s, _)| s.expires_at), Some(later));
    store.delete_session(&session.token_hash).await.expect("delete");
    assert_eq!(store.session(&session.token_hash).await.expect("read"), None);

    // Purging removes exactly the sessions that expired before the moment given, whatever their fractions.
    let at = |second: i64, nanos: i32| jiff::Timestamp::new(second, nanos).expect("ts");
    let sessions: Vec<_> = [(1, at(1_999_999_998, 500_000_000)), (2, at(2_000_000_000, 0)), (3, at(2_000_000_000, 1))]
        .into_iter()
        .map(|(n, expires_at)| gennemgang_store::Session {
            token_hash: format!("{n}").repeat(64),
            username: "sb".into(),
            csrf: "csrf".into(),
            expires_at,
        })
        .collect();
    for s in &sessions {
        store.put_session(s).await.expect("session");
    }
    store.purge_sessions(at(2_000_000_000, 0)).await.expect("purge");
    let mut kept = Vec::new();
    for s in &sessions {
        kept.push(store.session(&s.token_hash).await.expect("read").is_some());
    }
    assert_eq!(kept, [false, true, true], "expired before the moment: gone; at or after it: kept");
}

/// Failed sign-ins per account and source address: each source counts on its own, atomically, the attempt
/// beyond the maximum locks the account for that source only, a success clears that source's count only,
/// setting the password anew clears them all, and a name without an account stores nothing.
pub async fn sign_in_failures_are_counted_per_source<S: Store>(store: &S) {
    let user = caseworker_sb();
    store.put_user(&user).await.expect("put");
    let until = jiff::Timestamp::new(2_000_000_000, 123_456_000).expect("ts");
    let from = |source: &'static str| store.count_source_attempt("sb", source, 2, until);
    let (a, b, c) = tokio::join!(from("203.0.113.66"), from("203.0.113.66"), from("203.0.113.66"));
    let locks: Vec<Option<jiff::Timestamp>> = [a, b, c].into_iter().map(|r| r.expect("count")).collect();
    assert_eq!(locks.iter().filter(|l| **l == Some(until)).count(), 1, "the third of three at once locks: {locks:?}");
    assert_eq!(from("203.0.113.66").await.expect("count"), Some(until), "and the lock stays");
    assert_eq!(from("192.0.2.10").await.expect("count"), None, "another source has its own count");
    store.clear_source_failures("sb", "203.0.113.66").await.expect("clear");
    assert_eq!(from("203.0.113.66").await.expect("count"), None, "cleared for that source");
    assert_eq!(from("192.0.2.10").await.expect("count"), None);
    assert_eq!(from("192.0.2.10").await.expect("count"), Some(until), "the other's count was kept");
    store.put_user(&user).await.expect("password set anew");
    assert_eq!(from("192.0.2.10").await.expect("count"), None, "every count cleared");
    assert_eq!(store.count_source_attempt("nobody", "192.0.2.10", 0, until).await.expect("no such name"), None);
    assert_eq!(store.count_source_attempt("nobody", "192.0.2.10", 0, until).await.expect("no such name"), None);
    // A lock that ran out is forgotten by the purge, and so is a count without a lock whose last attempt is
    // as old; a later attempt keeps its row.
    for _ in 0..3 {
        store.count_source_attempt("sb", "198.51.100.1", 1, until).await.expect("count");
    }
    store.count_source_attempt("sb", "198.51.100.2", 1, until).await.expect("count");
    let later = jiff::Timestamp::new(2_000_000_900, 0).expect("ts");
    store.count_source_attempt("sb", "198.51.100.3", 1, later).await.expect("count");
    store.purge_sessions(jiff::Timestamp::new(2_000_000_001, 0).expect("ts")).await.expect("purge");
    assert_eq!(store.count_source_attempt("sb", "198.51.100.1", 1, until).await.expect("count"), None, "forgotten");
    assert_eq!(store.count_source_attempt("sb", "198.51.100.2", 1, until).await.expect("count"), None, "forgotten");
    assert_eq!(store.count_source_attempt("sb", "198.51.100.3", 1, later).await.expect("count"), Some(later), "kept");
}

/// A store with two imported cases and one access-log entry: something for tamper tests to try to change.
pub async fn seeded<S: Store>(store: &S) {
    store.import(&[row(1, 159), row(2, 159)], &[], now()).await.expect("import");
    store
        .log_access(&[AccessEntry {
            at: now(),
            user: "sb".into(),
            role: Role::HomeCaseworker,
            municipality: Some(159),
            case_id: Some(1),
            what: "case".into(),
            purpose: None,
            allowed: true,
        }])
        .await
        .expect("log");
}

/// After an event of case 2 was edited behind the store's back, `verify_chain` names it.
pub async fn tampering_is_found<S: Store>(store: &S) {
    match store.verify_chain(None).await.expect("verify") {
        ChainReport::Broken(b) => assert_eq!(b.case_id, 2, "{b}"),
        ChainReport::Intact(head) => panic!("tampering not found ({} events)", head.events),
    }
}

/// Several servers share through the store: concurrent attempts are each counted, a sign-in under way is
/// taken once wherever the answer lands, and a letter batch is held by one worker until it stops beating.
pub async fn shared_state<S: Store + Clone + 'static>(store: &S) {
    use gennemgang_store::shared::{BatchProgress, NewBatch, PendingSignIn};
    // 25 attempts at once, as from 25 servers: counted 1 to 25, none lost.
    let mut counts: Vec<u32> = futures_join(
        (0..25)
            .map(|_| {
                let s = store.clone();
                tokio::spawn(async move { s.throttle("sb", 29_000_000).await.expect("throttle") })
            })
            .collect(),
    )
    .await;
    counts.sort_unstable();
    assert_eq!(counts, (1..=25).collect::<Vec<u32>>());
    assert_eq!(store.throttle("sb", 29_000_001).await.expect("next minute"), 1, "a new minute starts again");
    assert_eq!(store.throttle("andre", 29_000_001).await.expect("other"), 1);
    store.purge_throttle(29_000_001).await.expect("purge");

    let pending = |state: &str, at: i64| PendingSignIn {
        state: state.into(),
        provider: "kk".into(),
        nonce: "n".into(),
        verifier: "v".repeat(43),
        started_at: at,
    };
    store.put_sign_in(&pending("a", 1_000), 400, 3).await.expect("put");
    assert_eq!(store.take_sign_in("a").await.expect("take"), Some(pending("a", 1_000)));
    assert_eq!(store.take_sign_in("a").await.expect("again"), None, "used once");
    for (i, state) in ["b", "c", "d", "e"].into_iter().enumerate() {
        store.put_sign_in(&pending(state, 2_000 + i64::try_from(i).expect("i")), 400, 3).await.expect("put");
    }
    assert_eq!(store.take_sign_in("b").await.expect("take"), None, "the oldest beyond the bound is dropped");
    store.put_sign_in(&pending("f", 5_000), 4_000, 3).await.expect("put");
    assert_eq!(store.take_sign_in("c").await.expect("take"), None, "expired");

    let id = store
        .start_batch(&NewBatch {
            owner: "sb".into(),
            kind: "summons".into(),
            channel: "digital".into(),
            sent_on: "2026-12-04".into(),
            targets: vec![(1, 3), (2, 5)],
            started_at: 100,
            worker: "server-a".into(),
        })
        .await
        .expect("start");
    assert_eq!(store.running_batches().await.expect("running"), 1);
    let progress = BatchProgress { next: 1, sent: 1, failed: Vec::new(), finished_at: None };
    assert!(store.batch_progress(id, "server-a", &progress, 110).await.expect("progress"));
    assert!(!store.claim_batch(id, "server-b", 150, 100).await.expect("claim"), "a beating worker keeps it");
    assert!(store.stale_batches(100).await.expect("stale").is_empty());
    assert_eq!(store.stale_batches(200).await.expect("stale"), vec![id]);
    assert!(store.claim_batch(id, "server-b", 300, 200).await.expect("claim"), "a silent worker loses it");
    assert!(!store.batch_progress(id, "server-a", &progress, 301).await.expect("old worker"), "and is told");
    let done = BatchProgress { next: 2, sent: 1, failed: vec![(2, "Sagen er ændret".into())], finished_at: Some(320) };
    assert!(store.batch_progress(id, "server-b", &done, 320).await.expect("finish"));
    let batch = store.batch(id).await.expect("read").expect("batch");
    assert_eq!((batch.targets, batch.next, batch.sent), (vec![(1, 3), (2, 5)], 2, 1));
    assert_eq!((batch.failed, batch.finished_at, batch.worker.as_deref()), (done.failed, Some(320), Some("server-b")));
    assert_eq!(store.running_batches().await.expect("running"), 0);
    assert!(!store.claim_batch(id, "server-c", 400, 1_000).await.expect("claim"), "a finished batch is not taken");
    store.purge_batches(321).await.expect("purge");
    assert_eq!(store.batch(id).await.expect("read"), None);
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

/// Every function of the suite, by name, for the adapters' test files.
#[macro_export]
macro_rules! conformance_tests {
    ($open:expr) => {
        #[tokio::test]
        async fn import_is_idempotent() {
            $crate::conformance::import_is_idempotent(&$open.await).await;
        }
        #[tokio::test]
        async fn import_keeps_text_as_written() {
            $crate::conformance::import_keeps_text_as_written(&$open.await).await;
        }
        #[tokio::test]
        async fn runs_are_recorded_once() {
            $crate::conformance::runs_are_recorded_once(&$open.await).await;
        }
        #[tokio::test]
        async fn newer_screening_flags_changes() {
            $crate::conformance::newer_screening_flags_changes(&$open.await).await;
        }
        #[tokio::test]
        async fn documents_are_stored_with_their_event() {
            $crate::conformance::documents_are_stored_with_their_event(&$open.await).await;
        }
        #[tokio::test]
        async fn an_erased_case_keeps_only_its_hashes() {
            $crate::conformance::an_erased_case_keeps_only_its_hashes(&$open.await).await;
        }
        #[tokio::test]
        async fn actions_become_history() {
            $crate::conformance::actions_become_history(&$open.await).await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn concurrent_actions_conflict() {
            $crate::conformance::concurrent_actions_conflict(&$open.await).await;
        }
        #[tokio::test]
        async fn worklist_matches_the_policy() {
            $crate::conformance::worklist_matches_the_policy(&$open.await).await;
        }
        #[tokio::test]
        async fn accounts_and_sessions() {
            $crate::conformance::accounts_and_sessions(&$open.await).await;
        }

        #[tokio::test]
        async fn sign_in_failures_are_counted_per_source() {
            $crate::conformance::sign_in_failures_are_counted_per_source(&$open.await).await;
        }
        #[tokio::test]
        async fn access_is_logged() {
            $crate::conformance::access_is_logged(&$open.await).await;
        }
        #[tokio::test]
        async fn case_access_log_is_its_part_of_the_log() {
            $crate::conformance::case_access_log_is_its_part_of_the_log(&$open.await).await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn shared_state() {
            $crate::conformance::shared_state(&$open.await).await;
        }
    };
}
