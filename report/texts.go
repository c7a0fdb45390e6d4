package report

import (
	"fmt"
	"time"
)

// Texts is what the organisers' reports say, in one language: the
// statistics text and chart, and the XLSX summary sheet. A missing text is
// a compile error and TestTexts checks that none is empty and that the
// verbs of every language agree. Texts of the statistics are HTML; batch
// names are escaped before they go in.
type Texts struct {
	Lang string
	// Months and Weekdays are the language's only names of months and
	// weekdays: the bot's messages format their dates with Date, Moment
	// and DateRange too.
	Months   [12]string // short names, January first
	Weekdays [7]string  // Sunday first, as time.Weekday

	// The XLSX batch sheets' header row: the export's columns (Header)
	// for people. The CSV keeps the keys, the contract; a form field is
	// headed by its label.
	ColSeat         string
	ColBatch        string
	ColStatus       string
	ColLanguage     string
	ColRegisteredAt string
	ColDay          string // session day number
	ColDaysPresent  string
	ColCertificate  string
	ColTelegram     string // yes: the registration belongs to a Telegram account

	// The XLSX summary sheet.
	SheetSummary   string // the sheet's name: at most 31 characters, none of []:*?/\
	SumGenerated   string
	SumCertificate string
	SumBatch       string
	SumID          string
	SumStart       string
	SumDays        string
	SumCapacity    string
	SumRegistered  string
	SumWaiting     string
	SumCancelled   string
	SumEligible    string
	SumTotal       string

	StatsTitle          string // course title, date and time
	StatsNoBatches      string
	StatsBatch          string // batch name, dates
	StatsSeats          string // taken, capacity, waiting, cancelled
	StatsSelection      string // applied (no result yet), selected (not confirmed yet), reserve, not selected
	StatsRegs           string // total sign-ups; the days follow
	StatsRegsDay        string // date, count
	StatsRegsEarlier    string // count of sign-ups before the days shown
	StatsRegsNone       string
	StatsAttendance     string // the days follow
	StatsAttendanceDay  string // day, present
	StatsAttendanceNone string
	StatsReach          string // reachable, blocked the bot
	StatsNoTelegram     string // walk-ins not claimed yet, holding a place; shown when there are any
	StatsEligible       string // eligible, minimum days
	StatsChartCaption   string

	ChartRegsTitle string
	ChartAttTitle  string
	ChartPeople    string
	ChartDay       string // axis of session days
	ChartDayTick   string // day number

	// The certificate (A4 landscape), in the course language.
	CertTitle     string
	CertNumber    string // the certificate number
	CertGivenTo   string
	CertFor       string
	CertBatch     string // batch name, dates
	CertDetail    string // organiser, venue, session days, hours
	CertPlaceDate string // city, date
	CertVerify    string // code, bot username
	CertCode      string // code

	// The attendance sheet ("daftar hadir", A4 portrait).
	SheetTitle     string
	SheetCourse    string
	SheetBatch     string
	SheetVenue     string
	SheetOrganiser string
	SheetDay       string // day, of days, date, hours
	SheetNo        string
	SheetName      string
	SheetSignature string
	SheetPresent   string
	SheetKnown     string // above the signatory's title
	SheetPage      string // page, of pages

	// The activity report (A4 portrait), in the course language.
	RepTitle       string
	RepDates       string
	RepMade        string // moment
	RepNumbers     string
	RepCapacity    string
	RepSignUps     string
	RepRegistered  string
	RepWaiting     string
	RepCancelled   string
	RepErased      string
	RepDayPresent  string // day, date
	RepNoRollCall  string
	RepAverage     string
	RepCompleted   string // minimum days
	RepIssued      string
	RepChart       string
	RepAttendance  string
	RepTotal       string
	RepCertificate string
	RepYes, RepNo  string

	// A selection batch's figures (store/selection.go).
	RepApplied, RepSelected, RepReserve, RepNotSelected string

	// The end-of-course survey's results (survey.go): the XLSX sheet,
	// the statistics' lines, the activity report's section.
	SheetSurvey        string // the sheet's name, as SheetSummary
	SurveyQuestion     string
	SurveyAnswer       string
	SurveyCount        string
	SurveyAverage      string
	SurveyAnswered     string
	StatsSurvey        string // answered, sent to
	StatsSurveyAverage string // average, answers
	StatsSurveyTexts   string // answers
	RepSurvey          string
	RepSurveyAnswered  string // answered, sent to
	RepSurveyAverage   string // average, answers
	RepSurveyNone      string
}

// DefaultLanguage is the language of the texts given for a language that
// has none.
const DefaultLanguage = "id"

// Catalogues returns the report texts of every language, by language
// code: what a registry of languages bundles.
func Catalogues() map[string]*Texts {
	return map[string]*Texts{"id": &textsID, "en": &textsEN}
}

// TextsOf returns the texts of lang, those of DefaultLanguage when lang
// has none.
func TextsOf(lang string) *Texts {
	cats := Catalogues()
	if t, ok := cats[lang]; ok {
		return t
	}
	return cats[DefaultLanguage]
}

// Date formats d like "Senin, 20 Okt 2025".
func (t *Texts) Date(d time.Time) string {
	return fmt.Sprintf("%s, %d %s %d", t.Weekdays[d.Weekday()], d.Day(), t.Months[d.Month()-1], d.Year())
}

// Moment formats d like "Senin, 30 Nov 2026 10:00".
func (t *Texts) Moment(d time.Time) string { return t.Date(d) + " " + d.Format("15:04") }

// DateRange formats the first and last day of a batch: "20–26 Okt 2025".
func (t *Texts) DateRange(from, to time.Time) string {
	m := t.Months
	switch {
	case from.Year() != to.Year():
		return fmt.Sprintf("%d %s %d – %d %s %d", from.Day(), m[from.Month()-1], from.Year(), to.Day(), m[to.Month()-1], to.Year())
	case from.Month() != to.Month():
		return fmt.Sprintf("%d %s – %d %s %d", from.Day(), m[from.Month()-1], to.Day(), m[to.Month()-1], to.Year())
	case from.Day() != to.Day():
		return fmt.Sprintf("%d–%d %s %d", from.Day(), to.Day(), m[from.Month()-1], to.Year())
	}
	return fmt.Sprintf("%d %s %d", from.Day(), m[from.Month()-1], from.Year())
}
