package locale

// PaperMessages is what the bot says about the paperwork, in one
// language: the participants' /sertifikat and /cek, and the organisers'
// /sertifikat <batch> and /daftarhadir. Texts are HTML; names are escaped
// before they go in.
type PaperMessages struct {
	CmdCertificate     string // the menu line of /sertifikat
	CmdVerify          string // /cek
	CmdCertificates    string // the organisers' /sertifikat <batch>
	CmdAttendanceSheet string // /daftarhadir
	CmdReport          string // /laporan

	// A participant's /sertifikat, one line per batch they are in.
	CertSending        string // batch name, number
	CertNotYet         string // batch name, end of the last session, present, days, minimum
	CertTooFew         string // batch name, present, days, minimum
	CertNotSeated      string // batch name
	CertNone           string
	CertNoRegistration string
	CertCaption        string // course, batch name, number, code

	// /cek and the QR code's deep link.
	VerifyAsk      string
	VerifyFound    string // number, name, course, batch name, dates
	VerifyNotFound string // the code as typed

	// The organisers' /sertifikat <batch>.
	CertAskBatch    string // batch ids
	CertOrgNotYet   string // batch name, end of the last session
	CertOrgSummary  string // batch name, minimum, days, eligible, not eligible, issued
	CertOrgNobody   string // batch name, minimum
	CertOrgSent     string // batch name, issued, queued
	CertOrgFailed   string
	LogCertificates string // batch name, count

	// /daftarhadir.
	SheetAskBatch string // batch ids
	SheetCaption  string // batch name, people, days
	SheetFailed   string

	// /laporan.
	ReportAskBatch string // batch ids
	ReportCaption  string // batch name
	ReportFailed   string

	// The end-of-course survey (survey.go).
	SurveyIntro      string // course title, batch name, questions
	SurveyReminder   string // course title, batch name
	SurveyAnonymous  string
	SurveyLinked     string
	SurveyQuestion   string // number, questions, the question
	SurveyRatingHint string
	SurveyChoiceHint string
	SurveyTextHint   string
	SurveyOptional   string
	SurveyBadRating  string
	SurveyBadChoice  string
	SurveyBadText    string // most characters
	SurveyRequired   string
	SurveyThanks     string
	SurveyClosed     string
	SurveyAnswered   string
	// /dataku's lines about the survey.
	MyDataSurvey          string // batch name, one of the three states
	MyDataSurveyOpen      string
	MyDataSurveyAnonymous string
	MyDataSurveyLinked    string
}
