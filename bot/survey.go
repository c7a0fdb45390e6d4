package bot

import (
	"fmt"

	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// The end-of-course survey as the outbox sends it: its questions and how
// an answer becomes the next one are the conversation's
// (bot/conversation/survey.go), its rules the store's.

// renderSurvey is the survey (or its reminder) with the question the
// person is at, skipped once it is closed, answered or erased.
func (b *Bot) renderSurvey(tx *store.Tx, lang string, e store.OutboxEntry) (reply, error) {
	sp, err := e.Survey()
	if err != nil {
		return reply{}, err
	}
	bt, co, ok := b.cat.Batch(sp.Batch)
	if !ok {
		return reply{}, fmt.Errorf("unknown batch %q", sp.Batch)
	}
	if !co.Survey.Open(bt, b.now()) {
		return reply{}, errSkip
	}
	p, ok, err := tx.SurveyProgress(bt.ID, e.UserID)
	if err != nil {
		return reply{}, err
	}
	if !ok {
		return reply{}, errSkip
	}
	pm := locale.For(lang).Paper
	head := fmt.Sprintf(pm.SurveyIntro, esc(co.Title), esc(bt.Name), len(co.Survey.Fields))
	if sp.Reminder {
		head = fmt.Sprintf(pm.SurveyReminder, esc(co.Title), esc(bt.Name))
	}
	privacy := pm.SurveyAnonymous
	if co.Survey.Linked {
		privacy = pm.SurveyLinked
	}
	q := conversation.SurveyQuestion(co, lang, bt.ID, p.Step)
	q.Text = head + "\n" + privacy + "\n\n" + q.Text
	return q, nil
}
