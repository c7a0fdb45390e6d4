package locale

var selectionMessagesEN = SelectionMessages{
	Applied: "📝 We have received your application for <b>%s</b> (%s).\n\n" +
		"The organisers select among all applicants. The results come through this bot by <b>%s</b> at the latest. " +
		"If you are selected, you confirm with the <b>I will attend</b> button. See /status at any time.",
	AlreadyApplied:    "Your application for <b>%s</b> is in. The results come by %s.",
	StatusApplied:     "<b>%s</b> — application under selection, results by %s\n📅 %s\n🕗 %s\n📍 %s",
	StatusSelected:    "<b>%s</b> — you were selected. Confirm before %s with <b>I will attend</b>.\n📅 %s\n🕗 %s\n📍 %s",
	StatusReserve:     "<b>%s</b> — reserve number %d\n📅 %s\n🕗 %s\n📍 %s",
	StatusNotSelected: "<b>%s</b> — not selected.",
	WordApplied:       "applied, waiting for the results",
	WordSelected:      "selected, waiting for confirmation",
	WordReserve:       "reserve number %d",
	WordNotSelected:   "not selected",
	ResultSelected: "🎉 Congratulations! You were <b>selected</b> for %s (%s).\n\n" +
		"Confirm before <b>%s</b> with <b>I will attend</b>. If you cannot come, press <b>I can't come</b> " +
		"so that the seat goes to a reserve. Without an answer, the seat goes to a reserve.",
	ResultReserve: "Selection results for %s: you are <b>reserve number %d</b>. " +
		"If a seat becomes free, we offer it to you through this bot.",
	ResultNotSelected:    "Selection results for %s: we are sorry, you were <b>not selected</b> this time. Thank you for applying.",
	SelectionExpired:     "The time to confirm your seat in %s passed without an answer, so the seat went to a reserve.",
	AttendDeclined:       "All right, your seat in <b>%s</b> goes to a reserve. Thank you for letting us know.",
	BtnAttend:            "I will attend",
	BtnNotAttend:         "I can't come",
	TagSelection:         "by selection · %d seats",
	BatchButtonSelection: "%s · %s · by selection",

	StillComingAsk: "👋 %s starts on <b>%s</b> (🕗 %s, 📍 %s).\n\nWill you still come? " +
		"Answer before <b>%s</b> with <b>I will come</b> or <b>I can't come</b>.",
	StillComingKeep:      "If you cannot come, please press <b>I can't come</b> so that someone else can have the seat.",
	StillComingRelease:   "Without an answer, your seat goes to the next person on the waiting list.",
	StillComingThanks:    "Thank you! See you at <b>%s</b>, %s.",
	StillComingCancelled: "All right, your seat in <b>%s</b> is cancelled and goes to the next person on the waiting list. Thank you for letting us know.",
	StillComingGone:      "This question no longer applies.",
	UnconfirmedReleased:  "You did not answer whether you still come to %s, so your seat went to the waiting list.",
	BtnComing:            "I will come",
	BtnNotComing:         "I can't come",

	BtnAudienceApplicants: "%s — applicants (%d)",
	AudienceApplicants:    "the applicants of %s",
	CmdSelect:             "Select applicants",
	CmdResults:            "Send the selection results",
	SelAskBatch:           "Which one? Send <code>/%s ID</code>, the ID one of: %s",
	SelNoBatch:            "Nothing admits by selection (admission = \"selection\").",
	SelNotSelection:       "<b>%s</b> admits people first come, first served, without selection.",
	SelNone:               "No applicants in <b>%s</b> yet.",
	SelSent:               "The selection results of <b>%s</b> were sent (%s); the decisions can no longer change. See /participants.",
	SelHead:               "🗂 <b>Selection %s</b> — applicant %d of %d\nSelected %d/%d seats · Reserve %d · Not selected %d · Undecided %d",
	SelApplicant:          "<b>%s</b>\nApplied: %s\nDecision: <b>%s</b>",
	SelUndecided:          "undecided",
	SelReserveRank:        "Reserve (number %d)",
	SelFull:               "The seats are full: %d selected for %d seats. Change another applicant's decision first.",
	SelSaved:              "Saved: %s",
	SelGone:               "This applicant is no longer in the selection.",
	BtnSelected:           "Selected",
	BtnReserve:            "Reserve",
	BtnNotSelected:        "Not selected",
	ResPreview: "📣 <b>Selection results %s</b>\nSelected: <b>%d</b> of %d seats (to confirm within %d hours)\nReserve: %d\n" +
		"Not selected: %d\nUndecided: %d (told they were not selected)\n\n" +
		"<b>Send</b> sends every applicant their result; after that the decisions cannot change.",
	ResNobody:       "No applicants in <b>%s</b> yet: no results to send.",
	ResDone:         "📣 Selection results of <b>%s</b> sent: %d selected, %d reserve, %d not selected.",
	ResStarted:      "<b>%s</b> has started: the selection results can no longer be sent.",
	ResFull:         "<b>%s</b>: %d selected, but only %d seats are left. Change the decisions with /select.",
	LogDecision:     "selection: %s in %s → %s",
	LogResults:      "selection results of %s sent (%s)",
	FlagUnconfirmed: " ⚠️ has not confirmed",
	ReserveNumber:   "R%d.",
}
