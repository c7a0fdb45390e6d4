package bot

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
)

// cmdAttendanceSheet is the organisers' /daftarhadir <batch>: the batch's
// attendance sheet as a PDF, marked as far as the roll calls go (empty
// before the course). With one batch the batch may be left out.
func (b *Bot) cmdAttendanceSheet(r *orgReq) {
	pm := r.Paper()
	bt, ok := b.paperBatch(r, pm.SheetAskBatch)
	if !ok {
		return
	}
	var (
		people []store.Participant
		marks  map[int64]map[int]bool
	)
	err := b.db.View(func(tx *store.Tx) error {
		var err error
		people, marks, err = report.AttendanceListRows(tx, bt.ID)
		return err
	})
	var buf bytes.Buffer
	if err == nil {
		co := b.courseFor(bt.ID)
		err = report.WriteAttendanceList(&buf, co, bt, people, marks, b.paper(co.ID), r.Now)
	}
	if err != nil {
		b.log.Error("attendance sheet", "batch", bt.ID, "err", err)
		b.orgSay(r, pm.SheetFailed)
		return
	}
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		err := r.Audit(tx, store.AuditEntry{Action: store.AuditExport, Batch: bt.ID, Detail: "attendance-sheet"})
		return organiser.Result{
			Replies: []reply{{Text: fmt.Sprintf(pm.SheetCaption, esc(bt.Name), len(people), bt.Days)}},
			After: func(ctx context.Context) {
				b.sendDocument(ctx, r.ChatID, report.AttendanceListFileName(bt.ID), &buf)
			},
		}, err
	})
}

// cmdReport is the organisers' /laporan <batch>: the batch's activity
// report as a PDF. With one batch the batch may be left out.
func (b *Bot) cmdReport(r *orgReq) {
	pm := r.Paper()
	bt, ok := b.paperBatch(r, pm.ReportAskBatch)
	if !ok {
		return
	}
	var rows report.ActivityRows
	err := b.db.View(func(tx *store.Tx) error {
		var err error
		rows, err = report.ActivityReportRows(tx, bt.ID)
		return err
	})
	var buf bytes.Buffer
	if err == nil {
		err = report.WriteActivityReport(&buf, b.courseFor(bt.ID), bt, rows, r.Now)
	}
	if err != nil {
		b.log.Error("activity report", "batch", bt.ID, "err", err)
		b.orgSay(r, pm.ReportFailed)
		return
	}
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		err := r.Audit(tx, store.AuditEntry{Action: store.AuditExport, Batch: bt.ID, Detail: "report"})
		return organiser.Result{
			Replies: []reply{{Text: fmt.Sprintf(pm.ReportCaption, esc(bt.Name))}},
			After: func(ctx context.Context) {
				b.sendDocument(ctx, r.ChatID, report.ActivityReportFileName(bt.ID), &buf)
			},
		}, err
	})
}

// batchIDs lists the ids of the organiser's batches for a message.
func (b *Bot) batchIDs(r *orgReq) string {
	bs := r.Batches()
	ids := make([]string, len(bs))
	for i, bt := range bs {
		ids[i] = "<code>" + esc(bt.ID) + "</code>"
	}
	return strings.Join(ids, ", ")
}

// paperBatch is the batch a paperwork command names, the organiser's only
// batch when it names none; when there is none it answers (ask, with the
// batch ids, or that the batch is unknown) and reports false.
func (b *Bot) paperBatch(r *orgReq, ask string) (store.Batch, bool) {
	arg := strings.TrimSpace(r.Arg)
	if bs := r.Batches(); arg == "" && len(bs) == 1 {
		arg = bs[0].ID
	}
	bt, ok := r.BatchArg(arg)
	if !ok {
		if arg == "" {
			b.orgSay(r, fmt.Sprintf(ask, b.batchIDs(r)))
		} else {
			b.orgSay(r, r.UnknownBatch(arg))
		}
	}
	return bt, ok
}
