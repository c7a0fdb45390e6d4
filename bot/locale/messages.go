package locale

import (
	"strings"
	"time"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/report"
)

// Messages is everything the bot says, in one language. A field missing in
// one language is a compile error; TestMessages checks none is empty and
// that the verbs of both languages agree. Texts are HTML (Telegram's
// subset); whatever a person typed is escaped before it is put in.
type Messages struct {
	Lang         string
	LanguageName string // the language's own name: the /bahasa buttons, /dataku

	// Buttons. The labels are a contract: scripts press them.
	BtnRegister, BtnAgree, BtnDisagree, BtnConfirm, BtnEdit, BtnBack, BtnCancel string
	BtnShareContact, BtnSkip, BtnOpenPrivate                                    string

	Welcome         string // title, organiser, venue
	BatchLine       string // name, dates, hours, state
	SeatsLeft       string // n
	TagFull         string
	TagClosed       string
	TagStarted      string
	WelcomeRegister string
	WelcomeNoneOpen string
	BackNote        string
	KeyboardNote    string // closes the contact keyboard before a screen with buttons, when not going back
	WelcomeSignedUp string // batch name, seat
	Consent         string // fields, purpose, organiser, who else gets the data, retention days
	// ConsentPurpose is the purpose Consent states when the course sets
	// none (course title); ConsentNotShared and ConsentSharedWith (with
	// whom) say who else gets the data.
	ConsentPurpose    string
	ConsentNotShared  string
	ConsentSharedWith string
	// Contact is how to reach the organisers (the course's contact),
	// under /bantuan, /status and reminders when the course sets one.
	Contact          string
	ConsentDeclined  string
	ChooseBatch      string
	BatchButton      string // name, dates, seats left
	BatchUnavailable string // batch name
	DeepLinkUnknown  string

	// The choice of a course, when the bot serves several.
	ChooseCourse     string
	CourseLine       string // title, venue
	CourseNone       string
	CourseBatch      string // course title, batch name: a batch among several courses
	StatusCourse     string // course title, above a registration in /status and /dataku
	DeepLinkNoCourse string

	QuestionHeader string // n, of
	Optional       string
	PhoneSaved     string // phone
	// TypedNav (back, cancel) and TypedNavSkip (skip, back, cancel) name
	// the words to type instead of the buttons, under the question that
	// removes the contact keyboard and so carries no buttons of its own.
	TypedNav, TypedNavSkip string

	// Hints and Errors are the texts of the field kinds (form.Kinds): the
	// hint under a question by the kind's Hint key, and why an answer was
	// rejected by its form.Code. TestMessages checks every key is there.
	Hints  map[string]string
	Errors map[form.Code]string

	ContactNotOwn     string
	ContactUnexpected string
	Unsupported       string
	TooLong           string
	UseButtons        string

	Summary      string
	SummaryBatch string
	SummaryHint  string
	Skipped      string
	EditPick     string

	Registered     string // batch name, seat, dates, hours, venue
	AlreadyHasSeat string // batch name, seat

	FormCancelled    string
	NothingToCancel  string
	CancelRegistered string
	Help             string
	StatusNone       string
	StatusSeat       string // batch name, seat, dates, hours, venue
	StatusInProgress string // n, of
	ChooseLanguage   string
	LanguageSet      string
	UnknownCommand   string
	Stale            string
	GroupOnly        string
	Edited           string
	Apology          string
	SlowDown         string // to a person who writes faster than the bot answers
	Continue         string

	ReminderEvening      string // course title
	ReminderMorning      string // course title
	ReminderBody         string // day, days, date, hours, venue
	ReminderBring        string // what to bring
	ReminderLastDay      string
	ReminderFirstEvening string
	Schedule             string
	ScheduleBatch        string // batch name
	ScheduleLine         string // time, slot, day, days, recipients
	ScheduleNone         string
	ScheduleBacklog      string // queued, failed, undeliverable
	SlotEvening          string
	SlotMorning          string
	CmdSchedule          string

	BtnJoinWaiting                                       string
	BtnAccept                                            string
	BtnDecline                                           string
	BtnCancelRegistration                                string
	BtnLeaveWaiting                                      string
	BtnDeleteData                                        string
	TagFullWaiting                                       string
	BatchButtonWaiting                                   string
	FullWaitingOffer                                     string
	Waiting                                              string
	StatusWaiting                                        string
	StatusOffer                                          string
	StatusAttendance                                     string
	Offer                                                string
	OfferDeclined                                        string
	OfferGone                                            string
	OfferExpired                                         string
	CancelAsk                                            string
	CancelDone                                           string
	LeftWaiting                                          string
	EraseAsk                                             string
	EraseDone                                            string
	MyData                                               string
	MyDataConsent                                        string
	MyDataRegistration                                   string
	MyDataRegisteredAt                                   string
	MyDataForm                                           string
	MyDataNone                                           string
	MyDataBlocked                                        string
	MyDataRights                                         string
	WordRegistered                                       string
	WordWaiting                                          string
	WordCancelled                                        string
	Overlap                                              string // batch name, the batch it clashes with
	TagEnded                                             string
	SeatClosed                                           string // batch name: registration closed before Konfirmasi
	SeatStarted                                          string // batch name: the batch began before Konfirmasi
	AnswersKept                                          string
	AmendSaved                                           string
	AmendHint                                            string
	PreviousAnswer                                       string
	CmdMyData                                            string
	CmdDelete                                            string
	AmendCancelled                                       string
	OrganiserHelp                                        string
	CmdStart, CmdStatus, CmdCancel, CmdHelp, CmdLanguage string

	YourID  string // the sender's Telegram id: /id
	GroupID string // the group's chat id, in a group
	CmdID   string
}

// Dates is the report catalogue of m's language: the names of months and
// weekdays are written once, there, for the messages and the reports.
func (m *Messages) Dates() *report.Texts { return For(m.Lang).Report }

// Date formats t like "Senin, 20 Okt 2025".
func (m *Messages) Date(t time.Time) string { return m.Dates().Date(t) }

// Moment formats t like "Senin, 30 Nov 2026 10:00".
func (m *Messages) Moment(t time.Time) string { return m.Dates().Moment(t) }

// DateRange formats the first and last day of a batch: "20–26 Okt 2025".
func (m *Messages) DateRange(from, to time.Time) string { return m.Dates().DateRange(from, to) }

// IsLabel reports whether text is one of the given button labels in any
// language, so that a typed "Batal" or a reply-keyboard "Kembali" works
// like the button.
func IsLabel(text string, label func(*Messages) string) bool {
	t := strings.TrimSpace(text)
	for _, c := range languages.list {
		if strings.EqualFold(t, label(c.Messages)) {
			return true
		}
	}
	return false
}
