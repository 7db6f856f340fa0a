# Informes de progreso según el calendario del IEP (34 CFR 300.320(a)(3)(ii)): las fechas en el
# editor del IEP y los informes emitidos en la página de metas del estudiante.

pf-progress-report-dates = Fechas de los informes
pf-hint-dates = Una fecha por línea (AAAA-MM-DD), después de la reunión y dentro del año siguiente. Si se deja vacío, se envía un informe cada tres meses desde la reunión.
pf-error-dates = Cada línea debe ser una fecha escrita AAAA-MM-DD.
problem-progress-report-date-outside-year = Una fecha de informe debe ser posterior a la reunión y, como máximo, un año después.
problem-progress-report-date-repeated = Esta fecha de informe aparece dos veces.

progress-reports-heading = Informes de progreso
progress-reports-intro = Los informes enviados a la familia en las fechas que fija el IEP. Cada uno incluye todas las metas, con los datos hasta su fecha.
progress-reports-none = Todavía no se ha emitido ningún informe de progreso.
progress-reports-next = Próximo informe previsto: { $date }.
progress-reports-no-schedule = Ningún IEP finalizado en vigor fija un calendario de informes.
progress-reports-caption = Informes de progreso emitidos
progress-reports-col-date = Fecha del informe
progress-reports-col-lang = Idioma
progress-reports-col-issued = Emitido
progress-reports-col-document = Documento
progress-reports-download = Descargar el informe del { $date } (PDF, { $kb } KB)
progress-report-lang-en = Inglés
progress-report-lang-es = Español
