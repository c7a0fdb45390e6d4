package main

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/scheduler"
	"github.com/daftar-bot/daftar/store"
)

var (
	batchIDPattern  = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)
	fieldKeyPattern = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	clockPattern    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// maxCourseText bounds the texts an organiser sets that go into the
// consent, help, status and reminder messages.
const maxCourseText = 500

// maxBatchWord is the longest course.batch_word: it stands where "Angkatan"
// stands, in buttons' prompts and labels.
const maxBatchWord = 40

// validate checks everything about c that decoding does not, and loads
// the time zone of each course (nil when it is invalid).
func (v *validator) validate(c *Config) {
	t := c.Telegram
	v.admins("telegram.admins", t.Admins)
	if t.SendRate < 1 || t.SendRate > 30 {
		v.bad("telegram.send_rate", t.SendRate, "must be between 1 and 30 (Telegram allows about 30 messages per second)")
	}
	v.webhook(t)
	if c.Store.Path == "" {
		v.fail("store.path", "must not be empty")
	}
	if c.Store.BackupKeep < 1 {
		v.bad("store.backup_keep", c.Store.BackupKeep, "must be at least 1")
	}
	if err := scheduler.CheckSpec(c.Reminders.EveningBefore); err != nil {
		v.bad("reminders.evening_before", c.Reminders.EveningBefore, err.Error())
	}
	if err := scheduler.CheckSpec(c.Reminders.MorningOf); err != nil {
		v.bad("reminders.morning_of", c.Reminders.MorningOf, err.Error())
	}
	if !slices.Contains(csvSeparators, c.Export.Separator) {
		v.bad("export.separator", c.Export.Separator, `want "," or ";" (what Excel set to Indonesian expects), "\t" or "|"`)
	}
	courses := map[string]string{} // id → key of the course
	batches := map[string]string{} // id → key of the batch, across courses
	for i := range c.courses {
		v.course(&c.courses[i], courses, batches)
	}
	for _, id := range slices.Sorted(maps.Keys(courses)) {
		if b, ok := batches[id]; ok {
			v.bad(courses[id]+".id", id, "also the id of "+b+": a link ?start="+id+" could not tell them apart")
		}
	}
}

// admins checks a list of organisers' Telegram user ids.
func (v *validator) admins(key string, ids []int64) {
	for i, id := range ids {
		if id <= 0 {
			v.bad(fmt.Sprintf("%s[%d]", key, i), id, "not a Telegram user id; ids are positive (send /id to the bot: it answers with yours)")
		}
	}
}

// course checks one course and loads its time zone. courses and batches
// are the ids seen so far: batch ids are unique across courses.
func (v *validator) course(e *courseEntry, courses, batches map[string]string) {
	k := e.key + "."
	switch {
	case e.ID == "":
		v.fail(k+"id", "missing; every [[courses]] table needs an id like \"menjahit\" (for links: ?start=menjahit)")
	case !batchIDPattern.MatchString(e.ID):
		v.bad(k+"id", e.ID, `use lowercase letters, digits and "-" (at most 32)`)
	case courses[e.ID] != "":
		v.bad(k+"id", e.ID, "already used by "+courses[e.ID])
	default:
		courses[e.ID] = e.key
	}
	v.admins(k+"admins", e.Admins)
	if strings.TrimSpace(e.Title) == "" {
		v.fail(k+"title", "must not be empty")
	}
	e.loc = v.location(k+"timezone", e.Timezone)
	if !slices.Contains(locale.Codes(), e.Language) {
		v.bad(k+"language", e.Language, "must be "+languageNames())
	}
	for _, t := range []struct{ key, val string }{{k + "purpose", e.Purpose}, {k + "shared_with", e.SharedWith}, {k + "contact", e.Contact}} {
		if len([]rune(t.val)) > maxCourseText {
			v.fail(t.key, fmt.Sprintf("%d characters: at most %d, so that the messages it goes into fit", len([]rune(t.val)), maxCourseText))
		}
	}
	if w := e.BatchWord; len([]rune(w)) > maxBatchWord || strings.ContainsAny(w, "<>&\n\r\t") {
		v.bad(k+"batch_word", w, fmt.Sprintf("must be a word of at most %d characters, without <, > or &", maxBatchWord))
	}
	if e.ClaimHours < 0 {
		v.bad(k+"claim_hours", e.ClaimHours, "must not be negative")
	}
	if e.RetentionDays < 0 {
		v.bad(k+"retention_days", e.RetentionDays, "must not be negative")
	}
	longest := v.batches(e.key, e.Batches, batches)
	switch {
	case e.CertificateMinDays < 0:
		v.bad(k+"certificate_min_days", e.CertificateMinDays, "must not be negative")
	case longest > 0 && e.CertificateMinDays > longest:
		v.bad(k+"certificate_min_days", e.CertificateMinDays,
			fmt.Sprintf("more than the days of the longest batch (%d): nobody could get a certificate", longest))
	}
	// The file's own [reminders] are checked once, in validate.
	if key := e.remKey + ".evening_before"; e.key != "course" && v.pos.has(key) {
		if err := scheduler.CheckSpec(e.reminders.EveningBefore); err != nil {
			v.bad(key, e.reminders.EveningBefore, err.Error())
		}
	}
	if key := e.remKey + ".morning_of"; e.key != "course" && v.pos.has(key) {
		if err := scheduler.CheckSpec(e.reminders.MorningOf); err != nil {
			v.bad(key, e.reminders.MorningOf, err.Error())
		}
	}
	v.fields(e.formKey, e.fields)
	v.survey(e)
	v.intake(e)
	v.admission(e)
}

// location loads a course time zone.
func (v *validator) location(key, name string) *time.Location {
	// LoadLocation maps "" to UTC and "Local" to the host's zone: neither
	// says where the course is.
	if name == "" || name == "Local" {
		v.bad(key, name, `want a time zone name like "Asia/Jakarta"`)
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.bad(key, name, `unknown time zone; want a name like "Asia/Jakarta"`)
		return nil
	}
	return loc
}

// batches checks the batches of the course at key and returns the number
// of days of the longest. seen are the batch ids of the courses before.
func (v *validator) batches(key string, bs []BatchConfig, seen map[string]string) int {
	if len(bs) == 0 {
		v.fail(key+".batches", "no batches; add at least one [["+arrayName(key)+".batches]]")
		return 0
	}
	longest := 0
	for i, b := range bs {
		p := fmt.Sprintf("%s.batches[%d]", key, i)
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
		longest = max(longest, v.calendar(p, b))
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

// arrayName is how a table's header is written for the key path of one
// of its elements: "courses[2].form" is in [[courses.form...]].
func arrayName(key string) string { return arrayIndex.ReplaceAllString(key, "") }

// clock checks an "HH:MM" time of day.
func (v *validator) clock(key, s string) bool {
	if !clockPattern.MatchString(s) {
		v.bad(key, s, `want a time of day as "HH:MM", like "08:00"`)
		return false
	}
	return true
}

// fields checks the registration form whose table is key.
func (v *validator) fields(key string, fs []FieldConfig) {
	if len(fs) == 0 {
		v.fail(key+".fields", "empty form; add at least one [["+arrayName(key)+".fields]]")
		return
	}
	seen := map[string]string{}
	for i, f := range fs {
		p := fmt.Sprintf("%s.fields[%d]", key, i)
		switch {
		case f.Key == "":
			v.fail(p+".key", "missing; every field needs a key like \"name\"")
		case !fieldKeyPattern.MatchString(f.Key):
			v.bad(p+".key", f.Key, `use lowercase letters, digits and "_" (at most 32)`)
		case slices.Contains(report.ReservedKeys(), f.Key): // it would duplicate an export column
			v.bad(p+".key", f.Key, "reserved for an export column; choose another key")
		case seen[f.Key] != "":
			v.bad(p+".key", f.Key, "already used by "+seen[f.Key])
		default:
			seen[f.Key] = p
		}
		k, known := form.Lookup(store.FieldKind(f.Kind))
		if !known {
			v.bad(p+".kind", f.Kind, "unknown kind; want "+kindNames("or", func(form.Kind) bool { return true }))
		}
		if strings.TrimSpace(f.Label) == "" {
			v.fail(p+".label", "missing; the question to ask")
		}
		v.labels(p, f)
		v.bounds(p, f, k)
		v.options(p, f, k)
		if f.Foreign && !k.Foreign {
			v.fail(p+".foreign", "only "+kindNames("and", func(k form.Kind) bool { return k.Foreign })+" fields take foreign numbers")
		}
	}
}

// labels checks the translations of the question.
func (v *validator) labels(p string, f FieldConfig) {
	for _, code := range slices.Sorted(maps.Keys(f.Labels)) {
		key := p + ".labels." + code
		switch {
		case !slices.Contains(locale.Codes(), code):
			v.bad(key, code, "not a language the bot speaks; want "+languageNames())
		case code == "en" && f.LabelEN != "":
			v.fail(key, "label_en says it already; keep one of the two")
		case strings.TrimSpace(f.Labels[code]) == "":
			v.fail(key, "must not be empty; leave it out to ask in the label's words")
		}
	}
}

// languageNames lists the languages the bot speaks, as in `"id" or "en"`.
func languageNames() string {
	codes := locale.Codes()
	for i, c := range codes {
		codes[i] = strconv.Quote(c)
	}
	return joinWords(codes, "or")
}

// kindNames lists the kinds of the table that have a property, joined as
// in "text, phone or nik" (conj "or").
func kindNames(conj string, has func(form.Kind) bool) string {
	var names []string
	for _, k := range form.Kinds() {
		if has(k) {
			names = append(names, string(k.Kind))
		}
	}
	return joinWords(names, conj)
}

// joinWords joins words as in "a, b or c" (conj "or").
func joinWords(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// bounds checks min and max, which only kinds with a Bound have.
func (v *validator) bounds(p string, f FieldConfig, k form.Kind) {
	switch k.Bound {
	case form.BoundLength:
		if f.Min < 0 {
			v.bad(p+".min", f.Min, "must not be negative")
		}
		if f.Max < 1 {
			v.bad(p+".max", f.Max, "must be at least 1")
		}
		if f.Max > form.LongestText {
			v.bad(p+".max", f.Max, fmt.Sprintf("must be at most %d (longer answers do not fit a Telegram message)", form.LongestText))
		}
	case form.BoundValue:
	default:
		bounded := kindNames("and", func(k form.Kind) bool { return k.Bound != form.BoundNone })
		for _, key := range []string{"min", "max"} {
			if v.pos.has(p + "." + key) {
				v.fail(p+"."+key, "only "+bounded+" fields have "+key)
			}
		}
		return
	}
	if f.Min > f.Max && f.Max > 0 {
		v.bad(p+".min", f.Min, fmt.Sprintf("more than max (%d)", f.Max))
	}
}

// options checks the options of a kind that has them; other kinds have none.
func (v *validator) options(p string, f FieldConfig, k form.Kind) {
	if !k.Options {
		only := "only " + kindNames("and", func(k form.Kind) bool { return k.Options }) + " fields have options"
		if len(f.Options) > 0 || len(f.OptionsEN) > 0 {
			v.fail(p+".options", only)
		}
		for _, code := range slices.Sorted(maps.Keys(f.OptionLabels)) {
			v.fail(p+".option_labels."+code, only)
		}
		return
	}
	if len(f.Options) == 0 {
		v.fail(p+".options", "a "+f.Kind+" needs options, like options = [\"Ya\", \"Tidak\"]")
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
	for _, code := range slices.Sorted(maps.Keys(f.OptionLabels)) {
		key, o := p+".option_labels."+code, f.OptionLabels[code]
		switch {
		case !slices.Contains(locale.Codes(), code):
			v.bad(key, code, "not a language the bot speaks; want "+languageNames())
		case code == "en" && len(f.OptionsEN) > 0:
			v.fail(key, "options_en says it already; keep one of the two")
		case len(o) != len(f.Options):
			v.fail(key, fmt.Sprintf("has %d options, options has %d; translate each one in the same order", len(o), len(f.Options)))
		}
	}
}

// checkURL checks the Bot API server address.
func (v *validator) checkURL(key, s string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.bad(key, s, "want an http or https URL like \"https://api.telegram.org\"")
	}
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

// err returns the problems found as a *configError, sorted by line, or nil.
func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(v.problems, func(a, b problem) int { return cmp.Compare(a.line, b.line) })
	return &configError{problems: v.problems}
}
