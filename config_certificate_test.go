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

// Ensure that a [[courses]] table's [courses.certificate] overrides the
// keys it writes of [certificate] for that course only (signatory,
// number format, logo), that its mistakes are reported at its lines, and
// that a one-course file keeps [certificate] alone.
func TestConfig_CourseCertificate(t *testing.T) {
	global := "[certificate]\nnumber_format = \"{seq:03}/{batch}/BLK-JBR/{year}\"\nsignatory = \"Drs. Bambang\"\nsignatory_title = \"Kepala UPT BLK Jember\"\ncity = \"Jember\"\n\n"
	own := strings.Replace(twoCourses, "[courses.reminders]\n", "[courses.certificate]\nsignatory = \"Ir. Sri Wahyuni\"\nnumber_format = \"LAS/{seq}/{year}\"\nlogo = \"las.png\"\n\n[courses.reminders]\n", 1)
	path := writeConfig(t, global+own)
	f, err := os.Create(filepath.Join(filepath.Dir(path), "las.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, image.NewNRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c := mustLoadConfig(t, path, noEnv)
	sewing, welding := c.paperOf("menjahit", "b_bot"), c.paperOf("las", "b_bot")
	if sewing.Signatory != "Drs. Bambang" || sewing.NumberFormat != "{seq:03}/{batch}/BLK-JBR/{year}" || sewing.Logo != nil {
		t.Errorf("the sewing course's paper = %+v", sewing)
	}
	if welding.Signatory != "Ir. Sri Wahyuni" || welding.NumberFormat != "LAS/{seq}/{year}" || len(welding.Logo) == 0 ||
		welding.SignatoryTitle != "Kepala UPT BLK Jember" || welding.City != "Jember" || welding.Bot != "b_bot" {
		t.Errorf("the welding course's paper = %+v", welding)
	}
	if ps := c.coursePapers("b_bot"); len(ps) != 1 || ps["las"].Signatory != welding.Signatory {
		t.Errorf("coursePapers = %+v", ps)
	}

	bad := strings.Replace(own, "number_format = \"LAS/{seq}/{year}\"", "number_format = \"LAS/{nomor}\"", 1)
	bad = strings.Replace(bad, "logo = \"las.png\"", "logo = \"missing.png\"", 1)
	_, err = loadConfig(writeConfig(t, global+bad), noEnv)
	if err == nil {
		t.Fatal("a bad [courses.certificate] loaded")
	}
	for _, want := range []string{
		`config.toml:37: courses[1].certificate.number_format "LAS/{nomor}": unknown placeholder {nomor}`,
		`config.toml:38: courses[1].certificate.logo`, "missing.png\": cannot be read",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Count(err.Error(), "number_format") != 1 {
		t.Errorf("one bad number format, reported more than once:\n%v", err)
	}

	_, err = loadConfig(writeConfig(t, minimal("capacity = 1\n", "[course.certificate]\nsignatory = \"X\"\n")), noEnv)
	if err == nil || !strings.Contains(err.Error(), "course.certificate: a file with one [course] writes its certificate keys in [certificate]") {
		t.Errorf("[course.certificate] in a one-course file: %v", err)
	}
}
