package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/telegram"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// TestLoadConfig_Webhook checks the telegram.webhook_* keys: polling
// without them, the listening address's defaults, the certificate's path
// beside the config, and a clear error for each bad value.
func TestLoadConfig_Webhook(t *testing.T) {
	t.Run("polling by default", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), noEnv)
		if wh := c.webhook(true); wh != (telegram.Webhook{}) {
			t.Errorf("webhook = %+v, want none: polling", wh)
		}
	})

	t.Run("behind a proxy", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "[telegram]\nwebhook_url = \"https://daftar.example.org/tg\"\n")), noEnv)
		want := telegram.Webhook{URL: "https://daftar.example.org/tg", Listen: "127.0.0.1:8080", MaxConnections: 100}
		if wh := c.webhook(true); wh != want {
			t.Errorf("webhook = %+v, want %+v", wh, want)
		}
		var out, errs bytes.Buffer
		if err := runCheck([]string{"-config", writeConfig(t, minimal("capacity = 1\n", "[telegram]\nwebhook_url = \"https://daftar.example.org/tg\"\n"))}, noEnv, &out, &errs); err != nil {
			t.Fatalf("runCheck: %v\n%s", err, errs.String())
		}
		if want := "updates: pushed by Telegram to https://daftar.example.org/tg (listening on 127.0.0.1:8080, plain HTTP, behind a proxy that serves HTTPS; 100 at once)\n"; !strings.Contains(out.String(), want) {
			t.Errorf("check prints\n%s\nwithout %q", out.String(), want)
		}
		// The demo polls whatever the config says.
		if wh := c.webhook(false); wh != (telegram.Webhook{}) {
			t.Errorf("webhook(false) = %+v, want none", wh)
		}
	})

	t.Run("own certificate", func(t *testing.T) {
		path := writeConfig(t, minimal("capacity = 1\n", "[telegram]\nwebhook_url = \"https://daftar.example.org:8443/tg\"\nwebhook_cert_file = \"tls/cert.pem\"\nwebhook_key_file = \"tls/key.pem\"\nwebhook_max_connections = 100\n"))
		dir := filepath.Join(filepath.Dir(path), "tls")
		writeCertificate(t, dir)
		c := mustLoadConfig(t, path, noEnv)
		want := telegram.Webhook{URL: "https://daftar.example.org:8443/tg", Listen: ":8443",
			CertFile: filepath.Join(dir, "cert.pem"), KeyFile: filepath.Join(dir, "key.pem"), MaxConnections: 100}
		if wh := c.webhook(true); wh != want {
			t.Errorf("webhook = %+v, want %+v", wh, want)
		}
		if w := webhookWarning(c.Telegram); w != "" {
			t.Errorf("a usable certificate is warned of: %s", w)
		}
	})

	// A certificate this process cannot read is no error of the config
	// (a systemd service may be given it), but daftar check warns.
	t.Run("certificate not here", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "[telegram]\nwebhook_url = \"https://a.example/tg\"\nwebhook_cert_file = \"/run/credentials/daftar.service/webhook.crt\"\nwebhook_key_file = \"/run/credentials/daftar.service/webhook.key\"\n")), noEnv)
		ws, err := checkWarnings(c)
		if err != nil {
			t.Fatal(err)
		}
		if all := strings.Join(ws, "\n"); !strings.Contains(all, "telegram.webhook_cert_file: cannot use the certificate and key here") {
			t.Errorf("warnings lack the certificate:\n%s", all)
		}
	})

	t.Run("bad", func(t *testing.T) {
		tests := []struct {
			name, telegram, want string
		}{
			{"not a url", "webhook_url = \"daftar.example.org\"\n", `config.toml:10: telegram.webhook_url "daftar.example.org": want the public HTTPS address`},
			{"plain http", "webhook_url = \"http://daftar.example.org/tg\"\n", "Telegram sends updates only to https:// addresses"},
			{"listen", "webhook_url = \"https://a.example/tg\"\nwebhook_listen = \"8080\"\n", `config.toml:11: telegram.webhook_listen "8080": want host:port`},
			{"listen port", "webhook_url = \"https://a.example/tg\"\nwebhook_listen = \":http\"\n", "the port must be a number"},
			{"public plain", "webhook_url = \"https://a.example/tg\"\nwebhook_listen = \"0.0.0.0:80\"\n", "without webhook_cert_file the bot speaks plain HTTP"},
			{"cert alone", "webhook_url = \"https://a.example/tg\"\nwebhook_cert_file = \"c.pem\"\n", "webhook_cert_file and webhook_key_file go together"},
			{"connections", "webhook_url = \"https://a.example/tg\"\nwebhook_max_connections = 101\n", "telegram.webhook_max_connections 101: must be between 1 and 100"},
			{"without url", "webhook_listen = \"127.0.0.1:8080\"\n", "telegram.webhook_listen: has no effect without telegram.webhook_url"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := loadConfig(writeConfig(t, minimal("capacity = 1\n", "[telegram]\n"+tt.telegram)), noEnv)
				var ce *configError
				if !errors.As(err, &ce) {
					t.Fatalf("loadConfig error = %v, want a *configError", err)
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error\n%v\ndoes not mention %q", err, tt.want)
				}
			})
		}
	})
}

// writeCertificate writes a self-signed certificate and its key as
// cert.pem and key.pem into dir.
func writeCertificate(t *testing.T, dir string) {
	t.Helper()
	cert, key, _, err := telegramtest.SelfSigned("daftar.example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"cert.pem": cert, "key.pem": key} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
