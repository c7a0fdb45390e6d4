package bot

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// An announcement goes: /umumkan starts a draft whose id is fixed at once
// and makes the organiser's next message its content (the store keeps
// that, so a restart in between changes nothing); the audience buttons
// show how many people each reaches; the message is copied back as a
// preview; Kirim puts one outbox entry per recipient into the outbox in one
// transaction, keyed by the draft's id, so a second press or a restart
// cannot send it twice. The dispatcher copies it to each recipient, and
// telegram.Progress edits a message in the organiser's chat as it goes,
// ending with the report (progressTexts).

// audience tokens in callback data. An organiser of several courses
// first picks one (audPick) or an audience of every course; everyone,
// every seat and every waiting list are telegram.admins' only.
const (
	audAll           = "all"
	audWaiting       = "wait"
	audEveryone      = "ever"
	audBatch         = "b_"  // + batch id
	audApplicants    = "p_"  // + batch id: those in its selection
	audCourse        = "c_"  // + course id: the seats of its batches
	audCourseWaiting = "cw_" // + course id: its waiting lists
	audPick          = "k_"  // + course id: show that course's audiences
)

func (b *Bot) cmdAnnounce(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		a, err := tx.NewAnnouncement(r.UserID, r.ChatID, r.Lang, r.Now)
		if err != nil {
			return organiser.Result{}, err
		}
		return organiser.Result{Replies: []reply{{
			Text:   r.M.AnnounceAsk,
			Inline: [][]button{{organiser.Button(r.M.BtnCancel, int64(a.ID), actAnnCancel, "")}},
		}}}, nil
	})
}

// awaiting is the announcement the bot waits for the organiser of r to
// send, 0 for none.
func (b *Bot) awaiting(r *orgReq) uint64 {
	var id uint64
	_ = b.db.View(func(tx *store.Tx) error {
		s, err := tx.OrganiserState(r.UserID)
		id = s.Awaiting
		return err
	})
	return id
}

// awaitsAnnouncement reports whether the bot waits for the organiser of r
// to send an announcement: then /batal is theirs.
func (b *Bot) awaitsAnnouncement(r *orgReq) bool { return b.awaiting(r) != 0 }

// cmdCancelAwaited drops the announcement the bot waits for.
func (b *Bot) cmdCancelAwaited(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		s, err := tx.OrganiserState(r.UserID)
		if err != nil {
			return organiser.Result{}, err
		}
		if _, err := tx.CancelAnnouncement(s.Awaiting); err != nil && !errors.Is(err, store.ErrNotFound) {
			return organiser.Result{}, err
		}
		return organiser.Result{Replies: []reply{{Text: r.M.AnnounceCancelled}}}, nil
	})
}

// captureAnnouncement takes the organiser's message as the announcement
// the bot asked for; it reports false when it asked for none, and the
// message goes to the conversation.
func (b *Bot) captureAnnouncement(r *orgReq) bool {
	if r.msg == nil || b.awaiting(r) == 0 {
		return false
	}
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		a, ok, err := tx.CaptureAnnouncement(r.UserID, r.ChatID, r.msg.MessageID, r.msg.Media)
		if err != nil {
			return organiser.Result{}, err
		}
		if !ok {
			return organiser.Result{Replies: []reply{{Text: r.PM.Stale}}}, nil
		}
		rows, err := b.audienceButtons(r, tx, a.ID, "")
		if err != nil {
			return organiser.Result{}, err
		}
		return organiser.Result{Replies: []reply{{Text: r.M.AnnounceChoose, Inline: rows}}}, nil
	})
	return true
}

// audienceButtons are the audience choices with how many people each
// reaches now, then Batal. A telegram.admin of a one-course bot chooses
// among everyone, each batch, the waiting list and everyone who started,
// as always. With several courses the organiser first picks the course
// (course "" shows the picker), whose audiences are its seats, each batch
// and its waiting lists; everyone, every seat and every waiting list stay
// telegram.admins' own.
func (b *Bot) audienceButtons(r *orgReq, tx *store.Tx, id uint64, course string) ([][]button, error) {
	var rows [][]button
	// add is a choice: label is format with args and then the count.
	add := func(aud store.Audience, token, format string, args ...any) error {
		rs, err := tx.Recipients(aud)
		label := fmt.Sprintf(format, append(args, len(rs))...)
		rows = append(rows, []button{organiser.Button(label, int64(id), actAudience, token)})
		return err
	}
	// A selection batch has its applicants too: before the results they
	// hold no seat, and the batch's own audience would miss them.
	addApplicants := func(bt store.Batch) error {
		if !bt.Admission.Selection {
			return nil
		}
		return add(store.AudienceApplicants(bt.ID), audApplicants+bt.ID, locale.For(r.Lang).Selection.BtnAudienceApplicants, bt.Name)
	}
	var err error
	c, chosen := r.Course(course)
	switch {
	case r.All && b.cat.Single():
		err = add(store.AudienceAll, audAll, r.M.BtnAudienceAll)
		for _, bt := range b.first().Batches {
			err = errors.Join(err, add(store.AudienceBatch(bt.ID), audBatch+bt.ID, r.M.BtnCount, bt.Name))
			err = errors.Join(err, addApplicants(bt))
		}
		err = errors.Join(err, add(store.AudienceWaiting, audWaiting, r.M.BtnAudienceWaiting))
	case !chosen && len(r.Courses) > 1:
		for _, c := range r.Courses {
			rows = append(rows, []button{organiser.Button(locale.Shorten(c.Title, 60), int64(id), actAudience, audPick+c.ID)})
		}
		if r.All {
			err = errors.Join(err, add(store.AudienceAll, audAll, r.M.BtnAudienceAll))
			err = errors.Join(err, add(store.AudienceWaiting, audWaiting, r.M.BtnAudienceWaiting))
		}
	default:
		if !chosen {
			c = r.Courses[0]
		}
		err = add(store.AudienceCourse(c), audCourse+c.ID, r.M.BtnCount, c.Title)
		for _, bt := range c.Batches {
			err = errors.Join(err, add(store.AudienceBatch(bt.ID), audBatch+bt.ID, r.M.BtnCount, bt.Name))
			err = errors.Join(err, addApplicants(bt))
		}
		err = errors.Join(err, add(store.AudienceCourseWaiting(c), audCourseWaiting+c.ID, r.M.BtnAudienceWaiting))
	}
	if r.All {
		err = errors.Join(err, add(store.AudienceEveryone, audEveryone, r.M.BtnAudienceEveryone))
	}
	if err != nil {
		return nil, err
	}
	return append(rows, []button{organiser.Button(r.M.BtnCancel, int64(id), actAnnCancel, "")}), nil
}

// audienceOf reads an audience token of callback data, when it is one
// the organiser may send to: one that exists in the config now (a batch
// or course removed since the button was made, or forged, is nobody's to
// send to) and that the organiser reaches (orgReq.reaches, the rule /log
// and /umumkan_status see by).
func (b *Bot) audienceOf(r *orgReq, token string) (store.Audience, bool) {
	aud, exists := b.parseAudience(token)
	return aud, exists && r.reaches(aud)
}

// parseAudience reads an audience token; exists is false for a token that
// is none, or names a batch or course the config does not list.
func (b *Bot) parseAudience(token string) (aud store.Audience, exists bool) {
	switch token {
	case audAll:
		return store.AudienceAll, true
	case audWaiting:
		return store.AudienceWaiting, true
	case audEveryone:
		return store.AudienceEveryone, true
	}
	if id, ok := strings.CutPrefix(token, audBatch); ok {
		_, _, known := b.cat.Batch(id)
		return store.AudienceBatch(id), known
	}
	if id, ok := strings.CutPrefix(token, audApplicants); ok {
		_, _, known := b.cat.Batch(id)
		return store.AudienceApplicants(id), known
	}
	if id, ok := strings.CutPrefix(token, audCourseWaiting); ok {
		c, known := b.cat.Course(id)
		return store.AudienceCourseWaiting(c), known
	}
	if id, ok := strings.CutPrefix(token, audCourse); ok {
		c, known := b.cat.Course(id)
		return store.AudienceCourse(c), known
	}
	return "", false
}

// audienceName is how organisers read an audience.
func (b *Bot) audienceName(r *orgReq, a store.Audience) string {
	if id, ok := a.Batch(); ok {
		if bt, _, ok := b.cat.Batch(id); ok {
			return r.Named(bt)
		}
		return id
	}
	if id, ok := a.Applicants(); ok {
		name := id
		if bt, _, ok := b.cat.Batch(id); ok {
			name = r.Named(bt)
		}
		return fmt.Sprintf(locale.For(r.Lang).Selection.AudienceApplicants, name)
	}
	if id, _, waiting, ok := a.Course(); ok {
		name := id
		if c, ok := b.cat.Course(id); ok {
			name = c.Title
		}
		if waiting {
			return fmt.Sprintf(r.PM.CourseBatch, name, r.M.AudienceWaiting)
		}
		return name
	}
	switch a {
	case store.AudienceAll:
		return r.M.AudienceAll
	case store.AudienceWaiting:
		return r.M.AudienceWaiting
	case store.AudienceEveryone:
		return r.M.AudienceEveryone
	}
	return string(a)
}

// draftPress is a press on announcement Seq: stale unless it is the
// sender's own, made in this chat. An organiser's buttons act on their own
// drafts only.
func draftPress(h func(*Bot, *orgReq, *store.Tx, store.Announcement, callback.Data) (organiser.Result, error)) orgPress {
	return func(b *Bot, r *orgReq, tx *store.Tx, cb callback.Data) (organiser.Result, error) {
		a, err := tx.Announcement(uint64(cb.Seq))
		switch {
		case errors.Is(err, store.ErrNotFound):
			return r.Stale(), nil
		case err != nil:
			return organiser.Result{}, err
		case a.By != r.UserID || a.ChatID != r.ChatID:
			return r.Stale(), nil
		}
		return h(b, r, tx, a, cb)
	}
}

// pressAudience chooses audience Arg for draft a and shows its preview;
// a course picked shows its audiences instead.
func (b *Bot) pressAudience(r *orgReq, tx *store.Tx, a store.Announcement, cb callback.Data) (organiser.Result, error) {
	if id, ok := strings.CutPrefix(cb.Arg, audPick); ok {
		if _, mine := r.Course(id); !mine || a.Status != store.AnnouncementDraft {
			return r.Stale(), nil
		}
		rows, err := b.audienceButtons(r, tx, a.ID, id)
		return organiser.Result{Edit: &reply{Text: r.M.AnnounceChoose, Inline: rows}}, err
	}
	aud, ok := b.audienceOf(r, cb.Arg)
	if !ok {
		return r.Stale(), nil
	}
	switch a.Status {
	case store.AnnouncementSent:
		return organiser.Result{Toast: r.M.AnnounceAlreadySent}, nil
	case store.AnnouncementDraft:
	default:
		return r.Stale(), nil
	}
	rs, err := tx.Recipients(aud)
	if err != nil {
		return organiser.Result{}, err
	}
	if len(rs) == 0 {
		return organiser.Result{Toast: r.M.AnnounceNoRecipients}, nil
	}
	if a, err = tx.SetAudience(a.ID, aud); err != nil {
		return organiser.Result{}, err
	}
	name, id := esc(b.audienceName(r, aud)), int64(a.ID)
	return organiser.Result{
		Edit:   &reply{Text: fmt.Sprintf(r.M.AnnounceAudience, name, len(rs))},
		CopyOf: [2]int64{a.ChatID, int64(a.MessageID)},
		Replies: []reply{{
			Text:   fmt.Sprintf(r.M.AnnouncePreview, name, len(rs)),
			Inline: [][]button{{organiser.Button(r.M.BtnSend, id, actAnnSend, ""), organiser.Button(r.M.BtnCancel, id, actAnnCancel, "")}},
		}},
	}, nil
}

// pressSend is Kirim: draft a goes into the outbox.
func (b *Bot) pressSend(r *orgReq, tx *store.Tx, a store.Announcement, _ callback.Data) (organiser.Result, error) {
	a, already, err := tx.SendAnnouncement(a.ID, r.Now)
	switch {
	case already:
		return organiser.Result{Toast: r.M.AnnounceAlreadySent}, nil
	case errors.Is(err, store.ErrNoRecipients):
		return organiser.Result{Toast: r.M.AnnounceNoRecipients}, nil
	case errors.Is(err, store.ErrAnnouncementCancelled), errors.Is(err, store.ErrAnnouncementNotReady):
		return r.Stale(), nil
	case err != nil:
		return organiser.Result{}, err
	}
	err = r.Audit(tx, store.AuditEntry{Action: store.AuditAnnouncementSent, Ref: a.ID, Detail: string(a.Audience)})
	name := esc(b.audienceName(r, a.Audience))
	return organiser.Result{Edit: &reply{Text: fmt.Sprintf(r.M.AnnounceQueued, a.ID, name, a.Recipients)}, Sent: true}, err
}

// pressCancelAnnouncement is Batal on draft a.
func (b *Bot) pressCancelAnnouncement(r *orgReq, tx *store.Tx, a store.Announcement, _ callback.Data) (organiser.Result, error) {
	_, err := tx.CancelAnnouncement(a.ID)
	if errors.Is(err, store.ErrAnnouncementSent) {
		return organiser.Result{Toast: r.M.AnnounceAlreadySent}, nil
	}
	return organiser.Result{Edit: &reply{Text: r.M.AnnounceCancelled}}, err
}

// announceStatusSize is how many announcements /umumkan_status lists.
const announceStatusSize = 10

func (b *Bot) cmdAnnounceStatus(r *orgReq) {
	b.orgDo(r, func(tx *store.Tx) (organiser.Result, error) {
		as, err := tx.RecentAnnouncements(announceStatusSize)
		if err != nil {
			return organiser.Result{}, err
		}
		// A course's admins see the announcements to their courses.
		as = slices.DeleteFunc(as, func(a store.Announcement) bool { return !r.reaches(a.Audience) })
		if len(as) == 0 {
			return organiser.Result{Replies: []reply{{Text: r.M.AnnounceStatusNone}}}, nil
		}
		var out strings.Builder
		out.WriteString(r.M.AnnounceStatusHead)
		for _, a := range as {
			rep, err := tx.AnnouncementReport(a.ID)
			if err != nil {
				return organiser.Result{}, err
			}
			at := a.SentAt.In(b.first().Location)
			fmt.Fprintf(&out, "\n\n"+r.M.AnnounceStatusLine, a.ID, r.PM.Moment(at),
				esc(b.audienceName(r, a.Audience)), r.M.Content(a.Content))
			out.WriteString("\n" + b.reportCounts(r.M, rep))
		}
		return organiser.Result{Replies: []reply{{Text: out.String()}}}, nil
	})
}

// reportCounts is the outcome of an announcement's copies, with the
// reasons of failures grouped.
func (b *Bot) reportCounts(m *locale.OrganiserMessages, rep store.AnnouncementReport) string {
	s := fmt.Sprintf(m.ReportCounts, rep.Sent, rep.Undeliverable, rep.Failed)
	if rep.Skipped > 0 {
		s += "\n" + fmt.Sprintf(m.ReportSkipped, rep.Skipped)
	}
	if rep.Queued > 0 {
		s += "\n" + fmt.Sprintf(m.ReportQueued, rep.Queued)
	}
	for _, why := range rep.ReasonsByCount() {
		shown := why
		if shown == "" {
			shown = "?"
		}
		s += "\n" + fmt.Sprintf(m.ReportReason, esc(shown), rep.Reasons[why])
	}
	return s
}

// progressBarWidth is the number of cells of the progress bar.
const progressBarWidth = 10

// progressTexts are the progress message and the report of announcement
// a, in the language of its organiser: telegram.Progress shows them.
func (b *Bot) progressTexts(tx *store.Tx, a store.Announcement, rep store.AnnouncementReport) (progress, report string) {
	lang := a.Lang
	if lang == "" {
		lang = b.orgLang(tx, a.By, b.first().Language)
	}
	r := &orgReq{Request: &organiser.Request{M: locale.For(lang).Organiser, PM: locale.For(lang).Messages, Lang: lang}}
	return b.progressText(r, a, rep), b.reportText(r, a, rep)
}

// progressText is "Terkirim 120/500 ▓▓▓░░░ 24%" under the announcement's
// heading: the copies done, whatever their outcome, of all.
func (b *Bot) progressText(r *orgReq, a store.Announcement, rep store.AnnouncementReport) string {
	done, total := rep.Done(), max(rep.Total, 1)
	pct := done * 100 / total
	cells := done * progressBarWidth / total
	bar := strings.Repeat("▓", cells) + strings.Repeat("░", progressBarWidth-cells)
	return fmt.Sprintf(r.M.ProgressHead, a.ID, esc(b.audienceName(r, a.Audience))) + "\n" +
		fmt.Sprintf(r.M.Progress, done, rep.Total, bar, pct)
}

// reportText is the final report of an announcement.
func (b *Bot) reportText(r *orgReq, a store.Announcement, rep store.AnnouncementReport) string {
	return fmt.Sprintf(r.M.ReportHead, a.ID, esc(b.audienceName(r, a.Audience))) + "\n" + b.reportCounts(r.M, rep)
}
