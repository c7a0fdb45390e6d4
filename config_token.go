package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

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

// loadToken finds the bot token: TELEGRAM_BOT_TOKEN wins over token_file, so
// an operator can override a deployed file without editing it, and
// token_file over the systemd credential (see credentialToken). No token at
// all is fine here; requireToken complains when one is needed.
func (v *validator) loadToken(getenv func(string) string, file, dir string) *botToken {
	t := v.findToken(getenv, file, dir)
	if t != nil && !wellFormedToken(t.value) {
		// The message names where the token came from, never the token.
		v.addAt(0, t.source+": not a bot token: @BotFather gives digits, a colon and then letters, digits, - and _ only, without spaces; copy it again, whole")
		return nil
	}
	return t
}

// wellFormedToken reports whether s has the form of a Bot API token,
// "123456789:AAH…": Telegram answers a token of another form with 404,
// which would look like a network outage.
func wellFormedToken(s string) bool {
	id, secret, ok := strings.Cut(s, ":")
	if !ok || id == "" || secret == "" {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range secret {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// findToken is loadToken's search, before the token's form is checked.
func (v *validator) findToken(getenv func(string) string, file, dir string) *botToken {
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
