package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on hosts without zoneinfo (scratch images, Windows)

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/daftar-bot/daftar/scheduler"
	"github.com/daftar-bot/daftar/store"
)

// Config is the TOML config file (see DESIGN.md, "Config"). The key names are
// a contract with operators: only add keys, never rename them.
//
// A Config returned by loadConfig is complete and valid: defaults are filled
// in and relative paths are resolved against the config file's directory.
// The bot token is not a key: it comes from the environment or token_file and
// is only reachable through token and requireToken.
type Config struct {
	Telegram  TelegramConfig  `toml:"telegram"`
	Store     StoreConfig     `toml:"store"`
	Course    CourseConfig    `toml:"course"`
	Reminders RemindersConfig `toml:"reminders"`
	Form      FormConfig      `toml:"form"`

	loc *time.Location // Course.Timezone, loaded
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
}

// StoreConfig is the [store] table.
type StoreConfig struct {
	Path       string `toml:"path"`        // the bbolt file
	BackupDir  string `toml:"backup_dir"`  // where automatic backups go; "" for none
	BackupKeep int    `toml:"backup_keep"` // how many automatic backups to keep
}

// CourseConfig is the [course] table.
type CourseConfig struct {
	Title              string        `toml:"title"`
	Organiser          string        `toml:"organiser"`
	Venue              string        `toml:"venue"`
	Timezone           string        `toml:"timezone"` // IANA name
	Language           string        `toml:"language"` // "id" or "en"
	Bring              string        `toml:"bring"`
	CertificateMinDays int           `toml:"certificate_min_days"`
	ClaimHours         int           `toml:"claim_hours"`    // how long a promoted person has to take the seat
	RetentionDays      int           `toml:"retention_days"` // how long personal data is kept after the course
	Batches            []BatchConfig `toml:"batches"`
}

// BatchConfig is one [[course.batches]] table.
type BatchConfig struct {
	ID   string `toml:"id"`
	Name string `toml:"name"`
	// Start is a toml.LocalDate after loadConfig. It is decoded as any so
	// that a quoted "2025-10-20" is reported instead of silently accepted.
	Start      any    `toml:"start"`
	Days       int    `toml:"days"`
	Capacity   int    `toml:"capacity"`
	DailyStart string `toml:"daily_start"`
	DailyEnd   string `toml:"daily_end"`
	Open       bool   `toml:"open"`
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
	Key       string   `toml:"key"`
	Kind      string   `toml:"kind"`
	Label     string   `toml:"label"`
	LabelEN   string   `toml:"label_en"`
	Min       int      `toml:"min"`
	Max       int      `toml:"max"`
	Options   []string `toml:"options"`
	OptionsEN []string `toml:"options_en"`
	Optional  bool     `toml:"optional"`
}

// Defaults of per-batch and per-field keys, applied when a key is absent.
const (
	defaultDays       = 1
	defaultDailyStart = "08:00"
	defaultDailyEnd   = "15:00"
	defaultTextMin    = 1
	defaultTextMax    = 200
)

// defaultConfig returns the values of every key a file leaves out.
func defaultConfig() *Config {
	return &Config{
		Telegram: TelegramConfig{APIURL: "https://api.telegram.org", SendRate: 28},
		Store:    StoreConfig{Path: "daftar.db", BackupKeep: 7},
		Course: CourseConfig{
			Title:              "Pelatihan Menjahit",
			Organiser:          "Diskopum Kabupaten Jember & UPT BLK Jember",
			Venue:              "Ruang Garment Apparel, UPT BLK Jember",
			Timezone:           "Asia/Jakarta",
			Language:           "id",
			Bring:              "Alat tulis, KTP",
			CertificateMinDays: 6,
			ClaimHours:         24,
			RetentionDays:      365,
		},
		Reminders: RemindersConfig{EveningBefore: "0 19 * * *", MorningOf: "0 6 * * *"},
	}
}

// botToken holds the bot token. Every way of printing or logging it shows
// "[redacted]", so the token cannot end up in logs or check output.
type botToken struct {
	value  string
	source string // where it came from, e.g. "TELEGRAM_BOT_TOKEN"
}

func (t *botToken) String() string                { return "[redacted]" }
func (t *botToken) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte("[redacted]")) }
func (t *botToken) LogValue() slog.Value          { return slog.StringValue("[redacted]") }

// token returns the bot token, or "" when none is configured.
func (c *Config) token() string {
	if c.bot == nil {
		return ""
	}
	return c.bot.value
}

// requireToken returns the bot token, or an error saying how to provide one.
// Only commands that talk to Telegram call it: check and export work without.
func (c *Config) requireToken() (string, error) {
	if c.token() == "" {
		return "", errors.New("no bot token: set TELEGRAM_BOT_TOKEN or telegram.token_file")
	}
	return c.token(), nil
}

// course converts the config into the domain type. It must only be called on
// a Config returned by loadConfig, whose dates and time zone are valid.
func (c *Config) course() store.Course {
	co := store.Course{
		Title:              c.Course.Title,
		Organiser:          c.Course.Organiser,
		Venue:              c.Course.Venue,
		Location:           c.loc,
		Language:           c.Course.Language,
		Bring:              c.Course.Bring,
		CertificateMinDays: c.Course.CertificateMinDays,
	}
	for _, b := range c.Course.Batches {
		d, _ := b.Start.(toml.LocalDate)
		co.Batches = append(co.Batches, store.Batch{
			ID:         b.ID,
			Name:       b.Name,
			Start:      d.AsTime(c.loc),
			Days:       b.Days,
			Capacity:   b.Capacity,
			DailyStart: b.DailyStart,
			DailyEnd:   b.DailyEnd,
			Open:       b.Open,
		})
	}
	for _, f := range c.Form.Fields {
		co.Fields = append(co.Fields, store.Field{
			Key:       f.Key,
			Kind:      store.FieldKind(f.Kind),
			Label:     f.Label,
			LabelEN:   f.LabelEN,
			Min:       f.Min,
			Max:       f.Max,
			Options:   slices.Clone(f.Options),
			OptionsEN: slices.Clone(f.OptionsEN),
			Optional:  f.Optional,
		})
	}
	return co
}

// loadConfig reads, completes and validates the config file at path, with
// the environment read through getenv. When the file is not usable the
// error is a *configError listing every problem found.
func loadConfig(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c := defaultConfig()
	v := &validator{file: path, pos: indexPositions(data)}
	err = decodeTOML(data, c)
	var strict *toml.StrictMissingError
	switch {
	case errors.As(err, &strict):
		// Everything else was decoded: report the unknown keys and go on.
		for _, e := range strict.Errors {
			line, _ := e.Position()
			v.addAt(line, v.pos.pathAt(line, e.Key())+": unknown key")
		}
	case err != nil:
		// A syntax or type error stops the decoder: nothing else is known.
		v.decodeError(err)
		return nil, v.err()
	}

	c.applyDefaults(v.pos)
	dir := filepath.Dir(path)
	if u := getenv("DAFTAR_API_URL"); u != "" {
		c.Telegram.APIURL = u
		v.checkURL("DAFTAR_API_URL", u)
	} else {
		v.checkURL("telegram.api_url", c.Telegram.APIURL)
	}
	c.Telegram.APIURL = strings.TrimRight(c.Telegram.APIURL, "/")
	c.bot = v.loadToken(getenv, c.Telegram.TokenFile, dir)
	if c.Store.Path != "" && !filepath.IsAbs(c.Store.Path) {
		c.Store.Path = filepath.Join(dir, c.Store.Path)
	}
	if c.Store.BackupDir != "" && !filepath.IsAbs(c.Store.BackupDir) {
		c.Store.BackupDir = filepath.Join(dir, c.Store.BackupDir)
	}
	c.loc = v.validate(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// decodeTOML decodes data into c. The decoder (go-toml v2.2.4) panics on
// some malformed files, such as "[[form.fields.0]]" (pelletier/go-toml#839,
// #995): that is an error in the file, reported as one.
func decodeTOML(data []byte, c *Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot decode the file (%v): check the [table] and [[table]] headers", r)
		}
	}()
	return toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(c)
}

// applyDefaults fills in the keys of batches and fields that the file leaves
// out. Unlike top-level keys these cannot be preset before decoding, and a
// zero can be a value the operator wrote (days = 0 is an error, not "1").
func (c *Config) applyDefaults(pos positions) {
	for i := range c.Course.Batches {
		b := &c.Course.Batches[i]
		p := fmt.Sprintf("course.batches[%d].", i)
		if !pos.has(p + "days") {
			b.Days = defaultDays
		}
		if !pos.has(p + "daily_start") {
			b.DailyStart = defaultDailyStart
		}
		if !pos.has(p + "daily_end") {
			b.DailyEnd = defaultDailyEnd
		}
		if !pos.has(p + "open") {
			b.Open = true
		}
		if !pos.has(p + "name") {
			b.Name = b.ID
		}
	}
	if !pos.has("course.certificate_min_days") {
		// The default (6) suits the seven-day Jember course; a shorter
		// course asks for every day rather than failing on a key never written.
		longest := 0
		for _, b := range c.Course.Batches {
			longest = max(longest, b.Days)
		}
		if longest > 0 {
			c.Course.CertificateMinDays = min(c.Course.CertificateMinDays, longest)
		}
	}
	for i := range c.Form.Fields {
		f := &c.Form.Fields[i]
		p := fmt.Sprintf("form.fields[%d].", i)
		if !pos.has(p + "kind") {
			f.Kind = string(store.KindText)
		}
		if f.Kind == string(store.KindText) {
			if !pos.has(p + "min") {
				f.Min = defaultTextMin
			}
			if !pos.has(p + "max") {
				f.Max = defaultTextMax
			}
		}
	}
}

var (
	batchIDPattern  = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)
	fieldKeyPattern = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	clockPattern    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// reservedKeys are the export columns besides the form fields (DESIGN.md,
// "Export columns"): a field with one of these keys would duplicate a column.
var reservedKeys = []string{"seat", "batch", "status", "language", "registered_at"}

var fieldKinds = []store.FieldKind{store.KindText, store.KindPhone, store.KindNIK, store.KindDate, store.KindChoice, store.KindNumber}

// validate checks everything about c that decoding does not and returns the
// loaded course time zone (nil when it is invalid).
func (v *validator) validate(c *Config) *time.Location {
	t := c.Telegram
	for i, id := range t.Admins {
		if id <= 0 {
			v.bad(fmt.Sprintf("telegram.admins[%d]", i), id, "not a Telegram user id; ids are positive (ask @userinfobot for yours)")
		}
	}
	if t.SendRate < 1 || t.SendRate > 30 {
		v.bad("telegram.send_rate", t.SendRate, "must be between 1 and 30 (Telegram allows about 30 messages per second)")
	}
	if c.Store.Path == "" {
		v.fail("store.path", "must not be empty")
	}
	if c.Store.BackupKeep < 1 {
		v.bad("store.backup_keep", c.Store.BackupKeep, "must be at least 1")
	}

	co := c.Course
	if strings.TrimSpace(co.Title) == "" {
		v.fail("course.title", "must not be empty")
	}
	loc := v.location(co.Timezone)
	if co.Language != "id" && co.Language != "en" {
		v.bad("course.language", co.Language, `must be "id" or "en"`)
	}
	if co.ClaimHours < 0 {
		v.bad("course.claim_hours", co.ClaimHours, "must not be negative")
	}
	if co.RetentionDays < 0 {
		v.bad("course.retention_days", co.RetentionDays, "must not be negative")
	}
	longest := v.batches(co.Batches)
	switch {
	case co.CertificateMinDays < 0:
		v.bad("course.certificate_min_days", co.CertificateMinDays, "must not be negative")
	case longest > 0 && co.CertificateMinDays > longest:
		v.bad("course.certificate_min_days", co.CertificateMinDays,
			fmt.Sprintf("more than the days of the longest batch (%d): nobody could get a certificate", longest))
	}

	if err := scheduler.CheckSpec(c.Reminders.EveningBefore); err != nil {
		v.bad("reminders.evening_before", c.Reminders.EveningBefore, err.Error())
	}
	if err := scheduler.CheckSpec(c.Reminders.MorningOf); err != nil {
		v.bad("reminders.morning_of", c.Reminders.MorningOf, err.Error())
	}
	v.fields(c.Form.Fields)
	return loc
}

// location loads the course time zone.
func (v *validator) location(name string) *time.Location {
	// LoadLocation maps "" to UTC and "Local" to the host's zone: neither
	// says where the course is.
	if name == "" || name == "Local" {
		v.bad("course.timezone", name, `want a time zone name like "Asia/Jakarta"`)
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.bad("course.timezone", name, `unknown time zone; want a name like "Asia/Jakarta"`)
		return nil
	}
	return loc
}

// batches checks the batches and returns the number of days of the longest.
func (v *validator) batches(bs []BatchConfig) int {
	if len(bs) == 0 {
		v.fail("course.batches", "no batches; add at least one [[course.batches]]")
		return 0
	}
	longest := 0
	seen := map[string]string{}
	for i, b := range bs {
		p := fmt.Sprintf("course.batches[%d]", i)
		switch {
		case b.ID == "":
			v.fail(p+".id", "missing; every batch needs an id like \"angkatan-1\"")
		case !batchIDPattern.MatchString(b.ID):
			v.bad(p+".id", b.ID, `use lowercase letters, digits and "-" (at most 32)`)
		case seen[b.ID] != "":
			v.bad(p+".id", b.ID, "already used by "+seen[b.ID])
		default:
			seen[b.ID] = p
		}
		if strings.TrimSpace(b.Name) == "" {
			v.fail(p+".name", "must not be empty")
		}
		v.startDate(p+".start", b.Start)
		if b.Days <= 0 {
			v.bad(p+".days", b.Days, "must be at least 1")
		}
		longest = max(longest, b.Days)
		switch {
		case !v.pos.has(p + ".capacity"):
			v.fail(p+".capacity", "missing; every batch needs its number of seats")
		case b.Capacity <= 0:
			v.bad(p+".capacity", b.Capacity, "must be at least 1")
		}
		okStart := v.clock(p+".daily_start", b.DailyStart)
		okEnd := v.clock(p+".daily_end", b.DailyEnd)
		if okStart && okEnd && b.DailyEnd <= b.DailyStart {
			v.bad(p+".daily_end", b.DailyEnd, "must be after daily_start "+strconv.Quote(b.DailyStart))
		}
	}
	return longest
}

// startDate checks that a batch start is a TOML local date (2025-10-20,
// unquoted), the only form that cannot be misread as another day or zone.
func (v *validator) startDate(key string, start any) {
	switch s := start.(type) {
	case toml.LocalDate:
	case nil:
		v.fail(key, "missing; want a date like 2025-10-20")
	case string:
		v.bad(key, s, "write the date without quotes, like start = 2025-10-20")
	case toml.LocalDateTime, time.Time:
		v.bad(key, s, "want a date without a time, like 2025-10-20")
	default:
		v.bad(key, s, "want a date like 2025-10-20")
	}
}

// clock checks an "HH:MM" time of day.
func (v *validator) clock(key, s string) bool {
	if !clockPattern.MatchString(s) {
		v.bad(key, s, `want a time of day as "HH:MM", like "08:00"`)
		return false
	}
	return true
}

// fields checks the registration form.
func (v *validator) fields(fs []FieldConfig) {
	if len(fs) == 0 {
		v.fail("form.fields", "empty form; add at least one [[form.fields]]")
		return
	}
	seen := map[string]string{}
	for i, f := range fs {
		p := fmt.Sprintf("form.fields[%d]", i)
		switch {
		case f.Key == "":
			v.fail(p+".key", "missing; every field needs a key like \"name\"")
		case !fieldKeyPattern.MatchString(f.Key):
			v.bad(p+".key", f.Key, `use lowercase letters, digits and "_" (at most 32)`)
		case slices.Contains(reservedKeys, f.Key):
			v.bad(p+".key", f.Key, "reserved for an export column; choose another key")
		case seen[f.Key] != "":
			v.bad(p+".key", f.Key, "already used by "+seen[f.Key])
		default:
			seen[f.Key] = p
		}
		if !slices.Contains(fieldKinds, store.FieldKind(f.Kind)) {
			v.bad(p+".kind", f.Kind, "unknown kind; want text, phone, nik, date, choice or number")
		}
		if strings.TrimSpace(f.Label) == "" {
			v.fail(p+".label", "missing; the question to ask")
		}
		v.bounds(p, f)
		v.options(p, f)
	}
}

// bounds checks min and max, which only text and number fields have.
func (v *validator) bounds(p string, f FieldConfig) {
	switch store.FieldKind(f.Kind) {
	case store.KindText:
		if f.Min < 0 {
			v.bad(p+".min", f.Min, "must not be negative")
		}
		if f.Max < 1 {
			v.bad(p+".max", f.Max, "must be at least 1")
		}
	case store.KindNumber:
	default:
		for _, k := range []string{"min", "max"} {
			if v.pos.has(p + "." + k) {
				v.fail(p+"."+k, "only text and number fields have "+k)
			}
		}
		return
	}
	if f.Min > f.Max && f.Max > 0 {
		v.bad(p+".min", f.Min, fmt.Sprintf("more than max (%d)", f.Max))
	}
}

// options checks the choices of a choice field; other kinds have none.
func (v *validator) options(p string, f FieldConfig) {
	if f.Kind != string(store.KindChoice) {
		if len(f.Options) > 0 || len(f.OptionsEN) > 0 {
			v.fail(p+".options", "only choice fields have options")
		}
		return
	}
	if len(f.Options) == 0 {
		v.fail(p+".options", "a choice needs options, like options = [\"Ya\", \"Tidak\"]")
	}
	for i, o := range f.Options {
		switch {
		case strings.TrimSpace(o) == "":
			v.fail(fmt.Sprintf("%s.options[%d]", p, i), "must not be empty")
		case slices.Index(f.Options, o) < i:
			v.bad(fmt.Sprintf("%s.options[%d]", p, i), o, "listed twice")
		}
	}
	if len(f.OptionsEN) > 0 && len(f.OptionsEN) != len(f.Options) {
		v.fail(p+".options_en", fmt.Sprintf("has %d options, options has %d; translate each one in the same order",
			len(f.OptionsEN), len(f.Options)))
	}
}

// checkURL checks the Bot API server address.
func (v *validator) checkURL(key, s string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.bad(key, s, "want an http or https URL like \"https://api.telegram.org\"")
	}
}

// loadToken finds the bot token: TELEGRAM_BOT_TOKEN wins over token_file, so
// an operator can override a deployed file without editing it, and
// token_file over the systemd credential (see credentialToken). No token at
// all is fine here; requireToken complains when one is needed.
func (v *validator) loadToken(getenv func(string) string, file, dir string) *botToken {
	if t := strings.TrimSpace(getenv("TELEGRAM_BOT_TOKEN")); t != "" {
		return &botToken{value: t, source: "TELEGRAM_BOT_TOKEN"}
	}
	if file == "" {
		return v.credentialToken(getenv)
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		// The error names the file, never its content.
		v.fail("telegram.token_file", err.Error())
		return nil
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		v.bad("telegram.token_file", file, "the file is empty")
		return nil
	}
	return &botToken{value: t, source: file}
}

// tokenCredential is the name of the systemd credential holding the token:
// LoadCredential=telegram-token:/etc/daftar/token in the unit (see
// deploy/daftar.service) makes it the file
// $CREDENTIALS_DIRECTORY/telegram-token, readable by the service only and
// never in its environment, where child processes and /proc would see it.
const tokenCredential = "telegram-token"

// credentialToken reads the token from the systemd credential, when the
// service has one. Without CREDENTIALS_DIRECTORY, or without that
// credential in it, there is no token.
func (v *validator) credentialToken(getenv func(string) string) *botToken {
	dir := getenv("CREDENTIALS_DIRECTORY")
	if dir == "" {
		return nil
	}
	file := filepath.Join(dir, tokenCredential)
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		// The error names the file, never its content.
		v.addAt(0, "credential "+tokenCredential+": "+err.Error())
		return nil
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		v.addAt(0, "credential "+tokenCredential+": "+file+" is empty")
		return nil
	}
	return &botToken{value: t, source: "credential " + tokenCredential}
}

// configError is returned by loadConfig for an unusable config file. It lists
// every problem, one per line, as "file:line: key: what is wrong", so an
// operator can fix them all in one edit.
type configError struct {
	problems []problem
}

type problem struct {
	line int // 0 when the problem has no place in the file
	text string
}

func (e *configError) Error() string {
	lines := make([]string, len(e.problems))
	for i, p := range e.problems {
		lines[i] = p.text
	}
	return strings.Join(lines, "\n")
}

// validator collects the problems of one config file.
type validator struct {
	file     string
	pos      positions
	problems []problem
}

// fail reports a problem with key, located at the key's line (or its
// table's, when the key is absent).
func (v *validator) fail(key, msg string) {
	v.addAt(v.pos.line(key), key+": "+msg)
}

// bad reports a bad value of key.
func (v *validator) bad(key string, value any, msg string) {
	if s, ok := value.(string); ok {
		value = strconv.Quote(s)
	}
	v.addAt(v.pos.line(key), fmt.Sprintf("%s %v: %s", key, value, msg))
}

func (v *validator) addAt(line int, text string) {
	loc := v.file
	if line > 0 {
		loc += ":" + strconv.Itoa(line)
	}
	v.problems = append(v.problems, problem{line: line, text: loc + ": " + text})
}

// decodeError reports an error of the TOML decoder, which stops at the first
// syntax or type error.
func (v *validator) decodeError(err error) {
	var de *toml.DecodeError
	switch {
	case errors.As(err, &de):
	case v.pos.dup != "":
		v.addAt(v.pos.dupLine, v.pos.dup+": defined twice")
		return
	default:
		v.addAt(0, strings.TrimPrefix(err.Error(), "toml: "))
		return
	}
	line, col := de.Position()
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		// A type error on a key: name the key, not the Go struct field.
		msg = fmt.Sprintf("%s: want %s, not a TOML %s", v.pos.keyAt(line), goTypeWords(m[2]), m[1])
	}
	v.problems = append(v.problems, problem{line: line, text: fmt.Sprintf("%s:%d:%d: %s", v.file, line, col, msg)})
}

var typeMismatch = regexp.MustCompile(`^cannot decode TOML (\S+) into .* of type (\S+)$`)

// goTypeWords describes a Go type of Config in the operator's words.
func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "[]int"):
		return "an array of numbers"
	case t == "[]string":
		return "an array of strings"
	case strings.HasPrefix(t, "[]"):
		return "[[tables]]"
	case strings.HasPrefix(t, "int"):
		return "a whole number"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "main."):
		return "a table"
	}
	return t
}

// err returns the problems found as a *configError, sorted by line, or nil.
func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(v.problems, func(a, b problem) int { return cmp.Compare(a.line, b.line) })
	return &configError{problems: v.problems}
}

// positions maps key paths such as "course.batches[1].id" to the line they
// are written on, so that problems found after decoding point into the file.
// Array tables and array elements are indexed from 0 in file order.
type positions struct {
	lines map[string]int
	// dup is the first key (or table) written twice and dupLine its second
	// line: the decoder reports that without a position.
	dup     string
	dupLine int
}

// indexPositions walks the TOML syntax tree of data. A document the parser
// rejects gives what was indexed before the error.
func indexPositions(data []byte) positions {
	pos := positions{lines: map[string]int{}}
	arrays := map[string]int{}   // array table path -> elements so far
	headers := map[string]bool{} // paths of [table] headers
	var p unstable.Parser
	p.Reset(data)
	line := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	seen := func(path string, l int) {
		if pos.dup == "" {
			pos.dup, pos.dupLine = path, l
		}
	}
	var value func(path string, n *unstable.Node, l int)
	value = func(path string, n *unstable.Node, l int) {
		if n.Raw.Length > 0 {
			l = line(n)
		}
		if pos.has(path) {
			seen(path, l)
		}
		pos.lines[path] = l
		it := n.Children()
		for i := 0; it.Next(); i++ {
			switch c := it.Node(); n.Kind {
			case unstable.Array:
				value(fmt.Sprintf("%s[%d]", path, i), c, l)
			case unstable.InlineTable:
				k, kl := keyPath(path, c.Key(), line)
				value(k, c.Value(), kl)
			}
		}
	}
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			k, l := keyPath(prefix, e.Key(), line)
			value(k, e.Value(), l)
		case unstable.Table, unstable.ArrayTable:
			prefix = ""
			it := e.Key()
			l := 0
			for it.Next() {
				if l == 0 {
					l = line(it.Node())
				}
				prefix = joinKey(prefix, string(it.Node().Data))
				n, isArray := arrays[prefix]
				switch {
				case e.Kind == unstable.ArrayTable && it.IsLast():
					arrays[prefix] = n + 1
					prefix += fmt.Sprintf("[%d]", n)
				case isArray:
					prefix += fmt.Sprintf("[%d]", n-1)
				}
				if !pos.has(prefix) {
					pos.lines[prefix] = l
				}
			}
			if e.Kind == unstable.Table {
				if headers[prefix] {
					seen(prefix, l)
				}
				headers[prefix] = true
			}
		}
	}
	return pos
}

// keyPath returns prefix extended by a (dotted) key and the key's line.
func keyPath(prefix string, it unstable.Iterator, line func(*unstable.Node) int) (string, int) {
	l := 0
	for it.Next() {
		if l == 0 {
			l = line(it.Node())
		}
		prefix = joinKey(prefix, string(it.Node().Data))
	}
	return prefix, l
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// has reports whether the file sets key.
func (ps positions) has(key string) bool {
	_, ok := ps.lines[key]
	return ok
}

// line returns the line of key or, when the file leaves it out, of the
// nearest table around it; 0 when there is none.
func (ps positions) line(key string) int {
	for key != "" {
		if l, ok := ps.lines[key]; ok {
			return l
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 0
}

// pathAt returns the indexed path of the key written at line whose names are
// k (the decoder reports "course.batches.colour", we want
// "course.batches[1].colour").
func (ps positions) pathAt(line int, k toml.Key) string {
	want := strings.Join(k, ".")
	for p, l := range ps.lines {
		if l == line && arrayIndex.ReplaceAllString(p, "") == want {
			return p
		}
	}
	return want
}

// keyAt returns the key written at line: the shortest path on it, which
// is the key of a key = value line rather than an element of its value.
func (ps positions) keyAt(line int) string {
	best := ""
	for p, l := range ps.lines {
		if l == line && (best == "" || len(p) < len(best) || len(p) == len(best) && p < best) {
			best = p
		}
	}
	if best == "" {
		return "value"
	}
	return best
}

var arrayIndex = regexp.MustCompile(`\[\d+\]`)
