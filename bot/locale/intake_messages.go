package locale

// IntakeMessages is what the bot says about the intake rules (store's
// CheckIntake: one person one place, eligibility), in one language: to a
// person refused, and to organisers about a phone number two people use.
// Texts are HTML; names are escaped before they go in.
type IntakeMessages struct {
	// To the person, as soon as the deciding answer is typed and again
	// when the seat transaction refuses.
	NIKTaken    string // batch name
	NIKFull     string // places allowed per person
	AccountFull string // batch name, places allowed per person
	TooYoung    string // batch name, minimum age, first day
	TooOld      string // batch name, maximum age, first day
	Region      string // batch name
	Recent      string // months
	FixAnswer   string // after a refusal at Konfirmasi: the answers are kept
	// Ask is how to reach the organisers when the course names a contact
	// (contact) or only its organiser (organiser).
	AskContact   string // contact
	AskOrganiser string // organiser

	// To organisers: /peserta.
	PhoneShared     string // the other people, "name (batch)" joined by ", "
	PhoneSharedMark string // after a phone used by more than one person in the list
	PhoneSharedHint string // under a list that has a marked phone
	// LogNIKConflict is /log's line of a NIK refused because another
	// account holds a place with it.
	LogNIKConflict string // batch name
}
