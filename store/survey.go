package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The end-of-course survey: asked, one question at a time, of everyone
// present on at least one day of a batch, some hours after its last
// session (Survey.Due). Answers are anonymous unless the course says
// otherwise: a finished answer set is stored without the person's id,
// and a separate mark per person and batch says that they answered, so
// that nobody answers twice. What a person has answered so far, until
// they finish, is linked to them (it is theirs to go on with); it goes
// with the person on erasure and retention, as do their mark and, when
// the survey is not anonymous, their answer set.

// SurveyKind says how a survey question is asked. Written in config
// files: only add.
type SurveyKind string

// The kinds of survey question.
const (
	SurveyRating SurveyKind = "rating" // 1 to 5, as buttons
	SurveyChoice SurveyKind = "choice" // one of Options, as buttons
	SurveyText   SurveyKind = "text"   // typed, at most MaxSurveyText characters
)

// Survey bounds, which config validation applies too.
const (
	MaxSurveyText    = 1000 // characters of a text answer
	MaxSurveyFields  = 30   // questions
	MaxSurveyOptions = 10   // options of a choice
	RatingMax        = 5    // ratings are 1 … RatingMax
	// SurveyOpenDays is how long a survey takes answers after it is due,
	// unless the course says (Survey.Days).
	SurveyOpenDays = 14
	// SurveyReminderAfter is when, after the survey is sent, those who
	// have not answered are reminded of it, once, unless the course says
	// (Survey.ReminderHours).
	SurveyReminderAfter = 24 * time.Hour
)

// SurveyField is one question of the survey.
type SurveyField struct {
	Key  string     // column name in the export, key of the answer
	Kind SurveyKind // how it is asked
	// Label, Labels, Options and OptionLabels are as in Field.
	Label        string
	Labels       map[string]string
	Options      []string
	OptionLabels map[string][]string
	Optional     bool // may be skipped
}

// Question returns the question in lang.
func (f SurveyField) Question(lang string) string {
	return Field{Label: f.Label, Labels: f.Labels}.Question(lang)
}

// Option returns choice i in lang.
func (f SurveyField) Option(lang string, i int) string {
	return Field{Options: f.Options, OptionLabels: f.OptionLabels}.Option(lang, i)
}

// Survey is the course's end-of-course survey; no Fields: none.
type Survey struct {
	Fields []SurveyField
	Hours  int // after the end of the last session it is sent
	// Linked stores each answer set with the person's user id
	// (survey_anonymous = false); otherwise answer sets are anonymous.
	Linked bool
	// Days is how many days after it is due the survey takes answers;
	// 0 is SurveyOpenDays.
	Days int
	// ReminderHours is how long after the survey is sent to a person
	// who has not finished it they are reminded, once; 0 is
	// SurveyReminderAfter, negative is never.
	ReminderHours int
}

// OpenDays returns how many days after it is due the survey takes
// answers.
func (s Survey) OpenDays() int {
	if s.Days > 0 {
		return s.Days
	}
	return SurveyOpenDays
}

// ReminderAfter returns how long after the survey is sent the reminder
// goes, and false when it never does.
func (s Survey) ReminderAfter() (time.Duration, bool) {
	switch {
	case s.ReminderHours < 0:
		return 0, false
	case s.ReminderHours == 0:
		return SurveyReminderAfter, true
	}
	return time.Duration(s.ReminderHours) * time.Hour, true
}

// Due returns when the survey of b is sent: Hours after its last session
// ends.
func (s Survey) Due(b Batch) time.Time {
	return b.SessionEnd(b.Days).Add(time.Duration(s.Hours) * time.Hour)
}

// Open reports whether the survey of b takes answers at now.
func (s Survey) Open(b Batch, now time.Time) bool {
	due := s.Due(b)
	return len(s.Fields) > 0 && !now.Before(due) && now.Before(due.AddDate(0, 0, s.OpenDays()))
}

// Why a survey answer changes nothing (Tx.AnswerSurvey).
var (
	// ErrSurveyClosed is returned when the survey takes no answers: not
	// due yet, over, or the course has none.
	ErrSurveyClosed = errors.New("the survey is closed")
	// ErrSurveyNotInvited is returned for a person the survey was not
	// sent to.
	ErrSurveyNotInvited = errors.New("the survey was not sent to this person")
	// ErrSurveyAnswered is returned once the person has answered.
	ErrSurveyAnswered = errors.New("the survey is answered already")
	// ErrSurveyStale is returned for an answer to a question other than
	// the one the person is at (an old message's button).
	ErrSurveyStale = errors.New("not the question the survey is at")
	// ErrSurveyAnswer is returned for an answer the question does not
	// take; the question stays.
	ErrSurveyAnswer = errors.New("not an answer to the question")
)

// SurveyProgress is where a person stands in the survey of a batch: the
// question they are at and what they answered before it.
type SurveyProgress struct {
	Batch   string            `json:"batch"`
	Step    int               `json:"step"`
	Answers map[string]string `json:"answers,omitempty"`
	// InvitedAt is when the survey was enqueued for the person; Reminded
	// is set once its reminder is.
	InvitedAt time.Time `json:"invited_at,omitzero"`
	Reminded  bool      `json:"reminded,omitempty"`
}

// SurveyAnswer is one answer as a person gave it: a button (Button, with
// Value the rating or the option's index) or typed text; Skip passes an
// optional question.
type SurveyAnswer struct {
	Step   int
	Button bool
	Value  string
	Skip   bool
}

// SurveyResponse is one finished answer set, by field key. UserID is set
// only when the survey is not anonymous.
type SurveyResponse struct {
	UserID  int64             `json:"user_id,omitempty"`
	Answers map[string]string `json:"answers"`
}

var (
	bucketSurveyProgress = []byte("survey_progress") // participant key → SurveyProgress
	bucketSurveyDone     = []byte("survey_done")     // participant key → nil: answered
	bucketSurveyLinked   = []byte("survey_linked")   // participant key → SurveyResponse (not anonymous)
	bucketSurveyAnswers  = []byte("survey_answers")  // batch, 0, sequence → SurveyResponse (anonymous)
)

// InviteSurvey records that the survey of b goes to p: their progress
// starts at the first question. It reports false when they were invited
// before (or answered already).
func (tx *Tx) InviteSurvey(b Batch, userID int64, now time.Time) (bool, error) {
	key := participantKey(b.ID, userID)
	if tx.tx.Bucket(bucketSurveyProgress).Get(key) != nil || tx.tx.Bucket(bucketSurveyDone).Get(key) != nil {
		return false, nil
	}
	return true, putJSON(tx.tx.Bucket(bucketSurveyProgress), key, SurveyProgress{Batch: b.ID, InvitedAt: now})
}

// SurveyUnanswered returns the progress of everyone the survey of batch
// went to who has not finished it, with their user ids.
func (tx *Tx) SurveyUnanswered(batch string) (map[int64]SurveyProgress, error) {
	out := map[int64]SurveyProgress{}
	prefix := append([]byte(batch), 0)
	bk := tx.tx.Bucket(bucketSurveyProgress)
	c := bk.Cursor()
	for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) != len(prefix)+8 {
			continue
		}
		var p SurveyProgress
		if _, err := getJSON(bk, k, &p); err != nil {
			return nil, fmt.Errorf("survey progress of %s: %w", batch, err)
		}
		out[int64(binary.BigEndian.Uint64(k[len(prefix):]))] = p
	}
	return out, nil
}

// SurveyRecipients returns the participants of b the survey is for:
// those marked present on at least one day, whatever their status now,
// who have Telegram (an unclaimed walk-in cannot be asked).
func (tx *Tx) SurveyRecipients(b Batch) ([]Participant, error) {
	ps, err := tx.ParticipantsIn(b.ID)
	if err != nil {
		return nil, err
	}
	var out []Participant
	for _, p := range ps {
		if IsWalkIn(p.UserID) {
			continue
		}
		n, err := tx.DaysPresent(b.ID, p.UserID)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// SurveyProgress returns userID's progress in the survey of batch; ok is
// false when they were not invited or have answered.
func (tx *Tx) SurveyProgress(batch string, userID int64) (p SurveyProgress, ok bool, err error) {
	ok, err = getJSON(tx.tx.Bucket(bucketSurveyProgress), participantKey(batch, userID), &p)
	return p, ok, err
}

// SurveyAnswered reports whether userID answered the survey of batch.
func (tx *Tx) SurveyAnswered(batch string, userID int64) bool {
	return tx.tx.Bucket(bucketSurveyDone).Get(participantKey(batch, userID)) != nil
}

// SurveyStanding is what the survey keeps about one person.
type SurveyStanding struct {
	// Pending is their progress in a survey open at now and not finished:
	// the question a typed message answers. Nil when there is none.
	Pending *SurveyProgress
	// Stored is what is kept about them per batch, for their right of
	// access (/dataku): every batch whose survey went to them.
	Stored []SurveyData
}

// SurveyData is what the survey of one batch keeps about a person.
type SurveyData struct {
	Batch    string
	Answered bool
	Progress map[string]string // answers so far, when not finished
	Linked   map[string]string // their answer set, when the survey is not anonymous
}

// SurveyStanding reads what the surveys of cat's courses keep about
// userID, whose registrations are mine, at now. It reads nothing when no
// course has a survey.
func (tx *Tx) SurveyStanding(cat Catalog, userID int64, mine Registrations, now time.Time) (SurveyStanding, error) {
	var out SurveyStanding
	if !slices.ContainsFunc(cat.Courses, func(c Course) bool { return len(c.Survey.Fields) > 0 }) {
		return out, nil
	}
	for _, r := range mine {
		key := participantKey(r.Batch, userID)
		d := SurveyData{Batch: r.Batch, Answered: tx.tx.Bucket(bucketSurveyDone).Get(key) != nil}
		p, invited, err := tx.SurveyProgress(r.Batch, userID)
		if err != nil {
			return out, err
		}
		if invited {
			d.Progress = p.Answers
			if b, c, ok := cat.Batch(r.Batch); ok && out.Pending == nil && c.Survey.Open(b, now) {
				out.Pending = &p
			}
		}
		var linked SurveyResponse
		if ok, err := getJSON(tx.tx.Bucket(bucketSurveyLinked), key, &linked); err != nil {
			return out, err
		} else if ok {
			d.Linked = linked.Answers
		}
		if invited || d.Answered {
			out.Stored = append(out.Stored, d)
		}
	}
	return out, nil
}

// AnswerSurvey takes a's answer of userID to the survey of b and returns
// their progress after it; done reports that it was the last question
// and the answer set is stored (anonymously unless c.Survey.Linked; then
// the file is marked for a rewrite, DB.Scrub, so that the deleted
// progress, which named the person, leaves it).
// Nothing changes when it returns an error: ErrSurveyClosed,
// ErrSurveyNotInvited, ErrSurveyAnswered, ErrSurveyStale or
// ErrSurveyAnswer (wrapped with why).
func (tx *Tx) AnswerSurvey(c Course, b Batch, userID int64, a SurveyAnswer, now time.Time) (p SurveyProgress, done bool, err error) {
	if !c.Survey.Open(b, now) {
		return p, false, ErrSurveyClosed
	}
	if tx.SurveyAnswered(b.ID, userID) {
		return p, false, ErrSurveyAnswered
	}
	p, ok, err := tx.SurveyProgress(b.ID, userID)
	if err != nil {
		return p, false, err
	}
	if !ok {
		return p, false, ErrSurveyNotInvited
	}
	fields := c.Survey.Fields
	if p.Step < 0 || p.Step >= len(fields) {
		p.Step = min(max(p.Step, 0), len(fields)-1) // the config lost questions since
	}
	if a.Step != p.Step {
		return p, false, ErrSurveyStale
	}
	f := fields[p.Step]
	v, err := f.Parse(a)
	if err != nil {
		return p, false, err
	}
	if p.Answers == nil {
		p.Answers = map[string]string{}
	}
	if v != "" {
		p.Answers[f.Key] = v
	}
	p.Step++
	key := participantKey(b.ID, userID)
	if p.Step < len(fields) {
		return p, false, putJSON(tx.tx.Bucket(bucketSurveyProgress), key, p)
	}
	if err := tx.tx.Bucket(bucketSurveyProgress).Delete(key); err != nil {
		return p, false, err
	}
	if err := tx.tx.Bucket(bucketSurveyDone).Put(key, nil); err != nil {
		return p, false, err
	}
	if c.Survey.Linked {
		return p, true, putJSON(tx.tx.Bucket(bucketSurveyLinked), key, SurveyResponse{UserID: userID, Answers: p.Answers})
	}
	// The progress just deleted linked these answers to the person; its
	// bytes stay in freed pages until the file is rewritten (DB.Scrub).
	if err := tx.markScrub(); err != nil {
		return p, false, err
	}
	bk := tx.tx.Bucket(bucketSurveyAnswers)
	seq, err := bk.NextSequence()
	if err != nil {
		return p, false, err
	}
	k := append(append([]byte(b.ID), 0), u64(seq)...)
	return p, true, putJSON(bk, k, SurveyResponse{Answers: p.Answers})
}

// Parse returns the answer a stores for f: a rating's number, a choice's
// option in the course language, a text as typed (trimmed), "" for a
// skip. A choice may be typed as its number or its label in any
// language; a rating as its number.
func (f SurveyField) Parse(a SurveyAnswer) (string, error) {
	if a.Skip {
		if !f.Optional {
			return "", fmt.Errorf("%w: the question is not optional", ErrSurveyAnswer)
		}
		return "", nil
	}
	v := strings.TrimSpace(a.Value)
	switch f.Kind {
	case SurveyRating:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > RatingMax || strconv.Itoa(n) != v {
			return "", fmt.Errorf("%w: a rating is 1 to %d", ErrSurveyAnswer, RatingMax)
		}
		return v, nil
	case SurveyChoice:
		if n, err := strconv.Atoi(v); err == nil && strconv.Itoa(n) == v {
			if a.Button && n >= 0 && n < len(f.Options) {
				return f.Options[n], nil
			}
			if !a.Button && n >= 1 && n <= len(f.Options) {
				return f.Options[n-1], nil
			}
		}
		if !a.Button {
			for i, o := range f.Options {
				if strings.EqualFold(o, v) {
					return o, nil
				}
				for _, ls := range f.OptionLabels {
					if i < len(ls) && strings.EqualFold(ls[i], v) {
						return o, nil
					}
				}
			}
		}
		return "", fmt.Errorf("%w: not one of the options", ErrSurveyAnswer)
	case SurveyText:
		n := len([]rune(v))
		switch {
		case a.Button:
			return "", fmt.Errorf("%w: a text is typed", ErrSurveyAnswer)
		case n == 0:
			return "", fmt.Errorf("%w: empty", ErrSurveyAnswer)
		case n > MaxSurveyText:
			return "", fmt.Errorf("%w: longer than %d characters", ErrSurveyAnswer, MaxSurveyText)
		}
		return v, nil
	}
	return "", fmt.Errorf("%w: unknown kind %q", ErrSurveyAnswer, f.Kind)
}

// SurveyResponses returns the finished answer sets of batch, anonymous
// and linked ones together.
func (tx *Tx) SurveyResponses(batch string) ([]SurveyResponse, error) {
	var out []SurveyResponse
	prefix := append([]byte(batch), 0)
	for _, name := range [][]byte{bucketSurveyAnswers, bucketSurveyLinked} {
		bk := tx.tx.Bucket(name)
		c := bk.Cursor()
		for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
			var r SurveyResponse
			if _, err := getJSON(bk, k, &r); err != nil {
				return nil, fmt.Errorf("survey answers of %s: %w", batch, err)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// SurveyInvited returns how many people of batch the survey was sent to
// who have not answered, and how many answered.
func (tx *Tx) SurveyInvited(batch string) (pending, answered int) {
	prefix := append([]byte(batch), 0)
	count := func(name []byte) int {
		n := 0
		c := tx.tx.Bucket(name).Cursor()
		for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
			if len(k) == len(prefix)+8 {
				n++
			}
		}
		return n
	}
	return count(bucketSurveyProgress), count(bucketSurveyDone)
}

// MarkSurveyReminded records that the reminder of userID's survey in
// batch is enqueued; false when it was before, or they answered.
func (tx *Tx) MarkSurveyReminded(batch string, userID int64) (bool, error) {
	p, ok, err := tx.SurveyProgress(batch, userID)
	if err != nil || !ok || p.Reminded {
		return false, err
	}
	p.Reminded = true
	return true, putJSON(tx.tx.Bucket(bucketSurveyProgress), participantKey(batch, userID), p)
}
