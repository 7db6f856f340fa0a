# Progress reports on the IEP's schedule (34 CFR 300.320(a)(3)(ii)): the reporting dates in the
# IEP editor, and the issued reports on a student's goals page.

pf-progress-report-dates = Reporting dates
pf-hint-dates = One date a line (YYYY-MM-DD), after the meeting and within a year of it. Left empty, a report is due every three months from the meeting.
pf-error-dates = Each line must be a date written YYYY-MM-DD.
problem-progress-report-date-outside-year = A reporting date must fall after the meeting and at most a year later.
problem-progress-report-date-repeated = This reporting date is listed twice.

progress-reports-heading = Progress reports
progress-reports-intro = The reports sent to the family on the dates the IEP sets. Each holds every goal, with the data up to its reporting date.
progress-reports-none = No progress report has been issued yet.
progress-reports-next = Next scheduled report: { $date }.
progress-reports-no-schedule = No finalized IEP in effect sets a reporting schedule.
progress-reports-caption = Issued progress reports
progress-reports-col-date = Reporting date
progress-reports-col-lang = Language
progress-reports-col-issued = Issued
progress-reports-col-document = Document
progress-reports-download = Download the report of { $date } (PDF, { $kb } KB)
progress-report-lang-en = English
progress-report-lang-es = Spanish
