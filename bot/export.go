package bot

import (
	"context"
	"io"
	"strings"

	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
)

// /ekspor and /statistik: package report makes the files and the figures;
// here they are asked for, logged and sent.

func (b *Bot) cmdExport(r *orgReq) {
	arg := r.ev.in.arg
	batch := ""
	if arg != "" && !strings.EqualFold(arg, "semua") && !strings.EqualFold(arg, "all") {
		bt, ok := b.batchArg(arg)
		if !ok {
			b.orgSay(r, b.unknownBatch(r, arg))
			return
		}
		batch = bt.ID
	}
	files, err := report.ExportFiles(b.db, b.course, batch, r.now)
	if err != nil {
		b.log.Error("export", "batch", batch, "err", err)
		b.orgSay(r, r.m.ExportFailed)
		return
	}
	defer files.Close()
	b.orgDo(r, func(tx *store.Tx) (orgResult, error) {
		err := r.audit(tx, store.AuditEntry{Action: store.AuditExport, Batch: batch, Detail: "xlsx,csv"})
		return orgResult{after: func(ctx context.Context) {
			b.sendDocument(ctx, r.ev.chatID, report.ExportFileName(batch, r.now, "xlsx"), files.XLSX)
			b.sendDocument(ctx, r.ev.chatID, report.ExportFileName(batch, r.now, "csv"), files.CSV)
		}}, err
	})
}

func (b *Bot) sendDocument(ctx context.Context, chat int64, name string, data io.Reader) {
	if err := b.send.SendDocument(ctx, chat, name, data); err != nil {
		b.log.Error("send document", "chat_id", chat, "err", err)
	}
}

func (b *Bot) cmdStatistics(r *orgReq) {
	text, chart, err := report.Statistics(b.db, b.course, r.lang, r.now)
	if err != nil {
		b.log.Error("statistics", "err", err)
		b.orgSay(r, r.m.StatisticsFailed)
		return
	}
	b.orgDo(r, func(*store.Tx) (orgResult, error) {
		res := orgResult{replies: []reply{{Text: text}}}
		if len(chart) > 0 {
			res.after = func(ctx context.Context) {
				if err := b.send.SendPhoto(ctx, r.ev.chatID, "statistik.png", chart); err != nil {
					b.log.Error("send chart", "chat_id", r.ev.chatID, "err", err)
				}
			}
		}
		return res, nil
	})
}
