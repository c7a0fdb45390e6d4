package bot

// ReportMessages is what the organisers' reports say, in one language: the
// statistics text and chart, and the XLSX summary sheet. Like Messages, a
// missing text is a compile error and TestReportMessages checks that none
// is empty and that the verbs of both languages agree. Texts of the
// statistics are HTML; batch names are escaped before they go in.
type ReportMessages struct {
	Lang string

	// The XLSX summary sheet. The batch sheets' columns are the export
	// contract and are not translated.
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
	StatsRegs           string // total sign-ups; the days follow
	StatsRegsDay        string // date, count
	StatsRegsEarlier    string // count of sign-ups before the days shown
	StatsRegsNone       string
	StatsAttendance     string // the days follow
	StatsAttendanceDay  string // day, present
	StatsAttendanceNone string
	StatsReach          string // reachable, blocked the bot
	StatsEligible       string // eligible, minimum days
	StatsChartCaption   string

	ChartRegsTitle string
	ChartAttTitle  string
	ChartPeople    string
	ChartDay       string // axis of session days
	ChartDayTick   string // day number
}

// reports returns the report catalogue of lang, Indonesian when lang is
// unknown.
func reports(lang string) *ReportMessages {
	if lang == "en" {
		return &reportMessagesEN
	}
	return &reportMessagesID
}
