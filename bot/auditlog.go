package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// /log: the organisers' last actions, from the store's audit log, which
// the actions write in their own transactions (orgReq.audit).

// logSize is how many audit entries /log shows; an organiser of some
// courses sees those of the latest logSize*logScan that concern them.
const (
	logSize = 20
	logScan = 10
)

// sees reports whether the organiser of r may read entry e: those of
// telegram.admins all of them, a course's admins what concerns their
// courses (a batch, a course's export, an announcement to their people).
func (b *Bot) sees(r *orgReq, e store.AuditEntry) bool {
	if r.All {
		return true
	}
	switch {
	case e.Batch != "":
		_, ok := r.Batch(e.Batch)
		return ok
	case e.Course != "":
		_, ok := r.Course(e.Course)
		return ok
	case e.Action == store.AuditAnnouncementSent:
		return r.reaches(store.Audience(e.Detail))
	}
	return false
}

// reaches reports whether audience a is the organiser's: the one rule
// for sending to it (audienceOf) and for seeing what went to it (/log,
// /umumkan_status). telegram.admins reach every audience, also one whose
// batch or course the config no longer lists (what was sent to it stays
// theirs to see); a course's admins reach a batch or course audience of
// their courses only, never the audiences across every course (all,
// waiting, everyone).
func (r *orgReq) reaches(a store.Audience) bool {
	if r.All {
		return true
	}
	if id, ok := a.Batch(); ok {
		_, mine := r.Batch(id)
		return mine
	}
	if id, ok := a.Applicants(); ok {
		_, mine := r.Batch(id)
		return mine
	}
	if id, _, _, ok := a.Course(); ok {
		_, mine := r.Course(id)
		return mine
	}
	return false
}

func (b *Bot) cmdLog(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		es, err := tx.AuditLog(logSize * logScan)
		if err != nil {
			return organiser.Result{}, err
		}
		es = slices.DeleteFunc(es, func(e store.AuditEntry) bool { return !b.sees(r, e) })
		es = es[:min(len(es), logSize)]
		if len(es) == 0 {
			return organiser.Result{Replies: []reply{{Text: r.M.LogNone}}}, nil
		}
		var out strings.Builder
		fmt.Fprintf(&out, r.M.LogHead, len(es))
		for _, e := range es {
			at := e.At.In(b.first().Location)
			fmt.Fprintf(&out, "\n"+r.M.LogLine, at.Format("02-01 15:04"), esc(who(e)), b.auditText(r, tx, e))
		}
		return organiser.Result{Replies: []reply{{Text: out.String()}}}, nil
	})
}

// who names who did what an audit entry records: the organiser's first
// name then, with the id the config lists.
func who(e store.AuditEntry) string {
	id := "#" + strconv.FormatInt(e.By, 10)
	switch {
	case e.By == 0:
		return "–"
	case e.ByName != "":
		return e.ByName + " (" + id + ")"
	}
	return id
}

// auditText says what an audit entry records, in HTML.
func (b *Bot) auditText(r *orgReq, tx *store.Tx, e store.AuditEntry) string {
	batch := e.Batch
	if bt, _, ok := b.cat.Batch(e.Batch); ok {
		batch = r.Named(bt)
	}
	switch e.Action {
	case store.AuditAnnouncementSent:
		return fmt.Sprintf(r.M.LogAnnouncement, e.Ref, esc(b.audienceName(r, store.Audience(e.Detail))))
	case store.AuditBatchOpened:
		return fmt.Sprintf(r.M.LogOpened, esc(batch))
	case store.AuditBatchClosed:
		return fmt.Sprintf(r.M.LogClosed, esc(batch))
	case store.AuditAttendance:
		name := r.M.Someone
		if p, err := tx.Participant(e.Batch, e.Subject); err == nil {
			name = b.courseFor(e.Batch).DisplayName(p)
		}
		text := r.M.LogAbsent
		if e.Detail == "present" {
			text = r.M.LogPresent
		}
		return fmt.Sprintf(text, esc(name), e.Day, esc(batch))
	case store.AuditExport:
		if c, ok := b.cat.Course(e.Course); ok && batch == "" {
			batch = c.Title
		}
		if batch == "" {
			batch = r.M.AllBatches
		}
		return fmt.Sprintf(r.M.LogExport, esc(batch))
	case store.AuditDataDeleted:
		return r.M.LogDeleted
	case store.AuditNIKConflict:
		return fmt.Sprintf(locale.For(r.Lang).Intake.LogNIKConflict, esc(batch))
	case store.AuditCertificatesSent:
		return fmt.Sprintf(r.Paper().LogCertificates, esc(batch), esc(e.Detail))
	}
	if text, ok := b.desk.StaffAudit(r.Request, tx, e, batch); ok {
		return text
	}
	if text, ok := b.desk.AdmissionAudit(r.Request, tx, e, batch); ok {
		return text
	}
	return esc(e.Action)
}
