//! The legal citations of the review, written once. Guards, information sources, refusals and letters
//! point here, so a § is corrected in one place and nothing a citizen or caseworker reads names an internal
//! file.

/// A rule the review applies, by its citation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Citation {
    /// The government's model for the review (December 2025).
    Model,
    /// RSL § 3, stk. 2: published processing deadlines, and word to the citizen when one is exceeded.
    Rsl3Stk2,
    /// RSL § 10: the municipality informs the case (officialprincippet).
    Rsl10,
    /// RSL § 11 a, stk. 1: information with prior consent.
    Rsl11a1,
    /// RSL § 11 a, stk. 2: economic information without consent, also for control.
    Rsl11a2,
    /// RSL § 11 b: the case decided on the existing basis when the citizen does not take part.
    Rsl11b,
    /// RSL § 12: the municipality tells the citizen what information it obtains.
    Rsl12,
    /// OFL § 13: the duty to take notes.
    Ofl13,
    /// FVL § 9: access to one's own case (aktindsigt).
    Fvl9,
    /// FVL § 19, stk. 1: hearing of the party.
    Fvl19,
    /// FVL § 19, stk. 2: exceptions from the hearing.
    Fvl19Stk2,
    /// FVL §§ 22-24: reasons.
    Fvl22To24,
    /// FVL § 25: complaint guidance.
    Fvl25,
    /// PL § 44, stk. 1: revocation and up to three months' continued payment.
    Pl44Stk1,
    /// PL § 44, stk. 3: no revocation after the 60th birthday.
    Pl44Stk3,
    /// PL § 44, stk. 4: no revocation 2023-2025.
    Pl44Stk4,
    /// PL § 44, stk. 5: deployed veterans with covered diagnoses.
    Pl44Stk5,
    /// GFPL § 44: pre-2003 pensions cannot be revoked.
    Gfpl44,
    /// RSL § 66: reassessment before a complaint is sent on.
    Rsl66,
    /// RSL § 67: four weeks to complain.
    Rsl67,
    /// RSL § 72: a complaint does not suspend the decision.
    Rsl72,
    /// The rehabilitation team's recommendation (bekendtgørelse om rehabiliteringsplan og
    /// rehabiliteringsteamets indstilling, under lov om organisering og understøttelse af
    /// beskæftigelsesindsatsen § 9).
    RehabilitationTeam,
    /// GDPR art. 14: information when data are not obtained from the citizen.
    Gdpr14,
}

impl Citation {
    /// The citation as a citizen or caseworker reads it.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Citation::Model => {
                "regeringens model for systematisk gennemgang af udvalgte førtidspensionssager (december 2025)"
            }
            Citation::Rsl3Stk2 => "retssikkerhedslovens § 3, stk. 2",
            Citation::Rsl10 => "retssikkerhedslovens § 10",
            Citation::Rsl11a1 => "retssikkerhedslovens § 11 a, stk. 1",
            Citation::Rsl11a2 => "retssikkerhedslovens § 11 a, stk. 2",
            Citation::Rsl11b => "retssikkerhedslovens § 11 b",
            Citation::Rsl12 => "retssikkerhedslovens § 12",
            Citation::Ofl13 => "offentlighedslovens § 13",
            Citation::Fvl9 => "forvaltningslovens § 9",
            Citation::Fvl19 => "forvaltningslovens § 19, stk. 1",
            Citation::Fvl19Stk2 => "forvaltningslovens § 19, stk. 2",
            Citation::Fvl22To24 => "forvaltningslovens §§ 22-24",
            Citation::Fvl25 => "forvaltningslovens § 25",
            Citation::Pl44Stk1 => "lov om social pension § 44, stk. 1",
            Citation::Pl44Stk3 => "lov om social pension § 44, stk. 3",
            Citation::Pl44Stk4 => "lov om social pension § 44, stk. 4",
            Citation::Pl44Stk5 => "lov om social pension § 44, stk. 5",
            Citation::Gfpl44 => "lov om højeste, mellemste, forhøjet almindelig og almindelig førtidspension § 44",
            Citation::Rsl66 => "retssikkerhedslovens § 66",
            Citation::Rsl67 => "retssikkerhedslovens § 67",
            Citation::Rsl72 => "retssikkerhedslovens § 72",
            Citation::RehabilitationTeam => {
                "bekendtgørelse om rehabiliteringsplan og rehabiliteringsteamets indstilling om ressourceforløb, fleksjob, førtidspension m.v."
            }
            Citation::Gdpr14 => "databeskyttelsesforordningens artikel 14",
        }
    }
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_citation_names_an_internal_file() {
        for c in [Citation::Model, Citation::Fvl19, Citation::Pl44Stk3, Citation::Gdpr14, Citation::Rsl72] {
            let t = c.text();
            assert!(!t.contains(".md") && !t.to_lowercase().contains("seed") && !t.is_empty(), "{t}");
        }
        assert_eq!(Citation::Pl44Stk3.to_string(), "lov om social pension § 44, stk. 3");
    }
}
