//! No count under 5 can be derived from the statistics (complementary suppression): random populations of
//! cases, walked through the real case rules in three municipalities, are counted by the real
//! [`gennemgang_app::stats::compute`]; then an attacker who knows every relation between the tables solves
//! for the range of each hidden cell from the shown numbers alone. No hidden count from 1 to 4 may come out
//! as a single value.
//!
//! The attacker is written here, apart from the library's own audit, from the relations as the statistics
//! mean them. Every relation it uses is also checked to hold (each true value lies in its derived range),
//! so that a relation that is not a real invariant fails the test instead of passing it unnoticed.

use gennemgang_app::stats::{Count, Statistics, compute};
use gennemgang_case::action::{Action, AppealsOutcome, Channel, ReassessOutcome, SendBackReason, Source};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, Event, Phase, State};
use gennemgang_case::decide::{Context, Staff};
use gennemgang_case::facts::{CaseFacts, Routing, SchemeCode};
use gennemgang_case::{perform, start};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::review::ReviewParams;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Home municipalities of one region (Hovedstaden), so that one deciding municipality (København) decides.
const HOMES: [u16; 3] = [159, 151, 157];

fn day(offset: i64) -> Date {
    date(2026, 12, 1).checked_add(offset.days()).unwrap_or(date(2026, 12, 1))
}

/// Midnight (UTC) of `day(offset)`.
fn at(offset: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_796_083_200 + offset * 86_400).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// Who acts: 0 the home team lead, 1 the home caseworker, 2 the deciding caseworker, 3 the approver.
fn people(home: u16) -> [Actor; 4] {
    let a = |user: String, role, m| Actor { user, role, municipality: Some(m) };
    [
        a(format!("leder{home}"), Role::HomeTeamLead, home),
        a(format!("sb{home}"), Role::HomeCaseworker, home),
        a("afgoer".into(), Role::DecidingCaseworker, 101),
        a("attest".into(), Role::DecidingApprover, 101),
    ]
}

/// The ways a case goes: to a revocation, to an upheld pension, to a validation without reopening.
#[derive(Clone, Copy, Debug)]
enum Path {
    Revoke,
    Uphold,
    NoGround,
}

/// A path as (who, action, day), after the guided path of the case crate's properties, starting `start`
/// days after the import.
fn script(home: u16, path: Path, start: i64) -> Vec<(usize, Action, i64)> {
    let day = |d: i64| day(start + d);
    let mut s = vec![(0, Action::Assign { caseworker: format!("sb{home}") }, 0)];
    for source in Source::CHECKLIST {
        s.push((1, Action::RecordEvidence { source, summary: "oplysning".into(), obtained_on: day(0) }, 0));
    }
    s.extend([
        (1, Action::Summon { interview_on: day(20) }, 0),
        (1, Action::HoldInterview { journal_note: "note".into() }, 20),
    ]);
    if let Path::NoGround = path {
        s.extend([
            (1, Action::AssessNoGround { reasons: "ingen".into() }, 21),
            (1, Action::SendToDeciding {}, 22),
            (2, Action::Receive {}, 30),
            (2, Action::Validate { notes: "ok".into() }, 40),
        ]);
        return s;
    }
    s.extend([
        (1, Action::AssessReopen { ground: "løn".into(), evidence: vec![2] }, 21),
        (1, Action::NotifyReopening { sent_on: day(21) }, 21),
        (1, Action::RecordInformation { summary: "ny".into(), obtained_from: "x".into(), obtained_on: day(21) }, 22),
        (1, Action::StartHearing { adverse_information: "løn".into(), sent_on: day(22), answer_days: None }, 22),
        (1, Action::CompleteHearing { answer: Some("svar".into()), on: day(30), document: None }, 30),
        (1, Action::SendToDeciding {}, 30),
        (2, Action::Receive {}, 30),
        (2, Action::Validate { notes: "ok".into() }, 30),
    ]);
    match path {
        Path::Revoke => s.extend([
            (2, Action::ProposeRevocation { reasons: "r".into(), keep_payment_months: 3 }, 30),
            (3, Action::ApproveRevocation {}, 30),
        ]),
        _ => s.push((2, Action::Uphold { reasons: "r".into() }, 30)),
    }
    s.push((2, Action::SendDecisionLetter { sent_on: day(60), channel: Channel::Physical }, 60));
    s
}

/// Something off the path, with its day: sent back (at a step of the path), or at its end closed once the
/// complaint deadline has run out, a complaint received, or a complaint taken to Ankestyrelsen, which
/// remits it or upholds the decision; or nothing.
fn detour(kind: u8, start: i64) -> Vec<(usize, Action, i64)> {
    let complaint = (2, Action::ReceiveComplaint { received_on: day(start + 65) }, 65);
    let appeal = |outcome| {
        [
            (
                2,
                Action::Reassess {
                    outcome: ReassessOutcome::Maintained,
                    reasons: "r".into(),
                    keep_payment_months: None,
                },
                70,
            ),
            (2, Action::ForwardToAppealsBoard {}, 70),
            (2, Action::RecordAppealsOutcome { outcome, decided_on: day(start + 150) }, 150),
        ]
    };
    match kind {
        0 => {
            vec![(2, Action::SendBack { reasons: vec![SendBackReason::HealthInformation], note: "mangler".into() }, 0)]
        }
        1 => vec![(2, Action::Close {}, 120)],
        2 => vec![complaint],
        3 => std::iter::once(complaint).chain(appeal(AppealsOutcome::Remitted)).collect(),
        4 => std::iter::once(complaint).chain(appeal(AppealsOutcome::Upheld)).collect(),
        _ => Vec::new(),
    }
}

/// One case: its home, its path, how far along it went, a detour and where, and how many days after the
/// import the path starts.
#[derive(Clone, Debug)]
struct Walk {
    home: usize,
    path: Path,
    length: usize,
    detour: u8,
    detour_at: usize,
    delay: i64,
}

fn walk() -> impl Strategy<Value = Walk> {
    (
        // Skewed towards one municipality, so that the others are small.
        prop_oneof![6 => Just(0_usize), 2 => Just(1_usize), 1 => Just(2_usize)],
        prop_oneof![Just(Path::Revoke), Just(Path::Uphold), Just(Path::NoGround)],
        // Half of the cases go all the way.
        prop_oneof![0_usize..24, Just(usize::MAX)],
        0_u8..7,
        0_usize..24,
        0_i64..200,
    )
        .prop_map(|(home, path, length, detour, detour_at, delay)| Walk {
            home,
            path,
            length,
            detour,
            detour_at,
            delay,
        })
}

/// The case and its history after `w`; steps the rules refuse are skipped.
fn run(id: i64, w: &Walk, routing: &Routing, staff: &Staff) -> (Case, Vec<Event>) {
    let home = HOMES[w.home];
    let facts = CaseFacts {
        cpr: format!("01018000{:02}", id % 100),
        birth_date: date(1980, 1, 1),
        awarded_on: date(2014, 1, 1),
        scheme: SchemeCode::Pl,
        municipality_code: home,
        area_id: "A1".into(),
        screened_as_of: date(2026, 12, 1),
        protected_veteran: false,
        screening_reason: String::new(),
        citizen: gennemgang_case::facts::Citizen::default(),
    };
    let who = people(home);
    let mut events = vec![start(id, facts, at(0))];
    let mut case = Case::from_events(&events).expect("import");
    let mut steps: Vec<(usize, Action, i64)> = script(home, w.path, w.delay).into_iter().take(w.length).collect();
    let detour = detour(w.detour, w.delay);
    if w.detour == 0 {
        // Sent back at a step of the path, on that step's day.
        let i = w.detour_at.min(steps.len());
        let d = steps.get(i.saturating_sub(1)).map_or(0, |s| s.2);
        for (actor, action, _) in detour {
            steps.insert(i, (actor, action, d));
        }
    } else {
        steps.extend(detour);
    }
    for (actor, action, d) in steps {
        let (today, recorded_at) = (day(w.delay + d), at(w.delay + d));
        let ctx =
            Context { today, routing, calendar: CalendarParams::builtin(), review: ReviewParams::builtin(), staff };
        if let Ok(event) = perform(&case, &who[actor], action, &ctx, recorded_at) {
            case.apply(&event);
            events.push(event);
        }
    }
    (case, events)
}

/// A cell of the statistics as the attacker sees it (shown with its value, or hidden), and its true value.
#[derive(Clone, Copy, Debug)]
struct Cell {
    shown: Option<i64>,
    truth: i64,
}

/// `Σ parts = Σ whole` (exact) or `Σ parts ≤ Σ whole`, over cell names.
struct Known {
    parts: Vec<String>,
    whole: Vec<String>,
    exact: bool,
}

fn names(ks: &[&str]) -> Vec<String> {
    ks.iter().map(|s| (*s).to_owned()).collect()
}

fn exact(parts: &[&str], whole: &str) -> Known {
    Known { parts: names(parts), whole: vec![whole.to_owned()], exact: true }
}

fn at_most(parts: &[&str], whole: &[&str]) -> Known {
    Known { parts: names(parts), whole: names(whole), exact: false }
}

/// No upper bound.
const INF: i64 = i64::MAX / 4;

type Ranges = BTreeMap<String, (i64, i64)>;

fn lo_of(r: &Ranges, ks: &[&String]) -> i64 {
    ks.iter().map(|k| r[*k].0).sum()
}

fn hi_of(r: &Ranges, ks: &[&String]) -> i64 {
    ks.iter().map(|k| r[*k].1).fold(0, |a, b| a.saturating_add(b).min(INF))
}

/// Ranges `[lo, hi]` of every cell: a shown cell is its value, a hidden one at least 1 (a zero is always
/// shown) and unbounded above; then every relation narrows every cell in it, until nothing moves. For
/// `small ≤ large` (both sums): a cell of `small` is at most hi(large) − lo(rest of small), a cell of
/// `large` at least lo(small) − hi(rest of large); an exact relation also holds the other way round.
fn attack(cells: &BTreeMap<String, Cell>, known: &[Known]) -> Ranges {
    let mut r: Ranges = cells.iter().map(|(k, c)| (k.clone(), c.shown.map_or((1, INF), |v| (v, v)))).collect();
    let mut moved = true;
    while moved {
        moved = false;
        for k in known {
            let mut ways = vec![(&k.parts, &k.whole)];
            if k.exact {
                ways.push((&k.whole, &k.parts));
            }
            for (small, large) in ways {
                let small: Vec<&String> = small.iter().collect();
                let large: Vec<&String> = large.iter().collect();
                for (side, other, upper) in [(&small, &large, true), (&large, &small, false)] {
                    for name in side.iter() {
                        let rest: Vec<&String> = side.iter().filter(|n| **n != *name).copied().collect();
                        let (mut l, mut h) = r[*name];
                        if upper && hi_of(&r, other) < INF {
                            h = h.min(hi_of(&r, other) - lo_of(&r, &rest));
                        }
                        if !upper && hi_of(&r, &rest) < INF {
                            l = l.max(lo_of(&r, other) - hi_of(&r, &rest));
                        }
                        if (l, h) != r[*name] {
                            r.insert((*name).clone(), (l, h));
                            moved = true;
                        }
                    }
                }
            }
        }
    }
    r
}

fn value(c: Count) -> Option<i64> {
    match c {
        Count::Shown(n) => Some(i64::try_from(n).expect("small")),
        Count::Suppressed(_) | Count::Hidden(_) => None,
    }
}

/// The statistics as named cells, with their true values counted here from the cases and histories.
fn cells(
    stats: &Statistics,
    cases: &[Case],
    events: &[Event],
    routing: &Routing,
    today: Date,
) -> BTreeMap<String, Cell> {
    let mut truth: BTreeMap<String, i64> = BTreeMap::new();
    let mut add = |k: String| *truth.entry(k).or_default() += 1;
    for c in cases {
        add("total".into());
        add(format!("phase:{}", c.phase().name()));
        add(format!("municipality:{}", c.home_municipality));
        match (&c.decision, c.state) {
            (Some(d), _) => add(format!("outcome:{}", if d.revoked { "revoked" } else { "upheld" })),
            (None, State::ClosedValidated) => add("outcome:no_ground".into()),
            _ => {}
        }
        let processing = gennemgang_case::processing::processing_deadline(c, routing).filter(|d| d.overdue(today));
        if let Some(d) = &processing {
            add(format!("processing:{}", d.phase.name()));
        }
        let open = c.phase() != Phase::Closed;
        if open && (processing.is_some() || c.next_deadline().is_some_and(|(due, _)| due < today)) {
            add("overdue".into());
        }
    }
    for history in events.chunk_by(|a, b| a.case_id == b.case_id) {
        for stay in Case::phase_stays(history).expect("folds") {
            add(format!("left:{}", stay.phase.name()));
        }
    }
    let mut out = BTreeMap::new();
    let mut put = |k: String, c: Count| {
        let t = truth.get(&k).copied().unwrap_or(0);
        out.insert(k, Cell { shown: value(c), truth: t });
    };
    put("total".into(), stats.total);
    for r in &stats.by_phase {
        put(format!("phase:{}", r.group), r.count);
    }
    for r in &stats.by_municipality {
        put(format!("municipality:{}", r.group), r.count);
    }
    for r in &stats.by_outcome {
        put(format!("outcome:{}", r.group), r.count);
    }
    put("overdue".into(), stats.overdue);
    for r in &stats.processing_overdue {
        put(format!("processing:{}", r.group), r.count);
    }
    for t in &stats.time_per_phase {
        put(format!("left:{}", t.phase), t.cases);
    }
    out
}

/// What a reader knows about the statistics, whatever the cases: the phases and the municipalities add up
/// to the total; decisions and validations are past phase 2, validations closed; every case after the
/// decision was decided; overdue cases are open, and those past a processing deadline are among them and
/// among their phase's cases; a case no longer in phase 1 has left it, a decided case has left phase 2, a
/// case after the decision or validated has left phase 3 (time per phase counts every stay, so at least
/// those).
fn relations(municipalities: &[String]) -> Vec<Known> {
    let ms: Vec<&str> = municipalities.iter().map(String::as_str).collect();
    vec![
        exact(&["phase:review", "phase:reopening", "phase:decision", "phase:after_decision", "phase:closed"], "total"),
        exact(&ms, "total"),
        at_most(
            &["outcome:revoked", "outcome:upheld", "outcome:no_ground"],
            &["phase:decision", "phase:after_decision", "phase:closed"],
        ),
        at_most(&["outcome:no_ground"], &["phase:closed"]),
        at_most(&["phase:after_decision"], &["outcome:revoked", "outcome:upheld"]),
        at_most(&["overdue"], &["phase:review", "phase:reopening", "phase:decision", "phase:after_decision"]),
        at_most(&["processing:review", "processing:reopening", "processing:decision"], &["overdue"]),
        at_most(&["processing:review"], &["phase:review"]),
        at_most(&["processing:reopening"], &["phase:reopening"]),
        at_most(&["processing:decision"], &["phase:decision"]),
        at_most(&["phase:reopening", "phase:decision", "phase:after_decision", "phase:closed"], &["left:review"]),
        at_most(&["outcome:revoked", "outcome:upheld"], &["left:reopening"]),
        at_most(&["phase:after_decision", "outcome:no_ground"], &["left:decision"]),
    ]
}

/// Counts the population of `walks`, on `today`.
fn population(walks: &[Walk]) -> (Vec<Case>, Vec<Event>) {
    let routing = Routing::default();
    let staff = Staff::new(HOMES.map(|m| (format!("sb{m}"), m)));
    let mut cases = Vec::new();
    let mut events = Vec::new();
    for (id, w) in (1..).zip(walks) {
        let (case, history) = run(id, w, &routing, &staff);
        cases.push(case);
        events.extend(history);
    }
    (cases, events)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn no_small_count_can_be_derived_from_the_statistics(
        walks in prop::collection::vec(walk(), 0..40),
        today in 0_i64..400,
    ) {
        let routing = Routing::default();
        let today = day(today);
        let (cases, events) = population(&walks);
        let stats = compute(&cases, &events, &routing, today);
        let cells = cells(&stats, &cases, &events, &routing, today);
        let municipalities: Vec<String> = cells.keys().filter(|k| k.starts_with("municipality:")).cloned().collect();
        let ranges = attack(&cells, &relations(&municipalities));
        for (name, cell) in &cells {
            let (lo, hi) = ranges[name];
            // What is shown is true and never 1-4; what is hidden is never zero.
            match cell.shown {
                Some(v) => prop_assert!(v == cell.truth && (v == 0 || v >= 5), "{}: shown {}, true {}", name, v, cell.truth),
                None => prop_assert!(cell.truth >= 1, "{}: a hidden zero", name),
            }
            // The attacker is sound: every relation it used holds.
            prop_assert!(lo <= cell.truth && cell.truth <= hi, "{}: true {} outside [{}, {}]", name, cell.truth, lo, hi);
            if cell.shown.is_none() && (1..5).contains(&cell.truth) {
                prop_assert!(lo < hi, "{}: the hidden {} is derived exactly, from {:?}", name, cell.truth, stats);
            }
        }
        // A median or a longest stay is only shown with its count (it would tell that the count is at least 5).
        for t in &stats.time_per_phase {
            prop_assert_eq!(t.median_days.is_some(), matches!(t.cases, Count::Shown(n) if n >= 5), "{:?}", t);
        }
    }
}

/// The issue's worked case through the real `compute`: twelve cases, nine in phase 1 and three reopened. The
/// three is hidden, and so is the nine (12 − 9 = 3).
#[test]
fn twelve_cases_nine_and_three_hide_both() {
    let reopened = script(159, Path::Revoke, 0).iter().position(|(_, a, _)| matches!(a, Action::AssessReopen { .. }));
    let reopened = reopened.expect("the path reopens") + 1;
    let walks: Vec<Walk> = (1..=12)
        .map(|id| Walk {
            home: 0,
            path: Path::Revoke,
            length: if id <= 9 { 1 } else { reopened },
            detour: 9,
            detour_at: 0,
            delay: 0,
        })
        .collect();
    let (cases, events) = population(&walks);
    let stats = compute(&cases, &events, &Routing::default(), day(1));
    let phase = |name: &str| stats.by_phase.iter().find(|r| r.group == name).map(|r| r.count);
    assert_eq!(stats.total, Count::Shown(12));
    assert_eq!((phase("review"), phase("reopening")), (Some(Count::HIDDEN), Some(Count::HIDDEN)), "{stats:?}");
    assert_eq!(stats.by_municipality[0].count, Count::Shown(12));
}
