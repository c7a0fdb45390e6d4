package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

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

	def := defaultConfig().Course
	for i := range c.Courses {
		courseDefaults(&c.Courses[i], def, fmt.Sprintf("courses[%d]", i), v.pos)
	}
	c.courses = c.collectCourses(v)
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
	c.Telegram.webhookDefaults(dir)
	if c.Store.Path != "" && !filepath.IsAbs(c.Store.Path) {
		c.Store.Path = filepath.Join(dir, c.Store.Path)
	}
	if c.Store.BackupDir != "" && !filepath.IsAbs(c.Store.BackupDir) {
		c.Store.BackupDir = filepath.Join(dir, c.Store.BackupDir)
	}
	v.validate(c)
	v.certificates(c, dir)
	if err := v.err(); err != nil {
		return nil, err
	}
	c.cat = c.convert()
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
	for _, e := range c.courses {
		e.applyDefaults(pos)
	}
}

func (e courseEntry) applyDefaults(pos positions) {
	e.applyIntakeDefaults(pos)
	for i := range e.Batches {
		b := &e.Batches[i]
		p := fmt.Sprintf("%s.batches[%d].", e.key, i)
		switch {
		case pos.has(p + "dates"):
			b.Days = len(b.Dates)
		case !pos.has(p + "days"):
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
	if !pos.has(e.key + ".certificate_min_days") {
		// The default (6) suits the seven-day Jember course; a shorter
		// course asks for every day rather than failing on a key never written.
		longest := 0
		for _, b := range e.Batches {
			longest = max(longest, b.Days)
		}
		if longest > 0 {
			e.CertificateMinDays = min(e.CertificateMinDays, longest)
		}
	}
	for i := range e.fields {
		f := &e.fields[i]
		p := fmt.Sprintf("%s.fields[%d].", e.formKey, i)
		if !pos.has(p + "kind") {
			f.Kind = string(store.KindText)
		}
		if k, ok := form.Lookup(store.FieldKind(f.Kind)); ok && k.Bound != form.BoundNone {
			if !pos.has(p + "min") {
				f.Min = k.DefaultMin
			}
			if !pos.has(p + "max") {
				f.Max = k.DefaultMax
			}
		}
	}
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
