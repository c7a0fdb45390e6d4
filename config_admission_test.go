package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// Ensure that the admission keys are checked with the line of each bad
// one, and change nothing when left out: first come, nobody asked.
func TestConfig_Admission(t *testing.T) {
	cfg, _ := writeTestConfig(t, 0, func(s string) string {
		s = replaceOnce(t, s, "retention_days = 365", "retention_days = 365\nadmission = \"lottery\"\nconfirm_hours = 0\nunconfirmed = \"forget\"")
		return replaceOnce(t, s, `id = "angkatan-2"`, `id = "angkatan-2"`+"\nconfirm_days_before = 61\nresults_by = 2081-01-01\nadmission = \"selection\"")
	})
	_, err := loadConfig(cfg, mapEnv(nil))
	if err == nil {
		t.Fatal("bad admission keys loaded")
	}
	for _, want := range []string{
		`config.toml:28: course.admission "lottery": want "first_come" or "selection"`,
		`config.toml:29: course.confirm_hours 0: must be between 1 and 720`,
		`config.toml:30: course.unconfirmed "forget": want "keep" or "release"`,
		`course.batches[1].confirm_days_before 61: must be between 0 (off) and 60`,
		`course.batches[1].confirm_days_before 61: only for first-come batches`,
		`course.batches[1].results_by "2081-01-01": must be before the batch starts (2080-02-05)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	cfg, _ = writeTestConfig(t, 0, func(s string) string {
		return replaceOnce(t, s, `id = "angkatan-1"`, `id = "angkatan-1"`+"\nresults_by = 2025-10-10")
	})
	if _, err := loadConfig(cfg, mapEnv(nil)); err == nil || !strings.Contains(err.Error(), `course.batches[0].results_by: only for a batch with admission = "selection"`) {
		t.Errorf("results_by on a first-come batch: %v", err)
	}

	t.Run("defaults", func(t *testing.T) {
		cfg, _ := writeTestConfig(t, 0, nil)
		c, err := loadConfig(cfg, mapEnv(nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range c.course().Batches {
			if in := b.Admission; in.Selection || in.AskDaysBefore != 0 || in.Release || in.ConfirmWindow != 48*time.Hour || !in.ResultsBy.IsZero() {
				t.Errorf("batch %s: intake %+v, want first come, nobody asked, 48 h", b.ID, in)
			}
		}
	})
	t.Run("batch wins over course", func(t *testing.T) {
		cfg, _ := writeTestConfig(t, 0, func(s string) string {
			s = replaceOnce(t, s, "retention_days = 365", "retention_days = 365\nconfirm_days_before = 3\nconfirm_hours = 12\nunconfirmed = \"release\"")
			return replaceOnce(t, s, `id = "angkatan-2"`, `id = "angkatan-2"`+"\nadmission = \"selection\"\nresults_by = 2080-01-20\nconfirm_hours = 72")
		})
		c, err := loadConfig(cfg, mapEnv(nil))
		if err != nil {
			t.Fatal(err)
		}
		bs := c.course().Batches
		if in := bs[0].Admission; in.Selection || in.AskDaysBefore != 3 || !in.Release || in.ConfirmWindow != 12*time.Hour {
			t.Errorf("angkatan-1: intake %+v, want the course's", in)
		}
		in := bs[1].Admission
		jakarta, _ := time.LoadLocation("Asia/Jakarta")
		if !in.Selection || in.AskDaysBefore != 0 || in.ConfirmWindow != 72*time.Hour ||
			!in.ResultsBy.Equal(time.Date(2080, 1, 20, 0, 0, 0, 0, jakarta)) {
			t.Errorf("angkatan-2: intake %+v, want selection, its own 72 h, results by 2080-01-20", in)
		}
	})
	t.Run("courses take the defaults", func(t *testing.T) {
		c, err := loadConfig("config.example.toml", mapEnv(nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, co := range c.catalog().Courses {
			for _, b := range co.Batches {
				if b.Admission.ConfirmWindow != 48*time.Hour || b.Admission.Selection {
					t.Errorf("%s: intake %+v", b.ID, b.Admission)
				}
			}
		}
	})
}

// Ensure that config.example.toml shows every admission key.
func TestConfig_AdmissionExample(t *testing.T) {
	data, err := os.ReadFile("config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"admission = ", "confirm_hours = ", "confirm_days_before = ", "unconfirmed = ", "results_by = "} {
		if !strings.Contains(string(data), key) {
			t.Errorf("config.example.toml lacks %q", key)
		}
	}
}

// Ensure that daftar check prints a batch's admission when it is not
// first come without questions.
func TestRunCheck_Admission(t *testing.T) {
	cfg, _ := writeTestConfig(t, 0, func(s string) string {
		s = replaceOnce(t, s, `id = "angkatan-1"`, `id = "angkatan-1"`+"\nconfirm_days_before = 3\nunconfirmed = \"release\"")
		return replaceOnce(t, s, `id = "angkatan-2"`, `id = "angkatan-2"`+"\nadmission = \"selection\"\nresults_by = 2080-01-20")
	})
	var stdout, stderr bytes.Buffer
	if err := runCheck([]string{"-config", cfg}, envOf(nil), &stdout, &stderr); err != nil {
		t.Fatalf("runCheck: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{
		"  2025-10-17 08:00 WIB  still coming? (no answer in 48 hours: release the seat)\n",
		"  admission: selection (/seleksi, /hasil), results by 2080-01-20, 48 hours to confirm\n",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("check lacks %q:\n%s", want, stdout.String())
		}
	}
}
