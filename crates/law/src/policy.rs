//! District policy: obligations with no federal or state number, set by the district and laid
//! over a jurisdiction's profile. Section 504 requires periodic reevaluation (34 CFR 104.35(d))
//! but names no interval; a district's policy does. Without a policy there are no such rules.

use crate::matcher::{MatcherSpec, OneOrMany, Scalar};
use crate::profile::{
    ClockSpec, Profile, ProfileError, ProfileSpec, RuleSpec, Satisfaction, TriggerSpec,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A district's own intervals, e.g. `{ "plan504_review": { "years": 1 }, "plan504_reevaluation": { "years": 3 } }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictPolicy {
    /// How often a 504 plan is reviewed (from each 504 meeting to the next).
    #[serde(default)]
    pub plan504_review: Option<ClockSpec>,
    /// How often a 504 student is reevaluated (from the initial evaluation or last reevaluation).
    #[serde(default)]
    pub plan504_reevaluation: Option<ClockSpec>,
    /// Where the policy is written down, cited on its obligations.
    #[serde(default)]
    pub source: Option<String>,
}

/// A 504 meeting that found (or kept) the student eligible: a plan is in effect after it, so
/// the district's review and reevaluation clocks start. A meeting that found the student not
/// eligible satisfies a pending clock but starts none.
fn plan504_in_effect(purposes: &[&str]) -> MatcherSpec {
    let mut spec = plan504(purposes);
    spec.fields
        .insert("eligible".to_string(), OneOrMany::One(Scalar::Bool(true)));
    spec
}

fn plan504(purposes: &[&str]) -> MatcherSpec {
    let mut fields = BTreeMap::new();
    fields.insert(
        "purpose".to_string(),
        OneOrMany::Many(
            purposes
                .iter()
                .map(|p| Scalar::Str((*p).to_string()))
                .collect(),
        ),
    );
    MatcherSpec {
        event: "plan504_meeting_held".into(),
        fields,
    }
}

impl Profile {
    /// This profile with the district's policy rules added (a new profile: build it once per
    /// district, not per student).
    pub fn with_policy(&self, policy: &DistrictPolicy) -> Result<Profile, ProfileError> {
        let source = policy
            .source
            .clone()
            .unwrap_or_else(|| "district policy".into());
        let mut rules = Vec::new();
        if let Some(clock) = &policy.plan504_review {
            let any = plan504_in_effect(&["initial", "review", "reevaluation"]);
            rules.push(RuleSpec {
                kind: "plan504_review".into(),
                trigger: TriggerSpec {
                    event: Some(any.event.clone()),
                    fields: any.fields.clone(),
                    ..Default::default()
                },
                clock: clock.clone(),
                satisfied_by: vec![plan504(&["review", "reevaluation"])],
                satisfaction: Satisfaction::Next,
                citation: format!("{source} (Section 504 sets no review interval)"),
                secondary: false,
                note: "Periodic review of the 504 plan at the district's interval.".into(),
                ends_on_exit: true,
            });
        }
        if let Some(clock) = &policy.plan504_reevaluation {
            let start = plan504_in_effect(&["initial", "reevaluation"]);
            rules.push(RuleSpec {
                kind: "plan504_reevaluation".into(),
                trigger: TriggerSpec {
                    event: Some(start.event.clone()),
                    fields: start.fields.clone(),
                    ..Default::default()
                },
                clock: clock.clone(),
                satisfied_by: vec![plan504(&["reevaluation"])],
                satisfaction: Satisfaction::Next,
                citation: format!("34 CFR 104.35(d); {source}"),
                secondary: false,
                note: "Periodic reevaluation under Section 504 at the district's interval.".into(),
                ends_on_exit: true,
            });
        }
        let spec = ProfileSpec {
            jurisdiction: self.jurisdiction.clone(),
            name: self.name.clone(),
            inherits: Some(self.jurisdiction.clone()),
            note: self.note.clone(),
            ages: Default::default(),
            iep_meetings: None,
            exit: None,
            rules,
            filing_windows: Vec::new(),
        };
        let mut merged = Profile::compile(&spec, Some(self))?;
        merged.inherits = self.inherits.clone();
        merged.own_kinds = self.own_kinds.clone();
        Ok(merged)
    }
}
