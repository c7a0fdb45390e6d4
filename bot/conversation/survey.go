package conversation

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// The end-of-course survey as the conversation sees it. The store keeps
// its rules (who is asked, when it is open, what an answer may be, that
// nobody answers twice: store.Tx.AnswerSurvey); here are its screens
// and how a press or a typed message becomes an answer. It runs beside
// the form: its buttons work in any state, a typed message answers it
// only outside the form.

// ActSurvey is a survey button: Arg is "<batch>_<step>_<value>", value
// a rating, an option's index or "s" to skip. No Seq: the store's
// progress decides whether the press is current.
const ActSurvey = "sv"

const surveySkip = "s"

func surveyData(batch string, step int, value string) string {
	return callback.Data{Action: ActSurvey, Arg: batch + "_" + strconv.Itoa(step) + "_" + value}.String()
}

// parseSurveyArg reads a survey button's Arg; ok is false for anything
// surveyData does not write.
func parseSurveyArg(arg string) (batch string, a store.SurveyAnswer, ok bool) {
	parts := strings.Split(arg, "_")
	if len(parts) != 3 || parts[0] == "" {
		return "", a, false
	}
	step, err := strconv.Atoi(parts[1])
	if err != nil || step < 0 || strconv.Itoa(step) != parts[1] {
		return "", a, false
	}
	a = store.SurveyAnswer{Step: step, Button: true, Value: parts[2], Skip: parts[2] == surveySkip}
	return parts[0], a, true
}

// pressSurvey is a survey button pressed, whatever the conversation is
// doing.
func (t *turn) pressSurvey(cb callback.Data) {
	t.clear = true
	batch, a, ok := parseSurveyArg(cb.Arg)
	if !ok {
		t.toast = t.m.Stale
		return
	}
	t.effect = Effect{Kind: EffSurvey, Batch: batch, Survey: a}
}

// typedSurvey takes a typed message outside the form as the answer to
// the survey question the person is at, when there is one.
func (t *turn) typedSurvey(s string) bool {
	p := t.w.Survey.Pending
	if p == nil {
		return false
	}
	a := store.SurveyAnswer{Step: p.Step, Value: s}
	if locale.IsLabel(s, func(m *locale.Messages) string { return m.BtnSkip }) {
		a.Skip = true
	}
	t.effect = Effect{Kind: EffSurvey, Batch: p.Batch, Survey: a}
	return true
}

// settleSurvey tells the person how their answer went: the next
// question, thanks, or why it was not taken (and the question again).
func settleSurvey(c store.Conversation, w World, e Effect, r Result) (Outcome, error) {
	m, pm := locale.For(c.Lang).Messages, locale.For(c.Lang).Paper
	oc := Outcome{Conv: c, Clear: e.Survey.Button}
	_, co, _ := w.Catalog.Batch(e.Batch) // the survey's course: maybe not the conversation's
	switch err := r.Err; {
	case err == nil && r.SurveyDone:
		oc.Replies = []reply{{Text: pm.SurveyThanks}}
	case err == nil:
		oc.Replies = []reply{SurveyQuestion(co, c.Lang, e.Batch, r.Survey.Step)}
	case errors.Is(err, store.ErrSurveyClosed):
		oc.Toast, oc.Replies = pm.SurveyClosed, []reply{{Text: pm.SurveyClosed}}
	case errors.Is(err, store.ErrSurveyAnswered):
		oc.Toast, oc.Replies = pm.SurveyAnswered, []reply{{Text: pm.SurveyAnswered}}
	case errors.Is(err, store.ErrSurveyStale), errors.Is(err, store.ErrSurveyNotInvited):
		oc.Toast = m.Stale
	case errors.Is(err, store.ErrSurveyAnswer):
		step := r.Survey.Step
		fs := co.Survey.Fields
		if step < 0 || step >= len(fs) {
			return Outcome{}, err
		}
		oc.Toast = m.Stale
		oc.Clear = false
		oc.Replies = []reply{{Text: surveyComplaint(pm, fs[step], e.Survey)}, SurveyQuestion(co, c.Lang, e.Batch, step)}
	default:
		return Outcome{}, err
	}
	return oc, nil
}

// surveyComplaint says kindly what answer question f takes.
func surveyComplaint(pm *locale.PaperMessages, f store.SurveyField, a store.SurveyAnswer) string {
	switch {
	case a.Skip:
		return pm.SurveyRequired
	case f.Kind == store.SurveyRating:
		return pm.SurveyBadRating
	case f.Kind == store.SurveyChoice:
		return pm.SurveyBadChoice
	}
	return fmt.Sprintf(pm.SurveyBadText, store.MaxSurveyText)
}

// SurveyQuestion is question step of the survey of batch, in lang, with
// its buttons.
func SurveyQuestion(c store.Course, lang, batch string, step int) reply {
	pm, m := locale.For(lang).Paper, locale.For(lang).Messages
	fs := c.Survey.Fields
	step = min(max(step, 0), len(fs)-1)
	f := fs[step]
	lines := []string{fmt.Sprintf(pm.SurveyQuestion, step+1, len(fs), esc(f.Question(lang)))}
	var rows [][]button
	switch f.Kind {
	case store.SurveyRating:
		lines = append(lines, pm.SurveyRatingHint)
		var row []button
		for v := 1; v <= store.RatingMax; v++ {
			row = append(row, button{Text: strconv.Itoa(v), Data: surveyData(batch, step, strconv.Itoa(v))})
		}
		rows = append(rows, row)
	case store.SurveyChoice:
		lines = append(lines, pm.SurveyChoiceHint)
		for i := range f.Options {
			rows = append(rows, []button{{Text: f.Option(lang, i), Data: surveyData(batch, step, strconv.Itoa(i))}})
		}
	default:
		lines = append(lines, pm.SurveyTextHint)
	}
	if f.Optional {
		lines = append(lines, pm.SurveyOptional)
		rows = append(rows, []button{{Text: m.BtnSkip, Data: surveyData(batch, step, surveySkip)}})
	}
	return reply{Text: strings.Join(lines, "\n"), Inline: rows}
}

// surveyData is /dataku's part about the survey: per batch, whether the
// person answered, and the answers kept with them (so far, or all of
// them when the survey is not anonymous).
func (t *turn) surveyData() []string {
	pm := locale.For(t.c.Lang).Paper
	var out []string
	for _, d := range t.w.Survey.Stored {
		name, fields := d.Batch, []store.SurveyField(nil)
		if b, co, ok := t.w.Catalog.Batch(d.Batch); ok {
			name, fields = b.Name, co.Survey.Fields
		}
		state, answers := pm.MyDataSurveyOpen, d.Progress
		switch {
		case d.Answered && d.Linked != nil:
			state, answers = pm.MyDataSurveyLinked, d.Linked
		case d.Answered:
			state, answers = pm.MyDataSurveyAnonymous, nil
		}
		block := fmt.Sprintf(pm.MyDataSurvey, esc(name), state)
		shown := map[string]bool{}
		for _, f := range fields {
			if v, ok := answers[f.Key]; ok {
				shown[f.Key] = true
				block += fmt.Sprintf("\n• %s: %s", esc(f.Question(t.c.Lang)), esc(v))
			}
		}
		// Answers to questions the config no longer asks are the
		// person's data all the same.
		for _, k := range slices.Sorted(maps.Keys(answers)) {
			if !shown[k] {
				block += fmt.Sprintf("\n• %s: %s", esc(k), esc(answers[k]))
			}
		}
		out = append(out, block)
	}
	return out
}
