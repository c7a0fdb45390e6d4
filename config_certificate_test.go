package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ensure that the [certificate] table is checked with clear errors, and
// that a logo is read relative to the config file, ready to print.
func TestConfig_Certificate(t *testing.T) {
	cfg, _ := writeTestConfig(t, 0, func(s string) string {
		s = replaceOnce(t, s, `number_format = "{seq:03}/{batch}/BLK-JBR/{year}"`, `number_format = "{batch}/{nomor}"`)
		s = replaceOnce(t, s, `logo = ""`, `logo = "logo.png"`)
		return replaceOnce(t, s, `bot_username = ""`, `bot_username = "@daftar_bot"`)
	})
	if err := os.WriteFile(filepath.Join(filepath.Dir(cfg), "logo.png"), []byte("GIF89a"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := loadConfig(cfg, mapEnv(nil))
	if err == nil {
		t.Fatal("a bad [certificate] table loaded")
	}
	for _, want := range []string{
		`certificate.number_format "{batch}/{nomor}": unknown placeholder {nomor}`,
		`certificate.logo`, "logo.png\": not a PNG image",
		`certificate.bot_username "@daftar_bot": not a bot username`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	cfg, _ = writeTestConfig(t, 0, func(s string) string {
		return replaceOnce(t, s, `logo = ""`, `logo = "logo.png"`)
	})
	f, err := os.Create(filepath.Join(filepath.Dir(cfg), "logo.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, image.NewNRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c, err := loadConfig(cfg, mapEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if p := c.paper("own_bot"); len(p.Logo) == 0 || p.Bot != "own_bot" || p.NumberFormat != "{seq:03}/{batch}/BLK-JBR/{year}" || p.City != "Jember" {
		t.Errorf("paper = %+v", p)
	}
}
