package main

import (
	"os"
	"path/filepath"
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

// certificate checks the [certificate] table, resolving and reading the
// logo, and returns the logo as the documents print it.
func (v *validator) certificate(c *CertificateConfig, dir string) []byte {
	if err := store.CheckNumberFormat(c.NumberFormat); err != nil {
		v.bad("certificate.number_format", c.NumberFormat, err.Error())
	}
	if len([]rune(c.Signatory)) > 120 {
		v.fail("certificate.signatory", "longer than 120 characters")
	}
	if len([]rune(c.SignatoryTitle)) > 200 {
		v.fail("certificate.signatory_title", "longer than 200 characters")
	}
	if c.BotUsername != "" && !usernamePattern.MatchString(c.BotUsername) {
		v.bad("certificate.bot_username", c.BotUsername, `not a bot username: letters, digits and "_", ending in "bot", without the @`)
	}
	if c.Logo == "" {
		return nil
	}
	if !filepath.IsAbs(c.Logo) {
		c.Logo = filepath.Join(dir, c.Logo)
	}
	data, err := os.ReadFile(c.Logo)
	if err != nil {
		v.bad("certificate.logo", c.Logo, "cannot be read: "+errWords(err))
		return nil
	}
	logo, err := report.PrepareLogo(data)
	if err != nil {
		v.bad("certificate.logo", c.Logo, err.Error())
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
// course; bot is the bot's username when the config names none.
func (c *Config) paper(bot string) report.Paper {
	p := report.Paper{
		NumberFormat:   c.Certificate.NumberFormat,
		Signatory:      c.Certificate.Signatory,
		SignatoryTitle: c.Certificate.SignatoryTitle,
		City:           c.Certificate.City,
		Logo:           c.logo,
		Bot:            c.Certificate.BotUsername,
	}
	if p.Bot == "" {
		p.Bot = bot
	}
	return p
}
