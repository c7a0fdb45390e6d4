package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCredential writes the systemd credential telegram-token with content
// into a new credentials directory and returns the directory.
func writeCredential(tb testing.TB, content string) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "telegram-token"), []byte(content), 0o400); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func TestConfig_CredentialToken(t *testing.T) {
	// Ensure that without TELEGRAM_BOT_TOKEN and token_file the token is
	// read, trimmed, from $CREDENTIALS_DIRECTORY/telegram-token, as systemd's
	// LoadCredential= provides it, and that check names its source without
	// showing it.
	t.Run("read", func(t *testing.T) {
		creds := writeCredential(t, "333:from-credential\n")
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), envOf(map[string]string{"CREDENTIALS_DIRECTORY": creds}))
		if tok, err := c.requireToken(); err != nil || tok != "333:from-credential" {
			t.Errorf("token = %q, %v; want the credential's", tok, err)
		}
		if src := c.bot.source; src != "credential telegram-token" || strings.Contains(src, "333") {
			t.Errorf("source = %q", src)
		}
	})

	// Ensure that TELEGRAM_BOT_TOKEN and token_file both win over the
	// credential, so that an operator's explicit choice is kept.
	t.Run("precedence", func(t *testing.T) {
		creds := writeCredential(t, "333:from-credential")
		path := writeConfig(t, minimal("capacity = 1\n", "[telegram]\ntoken_file = \"token.txt\"\n"))
		if err := os.WriteFile(filepath.Join(filepath.Dir(path), "token.txt"), []byte("111:from-file"), 0o600); err != nil {
			t.Fatal(err)
		}
		c := mustLoadConfig(t, path, envOf(map[string]string{"CREDENTIALS_DIRECTORY": creds}))
		if c.token() != "111:from-file" {
			t.Errorf("token = %q, want token_file's", c.token())
		}
		c = mustLoadConfig(t, path, envOf(map[string]string{"CREDENTIALS_DIRECTORY": creds, "TELEGRAM_BOT_TOKEN": "222:from-env"}))
		if c.token() != "222:from-env" {
			t.Errorf("token = %q, want TELEGRAM_BOT_TOKEN's", c.token())
		}
	})

	// Ensure that a credentials directory without telegram-token (the
	// service has other credentials) is no token, not an error.
	t.Run("absent", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), envOf(map[string]string{"CREDENTIALS_DIRECTORY": t.TempDir()}))
		if c.token() != "" {
			t.Errorf("token = %q, want none", c.token())
		}
	})

	// Ensure that an empty or unreadable credential is a config error that
	// names the credential and never its content.
	t.Run("bad", func(t *testing.T) {
		path := writeConfig(t, minimal("capacity = 1\n", ""))
		_, err := loadConfig(path, envOf(map[string]string{"CREDENTIALS_DIRECTORY": writeCredential(t, " \n")}))
		if err == nil || !strings.Contains(err.Error(), "credential telegram-token") || !strings.Contains(err.Error(), "empty") {
			t.Errorf("empty credential: %v", err)
		}
		// A directory in the credential's place cannot be read as a file.
		creds := t.TempDir()
		if err := os.Mkdir(filepath.Join(creds, "telegram-token"), 0o700); err != nil {
			t.Fatal(err)
		}
		_, err = loadConfig(path, envOf(map[string]string{"CREDENTIALS_DIRECTORY": creds}))
		if err == nil || !strings.Contains(err.Error(), "credential telegram-token") {
			t.Errorf("unreadable credential: %v", err)
		}
	})
}

// Ensure that a token that cannot be one (a space inside, a part missing,
// characters @BotFather never gives) is a config error naming its source
// and never its value, instead of a 404 that looks like an outage.
func TestConfig_MalformedToken(t *testing.T) {
	path := writeConfig(t, minimal("capacity = 1\n", ""))
	for _, tok := range []string{"123456:AAH abc", "AAHabcdef", "123456:", "123456:AAH/abc", "１２３:abc"} {
		_, err := loadConfig(path, envOf(map[string]string{"TELEGRAM_BOT_TOKEN": tok}))
		if err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN: not a bot token") {
			t.Errorf("token %q: err = %v, want a config error naming TELEGRAM_BOT_TOKEN", tok, err)
			continue
		}
		if strings.Contains(err.Error(), tok) {
			t.Errorf("token %q: the error shows it: %v", tok, err)
		}
	}
	if _, err := loadConfig(path, envOf(map[string]string{"TELEGRAM_BOT_TOKEN": "123456:AAHdF-x_9"})); err != nil {
		t.Errorf("a well-formed token: %v", err)
	}
}
