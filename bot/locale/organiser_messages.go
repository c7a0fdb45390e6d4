package locale

import (
	"time"

	"github.com/daftar-bot/daftar/store"
)

// OrganiserMessages is everything the bot says to organisers, in one
// language. As with Messages, a missing text is a compile error and
// TestOrganiserMessages checks that none is empty and that both languages
// use the same verbs. Texts are HTML; button labels and toasts are plain.
type OrganiserMessages struct {
	Lang string

	CmdAnnounce, CmdAnnounceStatus, CmdParticipants, CmdAttendance string
	CmdExport, CmdStatistics, CmdOpen, CmdClose, CmdLog            string

	// Buttons. The announcement's are a contract (issue 5): scripts press them.
	BtnAudienceAll      string // n
	BtnAudienceWaiting  string // n
	BtnAudienceEveryone string // n
	BtnCount            string // batch name, n
	BtnSend, BtnCancel  string
	BtnPrev, BtnNext    string
	BtnDay              string // day
	BtnOpen, BtnClose   string

	AnnounceAsk                                               string
	AnnounceChoose                                            string
	AnnounceAudience                                          string // audience, n
	AnnouncePreview                                           string // audience, n
	AnnounceQueued                                            string // id, audience, n
	AnnounceAlreadySent                                       string // toast
	AnnounceNoRecipients                                      string // toast
	AnnounceCancelled                                         string
	AudienceAll                                               string
	AudienceWaiting                                           string
	AudienceEveryone                                          string
	AnnounceStatusHead                                        string
	AnnounceStatusLine                                        string // id, date, audience, content
	AnnounceStatusNone                                        string
	ContentText, ContentPhoto, ContentDocument, ContentVoice  string
	ContentLocation, ContentVideo, ContentAudio, ContentOther string
	ProgressHead                                              string // id, audience
	Progress                                                  string // done, total, bar, percent
	ReportHead                                                string // id, audience
	ReportCounts                                              string // delivered, blocked, failed
	ReportSkipped                                             string // n
	ReportQueued                                              string // n
	ReportReason                                              string // reason, n

	UnknownBatch     string // what was typed, the batch ids
	Gone             string // toast: the participant is no longer there
	Dismissed        string
	ListChooseBatch  string
	ChooseCourse     string // asked by /peserta, /absen, /ekspor, /statistik of an organiser of several courses
	YourCourses      string // the organiser's courses, in /bantuan
	ListEmpty        string // batch name
	ListHead         string // batch name, registered, capacity, waiting, cancelled, page, pages
	ListLine         string // number, name, phone, status
	ListHint         string
	WaitingNumber    string // position
	WordRegistered   string
	WordWaiting      string
	WordCancelled    string
	DetailHead       string // name, batch name, number, status
	DetailRegistered string // date
	DetailAttendance string // days present, days
	DetailLang       string // language code
	Eligible         string

	RollChooseBatch string
	RollChooseDay   string // batch name
	RollBadDay      string // days
	RollFutureDay   string // day, date
	RollNotStarted  string // batch name, date of the first day
	RollNone        string // batch name
	RollHead        string // batch name, day, days, date, present, registered
	Page            string // page, pages
	RollPresent     string // toast: name
	RollAbsent      string // toast: name

	OpenChoose, CloseChoose string
	OpenAsk, CloseAsk       string // batch name, state
	StateOpen, StateClosed  string
	StateEnded              string
	OpenEnded               string // batch name, date of the last day
	Opened, Closed          string // batch name

	ExportFailed     string
	StatisticsFailed string
	AllBatches       string

	LogHead         string // n
	LogLine         string // time, who, what
	LogNone         string
	LogAnnouncement string // id, audience
	LogOpened       string // batch name
	LogClosed       string // batch name
	LogPresent      string // name, day, batch name
	LogAbsent       string // name, day, batch name
	LogExport       string // batch name or AllBatches
	LogDeleted      string
	Someone         string
}

// Status is a participant status as a word.
func (m *OrganiserMessages) Status(s store.Status) string {
	switch s {
	case store.StatusRegistered:
		return m.WordRegistered
	case store.StatusWaiting:
		return m.WordWaiting
	}
	return m.WordCancelled
}

// OpenState says whether b takes registrations at now, or is finished.
func (m *OrganiserMessages) OpenState(b store.Batch, now time.Time) string {
	switch {
	case b.Ended(now):
		return m.StateEnded
	case b.Open:
		return m.StateOpen
	}
	return m.StateClosed
}

// Content names the kind of an announcement's message.
func (m *OrganiserMessages) Content(kind string) string {
	switch kind {
	case "text":
		return m.ContentText
	case "photo":
		return m.ContentPhoto
	case "document":
		return m.ContentDocument
	case "voice":
		return m.ContentVoice
	case "location":
		return m.ContentLocation
	case "video":
		return m.ContentVideo
	case "audio":
		return m.ContentAudio
	}
	return m.ContentOther
}
