//! The test world: one case, a clock that only moves forward, and the people of three municipalities.

use gennemgang_case::action::{Action, Source};
use gennemgang_case::actor::{Actor, Role};
use gennemgang_case::case::{Case, Event};
use gennemgang_case::decide::{Context, Staff};
use gennemgang_case::facts::{CaseFacts, Routing, SchemeCode};
use gennemgang_case::{PerformError, perform, start};
use gennemgang_rules::calendar::params::CalendarParams;
use gennemgang_rules::review::ReviewParams;
use jiff::civil::{Date, date};

pub fn facts() -> CaseFacts {
    CaseFacts {
        cpr: "0101800000".into(),
        birth_date: date(1980, 1, 1),
        awarded_on: date(2015, 6, 1),
        scheme: SchemeCode::Pl,
        municipality_code: 159,
        area_id: "A1".into(),
        screened_as_of: date(2026, 12, 1),
        protected_veteran: false,
        screening_reason: String::new(),
        citizen: gennemgang_case::facts::Citizen::default(),
    }
}

pub fn actor(user: &str, role: Role, municipality: u16) -> Actor {
    Actor { user: user.into(), role, municipality: Some(municipality) }
}

pub fn lead() -> Actor {
    actor("leder", Role::HomeTeamLead, 159)
}
pub fn worker() -> Actor {
    actor("sagsbeh", Role::HomeCaseworker, 159)
}
pub fn decider() -> Actor {
    actor("afgoer", Role::DecidingCaseworker, 101)
}
pub fn approver() -> Actor {
    actor("attest", Role::DecidingApprover, 101)
}

pub fn staff() -> Staff {
    Staff::new([("sagsbeh".to_owned(), 159), ("aarhus-sb".to_owned(), 751)])
}

#[derive(Clone)]
pub struct World {
    pub events: Vec<Event>,
    pub case: Case,
    pub today: Date,
    pub routing: Routing,
    pub staff: Staff,
}

impl World {
    pub fn new(facts: CaseFacts) -> World {
        let first = start(1, facts, jiff::Timestamp::UNIX_EPOCH);
        let case = Case::from_events(std::slice::from_ref(&first)).expect("import");
        World { events: vec![first], case, today: date(2026, 12, 7), routing: Routing::default(), staff: staff() }
    }

    /// Lets time pass (never backwards).
    pub fn on(&mut self, day: Date) -> &mut World {
        assert!(day >= self.today, "the clock only moves forward");
        self.today = day;
        self
    }

    /// An operator's `--today` set before the case's latest day (which the case must refuse).
    pub fn rewind(&mut self, day: Date) -> &mut World {
        self.today = day;
        self
    }

    pub fn try_act(&mut self, who: &Actor, action: Action) -> Result<(), PerformError> {
        let ctx = Context {
            today: self.today,
            routing: &self.routing,
            calendar: CalendarParams::builtin(),
            review: ReviewParams::builtin(),
            staff: &self.staff,
        };
        let event = perform(&self.case, who, action, &ctx, jiff::Timestamp::UNIX_EPOCH)?;
        self.case.apply(&event);
        self.events.push(event);
        Ok(())
    }

    /// The actions the case's state offers now, under this world's routing.
    pub fn candidates(&self) -> Vec<gennemgang_case::action::ActionKind> {
        gennemgang_case::decide::candidates(&self.case, &self.routing, ReviewParams::builtin())
    }

    pub fn act(&mut self, who: &Actor, action: Action) {
        let name = action.name();
        self.try_act(who, action).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

pub fn evidence(source: Source) -> Action {
    Action::RecordEvidence { source, summary: "oplysning".into(), obtained_on: date(2026, 12, 2) }
}

/// Phase 1's checklist: three sources consulted, two marked as not relevant with a reason.
pub fn checklist(w: &mut World) {
    for source in [Source::PensionCase, Source::IncomeRegister, Source::CriminalRecord] {
        w.act(&worker(), evidence(source));
    }
    for source in [Source::OtherAdministration, Source::PublicActivity] {
        w.act(&worker(), Action::MarkNotRelevant { source, reason: "Ikke aktuelt for borgeren.".into() });
    }
}

/// Phase 1 up to the assessment: assigned, checklist done, interview held on Thursday 10 December 2026.
pub fn through_phase_1(w: &mut World) {
    if w.case.assigned_to.as_deref() != Some("sagsbeh") {
        w.act(&lead(), Action::Assign { caseworker: "sagsbeh".into() });
    }
    checklist(w);
    w.act(&worker(), Action::Summon { interview_on: date(2026, 12, 10) });
    w.on(date(2026, 12, 10));
    w.act(&worker(), Action::HoldInterview { journal_note: "Borgeren oplyste at arbejde 20 timer om ugen.".into() });
}

/// Phase 2 from the reopening up to sending, with health information and (if `hearing`) a hearing answered.
pub fn through_phase_2(w: &mut World, hearing: bool) {
    through_phase_1(w);
    w.act(&worker(), Action::AssessReopen { ground: "Indkomstregistret viser lønindkomst.".into(), evidence: vec![1] });
    w.on(date(2026, 12, 11));
    w.act(&worker(), Action::NotifyReopening { sent_on: date(2026, 12, 11) });
    w.act(&worker(), Action::RecordConsent { granted: true, scope: "Egen læge, journal 2025-2026".into() });
    w.on(date(2026, 12, 15));
    w.act(
        &worker(),
        Action::RecordHealthInformation {
            summary: "Statusattest".into(),
            obtained_from: "egen læge".into(),
            obtained_on: date(2026, 12, 15),
        },
    );
    if hearing {
        heard(w, date(2026, 12, 16), Some("Jeg arbejder i fleksjob."));
    }
    w.act(&worker(), Action::SendToDeciding {});
}

/// A hearing sent on `sent_on`, answered four days later or, without an answer, closed after its period.
pub fn heard(w: &mut World, sent_on: Date, answer: Option<&str>) {
    w.on(sent_on);
    w.act(
        &worker(),
        Action::StartHearing { adverse_information: "Lønindkomst 2025".into(), sent_on, answer_days: None },
    );
    let gennemgang_case::case::Hearing::Pending { answer_by, .. } = w.case.hearing else { panic!("pending") };
    let on = match answer {
        Some(_) => sent_on.checked_add(jiff::ToSpan::days(4)).expect("date"),
        None => answer_by.tomorrow().expect("date"),
    };
    w.on(on);
    w.act(&worker(), Action::CompleteHearing { answer: answer.map(str::to_owned), on, document: None });
}

/// Received and validated by the deciding municipality.
pub fn validated(w: &mut World) {
    w.act(&decider(), Action::Receive {});
    w.act(&decider(), Action::Validate { notes: "Sagen er tilstrækkeligt oplyst.".into() });
}

pub fn propose() -> Action {
    Action::ProposeRevocation {
        reasons: "Arbejdsevnen er forbedret væsentligt og varigt.".into(),
        keep_payment_months: 3,
    }
}
