# iep504 aplicación web — español. Mantenga cada id igual que en ../en/main.ftl (una prueba lo verifica).

## Marco
skip-to-content = Saltar al contenido principal
demo-banner-title = Modo de demostración.
demo-banner = El personal entra sin segundo paso y los datos son inventados. No escriba información real de estudiantes.
nav-label = Principal
language-label = Idioma
sign-out = Cerrar sesión
footer-privacy = Los expedientes de los estudiantes son privados. Cada vez que alguien lee un expediente, iep504 anota quién, cuándo y por qué.
nav-caseload = Casos
nav-compliance = Cumplimiento
nav-home = Inicio
nav-account = Cuenta

## Errores
error-home-link = Ir a la página de inicio
error-prefix = Error:
error-not-found = Página no encontrada
error-not-found-text = Aquí no hay nada, o no le corresponde verlo.
error-unauthenticated = Inicie sesión
error-unauthenticated-text = Necesita iniciar sesión para ver esto.
error-forbidden = No permitido
error-forbidden-text = Su función no permite hacer esto. Si la página tenía un formulario, vuelva a cargarla e inténtelo de nuevo.
error-conflict = Ya está registrado de otra manera
error-conflict-text = Ya hay otra cosa guardada con este nombre.
error-invalid = Revise lo que escribió
error-invalid-text = Parte de lo enviado no se pudo usar.
error-throttled = Demasiados intentos
error-throttled-text = Hubo demasiados intentos fallidos de iniciar sesión. Espere 15 minutos y vuelva a intentarlo.
error-unavailable = Inténtelo en un momento
error-unavailable-text = La base de datos no puede guardar cambios ahora. Su trabajo no se guardó. Leer sigue funcionando.
error-internal = Algo salió mal
error-internal-text = El problema fue nuestro. Inténtelo de nuevo.

## Iniciar sesión
sign-in-title = Iniciar sesión
field-username = Usuario
field-password = Contraseña
sign-in-button = Iniciar sesión
note-signed-out = Cerró la sesión.
error-sign-in = El usuario o la contraseña no son correctos.
second-factor-title = Segundo paso
two-step-setup-intro = Las cuentas del personal necesitan un segundo paso. Escanee este código con una aplicación de autenticación (o escriba la clave) y luego escriba el código de 6 dígitos que muestra.
field-totp-code = Código de 6 dígitos
field-totp-code-hint = De su aplicación de autenticación.
use-recovery-code = Usar un código de recuperación
field-recovery-code = Código de recuperación
continue-button = Continuar
two-step-qr-caption = Escanee con su aplicación de autenticación.
two-step-qr-label = Código QR para su aplicación de autenticación
two-step-secret-label = O escriba esta clave:
error-totp = Ese código no funcionó. Los códigos cambian cada 30 segundos y cada uno sirve una sola vez.
recovery-codes-title = Sus códigos de recuperación
recovery-codes-intro = Guarde estos códigos en un lugar seguro. Cada uno le permite entrar una vez si pierde su teléfono. No se volverán a mostrar.

## Cuenta
account-title = Su cuenta
field-role = Función
account-language = Idioma
field-preferred-language = Idioma preferido
save-button = Guardar
account-password = Contraseña
field-current-password = Contraseña actual
field-new-password = Contraseña nueva
field-new-password-hint = Al menos 12 caracteres. Varias palabras sin relación funcionan bien.
field-confirm-password = Contraseña nueva otra vez
change-password-button = Cambiar contraseña
account-two-step = Inicio de sesión en dos pasos
two-step-on = El inicio de sesión en dos pasos está activado.
recovery-codes-left = { $count ->
    [one] Le queda 1 código de recuperación.
   *[other] Le quedan { $count } códigos de recuperación.
}
new-recovery-codes-button = Crear códigos de recuperación nuevos
two-step-confirm-button = Activar el inicio en dos pasos
two-step-off = El inicio de sesión en dos pasos está desactivado.
two-step-start-button = Configurar el inicio en dos pasos
account-feed = Calendario
feed-intro = Agregue sus fechas límite a una aplicación de calendario con una dirección privada. Quien tenga la dirección puede ver las fechas, así que no la comparta.
feed-new = Su nueva dirección de calendario. Solo se muestra ahora:
feed-replace-button = Crear una dirección nueva
feed-create-button = Crear una dirección de calendario
feed-revoke-button = Desactivar la dirección de calendario
note-done-password = Su contraseña cambió. Se cerró la sesión en otros dispositivos.
note-done-language = Su idioma quedó guardado.
note-done-feed-revoked = La dirección de calendario está desactivada.
error-password-mismatch = Las dos contraseñas nuevas no son iguales.
error-password-short = La contraseña nueva necesita al menos 12 caracteres.
error-current-password = La contraseña actual no es correcta.

## Paneles
col-grade = Grado
caseload-students = Mis estudiantes
col-student = Estudiante
col-school = Escuela
col-obligation = Plazo
col-due = Vence
caseload-title = Plazos de sus casos
as-of = Al { $date }
filter-kind = Tipo de plazo
filter-all = Todos
filter-school = Escuela
filter-button = Mostrar
nothing-here = No hay nada.
compliance-title = Cumplimiento del distrito
compliance-caption = Plazos sin cumplir por escuela y tipo
group-overdue = Vencidos
group-week = Vencen en los próximos 7 días
group-month = Vencen en 8 a 30 días
no-school = Sin escuela registrada

## Inicio
home-title = Inicio
home-family-heading = Sus hijos
home-staff-heading = Sus estudiantes
no-students = Todavía no hay estudiantes vinculados a su cuenta.
upcoming-deadlines = Próximamente
no-deadlines = No hay plazos abiertos en los próximos 90 días.
who-looked = Quién consultó estos expedientes
deadline-due = { $what }: vence el { $date }.
deadline-overdue = { $what }: venció el { $date } y todavía no se ha hecho.

## Estudiante
field-birth-date = Fecha de nacimiento
field-grade = Grado
field-jurisdiction = Reglas que se aplican
on-this-page = En esta página
obligations-heading = Plazos
timeline-heading = Historial
add-event-heading = Agregar un suceso
access-heading = Registro de acceso
no-obligations = Todavía no hay plazos.
satisfied-on = hecho el
citation = Norma:
explanation = Cómo se calculó esta fecha
no-events = Todavía no hay sucesos.
timeline-caption = Sucesos del caso de este estudiante, del más antiguo al más reciente
col-date = Fecha
col-event = Suceso
col-details = Detalles
field-event-kind = Tipo de suceso
choose-kind-button = Elegir
form-has-errors = Hay un problema
add-event-button = Agregar suceso
access-intro = Todas las personas que leyeron este expediente, cuándo y por qué.
access-caption = Registro de acceso, primero lo más reciente
col-when = Cuándo
col-who = Quién
col-role = Función
col-action = Qué
col-purpose = Por qué
note-event-added = El suceso se agregó.
yes = sí
no = no
corrects-event = corrige { $id }
field-on = Fecha en que ocurrió
hint-date = Año-mes-día: por ejemplo, 2026-09-08 es el 8 de septiembre de 2026.
hint-list = Códigos separados por comas.
error-field-kind = Elija un tipo de suceso.
error-field-date = Escriba una fecha como 2026-09-08.
error-field-choice = Elija una de las opciones.
error-field-number = Escriba un número entero.
error-field-required = Complete este campo.

## Funciones
role-district-admin = Administrador del distrito
role-compliance-viewer = Revisor de cumplimiento
role-case-manager = Encargado del caso
role-evaluator = Evaluador
role-coordinator-504 = Coordinador 504
role-teacher = Maestro
role-provider = Proveedor de servicios
role-parent = Padre, madre o tutor
role-student = Estudiante

## Estados
status-open = Abierto
status-met = Cumplido
status-met-late = Cumplido tarde
status-overdue = Vencido
status-not-applicable = No se aplica

## Plazos
obligation-initial-evaluation = Evaluación inicial
obligation-initial-iep-meeting = Primera reunión del IEP
obligation-annual-iep-review = Revisión anual del IEP
obligation-triennial-reevaluation = Reevaluación de tres años
obligation-transition-plan = Plan de transición
obligation-age-of-majority-notice = Aviso de derechos a la mayoría de edad
obligation-records-access = Respuesta a una solicitud de expedientes
obligation-manifestation-determination = Determinación de manifestación
obligation-resolution-meeting = Reunión de resolución
obligation-due-process-decision = Decisión de la audiencia de debido proceso
obligation-state-complaint-decision = Decisión de la queja estatal
obligation-procedural-safeguards-notice = Aviso de garantías procesales
obligation-evaluation-request-response = Respuesta a una solicitud de evaluación
obligation-iep-by-third-birthday = IEP vigente al cumplir tres años
obligation-proposed-iep = IEP propuesto a los padres
obligation-reevaluation-report = Informe de reevaluación
obligation-services-during-removal = Servicios durante una separación disciplinaria
obligation-due-process-complaint = Demanda de debido proceso
obligation-state-complaint = Queja estatal
obligation-ocr-complaint = Queja ante la Oficina de Derechos Civiles
obligation-plan504-review = Revisión del plan 504
obligation-plan504-reevaluation = Reevaluación 504

## Acciones del registro de acceso
action-read-student = leyó los datos del estudiante
action-read-events = leyó el historial
action-read-obligations = leyó los plazos
action-read-access-log = leyó el registro de acceso
action-list-students = vio al estudiante en una lista
action-view-student-page = abrió la página del estudiante
action-view-home-deadlines = vio plazos en la página de inicio
action-view-caseload = vio plazos en su lista de casos
action-calendar-feed = calendario

## Sucesos
event-evaluation-requested = Evaluación solicitada
event-consent-received = Consentimiento dado
event-consent-refused = Consentimiento negado
event-eligibility-determined = Elegibilidad decidida
event-iep-meeting-held = Reunión del IEP realizada
event-iep-meeting-scheduled = Reunión del IEP programada
event-reevaluation-waived = Reevaluación no requerida por acuerdo
event-records-requested = Expedientes solicitados
event-records-provided = Expedientes entregados
event-placement-change-decided = Cambio de ubicación decidido
event-manifestation-determination-held = Determinación de manifestación realizada
event-due-process-complaint-received = Queja de debido proceso recibida
event-resolution-meeting-held = Reunión de resolución realizada
event-resolution-waived = Reunión de resolución omitida por acuerdo
event-hearing-decision-issued = Decisión de la audiencia emitida
event-state-complaint-filed = Queja estatal presentada
event-state-complaint-decided = Queja estatal decidida
event-disciplinary-removal = Retiro disciplinario
event-procedural-safeguards-provided = Aviso de garantías procesales entregado
event-prior-written-notice-sent = Aviso previo por escrito enviado
event-iee-requested = Evaluación independiente solicitada
event-iee-granted = Evaluación independiente concedida
event-iee-due-process-filed = Debido proceso por una evaluación independiente
event-rti-started = Intervención (RTI) iniciada
event-rti-ended = Intervención (RTI) terminada
event-plan504-meeting-held = Reunión 504 realizada
event-part-c-referral-received = Remisión de intervención temprana recibida
event-transferred-in = Llegó transferido
event-exited = Salió de educación especial
event-absences-recorded = Ausencias durante la evaluación
event-services-started = Servicios iniciados

## Campos de los sucesos
field-by = Solicitado por
field-written = Por escrito
field-for = Consentimiento para
field-evaluation = Evaluación
field-eligible = Elegible
field-categories = Categorías de discapacidad
field-purpose = Propósito
field-includes-transition = Incluye un plan de transición
field-includes-rights-transfer-notice = Incluye aviso de derechos a la mayoría de edad
field-meeting-on = Fecha de la reunión
field-disciplinary = Por disciplina
field-school-days = Días escolares
field-removal = Tipo de retiro
field-reason = Motivo
field-action = Acción
field-subject = Tema
field-tier = Nivel
field-from = Desde
field-basis = Motivo de salida (código)

## Opciones
choice-parent = Padre o madre
choice-school = Escuela
choice-other = Otro
choice-initial-evaluation = Evaluación inicial
choice-reevaluation = Reevaluación
choice-initial-services = Inicio de servicios
choice-initial = Inicial
choice-annual = Anual
choice-amendment = Enmienda
choice-review = Revisión
choice-suspension = Suspensión
choice-expulsion = Expulsión
choice-interim-alternative-setting = Entorno alternativo provisional
choice-referral = Remisión
choice-complaint = Queja
choice-discipline = Disciplina
choice-request = Solicitud
choice-propose = Proponer
choice-refuse = Negar
choice-identification = Identificación
choice-placement = Ubicación
choice-fape = Educación pública gratuita y apropiada
choice-in-state = Dentro del estado
choice-out-of-state = De otro estado

# Exportación masiva (administradores del distrito)
nav-export = Exportar
export-title = Exportar los expedientes del distrito
export-intro = Esto descarga en un solo archivo el nombre, la fecha de nacimiento, la escuela y los plazos de cada estudiante. Como contiene los expedientes de muchos niños, primero confirme su identidad. La exportación queda anotada en el registro de acceso.
export-password = Su contraseña
export-code = El código de 6 dígitos de su aplicación de autenticación
export-button = Confirmar y exportar
export-error = Los datos no coinciden. Revise su contraseña (y el código) e inténtelo de nuevo.

nav-reports = Informes federales
reports-title = Informes federales
reports-choose = Informe
reports-as-of = Fecha del conteo
reports-from = Desde
reports-to = Hasta
reports-period = Del { $from } al { $to }
reports-total = Total: { $count }
reports-chart-desc = Gráfico de barras con los números de la tabla de al lado.
report-child-count = Conteo de niños de IDEA (FS002/FS089)
report-exiting = Salidas de educación especial (FS009)
report-discipline = Remociones disciplinarias (FS088)
report-crdc-504 = Atendidos solo bajo la Sección 504 (CRDC)
col-count = Cantidad
col-disability = Discapacidad
col-basis = Motivo de salida
col-removal-days = Días de remoción
col-sex = Sexo

## The record of access, page by page
access-page = Página { $page } de { $pages }; { $total } entradas en total.
access-latest = Las { $shown } entradas más recientes, primero la más nueva.
access-all = Ver el registro de acceso completo
access-none = Nadie ha consultado este expediente todavía.
access-pages-label = Páginas del registro de acceso
access-newer = Entradas más recientes
access-older = Entradas anteriores

## Por qué se leyó un expediente (el registro de acceso lo dice en inglés; se muestra en el idioma del lector)
access-purpose-parent-review = revisión del expediente por el padre, la madre o el tutor
access-purpose-student-review = revisión de su propio expediente por el estudiante
access-purpose-compliance-oversight = supervisión del cumplimiento por el distrito
access-purpose-educational-interest = interés educativo legítimo: servicios para este estudiante
access-purpose-issuing-progress-report = emisión del informe de progreso que el IEP programa para la familia
access-purpose-edfi-api = API de Ed-Fi
access-purpose-bulk-export = administración del distrito: exportación masiva tras volver a autenticarse
access-purpose-printing-plan = impresión del plan del estudiante para el equipo o la familia
access-purpose-printing-notice = impresión de la notificación de la decisión del distrito
access-purpose-printing-progress-report = impresión del informe de progreso para la familia
