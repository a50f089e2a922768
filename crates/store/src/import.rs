//! Planning an import: a screening's included rows become new cases; for cases already open, a newer
//! screening's changes become flags (moved, left the area, died, emigrated, turned 60, pension ceased, no
//! longer in the screening) instead of silently dropping anyone. Importing the same screening twice plans
//! nothing the second time.

use gennemgang_case::action::{Action, Flag};
use gennemgang_case::actor::Actor;
use gennemgang_case::case::{Case, Event, Phase};
use gennemgang_case::facts::{CaseFacts, SchemeCode};
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};

/// One row of a screening output (CONTRACT.md `gennemgang screen`).
#[derive(Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Full CPR number.
    pub cpr: String,
    /// In the target group.
    pub included: bool,
    /// Housing area (empty when not in a selected area).
    pub area_id: String,
    /// Home municipality.
    pub municipality_code: u16,
    /// Birth date.
    pub birth_date: Date,
    /// Age on the screening date.
    pub age_on_as_of: i16,
    /// CPR status code (01, 03, 70, 80, 90, …).
    pub cpr_status: String,
    /// Award date.
    pub awarded_on: Date,
    /// Scheme.
    pub scheme: SchemeCode,
    /// Pension status (`active`, `dormant`, `ceased`).
    pub pension_status: String,
    /// Exemption categories.
    pub exemptions: Vec<String>,
    /// Screening date.
    pub as_of: Date,
    /// The screening's reason (Danish, each criterion with its rule); may be empty.
    pub reason: String,
    /// The citizen's name, address and protection, where the screening gives them.
    pub citizen: gennemgang_case::facts::Citizen,
}

impl std::fmt::Debug for ImportRow {
    /// The CPR number masked and the reason left out: debug output can end up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportRow")
            .field("cpr", &gennemgang_case::facts::masked_cpr(&self.cpr))
            .field("included", &self.included)
            .field("area_id", &self.area_id)
            .field("municipality_code", &self.municipality_code)
            .field("as_of", &self.as_of)
            .finish_non_exhaustive()
    }
}

/// What an import will write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// New cases, each with the flags its row sets from the start.
    pub new_cases: Vec<NewCase>,
    /// Flags on existing cases, in version order per case.
    pub flags: Vec<Event>,
}

/// A case the import creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCase {
    /// What the screening says of the citizen and the pension.
    pub facts: CaseFacts,
    /// What its row already reports (died, left Denmark, the pension ceased or dormant, turned 60): set
    /// when the case is created, not only when the same row comes again.
    pub flags: Vec<Flag>,
}

/// What an import wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Cases created.
    pub created: usize,
    /// Cases that got at least one flag, new ones included.
    pub flagged: usize,
    /// Flags written.
    pub flags: usize,
    /// Included rows whose case already existed unchanged.
    pub unchanged: usize,
}

/// What a row reports of the citizen whatever their case holds: CPR status, the pension's status, and the
/// age bar: after the 60th birthday a pension cannot be revoked without the pensioner's consent (PL § 44,
/// stk. 3), which is why the model reviews persons under 60.
fn row_flags(row: &ImportRow) -> Vec<Flag> {
    let mut flags = Vec::new();
    match row.cpr_status.as_str() {
        "90" => flags.push(Flag::Died),
        "70" | "80" => flags.push(Flag::LeftDenmark),
        _ => {}
    }
    // A dormant pension is not a ceased one (whether it counts as "på førtidspension" is the screening's
    // reading; here it is only reported).
    match row.pension_status.as_str() {
        "ceased" => flags.push(Flag::PensionCeased),
        "dormant" => flags.push(Flag::PensionDormant),
        _ => {}
    }
    if row.age_on_as_of >= 60 {
        flags.push(Flag::Turned60);
    }
    flags
}

fn flags_for(case: &Case, row: &ImportRow) -> Vec<Flag> {
    let mut flags = row_flags(row);
    if row.municipality_code != case.home_municipality && case.phase() <= Phase::Reopening {
        flags.push(Flag::Moved { from: case.home_municipality, to: row.municipality_code });
    }
    if !row.included && row.area_id.is_empty() {
        flags.push(Flag::LeftArea);
    }
    // A screening without names (an older extract) says nothing about them; one with them replaces them.
    let changes = case.citizen.changes(&row.citizen);
    if !row.citizen.is_unknown() && !changes.is_empty() {
        flags.push(Flag::CitizenChanged { citizen: row.citizen.clone(), changes });
    }
    flags.retain(|f| matches!(f, Flag::Moved { .. } | Flag::CitizenChanged { .. }) || !case.flags.contains(f));
    flags
}

/// Plans an import against the cases already in the store.
#[must_use]
pub fn plan(existing: &[Case], rows: &[ImportRow], recorded_at: jiff::Timestamp) -> (ImportPlan, ImportReport) {
    let by_cpr: HashMap<&str, &Case> = existing.iter().map(|c| (c.facts.cpr.as_str(), c)).collect();
    let mut plan = ImportPlan::default();
    let mut report = ImportReport::default();
    let mut seen: HashSet<&str> = HashSet::with_capacity(rows.len());
    let flag = |case: &Case, flags: Vec<Flag>, plan: &mut ImportPlan, report: &mut ImportReport| {
        if flags.is_empty() {
            return false;
        }
        report.flagged += 1;
        report.flags += flags.len();
        for (k, flag) in flags.into_iter().enumerate() {
            let version = case.version + u32::try_from(k).unwrap_or(u32::MAX) + 1;
            plan.flags.push(flag_event(case.id, version, flag, recorded_at));
        }
        true
    };
    for row in rows {
        if !seen.insert(row.cpr.as_str()) {
            continue;
        }
        match by_cpr.get(row.cpr.as_str()) {
            Some(case) if case.phase() == Phase::Closed => {}
            Some(case) => {
                let flagged = flag(case, flags_for(case, row), &mut plan, &mut report);
                if !flagged && row.included {
                    report.unchanged += 1;
                }
            }
            None if row.included => {
                report.created += 1;
                let flags = row_flags(row);
                if !flags.is_empty() {
                    report.flagged += 1;
                    report.flags += flags.len();
                }
                let facts = CaseFacts {
                    cpr: row.cpr.clone(),
                    birth_date: row.birth_date,
                    awarded_on: row.awarded_on,
                    scheme: row.scheme,
                    municipality_code: row.municipality_code,
                    area_id: row.area_id.clone(),
                    screened_as_of: row.as_of,
                    protected_veteran: row.exemptions.iter().any(|e| e == "deployed_veteran"),
                    screening_reason: row.reason.clone(),
                    citizen: row.citizen.clone(),
                };
                plan.new_cases.push(NewCase { facts, flags });
            }
            None => {}
        }
    }
    for case in existing {
        if case.phase() != Phase::Closed
            && !seen.contains(case.facts.cpr.as_str())
            && !case.flags.contains(&Flag::NotInScreening)
        {
            flag(case, vec![Flag::NotInScreening], &mut plan, &mut report);
        }
    }
    (plan, report)
}

/// The events a plan writes: an import event for each new case (ids from `first_id` on) followed by its
/// row's flags, then the flags on existing cases.
#[must_use]
pub fn events(plan: &ImportPlan, first_id: i64, recorded_at: jiff::Timestamp) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(plan.new_cases.len() + plan.flags.len());
    for (new, id) in plan.new_cases.iter().zip(first_id..) {
        let start = gennemgang_case::start(id, new.facts.clone(), recorded_at);
        let version = start.version;
        out.push(start);
        out.extend(
            new.flags
                .iter()
                .zip(version + 1..)
                .map(|(flag, version)| flag_event(id, version, flag.clone(), recorded_at)),
        );
    }
    out.extend(plan.flags.iter().cloned());
    out
}

/// The event of a flag the registers set.
fn flag_event(case_id: i64, version: u32, flag: Flag, recorded_at: jiff::Timestamp) -> Event {
    Event {
        case_id,
        version,
        recorded_at,
        actor: Actor::system(),
        action: Action::RegisterFlag { flag },
        outcome: gennemgang_case::event::Outcome::None,
        on: None,
        schema: gennemgang_case::event::SCHEMA,
    }
}

/// Everything an import writes, computed in memory inside the adapter's transaction.
#[derive(Clone, Debug)]
pub struct ImportWrites {
    /// What the import did.
    pub report: ImportReport,
    /// The new events, linked after the chain's head.
    pub linked: Vec<crate::chain::Linked>,
    /// Each case whose projection changes, with the version it had (`None`: new).
    pub cases: Vec<(Option<u32>, Case)>,
}

/// Plans an import against `existing` and computes its writes: events linked after `head` (the chain's last
/// hash), and the new projections of the cases they touch. New cases are numbered after `highest`, the
/// highest case id the history has held: an erased case keeps its id in the history, so a new case never
/// takes it (nor its access-log entries).
///
/// A screening older than the newest the cases come from is refused, and so is one of a day on or before
/// `erased` (the last erasure after retention): an erased case's CPR number is gone, so a citizen it names
/// whose finished review was erased would be a new case (found by an outside check that imported the same
/// screening again after an erasure). A screening made after the erasure is of the registers as they are then.
///
/// # Errors
/// A stored case or event cannot be (de)serialized; the screening is older than one imported, or predates
/// the last erasure.
pub fn writes(
    existing: Vec<Case>,
    highest: i64,
    erased: Option<jiff::Timestamp>,
    rows: &[ImportRow],
    head: &str,
    recorded_at: jiff::Timestamp,
) -> Result<ImportWrites, crate::StoreError> {
    let as_of = rows.iter().map(|r| r.as_of).min();
    if let (Some(erased), Some(as_of)) = (erased, as_of) {
        // The day as `retention` tells it: in Copenhagen (an erasure at 23:30 UTC is of the next day there;
        // found by an outside check).
        let erased_on = gennemgang_rules::date::day_of(erased);
        if as_of <= erased_on {
            return Err(crate::StoreError::ScreeningBeforeErasure { as_of, erased_on });
        }
    }
    // An older screening after a newer one would flag the cases back to what the registers said before
    // (found by an outside check). The newest known is that of the cases' own screenings.
    if let (Some(newest), Some(as_of)) = (existing.iter().map(|c| c.facts.screened_as_of).max(), as_of)
        && as_of < newest
    {
        return Err(crate::StoreError::ScreeningOlder { as_of, newest });
    }
    let (plan, report) = plan(&existing, rows, recorded_at);
    let first_id = existing.iter().map(|c| c.id).max().unwrap_or(0).max(highest) + 1;
    let events = events(&plan, first_id, recorded_at);
    let linked = crate::chain::link(head, &events).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
    let mut cases: std::collections::BTreeMap<i64, (Option<u32>, Case)> =
        existing.into_iter().map(|c| (c.id, (Some(c.version), c))).collect();
    for event in &events {
        match cases.get_mut(&event.case_id) {
            Some((_, case)) => case.apply(event),
            None => {
                let case = Case::from_events(std::slice::from_ref(event))
                    .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
                cases.insert(event.case_id, (None, case));
            }
        }
    }
    let cases = cases.into_values().filter(|(previous, case)| *previous != Some(case.version)).collect();
    Ok(ImportWrites { report, linked, cases })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn row(cpr: &str, municipality: u16) -> ImportRow {
        ImportRow {
            cpr: cpr.into(),
            included: true,
            area_id: "A1".into(),
            municipality_code: municipality,
            birth_date: date(1980, 1, 1),
            age_on_as_of: 46,
            cpr_status: "01".into(),
            awarded_on: date(2015, 1, 1),
            scheme: SchemeCode::Pl,
            pension_status: "active".into(),
            exemptions: Vec::new(),
            as_of: date(2026, 12, 1),
            reason: String::new(),
            citizen: gennemgang_case::facts::Citizen::default(),
        }
    }

    /// A screening of the erasure's day in Copenhagen is refused, also when that day has begun there and
    /// not yet in UTC (found by an outside check: an erasure at 23:30 UTC let a screening of the next day
    /// open the erased review again); the next day's is taken.
    #[test]
    fn a_screening_of_the_erasures_day_in_copenhagen_is_refused() {
        let erased: jiff::Timestamp = "2033-01-03T23:30:00Z".parse().expect("instant");
        let mut on_the_day = row("0101800001", 159);
        on_the_day.as_of = date(2033, 1, 4);
        let refused = writes(Vec::new(), 7, Some(erased), &[on_the_day.clone()], crate::chain::GENESIS, erased);
        assert!(
            matches!(
                refused,
                Err(crate::StoreError::ScreeningBeforeErasure { as_of, erased_on })
                    if as_of == date(2033, 1, 4) && erased_on == date(2033, 1, 4)
            ),
            "{refused:?}"
        );
        let mut after = on_the_day;
        after.as_of = date(2033, 1, 5);
        assert_eq!(
            writes(Vec::new(), 7, Some(erased), &[after], crate::chain::GENESIS, erased).expect("taken").report.created,
            1
        );
    }

    /// A screening older than one already imported is refused (its flags would move a case back and put
    /// an earlier address on it; found by an outside check); the same screening again, or a newer one, is
    /// taken.
    #[test]
    fn an_older_screening_after_a_newer_one_is_refused() {
        let at = jiff::Timestamp::UNIX_EPOCH;
        let mut newer = row("0101800001", 159);
        newer.as_of = date(2026, 6, 1);
        let first =
            writes(Vec::new(), 0, None, std::slice::from_ref(&newer), crate::chain::GENESIS, at).expect("first");
        let cases: Vec<Case> = first.cases.into_iter().map(|(_, c)| c).collect();
        let mut older = newer.clone();
        older.as_of = date(2026, 1, 1);
        older.municipality_code = 147;
        let refused = writes(cases.clone(), 1, None, &[older], crate::chain::GENESIS, at);
        assert!(
            matches!(refused, Err(crate::StoreError::ScreeningOlder { as_of, newest })
                if as_of == date(2026, 1, 1) && newest == date(2026, 6, 1)),
            "{refused:?}"
        );
        assert_eq!(
            writes(cases.clone(), 1, None, &[newer.clone()], crate::chain::GENESIS, at)
                .expect("again")
                .report
                .unchanged,
            1
        );
        let mut later = newer;
        later.as_of = date(2026, 12, 1);
        assert!(writes(cases, 1, None, &[later], crate::chain::GENESIS, at).is_ok());
    }

    /// The cases a plan creates, folded from the events it writes.
    fn cases_from(plan: &ImportPlan) -> Vec<Case> {
        let events = events(plan, 1, jiff::Timestamp::UNIX_EPOCH);
        let ids: Vec<i64> = (1..).take(plan.new_cases.len()).collect();
        ids.iter()
            .map(|id| {
                let own: Vec<Event> = events.iter().filter(|e| e.case_id == *id).cloned().collect();
                Case::from_events(&own).expect("import")
            })
            .collect()
    }

    /// What the row already says is on the case from its start (an outside check found a citizen who had
    /// died flagged only when the same screening was imported a second time), and the same screening again
    /// plans nothing.
    #[test]
    fn a_new_case_carries_its_rows_flags_from_the_start() {
        let mut rows = vec![row("0101500001", 159), row("0101800002", 159), row("0101800003", 159)];
        rows[0].age_on_as_of = 76;
        rows[1].cpr_status = "90".into();
        rows[2].pension_status = "dormant".into();
        let (first, report) = plan(&[], &rows, jiff::Timestamp::UNIX_EPOCH);
        assert_eq!((report.created, report.flagged, report.flags), (3, 3, 3));
        let cases = cases_from(&first);
        assert_eq!(cases[0].flags, vec![Flag::Turned60]);
        assert_eq!(cases[1].flags, vec![Flag::Died]);
        assert_eq!(cases[2].flags, vec![Flag::PensionDormant]);
        assert!(cases.iter().all(|c| c.version == 2), "the start, then the flag");
        let (second, report) = plan(&cases, &rows, jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(second, ImportPlan::default());
        assert_eq!((report.created, report.flagged, report.unchanged), (0, 0, 3));
    }

    #[test]
    fn the_same_screening_twice_plans_nothing_the_second_time() {
        let rows = vec![row("0101800001", 159), row("0101800002", 101)];
        let (first, report) = plan(&[], &rows, jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(report.created, 2);
        let cases = cases_from(&first);
        let (second, report) = plan(&cases, &rows, jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(second, ImportPlan::default());
        assert_eq!(report.unchanged, 2);
    }

    #[test]
    fn a_newer_screening_flags_instead_of_dropping() {
        let rows = vec![row("0101800001", 159), row("0101800002", 101), row("0101800003", 101)];
        let (first, _) = plan(&[], &rows, jiff::Timestamp::UNIX_EPOCH);
        let cases = cases_from(&first);
        let mut newer = vec![row("0101800001", 751), row("0101800002", 101)];
        newer[1].cpr_status = "90".into();
        newer[1].age_on_as_of = 60;
        let (second, report) = plan(&cases, &newer, jiff::Timestamp::UNIX_EPOCH);
        let flags: Vec<(i64, u32, &Action)> = second.flags.iter().map(|e| (e.case_id, e.version, &e.action)).collect();
        assert_eq!(
            flags,
            vec![
                (1, 2, &Action::RegisterFlag { flag: Flag::Moved { from: 159, to: 751 } }),
                (2, 2, &Action::RegisterFlag { flag: Flag::Died }),
                (2, 3, &Action::RegisterFlag { flag: Flag::Turned60 }),
                (3, 2, &Action::RegisterFlag { flag: Flag::NotInScreening }),
            ]
        );
        assert_eq!((report.created, report.flagged, report.flags), (0, 3, 4));
    }

    #[test]
    fn a_dormant_pension_is_reported_as_dormant_not_ceased() {
        let rows = vec![row("0101800001", 159), row("0101800002", 159)];
        let (first, _) = plan(&[], &rows, jiff::Timestamp::UNIX_EPOCH);
        let cases = cases_from(&first);
        let mut newer = rows.clone();
        newer[0].pension_status = "dormant".into();
        newer[1].pension_status = "ceased".into();
        let (second, _) = plan(&cases, &newer, jiff::Timestamp::UNIX_EPOCH);
        let flags: Vec<&Action> = second.flags.iter().map(|e| &e.action).collect();
        assert_eq!(
            flags,
            vec![
                &Action::RegisterFlag { flag: Flag::PensionDormant },
                &Action::RegisterFlag { flag: Flag::PensionCeased }
            ]
        );
    }

    #[test]
    fn a_newer_screening_with_a_new_address_updates_the_citizen_and_says_what_changed() {
        use gennemgang_case::facts::{Address, Citizen, CitizenChange};
        let citizen = |street: &str, protected: bool| Citizen {
            name: "Ayşe Yılmaz".into(),
            address: Some(Address { street: street.into(), postcode: "8210".into(), city: "Aarhus V".into() }),
            address_protected: protected,
        };
        let mut rows = vec![row("0101800001", 751)];
        rows[0].citizen = citizen("Bøgeparken 12, 3. tv", false);
        let (first, _) = plan(&[], &rows, jiff::Timestamp::UNIX_EPOCH);
        let case = &cases_from(&first)[0];
        assert_eq!(case.citizen, rows[0].citizen, "the import's citizen");
        // Unchanged, and a screening without names: nothing.
        assert_eq!(plan(std::slice::from_ref(case), &rows, jiff::Timestamp::UNIX_EPOCH).0, ImportPlan::default());
        assert_eq!(
            plan(std::slice::from_ref(case), &[row("0101800001", 751)], jiff::Timestamp::UNIX_EPOCH).0,
            ImportPlan::default()
        );
        let mut newer = rows.clone();
        newer[0].citizen = citizen("Rosenvænget 3, st. th", true);
        let (second, _) = plan(std::slice::from_ref(case), &newer, jiff::Timestamp::UNIX_EPOCH);
        let Action::RegisterFlag { flag: flag @ Flag::CitizenChanged { changes, .. } } = &second.flags[0].action else {
            panic!("{:?}", second.flags);
        };
        assert_eq!(changes, &[CitizenChange::Address, CitizenChange::ProtectionGiven]);
        assert_eq!(flag.danish(), "Nye oplysninger fra CPR: ny adresse, navne- og adressebeskyttelse givet");
        let mut events = vec![gennemgang_case::start(1, first.new_cases[0].facts.clone(), jiff::Timestamp::UNIX_EPOCH)];
        events.extend(second.flags.iter().cloned());
        let updated = Case::from_events(&events).expect("fold");
        assert_eq!(updated.citizen, newer[0].citizen, "the case's citizen is the newer screening's");
        assert_eq!(updated.facts.citizen, rows[0].citizen, "the import's facts stay as they were");
    }
}
