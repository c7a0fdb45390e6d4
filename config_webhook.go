package main

import (
	"crypto/tls"
	"net"
	"net/url"
	"path/filepath"
	"strconv"

	"github.com/daftar-bot/daftar/telegram"
)

// The webhook's listening address by default: behind a reverse proxy that
// ends TLS (Caddy, nginx) the bot needs no public port; serving TLS
// itself, a port Telegram posts to.
const (
	defaultWebhookListen    = "127.0.0.1:8080"
	defaultWebhookListenTLS = ":8443"
)

// webhookDefaults fills in the listening address and makes the
// certificate's paths relative to the config's directory dir.
func (t *TelegramConfig) webhookDefaults(dir string) {
	for _, p := range []*string{&t.WebhookCertFile, &t.WebhookKeyFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	if t.WebhookURL != "" && t.WebhookListen == "" {
		t.WebhookListen = defaultWebhookListen
		if t.WebhookCertFile != "" {
			t.WebhookListen = defaultWebhookListenTLS
		}
	}
}

// webhook checks the telegram.webhook_* keys.
func (v *validator) webhook(t TelegramConfig) {
	if t.WebhookURL == "" {
		for _, k := range []struct {
			key string
			set bool
		}{
			{"telegram.webhook_listen", t.WebhookListen != ""},
			{"telegram.webhook_cert_file", t.WebhookCertFile != ""},
			{"telegram.webhook_key_file", t.WebhookKeyFile != ""},
		} {
			if k.set {
				v.fail(k.key, "has no effect without telegram.webhook_url: set that too, or remove this key")
			}
		}
		return
	}
	u, err := url.Parse(t.WebhookURL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		v.bad("telegram.webhook_url", t.WebhookURL, `want the public HTTPS address Telegram sends updates to, like "https://daftar.example.org/telegram"`)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		v.bad("telegram.webhook_url", t.WebhookURL, "Telegram sends updates only to https:// addresses")
	}
	if host, port, err := net.SplitHostPort(t.WebhookListen); err != nil {
		v.bad("telegram.webhook_listen", t.WebhookListen, `want host:port, like "127.0.0.1:8080" or ":8443"`)
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		v.bad("telegram.webhook_listen", t.WebhookListen, "the port must be a number from 1 to 65535")
	} else if t.WebhookCertFile == "" && host != "" && !isLoopback(host) {
		// Plain HTTP on a public address would carry people's answers
		// unencrypted; a proxy in front needs only loopback.
		v.bad("telegram.webhook_listen", t.WebhookListen, "without webhook_cert_file the bot speaks plain HTTP: listen on 127.0.0.1 behind a reverse proxy that serves HTTPS, or give webhook_cert_file and webhook_key_file")
	}
	// The files themselves are read at start (the bot stops if it cannot
	// use them) and by daftar check (webhookWarning): under systemd they
	// may exist only for the service (LoadCredential).
	if (t.WebhookCertFile == "") != (t.WebhookKeyFile == "") {
		v.fail("telegram.webhook_cert_file", "webhook_cert_file and webhook_key_file go together: give both or neither")
	}
	if n := t.WebhookMaxConnections; n < 1 || n > 100 {
		v.bad("telegram.webhook_max_connections", n, "must be between 1 and 100")
	}
}

// webhookWarning is daftar check's word on the webhook's certificate when
// this process cannot use it: the bot would not start so, unless it runs
// where the files are (a systemd service's credentials).
func webhookWarning(t TelegramConfig) string {
	if t.WebhookURL == "" || t.WebhookCertFile == "" || t.WebhookKeyFile == "" {
		return ""
	}
	if _, err := tls.LoadX509KeyPair(t.WebhookCertFile, t.WebhookKeyFile); err != nil {
		return "telegram.webhook_cert_file: cannot use the certificate and key here (" + err.Error() + "): the bot stops at start unless it runs where they can be read, such as a systemd service given them with LoadCredential"
	}
	return ""
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// webhook is the bot's webhook when on and telegram.webhook_url is set;
// otherwise the zero Webhook, polling.
func (c *Config) webhook(on bool) telegram.Webhook {
	t := c.Telegram
	if !on || t.WebhookURL == "" {
		return telegram.Webhook{}
	}
	return telegram.Webhook{
		URL:            t.WebhookURL,
		Listen:         t.WebhookListen,
		CertFile:       t.WebhookCertFile,
		KeyFile:        t.WebhookKeyFile,
		MaxConnections: t.WebhookMaxConnections,
	}
}
