package locale

// DeskMessages is what the bot says about the staff's actions on a
// participant (Batalkan, Pindahkan on /peserta's detail screen), the
// walk-ins an organiser registers at the desk (/daftarkan) and their
// claim links, in one language: to organisers and to the people
// concerned. Texts are HTML; names are escaped before they go in.
type DeskMessages struct {
	CmdEnrol string // the menu line of /daftarkan

	// The detail screen of /peserta.
	BtnStaffCancel, BtnMove string
	NoTelegram              string // a walk-in not claimed yet, in lists
	DetailMovedTo           string // batch name
	DetailConsentBy         string // organiser id, moment

	// Batalkan.
	CancelAsk       string // name, batch name
	CancelAskQuiet  string // walk-in note
	CancelDropped   string // /batal while the reason is awaited
	CancelDone      string // name, batch name
	CancelTold      string
	CancelNotTold   string
	SeatOffered     string // how many offers
	ReasonTooLong   string // most characters
	ReasonText      string // a reason that is not text
	Changed         string
	LogStaffCancel  string // name, batch name
	LogStaffMove    string // name, batch left, batch name
	LogEnrolled     string // name, batch name
	LogClaimed      string // batch name
	MoveAsk         string // name, batch name
	MoveNone        string // name, batch name
	MoveDone        string // name, batch left, batch name, seat
	MoveRefused     string // batch name, reason
	MoveBatchButton string // batch name, seats left
	MoveSeatOnly    string // name: an application, a selected person's held seat or a reserve's place is not moved

	// Reasons a seat is refused to an organiser.
	ReasonFull, ReasonStarted, ReasonOverlap, ReasonRegistered, ReasonOther string
	// The intake rules (store.Tx.CheckIntake).
	ReasonNIKTaken, ReasonNIKFull, ReasonIneligible string

	// /daftarkan.
	EnrolAskBatch  string
	EnrolNoBatch   string
	EnrolConsent   string // the consent text
	EnrolDeclined  string
	EnrolQuestion  string // batch name, number, questions, the question
	EnrolSummary   string // batch name, the answers
	EnrolDone      string // batch name, seat, link, code
	EnrolCancelled string
	EnrolRefused   string // batch name, reason
	EnrolExpired   string
	EnrolBusy      string // toast: a walk-in form is going on

	// Hapus data: a walk-in's data erased at the desk, on their request.
	BtnErase    string
	BtnEraseYes string
	EraseAsk    string // name
	EraseDone   string // name

	// To the person.
	NoticeCancelled string // batch name
	NoticeReason    string // the reason
	NoticeMoved     string // batch left, batch name, dates
	Claimed         string // batch name, dates
	ClaimUnknown    string
	ClaimHeld       string // batch name
}
