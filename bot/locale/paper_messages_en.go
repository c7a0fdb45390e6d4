package locale

var paperMessagesEN = paperMessagesENFor(wordEN(""))

// paperMessagesENFor is the catalogue with w as the word for a batch.
func paperMessagesENFor(w batchWord) PaperMessages {
	return PaperMessages{
		CmdCertificate:     "My certificate",
		CmdVerify:          "Check a certificate",
		CmdCertificates:    "Certificates of a " + w.lower + " (send them)",
		CmdAttendanceSheet: "Attendance sheet (PDF)",
		CmdReport:          "Activity report (PDF)",

		CertSending:        "📜 Your certificate of <b>%s</b> (number %s) comes as a PDF in a moment.",
		CertNotYet:         "The certificates of <b>%s</b> are made once the last session is over (%s). You were present on %d of %d days so far; a certificate needs at least %d.",
		CertTooFew:         "There is no certificate of <b>%s</b> for you: you were present on %d of %d days, and a certificate needs at least %d. If that record is wrong, please contact the organisers.",
		CertNotSeated:      "Certificates of <b>%s</b> are for participants who had a seat and attended.",
		CertNone:           "This course gives no certificates.",
		CertNoRegistration: "You are not registered in any " + w.lower + ", so there is no certificate yet. Type /start to register.",
		CertCaption:        "Certificate of %s, %s\nNumber %s · verification code <code>%s</code>",

		VerifyAsk:      "Send <code>/cek CODE</code> with the verification code printed on the certificate (12 letters and digits), or scan its QR code.",
		VerifyFound:    "✅ <b>Genuine certificate.</b>\nNumber: %s\nName: %s\nCourse: %s\n" + w.Title + ": %s (%s)",
		VerifyNotFound: "❌ There is no certificate with the code <code>%s</code>. Please check the code. A certificate whose data was deleted cannot be checked any more either.",

		CertAskBatch:    "Certificates of which " + w.lower + "? Send <code>/certificate ID</code>, the ID one of: %s",
		CertOrgNotYet:   "<b>%s</b> is not over yet: certificates are made after its last session (%s).",
		CertOrgSummary:  "📜 <b>Certificates of %s</b>\nEligible (present at least %d of %d days): <b>%d</b>\nNot eligible: %d\nIssued already: %d\n\n<b>Send</b> issues those not issued yet, sends each eligible participant theirs, and you one PDF with all of them for printing.",
		CertOrgNobody:   "Nobody of <b>%s</b> was present on %d days or more: no certificates.",
		CertOrgSent:     "📜 Certificates of <b>%s</b>: %d issued, %d queued for the participants. The PDF with all of them follows.",
		CertOrgFailed:   "Sorry, the certificate PDF could not be made. Please try again in a moment.",
		LogCertificates: "certificates of %s sent (%s)",

		SheetAskBatch: "Attendance sheet of which " + w.lower + "? Send <code>/attendancesheet ID</code>, the ID one of: %s",
		SheetCaption:  "Attendance sheet of %s: %d participants × %d days",
		SheetFailed:   "Sorry, the attendance sheet could not be made. Please try again in a moment.",

		ReportAskBatch: "Report of which " + w.lower + "? Send <code>/report ID</code>, the ID one of: %s",
		ReportCaption:  "Activity report of %s",
		ReportFailed:   "Sorry, the report could not be made. Please try again in a moment.",

		SurveyIntro:           "📝 <b>Survey: %s</b>\nThank you for taking part in <b>%s</b>. We would like to know what you think: %d short questions, a few minutes.",
		SurveyReminder:        "⏰ Reminder: you have not filled in the survey of <b>%s</b> (%s) yet. Your opinion helps the next course.",
		SurveyAnonymous:       "Answers are stored without your name (anonymous).",
		SurveyLinked:          "Answers are stored with your name, for the organisers only.",
		SurveyQuestion:        "<b>%d/%d.</b> %s",
		SurveyRatingHint:      "Choose a rating: 1 = poor, 5 = very good.",
		SurveyChoiceHint:      "Choose one.",
		SurveyTextHint:        "Type your answer and send it.",
		SurveyOptional:        "You may skip it.",
		SurveyBadRating:       "That rating cannot be taken. Press one of the buttons 1 to 5 (or type the number).",
		SurveyBadChoice:       "That is not one of the options. Press one of the buttons under the question.",
		SurveyBadText:         "That answer cannot be taken. Type your answer as text, at most %d characters.",
		SurveyRequired:        "This question needs an answer.",
		SurveyThanks:          "🙏 Thank you! We have received your survey answers.",
		SurveyClosed:          "This survey is closed. Thank you.",
		SurveyAnswered:        "You have filled in this survey already. Thank you!",
		MyDataSurvey:          "Survey of <b>%s</b>: %s",
		MyDataSurveyOpen:      "not finished; your answers so far:",
		MyDataSurveyAnonymous: "answered (answers stored without your name)",
		MyDataSurveyLinked:    "answered; your answers:",
	}
}
