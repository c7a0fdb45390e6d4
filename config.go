package main

import (
	"maps"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on hosts without zoneinfo (scratch images, Windows)

	"github.com/daftar-bot/daftar/store"
)

// Config is the TOML config file (config.example.toml shows every key). The key names are
// a contract with operators: only add keys, never rename them.
//
// A Config returned by loadConfig is complete and valid: defaults are filled
// in and relative paths are resolved against the config file's directory.
// The bot token is not a key: it comes from the environment or token_file and
// is only reachable through token and requireToken.
type Config struct {
	Telegram TelegramConfig `toml:"telegram"`
	Store    StoreConfig    `toml:"store"`
	// Course, Form and Reminders are the one course of a one-course file
	// ([course], [[course.batches]], [[form.fields]]); a file with
	// [[courses]] lists its courses there instead, and its [reminders]
	// are the defaults of every course.
	Course    CourseConfig    `toml:"course"`
	Courses   []CourseConfig  `toml:"courses"`
	Reminders RemindersConfig `toml:"reminders"`
	Form      FormConfig      `toml:"form"`
	// Survey is the one course's [[survey.fields]] in a one-course file
	// (config_survey.go); [[courses]] tables have their own.
	Survey SurveyConfig `toml:"survey"`
	Export ExportConfig `toml:"export"`
	// Certificate is the [certificate] table (config_certificate.go).
	Certificate CertificateConfig `toml:"certificate"`

	logo []byte // Certificate.Logo, read and made ready to print
	// papers are the courses' own certificate tables, merged over
	// [certificate], by course id (config_certificate.go).
	papers map[string]coursePaper
	// courses are the courses of the file, however it writes them, as
	// loadConfig completed and validated them; cat is them converted.
	courses []courseEntry
	cat     store.Catalog
	// bot is a pointer so that fmt prints its address, not its contents,
	// when it formats a Config: fmt cannot call String on unexported fields.
	bot *botToken
}

// TelegramConfig is the [telegram] table.
type TelegramConfig struct {
	APIURL    string  `toml:"api_url"`    // Bot API server; DAFTAR_API_URL overrides it
	TokenFile string  `toml:"token_file"` // file holding the token; TELEGRAM_BOT_TOKEN wins
	Admins    []int64 `toml:"admins"`     // organisers' Telegram user ids
	SendRate  int     `toml:"send_rate"`  // bulk messages per second, 1..30
	// WebhookURL is the public HTTPS address Telegram pushes updates to;
	// empty (the default) polls for them instead.
	WebhookURL string `toml:"webhook_url"`
	// WebhookListen is where the bot listens for the pushes: by default
	// 127.0.0.1:8080 behind a reverse proxy that ends TLS, or :8443 with
	// a certificate of its own.
	WebhookListen string `toml:"webhook_listen"`
	// WebhookCertFile and WebhookKeyFile (PEM) make the bot serve HTTPS
	// itself; relative to the config's directory.
	WebhookCertFile string `toml:"webhook_cert_file"`
	WebhookKeyFile  string `toml:"webhook_key_file"`
	// WebhookMaxConnections is how many pushes Telegram makes at once,
	// 1..100 (default 100, Telegram's own is 40).
	WebhookMaxConnections int `toml:"webhook_max_connections"`
}

// StoreConfig is the [store] table.
type StoreConfig struct {
	Path       string `toml:"path"`        // the bbolt file
	BackupDir  string `toml:"backup_dir"`  // where automatic backups go; "" for none
	BackupKeep int    `toml:"backup_keep"` // how many automatic backups to keep
}

// CourseConfig is the [course] table, or one [[courses]] table.
type CourseConfig struct {
	// ID is [a-z0-9-], for deep links (?start=<id>); required in
	// [[courses]], "kursus" by default in [course].
	ID string `toml:"id"`
	// Admins are the organisers of this course only (telegram.admins
	// organise every course).
	Admins             []int64 `toml:"admins"`
	Title              string  `toml:"title"`
	Organiser          string  `toml:"organiser"`
	Venue              string  `toml:"venue"`
	Timezone           string  `toml:"timezone"` // IANA name
	Language           string  `toml:"language"` // a code of locale.Codes: "id", "en"
	Bring              string  `toml:"bring"`
	Purpose            string  `toml:"purpose"`     // what the data is for, in the consent text
	SharedWith         string  `toml:"shared_with"` // who else gets the data, in the consent text
	Contact            string  `toml:"contact"`     // how to reach the organisers: phone, WhatsApp, Telegram
	BatchWord          string  `toml:"batch_word"`  // the course's word for a batch ("Gelombang"); "" is the language's own
	CertificateMinDays int     `toml:"certificate_min_days"`
	ClaimHours         int     `toml:"claim_hours"`      // how long a promoted person has to take the seat
	RetentionDays      int     `toml:"retention_days"`   // how long personal data is kept after the course
	SurveyHours        int     `toml:"survey_hours"`     // hours after the last session the survey is sent
	SurveyAnonymous    bool    `toml:"survey_anonymous"` // answers are stored without who gave them
	// SurveyDays and SurveyReminderHours: config_survey.go.
	SurveyDays          int           `toml:"survey_days"`
	SurveyReminderHours int           `toml:"survey_reminder_hours"`
	Batches             []BatchConfig `toml:"batches"`
	// Form and Reminders are [[courses.form.fields]] and
	// [courses.reminders]: a [[courses]] table's own. A one-course file
	// writes them as [[form.fields]] and [reminders].
	Form      FormConfig       `toml:"form"`
	Reminders *RemindersConfig `toml:"reminders"`
	// Survey is [[courses.survey.fields]], a [[courses]] table's own; a
	// one-course file writes it as [[survey.fields]].
	Survey SurveyConfig `toml:"survey"`
	// Certificate is [courses.certificate]: the keys of [certificate] this
	// course prints otherwise (config_certificate.go).
	Certificate *CertificateConfig `toml:"certificate"`
	// IntakeConfig is max_batches_per_person and the eligibility keys
	// (config_eligibility.go).
	IntakeConfig

	// The admission keys, defaults of the course's batches
	// (config_admission.go, AdmissionConfig).
	Admission         string `toml:"admission"`
	ConfirmHours      int    `toml:"confirm_hours"`
	ConfirmDaysBefore int    `toml:"confirm_days_before"`
	Unconfirmed       string `toml:"unconfirmed"`
}

// BatchConfig is one [[course.batches]] table.
type BatchConfig struct {
	ID   string `toml:"id"`
	Name string `toml:"name"`
	// Start is a toml.LocalDate after loadConfig. It is decoded as any so
	// that a quoted "2025-10-20" is reported instead of silently accepted.
	Start any `toml:"start"`
	Days  int `toml:"days"` // session days
	// SkipWeekdays are days of the week without sessions ("sunday",
	// "minggu"); Holidays dates without sessions. Both are skipped when
	// counting days from start.
	SkipWeekdays []string `toml:"skip_weekdays"`
	Holidays     []any    `toml:"holidays"`
	// Dates lists every session day instead of start, days,
	// skip_weekdays and holidays. Decoded as any, like Start.
	Dates      []any  `toml:"dates"`
	Capacity   int    `toml:"capacity"`
	DailyStart string `toml:"daily_start"`
	DailyEnd   string `toml:"daily_end"`
	Open       bool   `toml:"open"`
	// EligibilityConfig is the batch's own eligibility keys, in place of
	// the course's (config_eligibility.go).
	EligibilityConfig
	// The batch's own admission keys, winning over its course's, and
	// when a selection's results come (a date, decoded as any like Start;
	// config_admission.go).
	Admission         string `toml:"admission"`
	ConfirmHours      int    `toml:"confirm_hours"`
	ConfirmDaysBefore int    `toml:"confirm_days_before"`
	Unconfirmed       string `toml:"unconfirmed"`
	ResultsBy         any    `toml:"results_by"`
}

// ExportConfig is the [export] table.
type ExportConfig struct {
	// Separator separates the CSV's fields: "," or, for a spreadsheet
	// program set to Indonesian, ";". daftar export -separator overrides it.
	Separator string `toml:"separator"`
}

// RemindersConfig is the [reminders] table: cron specs in the course time zone.
type RemindersConfig struct {
	EveningBefore string `toml:"evening_before"`
	MorningOf     string `toml:"morning_of"`
}

// FormConfig is the [form] table.
type FormConfig struct {
	Fields []FieldConfig `toml:"fields"`
}

// FieldConfig is one [[form.fields]] table.
type FieldConfig struct {
	Key     string `toml:"key"`
	Kind    string `toml:"kind"`
	Label   string `toml:"label"`    // the question, in the course language
	LabelEN string `toml:"label_en"` // the question in English: labels.en
	// Labels is the question in other languages, by language code
	// (labels = { en = "Full name" }).
	Labels    map[string]string `toml:"labels"`
	Min       int               `toml:"min"`
	Max       int               `toml:"max"`
	Options   []string          `toml:"options"`
	OptionsEN []string          `toml:"options_en"` // the options in English: option_labels.en
	// OptionLabels are the options in other languages, by language code,
	// in the order of options.
	OptionLabels map[string][]string `toml:"option_labels"`
	Optional     bool                `toml:"optional"`
	// Foreign lets a phone field take mobile numbers of other countries
	// (in +xx form); by default only Indonesian ones.
	Foreign bool `toml:"foreign"`
}

// Defaults of per-batch and per-field keys, applied when a key is absent.
const (
	defaultDays       = 1
	defaultDailyStart = "08:00"
	defaultDailyEnd   = "15:00"
	// defaultCourseID is the id of a one-course file's [course].
	defaultCourseID = "kursus"
)

// defaultConfig returns the values of every key a file leaves out.
func defaultConfig() *Config {
	return &Config{
		Telegram: TelegramConfig{APIURL: "https://api.telegram.org", SendRate: 28, WebhookMaxConnections: 100},
		Store:    StoreConfig{Path: "daftar.db", BackupKeep: 7},
		Course: CourseConfig{
			ID:                  defaultCourseID,
			Title:               "Pelatihan Menjahit",
			Organiser:           "Diskopum Kabupaten Jember & UPT BLK Jember",
			Venue:               "Ruang Garment Apparel, UPT BLK Jember",
			Timezone:            "Asia/Jakarta",
			Language:            "id",
			Bring:               "Alat tulis, KTP",
			CertificateMinDays:  6,
			ClaimHours:          24,
			RetentionDays:       365,
			SurveyHours:         2,
			SurveyAnonymous:     true,
			SurveyDays:          store.SurveyOpenDays,
			SurveyReminderHours: int(store.SurveyReminderAfter / time.Hour),
			Admission:           admissionDefaults.Admission,
			ConfirmHours:        admissionDefaults.ConfirmHours,
			Unconfirmed:         admissionDefaults.Unconfirmed,
		},
		Reminders:   RemindersConfig{EveningBefore: "0 19 * * *", MorningOf: "0 6 * * *"},
		Export:      ExportConfig{Separator: ","},
		Certificate: CertificateConfig{NumberFormat: defaultNumberFormat},
	}
}

// catalog returns the courses of a Config returned by loadConfig.
func (c *Config) catalog() store.Catalog { return c.cat }

// course returns the first course of a Config returned by loadConfig: the
// only one of a one-course file.
func (c *Config) course() store.Course { return c.cat.Courses[0] }

// convert makes the domain types of the courses, which validate found
// valid (dates, time zones).
func (c *Config) convert() store.Catalog {
	cat := store.Catalog{Admins: slices.Clone(c.Telegram.Admins)}
	for _, e := range c.courses {
		cat.Courses = append(cat.Courses, e.course(separatorRune(c.Export.Separator)))
	}
	return cat
}

// course converts one course into the domain type, whose CSV exports
// are separated by sep.
func (e courseEntry) course(sep rune) store.Course {
	cc := e.CourseConfig
	co := store.Course{
		ID:                  cc.ID,
		Admins:              slices.Clone(cc.Admins),
		Title:               cc.Title,
		Organiser:           cc.Organiser,
		Venue:               cc.Venue,
		Location:            e.loc,
		Language:            cc.Language,
		Bring:               cc.Bring,
		Purpose:             strings.TrimSpace(cc.Purpose),
		SharedWith:          strings.TrimSpace(cc.SharedWith),
		Contact:             strings.TrimSpace(cc.Contact),
		BatchWord:           strings.TrimSpace(cc.BatchWord),
		CertificateMinDays:  cc.CertificateMinDays,
		MaxBatchesPerPerson: cc.MaxBatchesPerPerson,
		CSVSeparator:        sep,
		ClaimWindow:         time.Duration(cc.ClaimHours) * time.Hour,
		RetentionDays:       cc.RetentionDays,
		EveningBefore:       e.reminders.EveningBefore,
		MorningOf:           e.reminders.MorningOf,
		Survey:              e.survey(),
	}
	for i, b := range cc.Batches {
		start, dates := b.calendar(e.loc)
		co.Batches = append(co.Batches, store.Batch{
			ID:          b.ID,
			Name:        b.Name,
			Start:       start,
			Days:        b.Days,
			Dates:       dates,
			Capacity:    b.Capacity,
			DailyStart:  b.DailyStart,
			DailyEnd:    b.DailyEnd,
			Open:        b.Open,
			Eligibility: b.EligibilityConfig.domain(),
			Admission:   e.admissionOf(i),
		})
	}
	for _, f := range e.fields {
		co.Fields = append(co.Fields, store.Field{
			Key:          f.Key,
			Kind:         store.FieldKind(f.Kind),
			Label:        f.Label,
			Labels:       withCode(f.Labels, "en", f.LabelEN),
			Min:          f.Min,
			Max:          f.Max,
			Options:      slices.Clone(f.Options),
			OptionLabels: withCode(f.OptionLabels, "en", slices.Clone(f.OptionsEN)),
			Optional:     f.Optional,
			Foreign:      f.Foreign,
		})
	}
	return co
}

// csvSeparators are the CSV field separators an export may use.
var csvSeparators = []string{",", ";", "\t", "|"}

// separatorRune returns the rune of a separator in csvSeparators; 0 (a
// comma) for any other.
func separatorRune(s string) rune {
	if !slices.Contains(csvSeparators, s) {
		return 0
	}
	return []rune(s)[0]
}

// withCode returns a copy of byCode with v under code when v is set: the
// keys label_en and options_en are labels.en and option_labels.en.
func withCode[V string | []string](byCode map[string]V, code string, v V) map[string]V {
	out := maps.Clone(byCode)
	if len(v) > 0 {
		if out == nil {
			out = map[string]V{}
		}
		out[code] = v
	}
	return out
}
