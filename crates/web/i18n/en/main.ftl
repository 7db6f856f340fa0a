# iep504 web app — English. Keep every id in step with ../es/main.ftl (a test checks).

## Frame
skip-to-content = Skip to main content
demo-banner-title = Demo mode.
demo-banner = Staff sign in without a second step and the data is made up. Do not enter real student information.
nav-label = Main
language-label = Language
sign-out = Sign out
footer-privacy = Student records are private. Every time someone reads a record, iep504 writes down who, when and why.
nav-caseload = Caseload
nav-compliance = Compliance
nav-home = Home
nav-account = Account

## Errors
error-home-link = Go to the home page
error-prefix = Error:
error-not-found = Page not found
error-not-found-text = There is nothing here, or it is not yours to see.
error-unauthenticated = Please sign in
error-unauthenticated-text = You need to sign in to see this.
error-forbidden = Not allowed
error-forbidden-text = Your role cannot do this. If the page had a form, reload it and try again.
error-conflict = Already recorded differently
error-conflict-text = Something else is already stored under this name.
error-invalid = Please check what you entered
error-invalid-text = Some of what was sent could not be used.
error-throttled = Too many attempts
error-throttled-text = There were too many failed sign-in attempts. Wait 15 minutes, then try again.
error-unavailable = Try again in a moment
error-unavailable-text = The database cannot take changes right now. Your work was not saved. Reading still works.
error-internal = Something went wrong
error-internal-text = The problem was on our side. Please try again.

## Sign in
sign-in-title = Sign in
field-username = Username
field-password = Password
sign-in-button = Sign in
note-signed-out = You are signed out.
error-sign-in = The username or password is not right.
second-factor-title = Second step
two-step-setup-intro = Staff accounts need a second step. Scan this code with an authenticator app (or type the key), then enter the 6-digit code it shows.
field-totp-code = 6-digit code
field-totp-code-hint = From your authenticator app.
use-recovery-code = Use a recovery code instead
field-recovery-code = Recovery code
continue-button = Continue
two-step-qr-caption = Scan with your authenticator app.
two-step-qr-label = QR code for your authenticator app
two-step-secret-label = Or type this key:
error-totp = That code did not work. Codes change every 30 seconds, and each works once.
recovery-codes-title = Your recovery codes
recovery-codes-intro = Keep these codes somewhere safe. Each one signs you in once if you lose your phone. They will not be shown again.

## Account
account-title = Your account
field-role = Role
account-language = Language
field-preferred-language = Preferred language
save-button = Save
account-password = Password
field-current-password = Current password
field-new-password = New password
field-new-password-hint = At least 12 characters. A few unrelated words work well.
field-confirm-password = New password again
change-password-button = Change password
account-two-step = Two-step sign-in
two-step-on = Two-step sign-in is on.
recovery-codes-left = { $count ->
    [one] You have 1 recovery code left.
   *[other] You have { $count } recovery codes left.
}
new-recovery-codes-button = Make new recovery codes
two-step-confirm-button = Turn on two-step sign-in
two-step-off = Two-step sign-in is off.
two-step-start-button = Set up two-step sign-in
account-feed = Calendar feed
feed-intro = Add your deadlines to a calendar app with a private address. Anyone with the address can see the deadlines, so keep it to yourself.
feed-new = Your new calendar address. It is shown only now:
feed-replace-button = Make a new address
feed-create-button = Make a calendar address
feed-revoke-button = Turn off the calendar address
note-done-password = Your password is changed. Other devices were signed out.
note-done-language = Your language is saved.
note-done-feed-revoked = The calendar address is turned off.
error-password-mismatch = The two new passwords are not the same.
error-password-short = The new password needs at least 12 characters.
error-current-password = The current password is not right.

## Dashboards
col-grade = Grade
caseload-students = My students
col-student = Student
col-school = School
col-obligation = Deadline
col-due = Due
caseload-title = Caseload deadlines
as-of = As of { $date }
filter-kind = Deadline type
filter-all = All
filter-school = School
filter-button = Show
nothing-here = Nothing here.
compliance-title = District compliance
compliance-caption = Unmet deadlines by school and type
group-overdue = Overdue
group-week = Due in the next 7 days
group-month = Due in 8 to 30 days
no-school = No school recorded

## Home
home-title = Home
home-family-heading = Your children
home-staff-heading = Your students
no-students = No students are linked to your account yet.
upcoming-deadlines = Coming up
no-deadlines = No open deadlines in the next 90 days.
who-looked = Who looked at these records
deadline-due = { $what } is due by { $date }.
deadline-overdue = { $what } was due by { $date } and is not done yet.

## Student
field-birth-date = Date of birth
field-grade = Grade
field-jurisdiction = Rules in effect
on-this-page = On this page
obligations-heading = Deadlines
timeline-heading = Timeline
add-event-heading = Add an event
access-heading = Record of access
no-obligations = No deadlines yet.
satisfied-on = done on
citation = Rule:
explanation = How this date was worked out
no-events = No events yet.
timeline-caption = Events on this student's case, oldest first
col-date = Date
col-event = Event
col-details = Details
field-event-kind = Kind of event
choose-kind-button = Choose
form-has-errors = There is a problem
add-event-button = Add event
access-intro = Everyone who read this record, when, and why.
access-caption = Record of access, newest first
col-when = When
col-who = Who
col-role = Role
col-action = What
col-purpose = Why
note-event-added = The event was added.
yes = yes
no = no
corrects-event = corrects { $id }
field-on = Date it happened
hint-date = Year-month-day, for example 2026-09-08 for September 8, 2026.
hint-list = Codes separated by commas.
error-field-kind = Choose a kind of event.
error-field-date = Enter a date like 2026-09-08.
error-field-choice = Choose one of the options.
error-field-number = Enter a whole number.
error-field-required = Fill in this field.

## Roles
role-district-admin = District administrator
role-compliance-viewer = Compliance viewer
role-case-manager = Case manager
role-evaluator = Evaluator
role-coordinator-504 = 504 coordinator
role-teacher = Teacher
role-provider = Service provider
role-parent = Parent or guardian
role-student = Student

## Statuses
status-open = Open
status-met = Met
status-met-late = Met late
status-overdue = Overdue
status-not-applicable = Does not apply

## Obligations
obligation-initial-evaluation = Initial evaluation
obligation-initial-iep-meeting = First IEP meeting
obligation-annual-iep-review = Annual IEP review
obligation-triennial-reevaluation = Three-year reevaluation
obligation-transition-plan = Transition plan
obligation-age-of-majority-notice = Notice of rights at age of majority
obligation-records-access = Answer to a records request
obligation-manifestation-determination = Manifestation determination
obligation-resolution-meeting = Resolution meeting
obligation-due-process-decision = Due process hearing decision
obligation-state-complaint-decision = State complaint decision
obligation-procedural-safeguards-notice = Procedural safeguards notice
obligation-evaluation-request-response = Answer to an evaluation request
obligation-iep-by-third-birthday = IEP in place by the third birthday
obligation-proposed-iep = Proposed IEP for the parents
obligation-reevaluation-report = Reevaluation report
obligation-services-during-removal = Services during a disciplinary removal
obligation-due-process-complaint = Due process complaint
obligation-state-complaint = State complaint
obligation-ocr-complaint = Complaint to the Office for Civil Rights
obligation-plan504-review = 504 plan review
obligation-plan504-reevaluation = 504 reevaluation

## Record-of-access actions
action-read-student = read the student's details
action-read-events = read the timeline
action-read-obligations = read the deadlines
action-read-access-log = read the record of access
action-list-students = saw the student in a list
action-view-student-page = opened the student page
action-view-home-deadlines = saw deadlines on the home page
action-view-caseload = saw deadlines on the caseload
action-calendar-feed = calendar feed

## Events
event-evaluation-requested = Evaluation requested
event-consent-received = Consent given
event-consent-refused = Consent refused
event-eligibility-determined = Eligibility decided
event-iep-meeting-held = IEP meeting held
event-iep-meeting-scheduled = IEP meeting scheduled
event-reevaluation-waived = Reevaluation waived
event-records-requested = Records requested
event-records-provided = Records provided
event-placement-change-decided = Change of placement decided
event-manifestation-determination-held = Manifestation determination held
event-due-process-complaint-received = Due process complaint received
event-resolution-meeting-held = Resolution meeting held
event-resolution-waived = Resolution meeting waived
event-hearing-decision-issued = Hearing decision issued
event-state-complaint-filed = State complaint filed
event-state-complaint-decided = State complaint decided
event-disciplinary-removal = Disciplinary removal
event-procedural-safeguards-provided = Procedural safeguards notice given
event-prior-written-notice-sent = Prior written notice sent
event-iee-requested = Independent evaluation requested
event-iee-granted = Independent evaluation granted
event-iee-due-process-filed = Due process filed over an independent evaluation
event-rti-started = Intervention (RTI) started
event-rti-ended = Intervention (RTI) ended
event-plan504-meeting-held = 504 meeting held
event-part-c-referral-received = Referral from early intervention received
event-transferred-in = Transferred in
event-exited = Left special education
event-absences-recorded = Absences during evaluation
event-services-started = Services started

## Event fields
field-by = Requested by
field-written = In writing
field-for = Consent for
field-evaluation = Evaluation
field-eligible = Eligible
field-categories = Disability categories
field-purpose = Purpose
field-includes-transition = Includes a transition plan
field-includes-rights-transfer-notice = Includes notice of rights at age of majority
field-meeting-on = Meeting date
field-disciplinary = For discipline
field-school-days = School days
field-removal = Kind of removal
field-reason = Reason
field-action = Action
field-subject = Subject
field-tier = Tier
field-from = From
field-basis = Reason for leaving (exit code)

## Choices
choice-parent = Parent
choice-school = School
choice-other = Other
choice-initial-evaluation = Initial evaluation
choice-reevaluation = Reevaluation
choice-initial-services = Starting services
choice-initial = Initial
choice-annual = Annual
choice-amendment = Amendment
choice-review = Review
choice-suspension = Suspension
choice-expulsion = Expulsion
choice-interim-alternative-setting = Interim alternative setting
choice-referral = Referral
choice-complaint = Complaint
choice-discipline = Discipline
choice-request = Request
choice-propose = Propose
choice-refuse = Refuse
choice-identification = Identification
choice-placement = Placement
choice-fape = Free appropriate public education
choice-in-state = In state
choice-out-of-state = Out of state

# Bulk export (district administrators)
nav-export = Export
export-title = Export the district's records
export-intro = This downloads every student's name, birth date, school and deadlines as one file. Because it holds many children's records, confirm who you are first. The export is written to the record of access.
export-password = Your password
export-code = The 6-digit code from your authenticator app
export-button = Confirm and export
export-error = That did not match. Check your password (and code) and try again.

nav-reports = Federal reports
reports-title = Federal reports
reports-choose = Report
reports-as-of = Count date
reports-from = From
reports-to = To
reports-period = From { $from } to { $to }
reports-total = Total: { $count }
reports-chart-desc = Bar chart of the counts in the table beside it.
report-child-count = IDEA child count (FS002/FS089)
report-exiting = Exiting special education (FS009)
report-discipline = Disciplinary removals (FS088)
report-crdc-504 = Served under Section 504 only (CRDC)
col-count = Count
col-disability = Disability
col-basis = Basis of exit
col-removal-days = Days removed
col-sex = Sex

## The record of access, page by page
access-page = Page { $page } of { $pages }; { $total } entries in all.
access-latest = The latest { $shown } entries, newest first.
access-all = See the whole record of access
access-none = No one has read this record yet.
access-pages-label = Pages of the record of access
access-newer = Newer entries
access-older = Older entries

## Why a record was read (the record of access states it in English; shown in the reader's language)
access-purpose-parent-review = parent review of the child's record
access-purpose-student-review = student review of own record
access-purpose-compliance-oversight = district compliance oversight
access-purpose-educational-interest = legitimate educational interest: services to this student
access-purpose-issuing-progress-report = issuing the progress report the IEP schedules for the family
access-purpose-edfi-api = Ed-Fi API
access-purpose-bulk-export = district administration: bulk export after re-authentication
access-purpose-printing-plan = printing the student's plan for the team or the family
access-purpose-printing-notice = printing the notice of the district's decision
access-purpose-printing-progress-report = printing the progress report for the family
