package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"

	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
)

// CertificateConfig is the [certificate] table: what the certificates
// and the attendance sheet print besides the course.
type CertificateConfig struct {
	// NumberFormat writes certificate numbers: {seq} or {seq:03}, {batch},
	// {year} (store.CertificateNumber).
	NumberFormat   string `toml:"number_format"`
	Signatory      string `toml:"signatory"`       // who signs, "Drs. Bambang Sutrisno, M.Si."
	SignatoryTitle string `toml:"signatory_title"` // their title, "Kepala UPT BLK Jember"
	City           string `toml:"city"`            // where they sign, before the date
	Logo           string `toml:"logo"`            // a PNG file, relative to the config file; "" for none
	// BotUsername is the bot's username for the QR codes' verification
	// link (t.me/<bot>?start=cek-<code>). The running bot uses its own
	// when this is empty; "daftar certificates" needs it.
	BotUsername string `toml:"bot_username"`
}

const defaultNumberFormat = "{seq:03}/{batch}/{year}"

// usernamePattern is what @BotFather allows: 5 to 32 letters, digits and
// underscores, ending in "bot".
var usernamePattern = regexp.MustCompile(`(?i)^[a-z][a-z0-9_]{1,29}bot$`)

// certificates checks the [certificate] table and each course's
// [courses.certificate], whose keys override it for that course (its
// signatory, number format, logo, …), and keeps what each course prints.
func (v *validator) certificates(c *Config, dir string) {
	c.logo = v.certificate("certificate", &c.Certificate, dir, func(string) bool { return true })
	if len(c.Courses) == 0 && v.pos.has("course.certificate") {
		v.fail("course.certificate", "a file with one [course] writes its certificate keys in [certificate]; "+
			"[[courses]] tables may have their own [courses.certificate]")
	}
	c.papers = map[string]coursePaper{}
	for i := range c.Courses {
		co := &c.Courses[i]
		if co.Certificate == nil {
			continue
		}
		key := fmt.Sprintf("courses[%d].certificate", i)
		own := c.Certificate
		dst, src := reflect.ValueOf(&own).Elem(), reflect.ValueOf(co.Certificate).Elem()
		for f := range dst.NumField() {
			if v.pos.has(key + "." + dst.Type().Field(f).Tag.Get("toml")) {
				dst.Field(f).Set(src.Field(f))
			}
		}
		// The keys it writes are checked (the others were, in
		// [certificate]); its logo is read when it names one.
		logo := v.certificate(key, &own, dir, func(name string) bool { return v.pos.has(key + "." + name) })
		if !v.pos.has(key + ".logo") {
			logo = c.logo
		}
		c.papers[co.ID] = coursePaper{CertificateConfig: own, logo: logo}
	}
}

// coursePaper is a course's own certificate table merged over the file's,
// with its logo ready to print.
type coursePaper struct {
	CertificateConfig
	logo []byte
}

// certificate checks the keys of a certificate table, written at key,
// that check says (by their TOML names), resolving and reading the logo,
// and returns the logo as the documents print it.
func (v *validator) certificate(key string, c *CertificateConfig, dir string, check func(name string) bool) []byte {
	if err := store.CheckNumberFormat(c.NumberFormat); err != nil && check("number_format") {
		v.bad(key+".number_format", c.NumberFormat, err.Error())
	}
	if len([]rune(c.Signatory)) > 120 && check("signatory") {
		v.fail(key+".signatory", "longer than 120 characters")
	}
	if len([]rune(c.SignatoryTitle)) > 200 && check("signatory_title") {
		v.fail(key+".signatory_title", "longer than 200 characters")
	}
	if c.BotUsername != "" && !usernamePattern.MatchString(c.BotUsername) && check("bot_username") {
		v.bad(key+".bot_username", c.BotUsername, `not a bot username: letters, digits and "_", ending in "bot", without the @`)
	}
	if c.Logo == "" || !check("logo") {
		return nil
	}
	if !filepath.IsAbs(c.Logo) {
		c.Logo = filepath.Join(dir, c.Logo)
	}
	data, err := os.ReadFile(c.Logo)
	if err != nil {
		v.bad(key+".logo", c.Logo, "cannot be read: "+errWords(err))
		return nil
	}
	logo, err := report.PrepareLogo(data)
	if err != nil {
		v.bad(key+".logo", c.Logo, err.Error())
		return nil
	}
	return logo
}

// errWords is what an error of the file system says without the path the
// message already names.
func errWords(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// paper is what the printed documents of the config say besides the
// course ([certificate]); bot is the bot's username when the config names
// none.
func (c *Config) paper(bot string) report.Paper {
	return paperOf(c.Certificate, c.logo, bot)
}

// paperOf is paper for the course with id course: its own
// [courses.certificate] over [certificate], or [certificate].
func (c *Config) paperOf(course, bot string) report.Paper {
	if own, ok := c.papers[course]; ok {
		return paperOf(own.CertificateConfig, own.logo, bot)
	}
	return c.paper(bot)
}

// coursePapers are the papers of the courses with their own
// [courses.certificate], by course id.
func (c *Config) coursePapers(bot string) map[string]report.Paper {
	out := map[string]report.Paper{}
	for id := range c.papers {
		out[id] = c.paperOf(id, bot)
	}
	return out
}

func paperOf(cc CertificateConfig, logo []byte, bot string) report.Paper {
	p := report.Paper{
		NumberFormat:   cc.NumberFormat,
		Signatory:      cc.Signatory,
		SignatoryTitle: cc.SignatoryTitle,
		City:           cc.City,
		Logo:           logo,
		Bot:            cc.BotUsername,
	}
	if p.Bot == "" {
		p.Bot = bot
	}
	return p
}
