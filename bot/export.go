package bot

import (
	"context"
	"io"
	"strings"

	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
)

// /ekspor and /statistik: package report makes the files and the figures;
// here they are asked for, logged and sent. An organiser of several
// courses is asked which (onlyCourse); /ekspor <batch> and /ekspor
// <course> say it at once.

func (b *Bot) cmdExport(r *orgReq) {
	arg := strings.TrimSpace(r.Arg)
	if c, ok := r.Course(strings.ToLower(arg)); ok {
		b.exportCourse(r, c)
		return
	}
	if arg != "" && !strings.EqualFold(arg, "semua") && !strings.EqualFold(arg, "all") {
		bt, ok := r.BatchArg(arg)
		if !ok {
			b.orgSay(r, r.UnknownBatch(arg))
			return
		}
		c, _ := b.cat.CourseOf(bt.ID)
		b.export(r, c, bt.ID)
		return
	}
	c, ask, ok := onlyCourse(r, forExport)
	if !ok {
		b.orgDo(r, func(*store.Tx) (organiser.Result, error) { return organiser.Result{Replies: []reply{ask}}, nil })
		return
	}
	b.exportCourse(r, c)
}

// exportCourse sends the export of every batch of c, and of the batches
// the config no longer lists that were c's (with one course all of them,
// as it always was).
func (b *Bot) exportCourse(r *orgReq, c store.Course) {
	b.export(r, c, "")
}

// export makes and sends the XLSX and CSV of batch of c ("" for the
// whole course) with its audit entry.
func (b *Bot) export(r *orgReq, c store.Course, batch string) {
	var files *report.Files
	var err error
	name := batch
	switch {
	case batch != "" || b.cat.Single():
		files, err = report.ExportFiles(b.db, c, batch, r.Now)
	default:
		// Batches removed from the config go with the course they were
		// last listed under; those of no known course are telegram.admins'
		// only, with the first course.
		unknown := r.All && c.ID == b.first().ID
		files, err = report.ExportCourseFiles(b.db, c, func(tx *store.Tx) ([]string, error) {
			return tx.FormerBatches(b.cat, c.ID, unknown)
		}, r.Now)
		name = c.ID // batch and course ids never clash
	}
	if err != nil {
		b.log.Error("export", "batch", batch, "course", c.ID, "err", err)
		b.orgSay(r, r.M.ExportFailed)
		return
	}
	e := store.AuditEntry{Action: store.AuditExport, Batch: batch, Detail: "xlsx,csv"}
	if batch == "" && !b.cat.Single() {
		e.Course = c.ID
	}
	// The files go in the chat's turn, after the handler returned.
	sent := b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		err := r.Audit(tx, e)
		return organiser.Result{After: func(ctx context.Context) {
			defer files.Close()
			b.sendDocument(ctx, r.ChatID, report.ExportFileName(name, r.Now, "xlsx"), files.XLSX)
			b.sendDocument(ctx, r.ChatID, report.ExportFileName(name, r.Now, "csv"), files.CSV)
		}}, err
	})
	if !sent {
		files.Close()
	}
}

func (b *Bot) sendDocument(ctx context.Context, chat int64, name string, data io.Reader) {
	if err := b.send.SendDocument(ctx, chat, name, data); err != nil {
		b.log.Error("send document", "chat_id", chat, "err", err)
	}
}

func (b *Bot) cmdStatistics(r *orgReq) {
	if c, ok := r.Course(strings.ToLower(strings.TrimSpace(r.Arg))); ok {
		b.statisticsOf(r, c)
		return
	}
	c, ask, ok := onlyCourse(r, forStatistics)
	if !ok {
		b.orgDo(r, func(*store.Tx) (organiser.Result, error) { return organiser.Result{Replies: []reply{ask}}, nil })
		return
	}
	b.statisticsOf(r, c)
}

// statisticsOf sends the statistics of course c, with its chart.
func (b *Bot) statisticsOf(r *orgReq, c store.Course) {
	stats := report.Statistics
	if !b.cat.Single() {
		stats = report.CourseStatistics
	}
	text, chart, err := stats(b.db, c, r.Lang, r.Now)
	if err != nil {
		b.log.Error("statistics", "course", c.ID, "err", err)
		b.orgSay(r, r.M.StatisticsFailed)
		return
	}
	b.orgDo(r, func(*store.Tx) (organiser.Result, error) {
		res := organiser.Result{Replies: []reply{{Text: r.courseTitle(c) + text}}}
		if len(chart) > 0 {
			res.After = func(ctx context.Context) {
				if err := b.send.SendPhoto(ctx, r.ChatID, "statistik.png", chart); err != nil {
					b.log.Error("send chart", "chat_id", r.ChatID, "err", err)
				}
			}
		}
		return res, nil
	})
}
