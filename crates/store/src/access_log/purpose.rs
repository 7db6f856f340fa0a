//! Why a record was read, as the record of access states it. The stated text is English and is
//! part of each entry's hash, so it never changes once written; pages show it in the reader's
//! language through its code (`access-purpose-<code>` in the web catalogues).

/// Every purpose iep504 records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ParentReview,
    StudentReview,
    ComplianceOversight,
    EducationalInterest,
    IssuingProgressReport,
    EdfiApi,
    BulkExport,
    PrintingPlan,
    PrintingNotice,
    PrintingProgressReport,
}

impl Purpose {
    pub const ALL: [Purpose; 10] = [
        Purpose::ParentReview,
        Purpose::StudentReview,
        Purpose::ComplianceOversight,
        Purpose::EducationalInterest,
        Purpose::IssuingProgressReport,
        Purpose::EdfiApi,
        Purpose::BulkExport,
        Purpose::PrintingPlan,
        Purpose::PrintingNotice,
        Purpose::PrintingProgressReport,
    ];

    /// The text the record of access stores.
    pub fn stated(self) -> &'static str {
        match self {
            Purpose::ParentReview => "parent review of the child's record",
            Purpose::StudentReview => "student review of own record",
            Purpose::ComplianceOversight => "district compliance oversight",
            Purpose::EducationalInterest => {
                "legitimate educational interest: services to this student"
            }
            Purpose::IssuingProgressReport => {
                "issuing the progress report the IEP schedules for the family"
            }
            Purpose::EdfiApi => "Ed-Fi API",
            Purpose::BulkExport => "district administration: bulk export after re-authentication",
            Purpose::PrintingPlan => "printing the student's plan for the team or the family",
            Purpose::PrintingNotice => "print the prior written notice",
            Purpose::PrintingProgressReport => "printing the progress report for the family",
        }
    }

    /// The name pages look the purpose up by.
    pub fn code(self) -> &'static str {
        match self {
            Purpose::ParentReview => "parent-review",
            Purpose::StudentReview => "student-review",
            Purpose::ComplianceOversight => "compliance-oversight",
            Purpose::EducationalInterest => "educational-interest",
            Purpose::IssuingProgressReport => "issuing-progress-report",
            Purpose::EdfiApi => "edfi-api",
            Purpose::BulkExport => "bulk-export",
            Purpose::PrintingPlan => "printing-plan",
            Purpose::PrintingNotice => "printing-notice",
            Purpose::PrintingProgressReport => "printing-progress-report",
        }
    }

    /// The purpose a stored text states, if iep504 wrote it.
    pub fn of_stated(text: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.stated() == text)
    }
}
