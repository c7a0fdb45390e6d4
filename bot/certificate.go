package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// Certificates: a participant's /sertifikat, the organisers' /sertifikat
// <batch> with its Kirim, and the outbox's certificate documents. The
// store issues them (store.Tx.IssueCertificate: once per person and
// batch), package report draws them; each goes out through the outbox,
// drawn when it is sent, so that one erased meanwhile is not sent.

// Organiser button of the certificates.
const actCertSend = "ae" // Kirim: Arg batch

// paperUpdate handles the paperwork commands anyone may use — /sertifikat,
// /cek and the deep link start=cek-<code> — and reports false for every
// other update. They change no conversation: a person in the middle of
// the form gets the answer and goes on where they were.
func (b *Bot) paperUpdate(ctx context.Context, u *telegram.Update, ev event) bool {
	if ev.in.Kind != telegram.InCommand {
		return false
	}
	switch locale.Canonical(ev.in.Command) {
	case "sertifikat":
		b.myCertificate(ctx, u.ID, ev)
	case "cek":
		b.verify(ctx, u.ID, ev, ev.in.Arg)
	case "start":
		code, ok := strings.CutPrefix(strings.TrimSpace(ev.in.Arg), report.VerifyStart)
		if !ok {
			return false
		}
		b.verify(ctx, u.ID, ev, code)
	default:
		return false
	}
	return true
}

// paper is what the documents of the course with id course print
// besides the course, with the bot's own username for the QR codes when
// the config names none.
func (b *Bot) paper(course string) report.Paper {
	p, ok := b.opt.Papers[course]
	if !ok {
		p = b.opt.Paper
	}
	if p.Bot == "" {
		p.Bot = b.tg.Username()
	}
	return p
}

// myCertificate answers a participant's /sertifikat: for each batch they
// are registered in, their certificate (issued now if it was not yet)
// goes out as a document through the outbox, or they are told why there
// is none yet. Each /sertifikat sends it again, the same certificate.
func (b *Bot) myCertificate(ctx context.Context, updateID int64, ev event) {
	now := b.now()
	var sent []store.Reply
	queued := false
	err := b.db.Update(func(tx *store.Tx) error {
		sent, queued = sent[:0], false
		lang := b.orgLang(tx, ev.userID, ev.lang)
		pm, m := locale.For(lang).Paper, locale.For(lang).Messages
		regs, err := tx.ParticipantsOf(ev.userID)
		if err != nil {
			return err
		}
		var lines []string
		for _, p := range regs {
			bt, co, ok := b.cat.Batch(p.Batch)
			if !ok {
				continue
			}
			cert, err := tx.IssueCertificate(co, bt, ev.userID, b.paper(co.ID).NumberFormat, now)
			if err == nil {
				e := store.CertificateEntry(cert, ev.chatID, strconv.FormatInt(updateID, 10), now)
				if _, err := tx.Enqueue(e); err != nil {
					return err
				}
				queued = true
				lines = append(lines, fmt.Sprintf(pm.CertSending, esc(bt.Name), esc(cert.Number)))
				continue
			}
			if errors.Is(err, store.ErrNoCertificates) {
				lines = []string{pm.CertNone}
				break
			}
			present, derr := tx.DaysPresent(bt.ID, ev.userID)
			switch {
			case derr != nil:
				return derr
			case errors.Is(err, store.ErrCertificateNotYet) && p.Status == store.StatusRegistered:
				lines = append(lines, fmt.Sprintf(pm.CertNotYet, esc(bt.Name), m.Moment(bt.SessionEnd(bt.Days)), present, bt.Days, co.CertificateMinDays))
			case errors.Is(err, store.ErrCertificateNotYet), errors.Is(err, store.ErrNotEligible) && p.Status != store.StatusRegistered:
				lines = append(lines, fmt.Sprintf(pm.CertNotSeated, esc(bt.Name)))
			case errors.Is(err, store.ErrNotEligible):
				lines = append(lines, fmt.Sprintf(pm.CertTooFew, esc(bt.Name), present, bt.Days, co.CertificateMinDays))
			default:
				return err
			}
		}
		if len(lines) == 0 {
			lines = []string{locale.Worded(lang, organiser.BatchWord(b.cat.Courses)).Paper.CertNoRegistration}
		}
		sent, err = recordDone(tx, updateID, ev.chatID, []reply{{Text: strings.Join(lines, "\n\n")}})
		return err
	})
	if err != nil {
		b.log.Error("certificate", "update_id", updateID, "chat_id", ev.chatID, "err", err)
		b.apologise(ctx, updateID, ev, locale.For(ev.lang).Messages.Apology)
		return
	}
	b.answer(ctx, ev.chatID, sent, pressed{})
	if queued {
		b.disp.Notify()
	}
}

// cmdCertificates is the organisers' /sertifikat <batch>: how many are
// eligible, with Kirim. Without a batch it is the participants' command
// (certificateArg).
func (b *Bot) cmdCertificates(r *orgReq) {
	pm := r.Paper()
	bt, ok := b.paperBatch(r, pm.CertAskBatch) // certificateArg: a batch is named
	if !ok {
		return
	}
	switch {
	case b.courseFor(bt.ID).CertificateMinDays <= 0:
		b.orgSay(r, pm.CertNone)
		return
	case !store.CertificateDue(bt, r.Now):
		b.orgSay(r, fmt.Sprintf(pm.CertOrgNotYet, esc(bt.Name), r.PM.Moment(bt.SessionEnd(bt.Days))))
		return
	}
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		eligible, not, err := b.eligibility(tx, bt)
		if err != nil {
			return organiser.Result{}, err
		}
		if eligible == 0 {
			return organiser.Result{Replies: []reply{{Text: fmt.Sprintf(pm.CertOrgNobody, esc(bt.Name), b.courseFor(bt.ID).CertificateMinDays)}}}, nil
		}
		issued, err := tx.Certificates(bt.ID)
		if err != nil {
			return organiser.Result{}, err
		}
		text := fmt.Sprintf(pm.CertOrgSummary, esc(bt.Name), b.courseFor(bt.ID).CertificateMinDays, bt.Days, eligible, not, len(issued))
		return organiser.Result{Replies: []reply{{Text: text, Inline: [][]button{{
			organiser.Button(r.M.BtnSend, 0, actCertSend, bt.ID), organiser.Button(r.M.BtnCancel, 0, actDismiss, ""),
		}}}}}, nil
	})
}

// certificateArg says whether a /sertifikat is the organisers': with a
// batch named. Without one an organiser asks for their own, like anyone.
func certificateArg(_ *Bot, r *orgReq) bool { return strings.TrimSpace(r.Arg) != "" }

// eligibility counts the seat holders of bt who earn a certificate and
// those who do not.
func (b *Bot) eligibility(tx *store.Tx, bt store.Batch) (eligible, not int, err error) {
	ps, err := tx.ParticipantsIn(bt.ID)
	if err != nil {
		return 0, 0, err
	}
	for _, p := range ps {
		if p.Status != store.StatusRegistered {
			continue
		}
		n, err := tx.DaysPresent(bt.ID, p.UserID)
		if err != nil {
			return 0, 0, err
		}
		if b.courseFor(bt.ID).CertificateEligible(p.Status, n) {
			eligible++
		} else {
			not++
		}
	}
	return eligible, not, nil
}

// pressCertSend is Kirim: every eligible participant's certificate is
// issued and queued for them, once however often Kirim is pressed (the
// outbox key), and the organiser gets all of them in one PDF.
func (b *Bot) pressCertSend(r *orgReq, tx *store.Tx, bt store.Batch, _ callback.Data) (organiser.Result, error) {
	pm := r.Paper()
	before, err := tx.Certificates(bt.ID)
	if err != nil {
		return organiser.Result{}, err
	}
	certs, err := tx.IssueCertificates(b.courseFor(bt.ID), bt, b.paper(b.courseFor(bt.ID).ID).NumberFormat, r.Now)
	if errors.Is(err, store.ErrNoCertificates) || errors.Is(err, store.ErrCertificateNotYet) {
		return r.Stale(), nil
	}
	if err != nil {
		return organiser.Result{}, err
	}
	if len(certs) == 0 {
		return organiser.Result{Edit: &reply{Text: fmt.Sprintf(pm.CertOrgNobody, esc(bt.Name), b.courseFor(bt.ID).CertificateMinDays)}}, nil
	}
	queued := 0
	for _, cert := range certs {
		p, err := tx.Participant(bt.ID, cert.UserID)
		if err != nil {
			return organiser.Result{}, err
		}
		ok, err := tx.Enqueue(store.CertificateEntry(cert, p.ChatID, "organiser", r.Now))
		if err != nil {
			return organiser.Result{}, err
		}
		if ok && !store.IsWalkIn(cert.UserID) { // a walk-in's is stored as skipped: printed only
			queued++
		}
	}
	if err := r.Audit(tx, store.AuditEntry{Action: store.AuditCertificatesSent, Batch: bt.ID, Detail: strconv.Itoa(len(certs))}); err != nil {
		return organiser.Result{}, err
	}
	course, chat := b.courseFor(bt.ID), r.ChatID
	paper := b.paper(course.ID)
	return organiser.Result{
		Edit: &reply{Text: fmt.Sprintf(pm.CertOrgSent, esc(bt.Name), len(certs)-len(before), queued)},
		Sent: queued > 0,
		After: func(ctx context.Context) {
			var buf bytes.Buffer
			if err := report.WriteCertificates(&buf, course, bt, certs, paper); err != nil {
				b.log.Error("certificates pdf", "batch", bt.ID, "err", err)
				b.orgSay(r, pm.CertOrgFailed)
				return
			}
			b.sendDocument(ctx, chat, report.CertificatesFileName(bt.ID), &buf)
		},
	}, nil
}

// renderCertificate is a KindDocument entry: the recipient's certificate
// as a PDF with a caption; skipped when it no longer exists (the person
// erased their data) or its batch left the config.
func (b *Bot) renderCertificate(e store.OutboxEntry) (telegram.Outgoing, error) {
	doc, err := e.Document()
	if err != nil {
		return telegram.Outgoing{}, err
	}
	if doc.Doc != store.DocCertificate {
		return telegram.Outgoing{}, fmt.Errorf("unknown document %q", doc.Doc)
	}
	bt, co, ok := b.cat.Batch(doc.Batch)
	if !ok {
		return telegram.Outgoing{}, errSkip
	}
	var (
		cert store.Certificate
		lang string
	)
	err = b.db.View(func(tx *store.Tx) error {
		lang = b.orgLang(tx, e.UserID, co.Language)
		var err error
		cert, err = tx.Certificate(bt.ID, e.UserID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return telegram.Outgoing{}, errSkip
	}
	if err != nil {
		return telegram.Outgoing{}, err
	}
	var buf bytes.Buffer
	if err := report.WriteCertificates(&buf, co, bt, []store.Certificate{cert}, b.paper(co.ID)); err != nil {
		return telegram.Outgoing{}, err
	}
	pm := locale.For(lang).Paper
	return telegram.Outgoing{Document: &telegram.Document{
		Name:    report.CertificateFileName(cert),
		Data:    buf.Bytes(),
		Caption: fmt.Sprintf(pm.CertCaption, esc(co.Title), esc(bt.Name), esc(cert.Number), cert.Code),
	}}, nil
}

// verify answers /cek <code> and the deep link of a certificate's QR
// code: genuine, with the name, course and dates, or not found. It reads
// only; it changes nothing but the journal.
func (b *Bot) verify(ctx context.Context, updateID int64, ev event, code string) {
	var text string
	err := b.db.View(func(tx *store.Tx) error {
		lang := b.orgLang(tx, ev.userID, ev.lang)
		pm, m := locale.For(lang).Paper, locale.For(lang).Messages
		code = strings.TrimSpace(code)
		if code == "" {
			text = pm.VerifyAsk
			return nil
		}
		cert, err := tx.VerifyCertificate(code)
		if errors.Is(err, store.ErrNotFound) {
			text = fmt.Sprintf(pm.VerifyNotFound, esc(locale.Shorten(code, 40)))
			return nil
		}
		if err != nil {
			return err
		}
		name, dates, title := cert.Batch, "", b.first().Title
		if bt, co, ok := b.cat.Batch(cert.Batch); ok {
			name, dates, title = bt.Name, m.DateRange(bt.Day(1), bt.End()), co.Title
			pm = locale.Worded(lang, co.BatchWord).Paper
		}
		text = fmt.Sprintf(pm.VerifyFound, esc(cert.Number), esc(cert.Name), esc(title), esc(name), dates)
		return nil
	})
	if err != nil {
		b.log.Error("verify certificate", "update_id", updateID, "err", err)
		text = locale.For(ev.lang).Messages.Apology
	}
	b.finish(ctx, updateID, ev.chatID, []reply{{Text: text}})
}
