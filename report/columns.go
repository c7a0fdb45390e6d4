package report

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// The export's columns, a contract: seat, batch, status, each form field
// by key, language, registered_at, then day_1 … day_N, days_present,
// certificate, then telegram. Later columns may be appended; these are
// never renamed.
const (
	colSeat         = "seat"
	colBatch        = "batch"
	colStatus       = "status"
	colLanguage     = "language"
	colRegisteredAt = "registered_at"

	// colTelegram, appended after certificate for the walk-ins (issue
	// 13.6), says whether the registration belongs to a Telegram
	// account: TelegramCell.
	colTelegram = "telegram"
)

// ReservedKeys returns the export columns a form field's key must not take:
// those around the fields. The config's validation refuses them as keys.
// The columns appended since (AttendanceHeader's, telegram) are not among
// them: a config whose form already used one of those keys would stop
// validating, and renaming the key would part its stored answers from
// the form. Such a key gives the export two columns of that name, which
// `daftar check` warns of (DuplicateKeys).
func ReservedKeys() []string {
	return []string{colSeat, colBatch, colStatus, colLanguage, colRegisteredAt}
}

// Header returns every export column of c in order: ExportHeader, then
// AttendanceHeader, then telegram.
func Header(c store.Course) []string {
	return append(append(ExportHeader(c), AttendanceHeader(c)...), colTelegram)
}

// DuplicateKeys returns the keys of c's form fields that Header has more
// than once: a field keyed like a column appended after the form's (a
// day_N, days_present, certificate, telegram), which ReservedKeys does
// not refuse.
func DuplicateKeys(c store.Course) []string {
	var out []string
	h := Header(c)
	for _, f := range c.Fields {
		n := 0
		for _, k := range h {
			if k == f.Key {
				n++
			}
		}
		if n > 1 && !slices.Contains(out, f.Key) {
			out = append(out, f.Key)
		}
	}
	return out
}

// HeaderLabels returns the columns of Header as people read them, in
// rm's language: the headings of the XLSX batch sheets. A form field is
// headed by its label in the course language.
func HeaderLabels(c store.Course, rm *Texts) []string {
	h := []string{rm.ColSeat, rm.ColBatch, rm.ColStatus}
	for _, f := range c.Fields {
		h = append(h, f.Label)
	}
	h = append(h, rm.ColLanguage, rm.ColRegisteredAt)
	for d := 1; d <= ExportDays(c); d++ {
		h = append(h, fmt.Sprintf(rm.ColDay, d))
	}
	return append(h, rm.ColDaysPresent, rm.ColCertificate, rm.ColTelegram)
}

// ExportHeader returns the export columns in their contract order: seat,
// batch, status, each form field by key, language, registered_at.
func ExportHeader(c store.Course) []string {
	h := []string{colSeat, colBatch, colStatus}
	for _, f := range c.Fields {
		h = append(h, f.Key)
	}
	return append(h, colLanguage, colRegisteredAt)
}

// ExportRow returns p's cells in ExportHeader order, the time in the
// course time zone.
func ExportRow(c store.Course, p store.Participant) []string {
	row := make([]string, 0, len(c.Fields)+5)
	seat := ""
	if p.Status == store.StatusRegistered && p.Seat > 0 {
		seat = strconv.Itoa(p.Seat)
	}
	row = append(row, seat, p.Batch, string(p.Status))
	for _, f := range c.Fields {
		row = append(row, p.Answers[f.Key])
	}
	registered := ""
	if !p.RegisteredAt.IsZero() {
		registered = p.RegisteredAt.In(location(c)).Format(time.RFC3339)
	}
	return append(row, p.Lang, registered)
}

// ExportDays is the number of day_N columns of an export: the longest
// batch's days.
func ExportDays(c store.Course) int {
	n := 0
	for _, b := range c.Batches {
		n = max(n, b.Days)
	}
	return n
}

// AttendanceHeader returns the columns an export appends after
// ExportHeader: day_1 … day_N (N = ExportDays), days_present, certificate.
// Like ExportHeader's, these names are a contract: only append.
func AttendanceHeader(c store.Course) []string {
	n := ExportDays(c)
	h := make([]string, 0, n+2)
	for d := 1; d <= n; d++ {
		h = append(h, "day_"+strconv.Itoa(d))
	}
	return append(h, "days_present", "certificate")
}

// TelegramCell is p's telegram cell: "yes" when the registration belongs
// to a Telegram account (a registration through the bot, or a walk-in
// who opened their claim link, which gave it their account's id), "no"
// for a walk-in not claimed yet (store.IsWalkIn), who is sent nothing.
func TelegramCell(p store.Participant) string {
	if store.IsWalkIn(p.UserID) {
		return "no"
	}
	return "yes"
}

// location is the course time zone, UTC when the course has none.
func location(c store.Course) *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}
