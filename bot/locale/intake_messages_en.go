package locale

var intakeMessagesEN = IntakeMessages{
	NIKTaken:    "Sorry, this NIK is already registered in <b>%s</b> from another Telegram account, and each person gets one place there. If this is your NIK and you never registered, please contact the organisers.",
	NIKFull:     "Sorry, this NIK already holds a place in this course, and the places one person may hold in it at a time are limited to %d. If this is your NIK and you never registered, please contact the organisers.",
	AccountFull: "You are already registered in this course, so you cannot also register in <b>%s</b>: the places one person may hold in it at a time are limited to %d. Type /status to see or cancel your registration.",
	TooYoung:    "Sorry, <b>%s</b> is for participants aged at least %d on its first day (%s). By your date of birth you are younger.",
	TooOld:      "Sorry, <b>%s</b> is for participants aged at most %d on its first day (%s). By your date of birth you are older.",
	Region:      "Sorry, <b>%s</b> is only for residents of certain areas, as the region code of the NIK (KTP) shows, and this NIK is from another area.",
	Recent:      "Sorry, by this NIK you attended this course in the last %d months. This course gives its places to people who have not attended yet.",
	FixAnswer:   "Your answers are kept: choose the answer to change, or press Cancel.",

	AskContact:   "If you think this is a mistake, contact the organisers: %s",
	AskOrganiser: "If you think this is a mistake, contact the organiser: %s",

	PhoneShared:     "⚠️ This phone number is also used by: %s. Check whether they are different people (one family, say) or a double registration.",
	PhoneSharedMark: " ⚠️",
	PhoneSharedHint: "⚠️ a phone number used by more than one person.",
	LogNIKConflict:  "gave a NIK that holds a place in %s from another account (refused)",
}
