package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that the statistics count a selection batch's applicants,
// selected, reserves and those not selected, and say so in both
// languages; a first-come batch without them shows no such line.
func TestStatistics_Selection(t *testing.T) {
	c := reportCourse(t)
	c.Batches[1].Admission.Selection = true
	sel := c.Batches[1].ID
	at := c.Batches[1].Start.AddDate(0, 0, -20)
	ps := []store.Participant{}
	for i, st := range []store.Status{store.StatusApplied, store.StatusApplied, store.StatusSelected, store.StatusReserve,
		store.StatusReserve, store.StatusReserve, store.StatusNotSelected, store.StatusRegistered} {
		ps = append(ps, store.Participant{UserID: int64(100 + i), Batch: sel, Status: st, RegisteredAt: at})
	}
	stats := computeStats(c, ps, nil, nil, at.Add(time.Hour))
	n := stats[1].Selection
	if n[store.StatusApplied] != 2 || n[store.StatusSelected] != 1 || n[store.StatusReserve] != 3 || n[store.StatusNotSelected] != 1 || stats[1].Taken != 1 {
		t.Errorf("selection counts %v, taken %d", n, stats[1].Taken)
	}
	for lang, want := range map[string]string{
		"id": "Seleksi: menunggu hasil 2 · lolos, belum konfirmasi 1 · cadangan 3 · tidak lolos 1",
		"en": "Selection: awaiting results 2 · selected, not confirmed 1 · reserve 3 · not selected 1",
	} {
		text := statsText(TextsOf(lang), c, stats, at.Add(time.Hour))
		if !strings.Contains(text, want) {
			t.Errorf("%s: statistics lack %q:\n%s", lang, want, text)
		}
		if strings.Count(text, want[:8]) != 1 {
			t.Errorf("%s: the first-come batch has a selection line too:\n%s", lang, text)
		}
	}
}

// Ensure that the activity report of a selection batch has its figures.
func TestWriteActivityReport_Selection(t *testing.T) {
	needPoppler(t)
	c, b := paperCourse()
	b.Days, b.Admission.Selection = 3, true
	var people []store.Participant
	for i, st := range []store.Status{store.StatusRegistered, store.StatusSelected, store.StatusReserve, store.StatusReserve, store.StatusNotSelected} {
		people = append(people, store.Participant{UserID: int64(i + 1), Batch: b.ID, Status: st, Seat: i + 1,
			Answers: map[string]string{"name": "Peserta"}, RegisteredAt: b.Day(1).AddDate(0, 0, -10)})
	}
	var buf bytes.Buffer
	if err := WriteActivityReport(&buf, c, b, ActivityRows{People: people}, b.Day(1).AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfText(t, writeTemp(t, "laporan.pdf", buf.Bytes())), " ")
	for _, want := range []string{"Pelamar menunggu hasil seleksi 0", "Lolos seleksi, belum konfirmasi 1", "Cadangan 2", "Tidak lolos seleksi 1", "Peserta terdaftar 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
}
