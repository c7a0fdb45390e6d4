package locale

var deskMessagesEN = deskMessagesENFor(wordEN(""))

// deskMessagesENFor is the English desk catalogue with w as the word for
// a batch.
func deskMessagesENFor(w batchWord) DeskMessages {
	return DeskMessages{
		CmdEnrol: "Register someone at the desk (/enrol " + w.lower + ")",

		BtnStaffCancel:  "Cancel registration",
		BtnMove:         "Move",
		NoTelegram:      "no Telegram",
		DetailMovedTo:   "Moved to %s",
		DetailConsentBy: "Registered at the desk: consent given in person to organiser #%d, %s",

		CancelAsk:       "Cancel the registration of <b>%s</b> in %s?\n\nType the reason (it is sent to the participant), or press <b>Skip</b> to cancel without one.",
		CancelAskQuiet:  "This participant has no Telegram yet: nothing is sent to them.",
		CancelDropped:   "The cancellation was not carried out; nothing was changed.",
		CancelDone:      "✅ The registration of <b>%s</b> in %s is cancelled.",
		CancelTold:      "The participant has been told.",
		CancelNotTold:   "No Telegram: nothing was sent to them.",
		SeatOffered:     "The seat was offered to %d people on the waiting list.",
		ReasonTooLong:   "The reason is too long: at most %d characters. Type it again, or press <b>Skip</b>.",
		ReasonText:      "Send the reason as text, or press <b>Skip</b>.",
		Changed:         "This registration was changed meanwhile (by another organiser or by the participant): nothing was changed. Open /participants again to see how it stands now.",
		LogStaffCancel:  "cancelled the registration of %s in %s",
		LogStaffMove:    "moved %s from %s to %s",
		LogEnrolled:     "registered %s at the desk, %s",
		LogClaimed:      "a desk registration in %s was attached to a Telegram account",
		MoveAsk:         "Move <b>%s</b> from %s to which " + w.lower + "? Only " + w.plural + " that have not started and have a free seat.",
		MoveNone:        "There is no other " + w.lower + " for <b>%s</b> than %s that has not started and has a free seat.",
		MoveDone:        "✅ <b>%s</b> moved from %s to %s, seat %d.",
		MoveRefused:     "%s cannot take them: %s Nothing was changed.",
		MoveBatchButton: "%s (%d left)",
		MoveSeatOnly:    "<b>Move</b> is only for participants holding a seat: <b>%s</b> holds none yet (an application, selected but not yet confirmed with <b>I will attend</b>, or a reserve). If needed, cancel here and register them in another " + w.lower + ".",

		ReasonFull:       "it is full or people are waiting.",
		ReasonStarted:    "it has started.",
		ReasonOverlap:    "its dates clash with another registration of this person.",
		ReasonRegistered: "this person is registered there already.",
		ReasonOther:      "the registration rules refuse it.",
		ReasonNIKTaken:   "this NIK holds a place there already.",
		ReasonNIKFull:    "this NIK (or account) holds as many places as the course allows.",
		ReasonIneligible: "this person does not meet its conditions (age, domicile, or an earlier training).",

		EnrolAskBatch:  "📝 <b>Registration at the desk</b>: for someone who came in person. In which " + w.lower + "?",
		EnrolNoBatch:   "No " + w.lower + " can take a registration at the desk now (not started and with a free seat).",
		EnrolConsent:   "Read or show this to the person:\n\n%s\n\nDo they agree? Their consent is recorded as given to you in person, with the time.",
		EnrolDeclined:  "Without consent nothing is kept. The desk registration has ended.",
		EnrolQuestion:  "📝 Registration at the desk, %s — question %d of %d\n\n<b>%s</b>",
		EnrolSummary:   "📝 <b>Summary of the desk registration</b>, %s\n%s\n\nCheck it with the person, then press <b>Confirm</b> to give them a seat.",
		EnrolDone:      "✅ Registered in %s, seat %d.\n\nGive this link to the participant. When they open it in Telegram, the registration is attached to their account and the reminders reach them. The link works once:\n%s\n\n(Or they send <code>/start %s</code> to the bot.) Until then they are listed without Telegram and get no messages.",
		EnrolCancelled: "The desk registration was cancelled; its answers are not kept.",
		EnrolRefused:   "%s cannot take this registration: %s",
		EnrolBusy:      "First finish or cancel the desk registration going on.",
		EnrolExpired:   "This desk registration is no longer going on. Start again with /enrol.",

		BtnErase:    "Delete data",
		BtnEraseYes: "Yes, delete",
		EraseAsk:    "🗑 Delete all of <b>%s</b>'s data from the bot? Their registration, answers and claim link go; their seat or place goes to the next person. This cannot be undone.\n\nDo it only at the person's own request (personal data law).",
		EraseDone:   "🗑 %s's data is deleted. The list keeps only a count, with no name.",

		NoticeCancelled: "Your registration in <b>%s</b> was cancelled by the organisers.",
		NoticeReason:    "Reason: %s",
		NoticeMoved:     "The organisers moved your registration from <b>%s</b> to <b>%s</b> (%s). Type /status to see it.",
		Claimed:         "✅ Your registration in <b>%s</b> (%s) is now attached to this Telegram account. The reminders will come here. Type /status to see it.",
		ClaimUnknown:    "This link does not work: it was used already, or the code is wrong. Please ask the organisers.",
		ClaimHeld:       "This Telegram account already holds a place in <b>%s</b> (or in a " + w.lower + " whose dates clash), so the desk registration cannot be attached to it. If that is wrong, please contact the organisers.",
	}
}
