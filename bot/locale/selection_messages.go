package locale

// SelectionMessages is what the bot says about admission in one
// language: applications, selection results and confirmations to
// participants, "still coming?" before the start, and the organisers'
// /seleksi and /hasil. Texts are HTML; names are escaped before they go
// in. Batches are named by their names, never by the generic word, so
// the course's batch_word needs no variant of these.
type SelectionMessages struct {
	// A participant's application and its results.
	Applied           string // batch name, dates, results by
	AlreadyApplied    string // batch name, results by
	StatusApplied     string // batch name, results by, dates, hours, venue
	StatusSelected    string // batch name, confirm until, dates, hours, venue
	StatusReserve     string // batch name, rank, dates, hours, venue
	StatusNotSelected string // batch name
	WordApplied       string
	WordSelected      string
	WordReserve       string // rank
	WordNotSelected   string
	ResultSelected    string // batch, dates, confirm until
	ResultReserve     string // batch, rank
	ResultNotSelected string // batch
	SelectionExpired  string // batch
	AttendDeclined    string // batch name
	BtnAttend         string // Saya ikut
	BtnNotAttend      string // Tidak jadi
	// A selection batch in the welcome and the batch choice: its seats
	// are given by selection, so "seats left" and "waiting list" would
	// mislead an applicant.
	TagSelection         string // seats
	BatchButtonSelection string // name, dates

	// "Still coming?" before a first-come batch starts.
	StillComingAsk       string // batch, start date, hours, venue, answer until
	StillComingKeep      string
	StillComingRelease   string
	StillComingThanks    string // batch name, start date
	StillComingCancelled string // batch name
	StillComingGone      string
	UnconfirmedReleased  string // batch
	BtnComing            string // Saya hadir
	BtnNotComing         string // Tidak jadi

	// The organisers' /seleksi and /hasil.
	// An announcement to a selection batch's applicants (/umumkan).
	BtnAudienceApplicants string // batch name, n
	AudienceApplicants    string // batch name
	CmdSelect             string
	CmdResults            string
	SelAskBatch           string // command, batch ids
	SelNoBatch            string
	SelNotSelection       string // batch name
	SelNone               string // batch name
	SelSent               string // batch name, when
	SelHead               string // batch name, applicant number, applicants, selected, capacity, reserve, not selected, undecided
	SelApplicant          string // name, applied at, decision
	SelUndecided          string
	SelReserveRank        string // rank
	SelFull               string // selected, capacity
	SelSaved              string // decision
	SelGone               string
	BtnSelected           string // Lolos
	BtnReserve            string // Cadangan
	BtnNotSelected        string // Tidak lolos
	ResPreview            string // batch name, selected, capacity, hours to confirm, reserve, not selected, undecided
	ResNobody             string // batch name
	ResDone               string // batch name, selected, reserve, not selected
	ResStarted            string // batch name
	ResFull               string // batch name, selected, seats
	LogDecision           string // name, batch name, decision
	LogResults            string // batch name, counts
	FlagUnconfirmed       string // after a participant line: no answer to "still coming?"
	ReserveNumber         string // a reserve's number in /peserta: rank
}
